"""Max pooling over 1-d and 2-d windows: ``max_pool1d``, ``max_pool2d`` and their ``*_with_indices`` forms.

The maximum of a window is a running ``np.maximum`` over the kernel's taps, each tap one strided view of the
(padded) input, so a 2x2 pool costs four passes over a quarter of the input. Which element of a window
holds the maximum is PyTorch's choice: the first in row-major order among equals, the last NaN where there is
one (NaN propagates), the first element inside the input where everything is ``-inf``. The gradient goes to
that element alone; it is a scatter that is itself differentiable (its derivative gathers), so second
derivatives work.

>>> import ourdl
>>> x = ourdl.tensor([[[1.0, 2.0, 5.0, 0.0], [3.0, 4.0, 1.0, 1.0]]], requires_grad=True)
>>> max_pool2d(x, 2)
tensor([[[4., 5.]]], grad_fn=<MaxPool2DWithIndicesBackward0>)
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..tensor import Tensor
from .pool_arguments import Pooling, check_rank, padded_extent, window_views

__all__: list[str] = ["max_pool1d", "max_pool2d", "max_pool1d_with_indices", "max_pool2d_with_indices"]


def _fill(dtype: np.dtype):
    """The value that padding holds: smaller than or equal to every element, so never chosen over one."""
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


class Argmax:
    """Where each window's maximum lies, as PyTorch's indices: its position in the flattened input plane (int64, the
    output's shape). Enough to scatter a gradient to the maxima (``scatter``) and to gather from them (``gather``)."""

    def __init__(self, flat: np.ndarray | None, in_shape: tuple, out_shape: tuple, planes: int, plane_size: int):
        self.flat, self.in_shape, self.out_shape, self.planes = flat, in_shape, out_shape, planes
        self.plane_size = plane_size

    def indices(self) -> np.ndarray:
        """PyTorch's indices of the maxima."""
        return self.flat

    def scatter(self, g: np.ndarray) -> np.ndarray:
        """Zeros of the input's shape with each window's gradient added at its maximum (repeats add up)."""
        flat = self.indices().reshape(self.planes, -1)
        where = (flat + np.arange(self.planes).reshape(-1, 1) * self.plane_size).ravel()
        out = np.bincount(where, weights=g.ravel(), minlength=self.planes * self.plane_size)
        return out.astype(g.dtype, copy=False).reshape(self.in_shape)

    def gather(self, gg: np.ndarray) -> np.ndarray:
        """Each window's value of ``gg`` (input-shaped) at its maximum: the output's shape."""
        planes = np.ascontiguousarray(gg).reshape(self.planes, -1)
        flat = self.indices().reshape(self.planes, -1)
        return np.take_along_axis(planes, flat, axis=1).reshape(self.out_shape)


class WindowArgmax(Argmax):
    """:class:`Argmax` of a pooling with a fixed kernel, kept as the tap of each window (a small integer) for an
    input of planes ``(B, H, W)``; the gradient is scattered tap by tap over strided views."""

    def __init__(self, taps: np.ndarray, pooling: Pooling, out: tuple, plane: tuple, in_shape: tuple, out_shape: tuple):
        super().__init__(None, in_shape, out_shape, taps.shape[0], plane[0] * plane[1])
        self.taps, self.pooling, self.out, self.plane = taps, pooling, out, plane

    def indices(self) -> np.ndarray:
        """PyTorch's indices: each maximum's position in its flattened input plane (int64, the output's shape)."""
        if self.flat is None:
            (kh, kw), (sh, sw), (ph, pw), (dh, dw) = (self.pooling.kernel, self.pooling.stride, self.pooling.padding,
                                                      self.pooling.dilation)
            oh, ow = self.out
            taps = self.taps.astype(np.int64)
            rows = np.arange(oh).reshape(-1, 1) * sh - ph + (taps // kw) * dh
            cols = np.arange(ow) * sw - pw + (taps % kw) * dw
            self.flat = (rows * self.plane[1] + cols).reshape(self.out_shape)
        return self.flat

    def scatter(self, g: np.ndarray) -> np.ndarray:
        """Zeros of the input's shape with each window's gradient added at its maximum."""
        (height, width), p = self.plane, self.pooling
        g = g.reshape(self.taps.shape)
        (top, bottom), (left, right) = (padded_extent(n, o, k, s, q, d) for n, o, k, s, q, d in
                                        zip(self.plane, self.out, p.kernel, p.stride, p.padding, p.dilation))
        padded = np.zeros((g.shape[0], top + height + bottom, left + width + right), dtype=g.dtype)
        for tap, view in enumerate(window_views(padded, self.out, p)):
            np.add(view, g, out=view, where=self.taps == tap)
        if top or bottom or left or right:
            padded = np.ascontiguousarray(padded[:, top:top + height, left:left + width])
        return padded.reshape(self.in_shape)


class MaxPool2DWithIndices(ArrayFunction):
    """Max pooling of planes: the maxima, and the :class:`WindowArgmax` kept for the gradient (and the indices)."""

    @staticmethod
    def forward(ctx, x, pooling: Pooling, out: tuple, out_shape: tuple, sink: list | None):
        plane = (1, x.shape[-1]) if len(pooling.kernel) == 1 else x.shape[-2:]
        pooling, out = pooling.as_2d(), (1,) * (2 - len(out)) + out
        values, taps = pool_maxima(x.reshape(-1, *plane), pooling, out, ctx._recording or sink is not None)
        if taps is not None:
            ctx.argmax = WindowArgmax(taps, pooling, out, plane, x.shape, out_shape)
            if sink is not None:
                sink.append(ctx.argmax)
        return values.reshape(out_shape)

    @staticmethod
    def backward(ctx, g):
        return scatter_to_maxima(ctx.argmax, g), None, None, None, None


class MaxPool1DWithIndices(MaxPool2DWithIndices):
    """``max_pool1d``'s node: a 2-d pool over planes of one row."""


class ScatterToMaxima(ArrayFunction):
    """The gradient of max pooling as an op: the incoming gradient placed at each window's maximum."""

    @staticmethod
    def forward(ctx, g, argmax: Argmax):
        ctx.argmax = argmax
        return argmax.scatter(g)

    @staticmethod
    def backward(ctx, gg):
        return gather_at_maxima(ctx.argmax, gg), None


class GatherAtMaxima(ArrayFunction):
    """The derivative of :class:`ScatterToMaxima`: each window's value at its maximum."""

    @staticmethod
    def forward(ctx, gg, argmax: Argmax):
        ctx.argmax = argmax
        return argmax.gather(gg)

    @staticmethod
    def backward(ctx, g):
        return scatter_to_maxima(ctx.argmax, g), None


def scatter_to_maxima(argmax, g):
    """``argmax.scatter(g)``, recorded when ``g`` is a tensor (a gradient being differentiated)."""
    return ScatterToMaxima.apply(g, argmax) if isinstance(g, Tensor) else argmax.scatter(g)


def gather_at_maxima(argmax, gg):
    """``argmax.gather(gg)``, recorded when ``gg`` is a tensor."""
    return GatherAtMaxima.apply(gg, argmax) if isinstance(gg, Tensor) else argmax.gather(gg)


def pool_maxima(planes: np.ndarray, pooling: Pooling, out: tuple, want_taps: bool):
    """The maximum of every window of ``planes`` ``(B, H, W)``, and (if ``want_taps``) the tap that holds it as
    PyTorch chooses (a small-integer array), else None."""
    fill = _fill(planes.dtype)
    (top, bottom), (left, right) = (padded_extent(n, o, k, s, q, d) for n, o, k, s, q, d in
                                    zip(planes.shape[1:], out, pooling.kernel, pooling.stride, pooling.padding,
                                        pooling.dilation))
    padded = planes
    if top or bottom or left or right:
        height, width = planes.shape[1:]
        padded = np.full((planes.shape[0], top + height + bottom, left + width + right), fill, dtype=planes.dtype)
        padded[:, top:top + height, left:left + width] = planes
    views = list(window_views(padded, out, pooling))
    values = views[0].copy()
    for view in views[1:]:
        np.maximum(values, view, out=values)  # NaN propagates, as in PyTorch
    if not want_taps:
        return values, None
    taps = np.full(values.shape, len(views) - 1, dtype=np.int8 if len(views) < 128 else np.int32)
    for tap in range(len(views) - 2, -1, -1):  # backwards, so that the first tap equal to the maximum is kept
        np.copyto(taps, tap, where=views[tap] == values)
    if planes.dtype.kind == "f":
        nan = np.isnan(values)
        if nan.any():  # PyTorch keeps the last NaN of a window
            for tap, view in enumerate(views):
                np.copyto(taps, tap, where=nan & np.isnan(view))
    if padded is not planes:
        lowest = values == fill
        if lowest.any():  # every element is the lowest value: PyTorch's choice is the first inside the input
            np.copyto(taps, _first_inside(pooling, out), where=lowest, casting="unsafe")
    return values, taps


def _first_inside(pooling: Pooling, out: tuple) -> np.ndarray:
    """The tap of each window that is its first element inside the input (``(out_h, out_w)``)."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = pooling.kernel, pooling.stride, pooling.padding, pooling.dilation
    rows = np.maximum(0, -(-(ph - np.arange(out[0]) * sh) // dh))  # ceil((padding - start) / dilation), at least 0
    cols = np.maximum(0, -(-(pw - np.arange(out[1]) * sw) // dw))
    return rows.reshape(-1, 1) * kw + cols


def _max_pool(op: str, dims: int, input, kernel_size, stride, padding, dilation, ceil_mode, want_indices):
    check_rank(op, input, dims)
    if input._data.dtype.kind == "b":
        raise NotImplementedError(f"\"{op}\" not implemented for 'Bool'")
    pooling = Pooling.read(op, kernel_size, stride, padding, dilation, ceil_mode, dims)
    out = pooling.output_sizes(tuple(input.shape[-dims:]))
    out_shape = tuple(input.shape[:-dims]) + out
    sink = [] if want_indices else None
    values = (MaxPool1DWithIndices if dims == 1 else MaxPool2DWithIndices).apply(input, pooling, out, out_shape, sink)
    if not want_indices:
        return values
    return values, Tensor._make(sink[0].indices())


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """2-d max pooling: :math:`out[n, c, h, w] = \\max_{i < k_h,\\, j < k_w} input[n, c, s_h h - p_h + d_h i,
    s_w w - p_w + d_w j]` (padding never chosen).

    ``input`` is ``(N, C, H, W)`` or ``(C, H, W)``; ``kernel_size``, ``stride`` (default: ``kernel_size``),
    ``padding`` (at most half the kernel) and ``dilation`` are ints or pairs. ``ceil_mode`` rounds the output
    size up (the last window starting inside the input or its left padding). With ``return_indices`` also gives
    each maximum's position in its flattened ``H * W`` plane (int64), as ``max_unpool2d`` takes them.

    >>> import ourdl
    >>> x = ourdl.arange(16.0).reshape(1, 1, 4, 4)
    >>> max_pool2d(x, 2)
    tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    >>> max_pool2d(x, 3, stride=1, return_indices=True)[1]
    tensor([[[[10, 11],
              [14, 15]]]])
    """
    return _max_pool("max_pool2d", 2, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
                            return_indices: bool = False):
    """:func:`max_pool2d` that always returns ``(values, indices)``.

    >>> import ourdl
    >>> max_pool2d_with_indices(ourdl.tensor([[[1.0, 3.0], [2.0, 0.0]]]), 2)
    (tensor([[[3.]]]), tensor([[[1]]]))
    """
    return _max_pool("max_pool2d", 2, input, kernel_size, stride, padding, dilation, ceil_mode, True)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
               return_indices: bool = False):
    """1-d max pooling: :math:`out[n, c, l] = \\max_{i < k} input[n, c, s l - p + d i]` (padding never chosen).

    ``input`` is ``(N, C, L)`` or ``(C, L)``; the arguments are ints (or 1-tuples) as for :func:`max_pool2d`.
    With ``return_indices`` also gives each maximum's position along ``L`` (int64).

    >>> import ourdl
    >>> max_pool1d(ourdl.tensor([[1.0, 4.0, 2.0, 3.0, 0.0]]), 2, return_indices=True)
    (tensor([[4., 3.]]), tensor([[1, 3]]))
    """
    return _max_pool("max_pool1d", 1, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode: bool = False,
                            return_indices: bool = False):
    """:func:`max_pool1d` that always returns ``(values, indices)``.

    >>> import ourdl
    >>> max_pool1d_with_indices(ourdl.tensor([[2.0, 1.0, 5.0]]), 3)
    (tensor([[5.]]), tensor([[2]]))
    """
    return _max_pool("max_pool1d", 1, input, kernel_size, stride, padding, dilation, ceil_mode, True)
