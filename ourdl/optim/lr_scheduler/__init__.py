"""Learning-rate schedules: call ``scheduler.step()`` once per epoch (or per batch for ``OneCycleLR``),
after ``optimizer.step()``. Each reproduces PyTorch's sequence of learning rates exactly, by the same
recursive formulas.

>>> import ourdl
>>> from ourdl import nn, optim
>>> opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
>>> sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
>>> lrs = []
>>> for epoch in range(5):
...     lrs.append(sched.get_last_lr()[0]); opt.step(); sched.step()
>>> lrs
[1.0, 1.0, 0.5, 0.5, 0.25]
"""

from .base import LRScheduler
from .composed import LambdaLR, LinearLR, SequentialLR
from .decays import CosineAnnealingLR, ExponentialLR, MultiStepLR, StepLR
from .one_cycle import OneCycleLR
from .plateau import ReduceLROnPlateau

__all__ = ["CosineAnnealingLR", "ExponentialLR", "LRScheduler", "LambdaLR", "LinearLR", "MultiStepLR", "OneCycleLR",
           "ReduceLROnPlateau", "SequentialLR", "StepLR"]
