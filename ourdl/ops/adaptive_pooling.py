"""Adaptive pooling: ``adaptive_avg_pool1d/2d`` and ``adaptive_max_pool1d/2d``, pooling to a given output size.

Output position ``o`` of ``n`` along a dimension of length ``L`` pools the elements
:math:`\\lfloor oL/n \\rfloor \\le i < \\lceil (o+1)L/n \\rceil` (PyTorch's windows: they may overlap, and differ
in size by one). The average is taken one dimension at a time, its gradient spread back the same way; the
maximum takes PyTorch's element among ties and NaN, as in :mod:`~ourdl.ops.max_pooling`.

>>> import ourdl
>>> adaptive_avg_pool2d(ourdl.arange(9.0).reshape(1, 3, 3), 2)
tensor([[[2., 3.],
         [5., 6.]]])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..tensor import Tensor
from .linear_maps import LinearMap, adjoint
from .max_pooling import Argmax
from .pool_arguments import check_float
from .tensor_argument import require_tensor

__all__: list[str] = ["adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d",
                      "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices"]


def _bounds(size: int, out: int) -> tuple:
    """The first and one-past-last element of each of ``out`` windows over ``size`` elements."""
    o = np.arange(out)
    return o * size // out, -(-(o + 1) * size // out)


def _along(axis: int, start: int, stop: int) -> tuple:
    return (slice(None),) * axis + (slice(start, stop),)


class AdaptiveAverage:
    """The mean over PyTorch's adaptive windows along the last ``len(out)`` dimensions, and its adjoint."""

    def __init__(self, in_shape: tuple, out_shape: tuple, dims: int):
        self.in_shape, self.out_shape = in_shape, out_shape
        self.axes = range(len(in_shape) - dims, len(in_shape))
        self.bounds = [_bounds(in_shape[a], out_shape[a]) for a in self.axes]
        uniform = all(out_shape[a] and in_shape[a] % out_shape[a] == 0 for a in self.axes)
        self.kernel = tuple(in_shape[a] // out_shape[a] for a in self.axes) if uniform else None

    def _blocked(self, kernel=None) -> tuple:
        """The input's shape with each pooled dimension split into (windows, window size or ``kernel``)."""
        lead = self.in_shape[:len(self.in_shape) - len(self.kernel)]
        split = [(self.out_shape[a], kernel or k) for a, k in zip(self.axes, self.kernel)]
        return lead + tuple(n for pair in split for n in pair)

    @np.errstate(invalid="ignore", over="ignore")  # inf - inf is NaN, as in PyTorch, silently
    def apply(self, x: np.ndarray) -> np.ndarray:
        """The mean of every window of ``x`` (input-shaped): the output's shape."""
        if 0 in self.out_shape:
            return np.zeros(self.out_shape, dtype=x.dtype)
        if self.kernel is not None:  # equal windows side by side: one reduction over a reshaped view
            blocks = x.reshape(self._blocked())
            total = np.add.reduce(blocks, axis=tuple(range(-2 * len(self.kernel) + 1, 0, 2)))
            return (total / x.dtype.type(np.prod(self.kernel))).reshape(self.out_shape)
        for axis, (starts, stops) in zip(self.axes, self.bounds):
            counts = (stops - starts).reshape((-1,) + (1,) * (x.ndim - 1 - axis)).astype(x.dtype)
            sums = [np.add.reduce(x[_along(axis, s, e)], axis=axis, keepdims=True) for s, e in zip(starts, stops)]
            x = np.concatenate(sums, axis=axis) / counts
        return x

    @np.errstate(invalid="ignore", over="ignore")  # inf - inf is NaN, as in PyTorch, silently
    def adjoint(self, g: np.ndarray) -> np.ndarray:
        """Each window's ``g`` divided by its size and added to every element of the window: the input's shape."""
        if 0 in self.out_shape:
            return np.zeros(self.in_shape, dtype=g.dtype)
        if self.kernel is not None:
            share = (g / g.dtype.type(np.prod(self.kernel))).reshape(self._blocked(1))
            return np.broadcast_to(share, self._blocked()).reshape(self.in_shape)
        for axis, (starts, stops) in zip(reversed(self.axes), reversed(self.bounds)):
            share = g / (stops - starts).reshape((-1,) + (1,) * (g.ndim - 1 - axis)).astype(g.dtype)
            shape = g.shape[:axis] + (self.in_shape[axis],) + g.shape[axis + 1:]
            spread = np.zeros(shape, dtype=g.dtype)
            for o, (s, e) in enumerate(zip(starts, stops)):
                spread[_along(axis, s, e)] += share[_along(axis, o, o + 1)]
            g = spread
        return g


class AdaptiveAvgPool2D(LinearMap):
    """Adaptive average pooling (2-d); the gradient spreads back over the windows."""


class AdaptiveAvgPool1D(LinearMap):
    """Adaptive average pooling (1-d)."""


class AdaptiveMaxPool2D(ArrayFunction):
    """Adaptive max pooling: the maxima, and the :class:`~ourdl.ops.max_pooling.Argmax` kept for the gradient."""

    @staticmethod
    def forward(ctx, x, out: tuple, sink: list | None):
        plane = x.shape[-len(out):]
        planes = x.reshape(-1, int(np.prod(plane)))
        values, flat = _adaptive_maxima(planes, plane, out)
        out_shape = x.shape[:-len(out)] + out
        ctx.argmax = Argmax(flat.reshape(out_shape), x.shape, out_shape, planes.shape[0], planes.shape[1])
        if sink is not None:
            sink.append(ctx.argmax)
        return values.reshape(out_shape)

    @staticmethod
    def backward(ctx, g):
        return adjoint(ctx.argmax, g), None, None


class AdaptiveMaxPool1D(AdaptiveMaxPool2D):
    """Adaptive max pooling (1-d)."""


def _adaptive_maxima(planes: np.ndarray, plane: tuple, out: tuple) -> tuple:
    """The maximum of each adaptive window of flattened ``planes`` ``(B, prod(plane))`` and its flat index.

    Tap ``i`` of a window along a dimension is its element ``start + i``, clamped to the window's last element (a
    repeat never changes the maximum nor PyTorch's choice among ties); the taps run in row-major order."""
    if 0 in out or planes.shape[0] == 0:
        return np.zeros((planes.shape[0], int(np.prod(out))), planes.dtype), np.zeros((planes.shape[0], 0), np.int64)
    ranges = [_bounds(n, o) for n, o in zip(plane, out)]
    widths = [int((e - s).max()) for s, e in ranges]
    grids = [np.minimum(s[:, None] + np.arange(w), e[:, None] - 1) for (s, e), w in zip(ranges, widths)]
    if len(plane) == 1:
        taps = [grids[0][:, i] for i in range(widths[0])]
    else:
        taps = [grids[0][:, i, None] * plane[1] + grids[1][None, :, j]
                for i in range(widths[0]) for j in range(widths[1])]
    views = [planes[:, t.ravel()] for t in taps]
    values = views[0].copy()
    for view in views[1:]:
        np.maximum(values, view, out=values)  # NaN propagates, as in PyTorch
    flat = np.broadcast_to(taps[-1].ravel(), values.shape).copy()
    for tap, view in zip(taps[-2::-1], views[-2::-1]):  # backwards: the first tap equal to the maximum is kept
        np.copyto(flat, tap.ravel(), where=view == values)
    if planes.dtype.kind == "f":
        nan = np.isnan(values)
        if nan.any():  # PyTorch keeps the last NaN of a window
            for tap, view in zip(taps, views):
                np.copyto(flat, tap.ravel(), where=nan & np.isnan(view))
    return values, flat


def _output_size(op: str, input, output_size, dims: int) -> tuple:
    """``output_size`` (an int, or ``dims`` ints or None for the input's size) as ints, after PyTorch's checks."""
    require_tensor(input, op)
    if input.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(f"{op}(): Expected {dims + 1}D or {dims + 2}D tensor, but got: {list(input.shape)}")
    for axis in range(1 if input.ndim == dims + 2 else 0, input.ndim):
        if input.shape[axis] == 0:
            raise RuntimeError(f"{op}(): Expected input to have non-zero size for non-batch dimensions, but input has "
                               f"sizes {list(input.shape)} with dimension {axis} being empty")
    sizes = (output_size,) * dims if output_size is None or isinstance(output_size, (int, np.integer)) else output_size
    if isinstance(sizes, bool) or not isinstance(sizes, (tuple, list)) or len(sizes) != dims:
        raise ValueError(f"{op}(): output_size must be an int or a tuple of {dims} ints (or None), got {output_size!r}")
    spatial = input.shape[-dims:]
    result = []
    for size, n in zip(sizes, spatial):
        if size is None:
            size = n
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
            raise TypeError(f"{op}(): output_size must hold ints or None, got {output_size!r}")
        if size < 0:
            raise RuntimeError(f"{op}(): elements of output_size must be greater than or equal to 0 but received "
                               f"{output_size!r}")
        result.append(int(size))
    return tuple(result)


def _adaptive_avg(op: str, dims: int, input, output_size):
    out = _output_size(op, input, output_size, dims)
    check_float(op, input)
    out_shape = tuple(input.shape[:-dims]) + out
    average = AdaptiveAverage(tuple(input.shape), out_shape, dims)
    return (AdaptiveAvgPool1D if dims == 1 else AdaptiveAvgPool2D).apply(input, average)


def _adaptive_max(op: str, dims: int, input, output_size, want_indices: bool):
    out = _output_size(op, input, output_size, dims)
    if input._data.dtype.kind != "f":
        check_float(op, input)
    sink = [] if want_indices else None
    values = (AdaptiveMaxPool1D if dims == 1 else AdaptiveMaxPool2D).apply(input, out, sink)
    return (values, Tensor._make(sink[0].indices())) if want_indices else values


def adaptive_avg_pool2d(input, output_size):
    """2-d adaptive average pooling: the mean of each of PyTorch's adaptive windows,
    :math:`out[h, w] = \\operatorname{mean} input[\\lfloor hH/H_{out} \\rfloor : \\lceil (h+1)H/H_{out} \\rceil,
    \\lfloor wW/W_{out} \\rfloor : \\lceil (w+1)W/W_{out} \\rceil]`.

    ``input`` is ``(N, C, H, W)`` or ``(C, H, W)``, floating; ``output_size`` an int or a pair whose entries may be
    None (keep the input's size).

    >>> import ourdl
    >>> adaptive_avg_pool2d(ourdl.ones(2, 8, 5, 5), 1).shape
    ourdl.Size([2, 8, 1, 1])
    >>> adaptive_avg_pool2d(ourdl.arange(6.0).reshape(1, 2, 3), (1, None))
    tensor([[[1.5000, 2.5000, 3.5000]]])
    """
    return _adaptive_avg("adaptive_avg_pool2d", 2, input, output_size)


def adaptive_avg_pool1d(input, output_size):
    """1-d adaptive average pooling over the last dimension of ``(N, C, L)`` or ``(C, L)``:
    :math:`out[l] = \\operatorname{mean} input[\\lfloor lL/L_{out} \\rfloor : \\lceil (l+1)L/L_{out} \\rceil]`.

    >>> import ourdl
    >>> adaptive_avg_pool1d(ourdl.tensor([[1.0, 2.0, 3.0, 4.0, 5.0]]), 2)
    tensor([[2., 4.]])
    """
    return _adaptive_avg("adaptive_avg_pool1d", 1, input, output_size)


def adaptive_max_pool2d(input, output_size, return_indices: bool = False):
    """2-d adaptive max pooling: the maximum of each of PyTorch's adaptive windows (see
    :func:`adaptive_avg_pool2d`); with ``return_indices`` also its position in the flattened ``H * W`` plane.

    >>> import ourdl
    >>> adaptive_max_pool2d(ourdl.arange(9.0).reshape(1, 3, 3), 2, return_indices=True)
    (tensor([[[4., 5.],
             [7., 8.]]]), tensor([[[4, 5],
             [7, 8]]]))
    """
    return _adaptive_max("adaptive_max_pool2d", 2, input, output_size, return_indices)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices: bool = False):
    """:func:`adaptive_max_pool2d` that always returns ``(values, indices)``.

    >>> import ourdl
    >>> adaptive_max_pool2d_with_indices(ourdl.tensor([[[1.0, 3.0], [2.0, 0.0]]]), 1)
    (tensor([[[3.]]]), tensor([[[1]]]))
    """
    return _adaptive_max("adaptive_max_pool2d", 2, input, output_size, True)


def adaptive_max_pool1d(input, output_size, return_indices: bool = False):
    """1-d adaptive max pooling over the last dimension of ``(N, C, L)`` or ``(C, L)``; with ``return_indices``
    also the position of each maximum along ``L``.

    >>> import ourdl
    >>> adaptive_max_pool1d(ourdl.tensor([[1.0, 5.0, 3.0, 4.0, 2.0]]), 2)
    tensor([[5., 4.]])
    """
    return _adaptive_max("adaptive_max_pool1d", 1, input, output_size, return_indices)


def adaptive_max_pool1d_with_indices(input, output_size, return_indices: bool = False):
    """:func:`adaptive_max_pool1d` that always returns ``(values, indices)``.

    >>> import ourdl
    >>> adaptive_max_pool1d_with_indices(ourdl.tensor([[1.0, 5.0, 3.0]]), 1)
    (tensor([[5.]]), tensor([[1]]))
    """
    return _adaptive_max("adaptive_max_pool1d", 1, input, output_size, True)
