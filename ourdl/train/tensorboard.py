"""TensorBoard logs of a training run, written with tensorboardX (no PyTorch needed to write or read them).

``fit(..., log_dir=DIR)`` writes them through a :class:`TensorBoardLogger`; any loop of your own can
call one the same way (:meth:`~TensorBoardLogger.step` after each optimiser step,
:meth:`~TensorBoardLogger.epoch` after each epoch). What it writes:

- per step: ``step/train_loss`` and ``step/train_<metric>`` of the batch, ``step/lr``, each parameter's
  gradient norm ``step/grad_norm/<parameter>`` = ‖∂loss/∂p‖₂, and ``step/dead_share``, the share of
  units of the model's activations that no sample of the batch activated;
- per epoch: every number of the epoch's record (``epoch/train_loss``, ``epoch/val_accuracy``,
  ``epoch/lr``, ...), ``epoch/dead_share`` (units never active over the epoch's training batches),
  and histograms of each parameter (``weights/<name>``) and of the input of each activation on the
  epoch's last training batch (``preactivations/<name>``).

A *unit* is a feature (the last dimension) of a 2-D input, a channel (dimension 1) of an image batch;
it is active on a sample where its activation's input is positive. Only training-mode forward passes
count. ``tensorboard --logdir DIR`` shows the logs; ``tensorboard``'s ``EventAccumulator`` reads them back.

>>> import tempfile, ourdl
>>> from ourdl import nn
>>> from ourdl.data import DataLoader, moons
>>> from ourdl.train import fit
>>> model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
>>> folder = tempfile.mkdtemp()
>>> history = fit(model, nn.CrossEntropyLoss(), ourdl.optim.SGD(model.parameters(), lr=0.1),
...               DataLoader(moons(n=64, noise=0.1, seed=0), batch_size=16), epochs=2, progress=False, log_dir=folder)
>>> from pathlib import Path
>>> len(list(Path(folder).glob("events.out.tfevents.*")))
1
"""

from __future__ import annotations

import math

import numpy as np

from .diagnostics import activation_modules


def _active_units(values: np.ndarray) -> np.ndarray:
    """Which units (last dimension of a 2-D batch, dimension 1 of an image batch) are positive on some sample."""
    unit = 1 if values.ndim > 2 else values.ndim - 1
    return (values > 0).any(axis=tuple(i for i in range(values.ndim) if i != unit))


def _dead_share(active: dict) -> float:
    return float(sum(int((~a).sum()) for a in active.values()) / sum(a.size for a in active.values()))


def _finite(value: float) -> float:
    """TensorBoard draws NaN as a gap; an infinite loss is shown as that gap too."""
    return float(value) if math.isfinite(value) else float("nan")


class TensorBoardLogger:
    """Write a run's scalars and histograms under ``log_dir`` as TensorBoard event files.

    Args:
        log_dir: the run's folder (created if needed).
        model: the Module being trained; its catalog activations are watched with forward hooks.
        histograms: write the weight and pre-activation histograms (they take most of the log's size).

    ``steps`` counts the steps logged (the global step of the next one is ``steps + 1``).

    >>> import tempfile, ourdl
    >>> from ourdl import nn
    >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    >>> with TensorBoardLogger(tempfile.mkdtemp(), model) as logger:
    ...     model(ourdl.randn(4, 2)).sum().backward()
    ...     logger.step({"loss": 0.5}, lr=0.1)          # after the optimiser's step
    ...     logger.epoch(1, {"epoch": 1, "train_loss": 0.5})
    >>> logger.steps
    1
    """

    def __init__(self, log_dir, model, histograms: bool = True):
        try:
            from tensorboardX import SummaryWriter  # deferred: an optional library that takes a second to import
        except ImportError:
            raise ImportError("fit: TensorBoard logs (log_dir=) need tensorboardX: pip install 'ourdl[lab]' "
                              "(or tensorboardX)") from None
        self.writer = SummaryWriter(logdir=str(log_dir))
        self.model, self.histograms = model, histograms
        self.steps = 0
        self._batch, self._epoch, self._inputs = {}, {}, {}
        self._handles = [m.register_forward_hook(self._hook(name)) for name, m in activation_modules(model).items()]

    def _hook(self, name: str):
        def hook(module, inputs, output):
            if module.training:
                values = inputs[0].detach().numpy()
                active = _active_units(values)
                self._batch[name] = active
                self._epoch[name] = active if name not in self._epoch else self._epoch[name] | active
                self._inputs[name] = values
        return hook

    def step(self, values: dict, lr: float) -> None:
        """Log one training step: ``values`` (the batch's ``loss`` and metrics), ``lr``, gradient norms, dead share."""
        self.steps += 1
        for key, value in values.items():
            self.writer.add_scalar(f"step/train_{key}", _finite(value), self.steps)
        self.writer.add_scalar("step/lr", float(lr), self.steps)
        for name, parameter in self.model.named_parameters():
            if parameter.grad is not None:
                norm = float(np.linalg.norm(parameter.grad.detach().numpy()))
                self.writer.add_scalar(f"step/grad_norm/{name}", _finite(norm), self.steps)
        if self._batch:
            self.writer.add_scalar("step/dead_share", _dead_share(self._batch), self.steps)
            self._batch = {}

    def epoch(self, epoch: int, record: dict) -> None:
        """Log the epoch's record, its dead-unit share and the histograms; start counting the next epoch."""
        for key, value in record.items():
            if key != "epoch" and isinstance(value, (int, float)) and not isinstance(value, bool):
                self.writer.add_scalar(f"epoch/{key}", _finite(value), epoch)
        if self._epoch:
            self.writer.add_scalar("epoch/dead_share", _dead_share(self._epoch), epoch)
        if self.histograms:
            named = [(f"weights/{name}", p.detach().numpy()) for name, p in self.model.named_parameters()]
            for tag, values in named + [(f"preactivations/{name}", v) for name, v in self._inputs.items()]:
                if values.size and np.isfinite(values).all():  # a histogram of NaN has no bins
                    self.writer.add_histogram(tag, values, epoch)
        self._epoch, self._inputs = {}, {}
        self.writer.flush()

    def close(self) -> None:
        """Remove the forward hooks and close the event file."""
        for handle in self._handles:
            handle.remove()
        self._handles = []
        self.writer.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
