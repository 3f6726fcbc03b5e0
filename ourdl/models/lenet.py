"""``LeNet5``: two convolutions with pooling, then three fully connected layers (LeCun et al., 1998).

For a 28x28 input the first convolution pads by 2, so the feature maps have the sizes of the original
32x32 design: 6@28x28 → pool → 6@14x14 → 16@10x10 → pool → 16@5x5 → 120 → 84 → classes.
"""

from __future__ import annotations

from ..nn.container import Sequential
from ..nn.conv import Conv2d
from ..nn.flatten import Flatten
from ..nn.linear import Linear
from ..nn.mlp import make_activation
from ..nn.pooling import AvgPool2d, MaxPool2d

POOLS = {"max": MaxPool2d, "avg": AvgPool2d}


class LeNet5(Sequential):
    """LeNet-5 for ``(N, channels, 28, 28)`` images: ``conv 5x5 (6) → act → pool → conv 5x5 (16) → act → pool →
    Linear 400→120 → act → Linear 120→84 → act → Linear 84→classes``.

    ``activation`` is a catalog name (``"relu"``, ``"tanh"``, ``"gelu"``, ...), a Module class or a Module (each
    place gets its own copy); ``pool`` is ``"max"`` (the usual choice today) or ``"avg"`` (the 1998 paper's
    subsampling). It is a ``Sequential``: parameter names are ``0.weight``, ``0.bias``, ``3.weight``, ...,
    as the same ``nn.Sequential`` in PyTorch, so state dicts move between the two.

    >>> import ourdl
    >>> net = LeNet5(activation="tanh", pool="avg")
    >>> net(ourdl.zeros(1, 1, 28, 28)).shape, sum(p.numel() for p in net.parameters())
    (ourdl.Size([1, 10]), 61706)
    """

    def __init__(self, activation="relu", classes: int = 10, channels: int = 1, pool: str = "max"):
        if pool not in POOLS:
            raise ValueError(f"LeNet5: pool must be 'max' or 'avg', got {pool!r}")
        if not isinstance(classes, int) or isinstance(classes, bool) or classes < 1:
            raise ValueError(f"LeNet5: classes must be a positive integer, got {classes!r}")
        if not isinstance(channels, int) or isinstance(channels, bool) or channels < 1:
            raise ValueError(f"LeNet5: channels must be a positive integer, got {channels!r}")
        act = lambda: make_activation(activation)  # noqa: E731 - a fresh copy for every place
        super().__init__(
            Conv2d(channels, 6, 5, padding=2), act(), POOLS[pool](2),
            Conv2d(6, 16, 5), act(), POOLS[pool](2),
            Flatten(),
            Linear(16 * 5 * 5, 120), act(),
            Linear(120, 84), act(),
            Linear(84, classes))
