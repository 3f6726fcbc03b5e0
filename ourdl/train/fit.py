"""``fit``: the training loop, written once, with progress, history, checkpoints and exact resume.

One epoch: for each batch ``(x, y)`` of ``train_loader``: ``loss = loss_fn(model(x), y)``,
a check that the loss is finite, ``loss.backward()``, ``optimizer.step()``, ``optimizer.zero_grad()``
(the gradients are cleared once used, so they are not held while the next batch loads or during
the evaluation; the first step clears any gradient left from before). After the epoch: evaluation on ``val_loader``, a scheduler step,
a history record, a checkpoint. The checkpoint holds the model, optimiser and scheduler
state, the epoch, the history and every random state (the global generator and the
loaders' own), so ``resume=True`` continues a killed run exactly where its last
checkpoint left it: the final weights equal those of an uninterrupted run.

>>> import ourdl
>>> from ourdl import nn
>>> from ourdl.data import DataLoader, moons
>>> from ourdl.train import fit
>>> _ = ourdl.manual_seed(0)
>>> model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
>>> loader = DataLoader(moons(n=256, noise=0.1), batch_size=32, shuffle=True)
>>> history = fit(model, nn.CrossEntropyLoss(), ourdl.optim.Adam(model.parameters(), lr=0.05), loader,
...               epochs=20, progress=False)
>>> history["train_accuracy"][-1] > 0.95
True
"""

from __future__ import annotations

import inspect
import itertools
import math
import numbers
import time
from enum import Enum
from pathlib import Path

from ..autograd import no_grad
from ..io.checkpoint import load_checkpoint, save_checkpoint
from ..ops.random import get_rng_state, manual_seed, set_rng_state
from ..progress import bar_class, progress_bar
from .history import History
from .interrupt import TrainingInterrupted, deferred_interrupt
from .metrics import resolve
from .tensorboard import TensorBoardLogger

CHECKPOINT = "last.safetensors"
HISTORY = "history.json"


class OnDivergence(str, Enum):
    """What :func:`fit` does at a NaN or infinite loss; the plain strings ``"raise"``, ``"stop"``, ``"continue"`` work too.

    >>> OnDivergence("stop") is OnDivergence.STOP
    True
    """

    RAISE = "raise"
    STOP = "stop"
    CONTINUE = "continue"


