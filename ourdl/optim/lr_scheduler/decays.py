"""Schedules that decay the learning rate by epoch: ``StepLR``, ``MultiStepLR``, ``ExponentialLR``, ``CosineAnnealingLR``."""

from __future__ import annotations

import math
from collections import Counter

from ..optimizer import Optimizer
from .base import LRScheduler

class StepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs: :math:`\\eta_t = \\eta_0 \\gamma^{\\lfloor t / s \\rfloor}`.

    >>> import ourdl
    >>> from ourdl import nn, optim
    >>> sched = StepLR(optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0), step_size=2, gamma=0.5)
    >>> for _ in range(4): sched.step()
    >>> sched.get_last_lr()
    [0.25]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1):
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current()
        return [lr * self.gamma for lr in self._current()]


class MultiStepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` at each epoch in ``milestones``.

    >>> import ourdl
    >>> from ourdl import nn, optim
    >>> opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    >>> sched = MultiStepLR(opt, milestones=[1, 3], gamma=0.1)
    >>> for _ in range(3): sched.step()
    >>> sched.get_last_lr()
    [0.010000000000000002]
    """

    def __init__(self, optimizer: Optimizer, milestones, gamma: float = 0.1, last_epoch: int = -1):
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        if self.last_epoch not in self.milestones:
            return self._current()
        return [lr * self.gamma ** self.milestones[self.last_epoch] for lr in self._current()]


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every epoch: :math:`\\eta_t = \\eta_0 \\gamma^t`.

    >>> import ourdl
    >>> from ourdl import nn, optim
    >>> sched = ExponentialLR(optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0), gamma=0.5)
    >>> for _ in range(3): sched.step()
    >>> sched.get_last_lr()
    [0.125]
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        if self._is_initial:
            return self._current()
        return [lr * self.gamma for lr in self._current()]


class CosineAnnealingLR(LRScheduler):
    """Cosine from the initial rate down to ``eta_min`` over ``T_max`` epochs (then back up, periodically):
    :math:`\\eta_t = \\eta_{min} + \\tfrac12(\\eta_0 - \\eta_{min})(1 + \\cos(\\pi t / T_{max}))`,
    computed recursively as PyTorch does.

    >>> import ourdl
    >>> from ourdl import nn, optim
    >>> sched = CosineAnnealingLR(optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0), T_max=4)
    >>> for _ in range(2): sched.step()
    >>> [round(lr, 6) for lr in sched.get_last_lr()]     # half way down
    [0.5]
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1):
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        if self._is_initial:
            return self._current()
        if self._step_count == 1 and self.last_epoch > 0:
            return [self.eta_min + (base - self.eta_min) * (1 + math.cos(self.last_epoch * math.pi / self.T_max)) / 2
                    for base in self.base_lrs]
        if (self.last_epoch - 1 - self.T_max) % (2 * self.T_max) == 0:
            return [lr + (base - self.eta_min) * (1 - math.cos(math.pi / self.T_max)) / 2
                    for base, lr in zip(self.base_lrs, self._current())]
        ratio = (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / (
            1 + math.cos(math.pi * (self.last_epoch - 1) / self.T_max))
        return [ratio * (lr - self.eta_min) + self.eta_min for lr in self._current()]
