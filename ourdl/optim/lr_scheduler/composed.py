"""Schedules made from a function or from other schedules: ``LambdaLR``, ``LinearLR``, ``SequentialLR``."""

from __future__ import annotations

from bisect import bisect_right

from ..optimizer import Optimizer
from .base import LRScheduler, check_optimizer, per_group

class LambdaLR(LRScheduler):
    """The initial rate times ``lr_lambda(epoch)`` (one function, or one per parameter group).

    >>> import ourdl
    >>> from ourdl import nn, optim
    >>> sched = LambdaLR(optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0), lambda epoch: 0.5 ** epoch)
    >>> for _ in range(3): sched.step()
    >>> sched.get_last_lr()
    [0.125]
    """

    def __init__(self, optimizer: Optimizer, lr_lambda, last_epoch: int = -1):
        self.lr_lambdas = per_group("lr_lambda", optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        return [base * fn(self.last_epoch) for fn, base in zip(self.lr_lambdas, self.base_lrs)]

    _start_lrs = get_lr

    def state_dict(self) -> dict:
        """The state without the functions (as PyTorch's, which cannot store lambdas either)."""
        return {key: value for key, value in super().state_dict().items() if key != "lr_lambdas"}


class LinearLR(LRScheduler):
    """Scale the initial rate by a factor going linearly from ``start_factor`` to ``end_factor`` over
    ``total_iters`` epochs, then keep it: a warm-up. Recursive, as PyTorch computes it.

    >>> import ourdl
    >>> from ourdl import nn, optim
    >>> sched = LinearLR(optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0), start_factor=0.25, total_iters=3)
    >>> [round(lr, 4) for lr in sched.get_last_lr()], sched.step(), [round(lr, 4) for lr in sched.get_last_lr()]
    ([0.25], None, [0.5])
    """

    def __init__(self, optimizer: Optimizer, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                 total_iters: int = 5, last_epoch: int = -1):
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.")
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        if self.last_epoch == 0:
            return [lr * self.start_factor for lr in self._current()]
        if self.last_epoch > self.total_iters:
            return self._current()
        change = self.end_factor - self.start_factor
        ratio = 1.0 + change / (self.total_iters * self.start_factor + (self.last_epoch - 1) * change)
        return [lr * ratio for lr in self._current()]

    def _start_lrs(self) -> list:
        return [base * self.start_factor for base in self.base_lrs]


class SequentialLR(LRScheduler):
    """Run ``schedulers`` one after another, switching at the epochs in ``milestones``; each new one starts at its
    epoch 0 from the initial rates.

    >>> import ourdl
    >>> from ourdl import nn, optim
    >>> opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    >>> from ourdl.optim.lr_scheduler import ExponentialLR, LinearLR, SequentialLR
    >>> sched = SequentialLR(opt, [LinearLR(opt, 0.5, total_iters=2), ExponentialLR(opt, 0.5)], milestones=[2])
    >>> lrs = []
    >>> for _ in range(4): lrs.append(sched.get_last_lr()[0]); sched.step()
    >>> lrs
    [0.5, 0.75, 1.0, 0.5]
    """

    def __init__(self, optimizer: Optimizer, schedulers: list, milestones: list, last_epoch: int = -1):
        check_optimizer(optimizer)
        if len(schedulers) < 1:
            raise ValueError(f"{type(self).__name__} expects at least one scheduler, but got no scheduler.")
        for i, scheduler in enumerate(schedulers):
            if getattr(scheduler, "optimizer", None) is not optimizer:
                raise ValueError(f"{type(self).__name__} expects all schedulers to belong to the same optimizer, but "
                                 f"got scheduler {type(scheduler).__name__} at index {i} has "
                                 f"{getattr(scheduler, 'optimizer', None)}, which is different from {optimizer}.")
        if len(milestones) != len(schedulers) - 1:
            raise ValueError("Sequential Schedulers expects number of schedulers provided to be one more than the "
                             f"number of milestone points, but got number of schedulers {len(schedulers)} and the "
                             f"number of milestones to be equal to {len(milestones)}")
        self.optimizer, self._schedulers, self._milestones = optimizer, list(schedulers), list(milestones)
        self.last_epoch = last_epoch + 1
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for scheduler in self._schedulers:  # undo the step each took when it was made
            scheduler.last_epoch -= 1
        first = self._schedulers[0]
        first._step_count, first._is_initial = 0, True
        first.step()
        first._is_initial = False
        self._last_lr = first.get_last_lr()

    def step(self) -> None:
        self.last_epoch += 1
        index = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[index]
        if index > 0 and self._milestones[index - 1] == self.last_epoch:
            scheduler._restart()
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()

    def state_dict(self) -> dict:
        state = {key: value for key, value in self.__dict__.items() if key not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [scheduler.state_dict() for scheduler in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict) -> None:
        state = dict(state_dict)
        for scheduler, saved in zip(self._schedulers, state.pop("_schedulers")):
            scheduler.load_state_dict(saved)
        self.__dict__.update(state)