class SchedulerInterval(str, Enum):
    """When :func:`fit` steps the scheduler: once per epoch or once per batch (``"epoch"``, ``"step"``).

    >>> SchedulerInterval("step") is SchedulerInterval.STEP
    True
    """

    EPOCH = "epoch"
    STEP = "step"


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite; ``epoch``, ``step`` and ``loss`` say where and what.

    >>> print(TrainingDiverged(epoch=3, step=17, loss=float("nan"), last_finite=2.5))  # doctest: +ELLIPSIS
    training diverged at epoch 3, step 17: the loss is nan (the step before: 2.5)...
    """

    def __init__(self, epoch: int, step: int, loss: float, last_finite: float | None):
        self.epoch, self.step, self.loss = epoch, step, loss
        before = "no finite loss before it" if last_finite is None else f"the step before: {last_finite:.6g}"
        super().__init__(
            f"training diverged at epoch {epoch}, step {step}: the loss is {loss} ({before}). The weights were not "
            "updated with it. Try a lower learning rate, gradient clipping (ourdl.nn.utils.clip_grad_norm_), "
            "or look for NaN/inf in the data.")


def fit(model, loss_fn, optimizer, train_loader, epochs: int, val_loader=None, metrics=("accuracy",),
        scheduler=None, checkpoint_dir=None, resume: bool = False, progress: bool = True, seed: int | None = None,
        scheduler_interval: SchedulerInterval | str = SchedulerInterval.EPOCH, callbacks=(),
        on_divergence: OnDivergence | str = OnDivergence.RAISE, log_dir=None) -> History:
    """Train ``model`` for ``epochs`` epochs (in all, counting those of a resumed run); return its :class:`History`.

    Args:
        model: a Module; ``loss_fn(model(x), y)`` must give a scalar loss (mean over the batch).
        optimizer: updates ``model``'s parameters.
        train_loader / val_loader: iterables of ``(x, y)`` batches, e.g. :class:`ourdl.data.DataLoader`.
        metrics: names (``"accuracy"``) or functions ``(output, target) -> float``, averaged per epoch.
        scheduler: stepped once per epoch (``scheduler_interval="epoch"``) or per batch (``"step"``);
            one whose ``step`` takes ``metrics`` (``ReduceLROnPlateau``) gets the validation loss, or the
            training loss without a validation set.
        checkpoint_dir: save ``last.safetensors`` (and ``history.json``) there after every epoch, atomically.
            Ctrl-C then ends the batch in progress, saves a checkpoint there and raises
            :class:`~ourdl.train.interrupt.TrainingInterrupted` (a ``KeyboardInterrupt``).
        resume: continue from ``checkpoint_dir``'s checkpoint when there is one (mid-epoch, after a Ctrl-C).
        progress: show a tqdm bar per epoch with the loss, the first metric and samples/s.
        seed: seed the global generator first (shuffling, dropout), for a reproducible run.
        callbacks: functions ``callback(epoch, record)`` called after each epoch's checkpoint.
        on_divergence: what a NaN or infinite loss does; it never updates the weights.
            ``"raise"``: raise :class:`TrainingDiverged` at once (nothing of that epoch is recorded).
            ``"stop"``: end training there and return the history; the diverging epoch's record
            holds its means over the batches up to the diverging one (so ``train_loss`` is NaN
            or infinite) and the validation values of the model's last finite weights (its
            scheduler step is skipped), and ``history.diverged`` holds ``{"epoch", "step", "loss"}``.
            That epoch is checkpointed like any other; resuming the run trains no further.
            ``"continue"``: skip that step (no backward, no optimiser or per-step scheduler step) and
            go on; ``history.nonfinite`` lists each skipped step as ``{"epoch", "step", "loss"}``,
            each epoch's record counts its own in ``nonfinite_steps``, and its ``train_*`` means
            cover the finite steps only (NaN when there was none).
        log_dir: write TensorBoard event files there (:class:`~ourdl.train.tensorboard.TensorBoardLogger`,
            which needs ``tensorboardX``): per step the loss and metrics of the batch, the learning rate,
            each parameter's gradient norm and the share of dead units; per epoch the record, the dead
            share over the epoch and histograms of the weights and of each activation's input.

    An error inside the model or the loss carries a note naming the epoch, the step and the batch's shapes.

    >>> import ourdl
    >>> from ourdl import nn
    >>> from ourdl.data import DataLoader, quadratic
    >>> _ = ourdl.manual_seed(0)
    >>> model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
    >>> history = fit(model, nn.MSELoss(), ourdl.optim.Adam(model.parameters(), lr=0.02),
    ...               DataLoader(quadratic(n=128), batch_size=16, shuffle=True), epochs=30, metrics=(), progress=False)
    >>> history["train_loss"][-1] < 0.05 < history["train_loss"][0]
    True

    An experiment that must see a run diverge rather than fail lets it stop (or skip the step and go on,
    ``on_divergence="continue"``):

    >>> import numpy as np
    >>> model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
    >>> with np.errstate(all="ignore"):  # the overflow on the way to inf is expected here
    ...     history = fit(model, nn.MSELoss(), ourdl.optim.SGD(model.parameters(), lr=10.0),
    ...                   DataLoader(quadratic(n=128), batch_size=16), epochs=30, metrics=(), progress=False,
    ...                   on_divergence="stop")
    >>> history.diverged, len(history), history["train_loss"][-1]
    ({'epoch': 2, 'step': 1, 'loss': inf}, 2, inf)
    >>> all(np.isfinite(p.detach().numpy()).all() for p in model.parameters())  # the last finite weights
    True
    >>> model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
    >>> with np.errstate(all="ignore"):
    ...     history = fit(model, nn.MSELoss(), ourdl.optim.SGD(model.parameters(), lr=10.0),
    ...                   DataLoader(quadratic(n=128), batch_size=16), epochs=5, metrics=(), progress=False,
    ...                   on_divergence="continue")
    >>> len(history), history.nonfinite[0]["epoch"], history["nonfinite_steps"][-1]  # every epoch, steps skipped
    (5, 2, 8)
    """
    if on_divergence not in tuple(OnDivergence):
        raise ValueError(f"fit: on_divergence must be 'raise' (stop with TrainingDiverged), 'stop' (end training "
                         f"and return the history) or 'continue' (skip the step and go on), got {on_divergence!r}")
    if scheduler_interval not in tuple(SchedulerInterval):
        raise ValueError(f"fit: scheduler_interval must be 'epoch' or 'step', got {scheduler_interval!r}")
    on_divergence, scheduler_interval = OnDivergence(on_divergence), SchedulerInterval(scheduler_interval)
    if not isinstance(epochs, numbers.Integral) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError(f"fit: epochs should be a positive integer (epochs in all, counting a resumed run's), "
                         f"got {epochs!r}")
    if resume and checkpoint_dir is None:
        raise ValueError("fit: resume=True needs the checkpoint_dir of the run to continue")
    metric_fns = resolve(metrics)
    checkpoint = Path(checkpoint_dir) / CHECKPOINT if checkpoint_dir is not None else None
    loaders = (train_loader, val_loader)
    if seed is not None:
        manual_seed(seed)
    history, partial = History(), None
    if resume and checkpoint.exists():
        state = load_checkpoint(checkpoint, model=model, optimizer=optimizer, scheduler=scheduler)
        history = History(state["extra"]["history"], state["extra"].get("diverged"), state["extra"].get("nonfinite"))
        history.save(checkpoint.parent / HISTORY)  # a run killed between the two saves left the older history
        partial = state["extra"].get("partial")  # where a Ctrl-C stopped inside an epoch
        for loader, generator_state in zip(loaders, state["extra"]["generators"]):
            if generator_state is not None:
                loader.generator.set_state(generator_state)
    remaining = range(len(history) + 1, epochs + 1) if history.diverged is None else ()  # a diverged run is over
    logger = TensorBoardLogger(log_dir, model) if log_dir is not None else None
    if logger is not None and hasattr(train_loader, "__len__"):  # a resumed run's steps go on from its last
        logger.steps = len(history) * len(train_loader) + (partial["step"] if partial else 0)
    try:
        _fit_epochs(model, loss_fn, optimizer, loaders, epochs, metric_fns, scheduler, scheduler_interval, checkpoint,
                    progress, callbacks, on_divergence, logger, history, partial, remaining)
    finally:
        if logger is not None:
            logger.close()
    return history


def _fit_epochs(model, loss_fn, optimizer, loaders, epochs, metric_fns, scheduler, scheduler_interval, checkpoint,
                progress, callbacks, on_divergence, logger, history, partial, remaining) -> None:
    """:func:`fit`'s epochs from ``remaining``, each appended to ``history`` (the arguments are fit's, checked)."""
    train_loader, val_loader = loaders
    with deferred_interrupt(checkpoint is not None) as stop:
        for epoch in remaining:
            # The loaders' random state before the epoch draws its order: a checkpoint inside the epoch keeps it.
            generators = [_generator_state(loader) for loader in loaders]
            rng_at_start = partial["rng_at_start"] if partial else get_rng_state()
            started = time.perf_counter() - (partial["seconds"] if partial else 0.0)
            lr = partial["lr"] if partial else optimizer.param_groups[0]["lr"]
            means, diverged, stopped = _train_epoch(
                model, loss_fn, optimizer, train_loader, metric_fns, epoch, epochs,
                scheduler if scheduler_interval is SchedulerInterval.STEP else None, progress, stop, partial,
                history.nonfinite if on_divergence is OnDivergence.CONTINUE else None, logger)
            partial = None
            if stopped is not None:
                save_checkpoint(checkpoint, model=model, optimizer=optimizer, scheduler=scheduler, epoch=epoch - 1,
                                extra={"history": history.records, "diverged": history.diverged,
                                       "nonfinite": history.nonfinite, "generators": generators,
                                       "partial": stopped | {"lr": lr, "rng_at_start": rng_at_start}})
                raise TrainingInterrupted(epoch, stopped["step"], checkpoint)
            if diverged is not None:
                if on_divergence is OnDivergence.RAISE:
                    raise diverged
                history.diverged = {"epoch": diverged.epoch, "step": diverged.step, "loss": diverged.loss}
            record = {"epoch": epoch, **means}
            if on_divergence is OnDivergence.CONTINUE:
                record["nonfinite_steps"] = sum(s["epoch"] == epoch for s in history.nonfinite)
            if val_loader is not None:
                record.update({f"val_{k}": v for k, v in evaluate(model, val_loader, loss_fn, metric_fns).items()})
            if scheduler is not None and scheduler_interval is SchedulerInterval.EPOCH and diverged is None:
                if "metrics" in inspect.signature(scheduler.step).parameters:
                    scheduler.step(record.get("val_loss", record["train_loss"]))
                else:
                    scheduler.step()
            record.update(lr=lr, seconds=time.perf_counter() - started)
            history.append(record)
            if checkpoint is not None:
                save_checkpoint(checkpoint, model=model, optimizer=optimizer, scheduler=scheduler, epoch=epoch,
                                extra={"history": history.records, "diverged": history.diverged,
                                       "nonfinite": history.nonfinite,
                                       "generators": [_generator_state(loader) for loader in loaders]})
                history.save(checkpoint.parent / HISTORY)
            if progress:
                bar_class().write(_summary(record))
            if logger is not None:
                logger.epoch(epoch, record)
            for callback in callbacks:
                callback(epoch, record)
            if stop.requested:  # Ctrl-C came after the epoch's last batch: its checkpoint is the one just saved
                raise TrainingInterrupted(epoch, None, checkpoint)
            if diverged is not None:
                break


def _generator_state(loader):
    generator = getattr(loader, "generator", None)
    return generator.get_state() if generator is not None else None


def evaluate(model, loader, loss_fn=None, metrics=("accuracy",)) -> dict:
    """The mean loss (when ``loss_fn`` is given) and metrics of ``model`` over ``loader``, without gradients.

    The model is put in ``eval()`` mode for the pass and back in its previous mode after.

    >>> import ourdl
    >>> from ourdl import nn
    >>> from ourdl.data import DataLoader, TensorDataset
    >>> model = nn.Linear(2, 2)
    >>> loader = DataLoader(TensorDataset(ourdl.randn(10, 2), ourdl.randint(0, 2, (10,))), batch_size=4)
    >>> sorted(evaluate(model, loader, nn.CrossEntropyLoss()))
    ['accuracy', 'loss']
    """
    metric_fns = resolve(metrics) if not isinstance(metrics, dict) else metrics
    totals = _EpochTotals(metric_fns, with_loss=loss_fn is not None)
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            for step, (x, y) in enumerate(loader):
                output = _forward(model, x, y, None, step)
                loss = _loss(loss_fn, output, x, y, None, step).item() if loss_fn is not None else None
                totals.add(output, y, loss)
    finally:
        model.train(was_training)
    return totals.means()


def _train_epoch(model, loss_fn, optimizer, loader, metric_fns, epoch, epochs, scheduler, progress, stop, partial,
                 nonfinite, logger):
    """The epoch's ``train_*`` means, a :class:`TrainingDiverged` or None, and where a Ctrl-C stopped it or None.

    At a NaN or infinite loss the means hold the batches up to and including that one, whose step is not applied;
    with a ``nonfinite`` list the step is skipped instead, recorded there, and the epoch goes on.
    ``partial`` (from a checkpoint saved at a Ctrl-C) skips the batches already trained and restores their sums.
    ``logger`` (a :class:`TensorBoardLogger` or None) logs every step.
    """
    model.train()
    diverged = None
    totals = _EpochTotals(metric_fns)
    first = 0
    if partial is not None:
        totals.samples, totals.sums, totals.last_loss = partial["samples"], dict(partial["sums"]), partial["last_loss"]
        first = partial["step"]
    started, shown = time.perf_counter() - (partial["seconds"] if partial else 0.0), 0.0
    try:
        total = len(loader)
    except TypeError:  # a loader over a stream without a length (an IterableDataset without __len__)
        total = None
    batches = enumerate(loader)
    if partial is not None:
        # The epoch's order was drawn from the random state at its start (a loader without a generator of its own
        # draws from the global one): draw it again from there, then go on from the state at the Ctrl-C.
        at_stop = get_rng_state()
        set_rng_state(partial["rng_at_start"])
        batches = itertools.chain([next(batches)], batches)
        set_rng_state(at_stop)
    with progress_bar(total=total, desc=f"epoch {epoch}/{epochs}", unit="batch", disable=not progress, leave=False,
              dynamic_ncols=True) as bar:
        optimizer.zero_grad()
        for step, (x, y) in batches:
            if step < first:  # trained before the Ctrl-C: drawn again only so that the order stays the same
                bar.update()
                continue
            output = _forward(model, x, y, epoch, step)
            loss = _loss(loss_fn, output, x, y, epoch, step)
            value = loss.item()
            if math.isfinite(value):
                loss.backward()
                optimizer.step()
                if scheduler is not None:
                    scheduler.step()
                batch = totals.add(output, y, value)
            elif nonfinite is not None:
                nonfinite.append({"epoch": epoch, "step": step, "loss": value})
                batch = {"loss": value}
            else:
                diverged = TrainingDiverged(epoch, step, value, totals.last_loss)
                totals.add(output, y, value)
                break
            if logger is not None:
                logger.step(batch, optimizer.param_groups[0]["lr"])
            optimizer.zero_grad()  # now, not before the next step: the next batch's loading and the evaluation
            bar.update()           # need no gradients (a copy of the weights' size)
            now = time.perf_counter()
            if stop.requested:
                return None, None, {"epoch": epoch, "step": step + 1, "samples": totals.samples, "sums": totals.sums,
                                    "last_loss": totals.last_loss, "seconds": now - started}
            if progress and now - shown > 0.2:
                shown = now
                bar.set_postfix(totals.means() | {"samples/s": f"{totals.samples / (now - started):.0f}"}, refresh=False)
    skipped_all = nonfinite and not totals.samples and nonfinite[-1]["epoch"] == epoch
    means = dict.fromkeys(totals.sums, float("nan")) if skipped_all else totals.means()
    return {f"train_{k}": v for k, v in means.items()}, diverged, None


def _forward(model, x, y, epoch, step):
    try:
        return model(x)
    except Exception as error:
        error.add_note(_where(epoch, step, x, y))
        raise


def _loss(loss_fn, output, x, y, epoch, step):
    try:
        return loss_fn(output, y)
    except Exception as error:
        error.add_note(_where(epoch, step, x, y) + f"; the model's output has shape {tuple(output.shape)}")
        raise


def _where(epoch: int | None, step: int, x, y) -> str:
    """Where a batch failed, for the error's note; ``epoch`` is None during evaluation."""
    place = "during evaluation" if epoch is None else f"in epoch {epoch}"
    return f"fit: {place}, step {step}, on a batch of inputs {tuple(x.shape)} and targets {tuple(y.shape)}"


class _EpochTotals:
    """Sums of the loss and metrics, weighted by batch size, over an epoch."""

    def __init__(self, metric_fns: dict, with_loss: bool = True):
        self.metric_fns, self.with_loss = metric_fns, with_loss
        self.samples, self.last_loss = 0, None
        self.sums = dict.fromkeys((["loss"] if with_loss else []) + list(metric_fns), 0.0)

    def add(self, output, target, loss: float | None) -> dict:
        """Add one batch; return its own values (``loss`` and each metric)."""
        n = len(target)
        self.samples += n
        batch = {"loss": loss} if self.with_loss else {}
        if self.with_loss:
            self.last_loss = loss
        batch.update((name, fn(output, target)) for name, fn in self.metric_fns.items())
        for name, value in batch.items():
            self.sums[name] += value * n
        return batch

    def means(self) -> dict:
        if not self.samples:  # a mean of nothing is no loss of 0.0
            raise ValueError("fit/evaluate: the data loader yielded no samples (an empty dataset, or drop_last=True with fewer "
                             "samples than batch_size): there is nothing to train or evaluate on")
        return {name: total / self.samples for name, total in self.sums.items()}


def _summary(record: dict) -> str:
    return "  ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in record.items())
