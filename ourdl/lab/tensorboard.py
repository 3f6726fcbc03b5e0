"""TensorBoard logs of a training run, written with tensorboardX (no PyTorch needed to write or read them).

:class:`TensorBoardLogger` watches a model trained by :func:`ourdl.train.fit`:

- per step: the training loss (``step/train_loss``) and each parameter's gradient norm
  (``step/grad_norm/<parameter>``), through a wrapped loss function and gradient hooks;
- per epoch (as a ``fit`` callback): every number of the epoch's record (``epoch/train_loss``,
  ``epoch/val_accuracy``, ``epoch/lr``, ...), the share of never-active units on the probe batch
  (``epoch/dead_share``), and histograms of each parameter (``weights/<name>``) and of the input of
  each activation on the probe batch (``preactivations/<name>``).

``tensorboard --logdir DIR`` shows them; ``tensorboard``'s ``EventAccumulator`` reads them back.

>>> import tempfile, ourdl
>>> from ourdl import nn
>>> from ourdl.data import DataLoader, moons
>>> from ourdl.train import fit
>>> model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
>>> data = moons(n=64, noise=0.1, seed=0)
>>> folder = tempfile.mkdtemp()
>>> with TensorBoardLogger(folder, model, probe=data.tensors[0]) as logger:
...     history = fit(model, logger.watch(nn.CrossEntropyLoss()), ourdl.optim.SGD(model.parameters(), lr=0.1),
...                   DataLoader(data, batch_size=16), epochs=2, progress=False, callbacks=[logger])
>>> logger.steps
8
"""

from __future__ import annotations

import math

import numpy as np

from ..grad_mode import no_grad
from .diagnostics import DeadUnitTracker, activation_modules


class TensorBoardLogger:
    """Write a run's scalars and histograms under ``log_dir`` as TensorBoard event files.

    Args:
        log_dir: the run's folder (created if needed).
        model: the Module being trained.
        probe: an input batch on which, after each epoch, the dead-unit share and the
            pre-activation histograms are measured (none without it).
        histograms: write the weight and pre-activation histograms (they take most of the log's size).

    >>> import tempfile
    >>> from ourdl import nn
    >>> with TensorBoardLogger(tempfile.mkdtemp(), nn.Linear(2, 1)) as logger:
    ...     logger(1, {"epoch": 1, "train_loss": 0.5})   # what fit's callback does after epoch 1
    >>> logger.steps
    0
    """

    def __init__(self, log_dir, model, probe=None, histograms: bool = True):
        try:
            from tensorboardX import SummaryWriter
        except ImportError:
            raise ImportError("lab: TensorBoard logs need tensorboardX: pip install 'ourdl[lab]' "
                              "(or tensorboardX)") from None
        self.writer = SummaryWriter(logdir=str(log_dir))
        self.model, self.probe, self.histograms = model, probe, histograms
        self.steps = 0
        self._handles = [p.register_hook(self._grad_hook(name)) for name, p in model.named_parameters()
                         if p.requires_grad]

    def _grad_hook(self, name: str):
        def hook(grad):
            norm = float(np.linalg.norm(grad.detach().numpy()))
            self.writer.add_scalar(f"step/grad_norm/{name}", norm, self.steps)
        return hook

    def watch(self, loss_fn):
        """``loss_fn`` that also logs each training step's loss (calls made in evaluation mode are not logged)."""
        def logged(output, target):
            loss = loss_fn(output, target)
            if self.model.training:
                self.steps += 1
                value = loss.item()
                self.writer.add_scalar("step/train_loss", value if math.isfinite(value) else float("nan"), self.steps)
            return loss
        return logged

    def __call__(self, epoch: int, record: dict) -> None:
        """The ``fit`` callback: log the epoch's record, the dead-unit share and the histograms."""
        for key, value in record.items():
            if key != "epoch" and isinstance(value, (int, float)) and not isinstance(value, bool):
                self.writer.add_scalar(f"epoch/{key}", float(value), epoch)
        if self.histograms:
            for name, parameter in self.model.named_parameters():
                values = parameter.detach().numpy()
                if np.isfinite(values).all():
                    self.writer.add_histogram(f"weights/{name}", values, epoch)
        watched = activation_modules(self.model)
        if self.probe is not None and watched:
            inputs = {}
            handles = [m.register_forward_hook(lambda module, args, out, name=name: inputs.__setitem__(
                name, args[0].detach().numpy())) for name, m in watched.items()]
            try:
                with DeadUnitTracker(self.model) as dead, no_grad():
                    self.model(self.probe)
            finally:
                for handle in handles:
                    handle.remove()
            self.writer.add_scalar("epoch/dead_share", dead.dead_share(), epoch)
            if self.histograms:
                for name, values in inputs.items():
                    if np.isfinite(values).all():
                        self.writer.add_histogram(f"preactivations/{name}", values, epoch)
        self.writer.flush()

    def close(self) -> None:
        """Remove the gradient hooks and close the event file."""
        for handle in self._handles:
            handle.remove()
        self._handles = []
        self.writer.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
