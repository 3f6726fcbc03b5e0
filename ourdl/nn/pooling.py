"""Pooling layers: ``MaxPool1d/2d``, ``AvgPool1d/2d``, ``AdaptiveAvgPool1d/2d``, ``AdaptiveMaxPool1d/2d``.

Each is a thin Module over its function in :mod:`ourdl.nn.functional`, with PyTorch's arguments, attributes and
``repr``.

>>> import ourdl
>>> from ourdl import nn
>>> nn.MaxPool2d(2)(ourdl.zeros(8, 6, 28, 28)).shape
ourdl.Size([8, 6, 14, 14])
"""

from __future__ import annotations

from ..ops.adaptive_pooling import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_max_pool1d, adaptive_max_pool2d
from ..ops.avg_pooling import avg_pool1d, avg_pool2d
from ..ops.max_pooling import max_pool1d, max_pool2d
from ..tensor import Tensor
from .module import Module

__all__: list[str] = ["MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d",
                      "AdaptiveMaxPool1d", "AdaptiveMaxPool2d"]


class _MaxPoolNd(Module):
    function = None

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices: bool = False,
                 ceil_mode: bool = False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input: Tensor):
        return type(self).function(input, self.kernel_size, self.stride, self.padding, self.dilation,
                                   ceil_mode=self.ceil_mode, return_indices=self.return_indices)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd):
    """Max pooling over the last dimension of ``(N, C, L)`` or ``(C, L)`` (see :func:`ourdl.nn.functional.max_pool1d`):
    :math:`out[n, c, l] = \\max_{i < k} input[n, c, s l - p + d i]`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.MaxPool1d(2)(ourdl.tensor([[1.0, 3.0, 2.0, 0.0]]))
    tensor([[3., 2.]])
    """

    function = staticmethod(max_pool1d)


class MaxPool2d(_MaxPoolNd):
    """Max pooling over the last two dimensions of ``(N, C, H, W)`` or ``(C, H, W)`` (see
    :func:`ourdl.nn.functional.max_pool2d`): :math:`out[n, c, h, w] = \\max_{i, j} input[n, c, s_h h - p_h + d_h i,
    s_w w - p_w + d_w j]`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.MaxPool2d(3, stride=2, padding=1)
    MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)
    >>> nn.MaxPool2d(2, return_indices=True)(ourdl.arange(4.0).reshape(1, 2, 2))
    (tensor([[[3.]]]), tensor([[[3]]]))
    """

    function = staticmethod(max_pool2d)


class AvgPool1d(Module):
    """Average pooling over the last dimension of ``(N, C, L)`` or ``(C, L)`` (see
    :func:`ourdl.nn.functional.avg_pool1d`): :math:`out[n, c, l] = \\frac{1}{k} \\sum_{i < k} input[n, c, s l - p + i]`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.AvgPool1d(2)
    AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,))
    >>> nn.AvgPool1d(2)(ourdl.tensor([[1.0, 3.0, 2.0, 0.0]]))
    tensor([[2., 1.]])
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False, count_include_pad: bool = True):
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


def _single(value):
    """An int as a 1-tuple (what PyTorch's ``AvgPool1d`` keeps); a sequence as a tuple."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


class AvgPool2d(Module):
    """Average pooling over the last two dimensions of ``(N, C, H, W)`` or ``(C, H, W)`` (see
    :func:`ourdl.nn.functional.avg_pool2d`): :math:`out[n, c, h, w] = \\frac{1}{D} \\sum_{i, j}
    input[n, c, s_h h - p_h + i, s_w w - p_w + j]`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.AvgPool2d(2)(ourdl.arange(4.0).reshape(1, 2, 2))
    tensor([[[1.5000]]])
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False, count_include_pad: bool = True,
                 divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad,
                          self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptivePool(Module):
    function = None

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Tensor):
        return type(self).function(input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePool):
    """Average pooling of ``(N, C, L)`` or ``(C, L)`` to ``output_size`` positions over PyTorch's adaptive windows.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.AdaptiveAvgPool1d(1)(ourdl.tensor([[1.0, 2.0, 6.0]]))
    tensor([[3.]])
    """

    function = staticmethod(adaptive_avg_pool1d)


class AdaptiveAvgPool2d(_AdaptivePool):
    """Average pooling of ``(N, C, H, W)`` or ``(C, H, W)`` to ``output_size`` (an int or a pair; None keeps that
    dimension's size) over PyTorch's adaptive windows.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.AdaptiveAvgPool2d((1, 1))(ourdl.ones(4, 16, 7, 7)).shape
    ourdl.Size([4, 16, 1, 1])
    >>> nn.AdaptiveAvgPool2d((None, 2))
    AdaptiveAvgPool2d(output_size=(None, 2))
    """

    function = staticmethod(adaptive_avg_pool2d)


class _AdaptiveMaxPool(_AdaptivePool):
    def __init__(self, output_size, return_indices: bool = False):
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input: Tensor):
        return type(self).function(input, self.output_size, self.return_indices)


class AdaptiveMaxPool1d(_AdaptiveMaxPool):
    """Max pooling of ``(N, C, L)`` or ``(C, L)`` to ``output_size`` positions over PyTorch's adaptive windows;
    ``return_indices`` also gives the positions of the maxima.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.AdaptiveMaxPool1d(1)(ourdl.tensor([[1.0, 7.0, 6.0]]))
    tensor([[7.]])
    """

    function = staticmethod(adaptive_max_pool1d)


class AdaptiveMaxPool2d(_AdaptiveMaxPool):
    """Max pooling of ``(N, C, H, W)`` or ``(C, H, W)`` to ``output_size`` (an int or a pair; None keeps that
    dimension's size) over PyTorch's adaptive windows; ``return_indices`` also gives the positions of the maxima.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.AdaptiveMaxPool2d(1, return_indices=True)(ourdl.tensor([[[1.0, 7.0], [6.0, 2.0]]]))
    (tensor([[[7.]]]), tensor([[[1]]]))
    """

    function = staticmethod(adaptive_max_pool2d)
