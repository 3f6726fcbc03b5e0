"""Average pooling over 1-d and 2-d windows: ``avg_pool1d`` and ``avg_pool2d``.

A window's sum is a running sum over the kernel's taps, each tap one strided view of the zero-padded input,
added in PyTorch's order, then divided by PyTorch's divisor: the window's size clipped to the padded input
(``count_include_pad=True``), the number of its elements inside the input (``False``), or ``divisor_override``.
Averaging is linear: its gradient spreads the incoming gradient back over each window, and the derivative of
that spreading is the averaging again, so derivatives of every order work.

>>> import ourdl
>>> avg_pool2d(ourdl.arange(16.0).reshape(1, 4, 4), 2)
tensor([[[ 2.5000,  4.5000],
         [10.5000, 12.5000]]])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..tensor import Tensor
from .pool_arguments import Pooling, as_tuple, check_float, check_rank, padded_extent, window_views

__all__: list[str] = ["avg_pool1d", "avg_pool2d"]


class WindowAverage:
    """The averaging of an input of planes ``(B, H, W)`` over the windows of a pooling, and its adjoint."""

    def __init__(self, pooling: Pooling, out: tuple, plane: tuple, in_shape: tuple, out_shape: tuple,
                 count_include_pad: bool, divisor_override, dtype):
        self.pooling, self.out, self.plane, self.in_shape, self.out_shape = pooling, out, plane, in_shape, out_shape
        self.extents = [padded_extent(n, o, k, s, q, d) for n, o, k, s, q, d in
                        zip(plane, out, pooling.kernel, pooling.stride, pooling.padding, pooling.dilation)]
        if divisor_override is not None:
            self.divisor = np.asarray(divisor_override, dtype=dtype)
        else:
            divisors = [_window_sizes(n, o, k, s, q, count_include_pad) for n, o, k, s, q in
                        zip(plane, out, pooling.kernel, pooling.stride, pooling.padding)]
            self.divisor = np.multiply.outer(*divisors).astype(dtype)

    def average(self, x: np.ndarray) -> np.ndarray:
        """The mean of every window of ``x`` (input-shaped): the output's shape."""
        planes = x.reshape(-1, *self.plane)
        (top, bottom), (left, right) = self.extents
        if top or bottom or left or right:
            height, width = self.plane
            padded = np.zeros((planes.shape[0], top + height + bottom, left + width + right), dtype=x.dtype)
            padded[:, top:top + height, left:left + width] = planes
            planes = padded
        views = window_views(planes, self.out, self.pooling)
        total = next(views).copy()
        for view in views:  # PyTorch's order: row by row, left to right
            total += view
        total /= self.divisor
        return total.reshape(self.out_shape)

    def spread(self, g: np.ndarray) -> np.ndarray:
        """Each window's ``g`` divided by its divisor and added to every element of the window: the input's shape."""
        share = g.reshape(-1, *self.out) / self.divisor
        (top, bottom), (left, right) = self.extents
        height, width = self.plane
        padded = np.zeros((share.shape[0], top + height + bottom, left + width + right), dtype=g.dtype)
        for view in window_views(padded, self.out, self.pooling):
            view += share
        if top or bottom or left or right:
            padded = np.ascontiguousarray(padded[:, top:top + height, left:left + width])
        return padded.reshape(self.in_shape)


def _window_sizes(size: int, out: int, k: int, s: int, p: int, count_include_pad: bool) -> np.ndarray:
    """The divisor of each window along one dimension: PyTorch's clipped window size."""
    start = np.arange(out) * s - p
    end = np.minimum(start + k, size + p)
    if not count_include_pad:
        start, end = np.maximum(start, 0), np.minimum(end, size)
    return np.maximum(end - start, 1)  # a window with no element (never with valid padding) is not divided by zero


class AvgPool2D(ArrayFunction):
    """Average pooling; the gradient spreads back over the windows."""

    @staticmethod
    def forward(ctx, x, average: WindowAverage):
        ctx.average = average
        return average.average(x)

    @staticmethod
    def backward(ctx, g):
        return spread_over_windows(ctx.average, g), None


