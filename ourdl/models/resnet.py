"""A small ``ResNet`` for 28x28 images: residual stages of basic blocks (He et al., 2016).

Each block computes :math:`y = \\phi\\big(\\mathrm{BN}(W_2 * \\phi(\\mathrm{BN}(W_1 * x))) + S(x)\\big)`, where
:math:`S` is the identity, or a strided 1x1 convolution with batch norm when the block changes size.
"""

from __future__ import annotations

from ..nn.batch_norm import BatchNorm2d
from ..nn.container import Sequential
from ..nn.conv import Conv2d
from ..nn.flatten import Flatten
from ..nn.linear import Linear
from ..nn.mlp import make_activation
from ..nn.module import Module
from ..nn.pooling import AdaptiveAvgPool2d


class BasicBlock(Module):
    """Two 3x3 convolutions with batch norm, an activation after each, and the shortcut added before the second.

    >>> import ourdl
    >>> BasicBlock(8, 16, stride=2)(ourdl.zeros(1, 8, 14, 14)).shape
    ourdl.Size([1, 16, 7, 7])
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1, activation="relu"):
        super().__init__()
        self.conv1 = Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = BatchNorm2d(out_channels)
        self.act1 = make_activation(activation)
        self.conv2 = Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = BatchNorm2d(out_channels)
        self.act2 = make_activation(activation)
        self.shortcut = Sequential()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = Sequential(Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                                       BatchNorm2d(out_channels))

    def forward(self, x):
        y = self.act1(self.bn1(self.conv1(x)))
        return self.act2(self.bn2(self.conv2(y)) + self.shortcut(x))


class ResNet(Module):
    """``conv 3x3 → BN → act``, then one stage per width (the first at stride 1, the others halving the size), each
    of ``blocks`` :class:`BasicBlock` s, then global average pooling and a Linear classifier.

    The default (widths 16, 32, 64; two blocks per stage) has 174,970 parameters for 10 classes; ``blocks=1``
    gives a ResNet-8 of 77,754.

    >>> import ourdl
    >>> net = ResNet(widths=(8, 16), blocks=1, activation="silu")
    >>> net(ourdl.zeros(2, 1, 28, 28)).shape
    ourdl.Size([2, 10])
    """

    def __init__(self, activation="relu", classes: int = 10, channels: int = 1, widths=(16, 32, 64), blocks: int = 2):
        super().__init__()
        widths = tuple(widths)
        if not widths or any(not isinstance(w, int) or isinstance(w, bool) or w < 1 for w in widths):
            raise ValueError(f"ResNet: widths must be positive integers, got {widths!r}")
        if not isinstance(blocks, int) or isinstance(blocks, bool) or blocks < 1:
            raise ValueError(f"ResNet: blocks must be a positive integer, got {blocks!r}")
        self.stem = Sequential(Conv2d(channels, widths[0], 3, padding=1, bias=False), BatchNorm2d(widths[0]),
                               make_activation(activation))
        stages, previous = [], widths[0]
        for index, width in enumerate(widths):
            for block in range(blocks):
                stride = 2 if index > 0 and block == 0 else 1
                stages.append(BasicBlock(previous, width, stride, activation))
                previous = width
        self.stages = Sequential(*stages)
        self.head = Sequential(AdaptiveAvgPool2d(1), Flatten(), Linear(previous, classes))

    def forward(self, x):
        return self.head(self.stages(self.stem(x)))
