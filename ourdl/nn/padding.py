"""Padding layers, as PyTorch's: ``ZeroPad{1,2,3}d``, ``ConstantPad{1,2,3}d``, ``ReflectionPad{1,2,3}d``,
``ReplicationPad{1,2,3}d``, ``CircularPad{1,2,3}d``, each :func:`~ourdl.nn.functional.pad` of the last 1, 2 or 3
dimensions. ``padding`` is an int (every side) or a tuple ``(left, right, top, bottom, front, back)`` of the
layer's length.

>>> import ourdl
>>> from ourdl import nn
>>> nn.ReflectionPad2d(1)(ourdl.arange(9.0).reshape(1, 1, 3, 3))
tensor([[[[4., 3., 4., 5., 4.],
          [1., 0., 1., 2., 1.],
          [4., 3., 4., 5., 4.],
          [7., 6., 7., 8., 7.],
          [4., 3., 4., 5., 4.]]]])
"""

from __future__ import annotations

import numbers

from ..ops.padding import pad
from ..tensor import Tensor
from .module import Module


class _PadNd(Module):
    """What the padding layers share: ``padding`` as a ``2 * dims`` tuple, ``mode``, ``value``."""

    _dims = 0
    _mode = "constant"

    def __init__(self, padding, value: float = 0.0):
        super().__init__()
        self.padding = (int(padding),) * (2 * self._dims) if isinstance(padding, numbers.Integral) else tuple(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        if self._mode == "circular" and isinstance(input, Tensor) and input.ndim not in (self._dims + 1, self._dims + 2):
            raise ValueError(f"expected {self._dims + 1}D or {self._dims + 2}D input (got {input.ndim}D input)")
        if self._mode == "constant":
            return pad(input, self.padding, "constant", self.value)
        return pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value: float):
        super().__init__(padding, value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class _ZeroPadNd(_PadNd):
    def __init__(self, padding):
        super().__init__(padding, 0.0)


class ZeroPad1d(_ZeroPadNd):
    """Pads the last 1 dimension of ``(N, C, W) or (C, W)`` with zeros.

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.ZeroPad1d(1)(ourdl.ones(1, 2, 3)).shape)
    [1, 2, 5]
    """

    _dims = 1


class ZeroPad2d(_ZeroPadNd):
    """Pads the last 2 dimensions of ``(N, C, H, W) or (C, H, W)`` with zeros.

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.ZeroPad2d(1)(ourdl.ones(1, 2, 3, 3)).shape)
    [1, 2, 5, 5]
    """

    _dims = 2


class ZeroPad3d(_ZeroPadNd):
    """Pads the last 3 dimensions of ``(N, C, D, H, W) or (C, D, H, W)`` with zeros.

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.ZeroPad3d(1)(ourdl.ones(1, 2, 3, 3, 3)).shape)
    [1, 2, 5, 5, 5]
    """

    _dims = 3


class ConstantPad1d(_ConstantPadNd):
    """Pads the last 1 dimension of ``(N, C, W) or (C, W)`` with a constant ``value``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.ConstantPad1d(1, 2.0)(ourdl.ones(1, 2, 3)).shape)
    [1, 2, 5]
    """

    _dims = 1


class ConstantPad2d(_ConstantPadNd):
    """Pads the last 2 dimensions of ``(N, C, H, W) or (C, H, W)`` with a constant ``value``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.ConstantPad2d(1, 2.0)(ourdl.ones(1, 2, 3, 3)).shape)
    [1, 2, 5, 5]
    """

    _dims = 2


class ConstantPad3d(_ConstantPadNd):
    """Pads the last 3 dimensions of ``(N, C, D, H, W) or (C, D, H, W)`` with a constant ``value``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.ConstantPad3d(1, 2.0)(ourdl.ones(1, 2, 3, 3, 3)).shape)
    [1, 2, 5, 5, 5]
    """

    _dims = 3


class ReflectionPad1d(_PadNd):
    """Pads the last 1 dimension of ``(N, C, W) or (C, W)`` with the input reflected about its edge (the edge not repeated).

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.ReflectionPad1d(1)(ourdl.ones(1, 2, 3)).shape)
    [1, 2, 5]
    """

    _dims = 1
    _mode = "reflect"


class ReflectionPad2d(_PadNd):
    """Pads the last 2 dimensions of ``(N, C, H, W) or (C, H, W)`` with the input reflected about its edge (the edge not repeated).

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.ReflectionPad2d(1)(ourdl.ones(1, 2, 3, 3)).shape)
    [1, 2, 5, 5]
    """

    _dims = 2
    _mode = "reflect"


class ReflectionPad3d(_PadNd):
    """Pads the last 3 dimensions of ``(N, C, D, H, W) or (C, D, H, W)`` with the input reflected about its edge (the edge not repeated).

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.ReflectionPad3d(1)(ourdl.ones(1, 2, 3, 3, 3)).shape)
    [1, 2, 5, 5, 5]
    """

    _dims = 3
    _mode = "reflect"


class ReplicationPad1d(_PadNd):
    """Pads the last 1 dimension of ``(N, C, W) or (C, W)`` with the input's edge repeated.

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.ReplicationPad1d(1)(ourdl.ones(1, 2, 3)).shape)
    [1, 2, 5]
    """

    _dims = 1
    _mode = "replicate"


class ReplicationPad2d(_PadNd):
    """Pads the last 2 dimensions of ``(N, C, H, W) or (C, H, W)`` with the input's edge repeated.

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.ReplicationPad2d(1)(ourdl.ones(1, 2, 3, 3)).shape)
    [1, 2, 5, 5]
    """

    _dims = 2
    _mode = "replicate"


class ReplicationPad3d(_PadNd):
    """Pads the last 3 dimensions of ``(N, C, D, H, W) or (C, D, H, W)`` with the input's edge repeated.

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.ReplicationPad3d(1)(ourdl.ones(1, 2, 3, 3, 3)).shape)
    [1, 2, 5, 5, 5]
    """

    _dims = 3
    _mode = "replicate"


class CircularPad1d(_PadNd):
    """Pads the last 1 dimension of ``(N, C, W) or (C, W)`` with the input wrapped around.

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.CircularPad1d(1)(ourdl.ones(1, 2, 3)).shape)
    [1, 2, 5]
    """

    _dims = 1
    _mode = "circular"


class CircularPad2d(_PadNd):
    """Pads the last 2 dimensions of ``(N, C, H, W) or (C, H, W)`` with the input wrapped around.

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.CircularPad2d(1)(ourdl.ones(1, 2, 3, 3)).shape)
    [1, 2, 5, 5]
    """

    _dims = 2
    _mode = "circular"


class CircularPad3d(_PadNd):
    """Pads the last 3 dimensions of ``(N, C, D, H, W) or (C, D, H, W)`` with the input wrapped around.

    >>> import ourdl
    >>> from ourdl import nn
    >>> list(nn.CircularPad3d(1)(ourdl.ones(1, 2, 3, 3, 3)).shape)
    [1, 2, 5, 5, 5]
    """

    _dims = 3
    _mode = "circular"