class AvgPool1D(AvgPool2D):
    """``avg_pool1d``'s node: a 2-d average over planes of one row."""


class SpreadOverWindows(ArrayFunction):
    """The gradient of average pooling as an op; its own gradient is the averaging."""

    @staticmethod
    def forward(ctx, g, average: WindowAverage):
        ctx.average = average
        return average.spread(g)

    @staticmethod
    def backward(ctx, gg):
        return average_windows(ctx.average, gg), None


def spread_over_windows(average: WindowAverage, g):
    """``average.spread(g)``, recorded when ``g`` is a tensor (a gradient being differentiated)."""
    return SpreadOverWindows.apply(g, average) if isinstance(g, Tensor) else average.spread(g)


def average_windows(average: WindowAverage, x):
    """``average.average(x)``, recorded when ``x`` is a tensor."""
    return AvgPool2D.apply(x, average) if isinstance(x, Tensor) else average.average(x)


def _avg_pool(op: str, dims: int, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
              divisor_override):
    check_rank(op, input, dims)
    check_float(op, input)
    if divisor_override is not None:
        if isinstance(divisor_override, (bool, float)) or not isinstance(divisor_override, (int, np.integer)):
            raise TypeError(f"{op}(): argument 'divisor_override' must be int, not {type(divisor_override).__name__}")
        if divisor_override == 0:
            raise RuntimeError(f"{op}(): divisor must be not zero")
    pooling = Pooling.read(op, kernel_size, stride, padding, as_tuple(1, dims, op, "dilation"), ceil_mode, dims)
    out = pooling.output_sizes(tuple(input.shape[-dims:]))
    out_shape = tuple(input.shape[:-dims]) + out
    plane = tuple(input.shape[-2:]) if dims == 2 else (1, input.shape[-1])
    average = WindowAverage(pooling.as_2d(), (1,) * (2 - dims) + out, plane, tuple(input.shape), out_shape,
                            count_include_pad, divisor_override, input._data.dtype)
    return (AvgPool1D if dims == 1 else AvgPool2D).apply(input, average)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override=None):
    """2-d average pooling: :math:`out[n, c, h, w] = \\frac{1}{D_{hw}} \\sum_{i < k_h,\\, j < k_w}
    input[n, c, s_h h - p_h + i, s_w w - p_w + j]` (zero padding).

    ``input`` is ``(N, C, H, W)`` or ``(C, H, W)``, floating; ``kernel_size``, ``stride`` (default:
    ``kernel_size``) and ``padding`` (at most half the kernel) are ints or pairs; ``ceil_mode`` rounds the output
    size up. The divisor :math:`D_{hw}` is ``divisor_override`` if given, else the window's size within the
    padded input (``count_include_pad=True``) or its number of elements inside the input (``False``).

    >>> import ourdl
    >>> x = ourdl.ones(1, 3, 3)
    >>> avg_pool2d(x, 2, padding=1)
    tensor([[[0.2500, 0.5000],
             [0.5000, 1.0000]]])
    >>> avg_pool2d(x, 2, padding=1, count_include_pad=False)
    tensor([[[1., 1.],
             [1., 1.]]])
    """
    return _avg_pool("avg_pool2d", 2, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode: bool = False, count_include_pad: bool = True):
    """1-d average pooling: :math:`out[n, c, l] = \\frac{1}{D_l} \\sum_{i < k} input[n, c, s l - p + i]`.

    ``input`` is ``(N, C, L)`` or ``(C, L)``, floating; arguments as for :func:`avg_pool2d` (ints or 1-tuples).

    >>> import ourdl
    >>> avg_pool1d(ourdl.tensor([[1.0, 2.0, 3.0, 4.0, 5.0]]), 2)
    tensor([[1.5000, 3.5000]])
    """
    return _avg_pool("avg_pool1d", 1, input, kernel_size, stride, padding, ceil_mode, count_include_pad, None)
