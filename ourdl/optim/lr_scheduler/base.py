"""The base of every schedule: ``LRScheduler`` (``step``, ``get_last_lr``, ``state_dict``) and the shared checks."""

from __future__ import annotations

from ..optimizer import Optimizer

def check_optimizer(optimizer) -> None:
    """A TypeError unless ``optimizer`` is an :class:`~ourdl.optim.Optimizer`, as PyTorch's schedulers check."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


class LRScheduler:
    """Base class: ``step()`` advances ``last_epoch`` and writes ``get_lr()`` into every group's ``lr``.

    ``state_dict()`` holds everything but the optimizer; ``load_state_dict`` restores it.
    A new schedule defines ``get_lr`` (from the current rates, ``base_lrs`` and ``last_epoch``):

    >>> import ourdl
    >>> from ourdl import nn, optim
    >>> class Halving(LRScheduler):
    ...     def get_lr(self):
    ...         return [base / 2 ** self.last_epoch for base in self.base_lrs]
    >>> sched = Halving(optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0))
    >>> sched.step(); sched.step(); sched.get_last_lr()
    [0.25]
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1):
        check_optimizer(optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(f"param 'initial_lr' is not specified in param_groups[{i}] when resuming a "
                                   "scheduler with last_epoch >= 0; load the optimizer's state first")
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._is_initial = True
        self.step()
        self._is_initial = False

    def get_lr(self) -> list:
        """The learning rates for the current ``last_epoch``, from the current ones."""
        raise NotImplementedError

    def get_last_lr(self) -> list:
        """The learning rates set by the last ``step()``."""
        return self._last_lr

    def step(self) -> None:
        self._step_count += 1
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict) -> None:
        self.__dict__.update(state_dict)

    def _current(self) -> list:
        return [group["lr"] for group in self.optimizer.param_groups]

    def _restart(self) -> None:
        """Begin again at epoch 0 (``SequentialLR`` hands over so, as PyTorch's ``step(0)``)."""
        self.last_epoch = 0
        for group, lr in zip(self.optimizer.param_groups, self._start_lrs()):
            group["lr"] = lr
        self._last_lr = self._current()

    def _start_lrs(self) -> list:
        return list(self.base_lrs)


def per_group(name: str, optimizer: Optimizer, value) -> list:
    """``value`` once per parameter group: a list or tuple must have one entry per group; a scalar repeats."""
    if isinstance(value, (list, tuple)):
        if len(value) != len(optimizer.param_groups):
            raise ValueError(f"expected {len(optimizer.param_groups)} values for {name}, got {len(value)}")
        return list(value)
    return [value] * len(optimizer.param_groups)
