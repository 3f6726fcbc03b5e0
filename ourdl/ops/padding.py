"""Padding a tensor's last dimensions (``ourdl.nn.functional.pad``): with a constant, or by reflecting,
replicating or wrapping around its own values, as PyTorch's ``F.pad``.

``pad`` lists ``(before, after)`` pairs from the last dimension backwards; a negative amount cuts instead.
A constant pad is its own adjoint with the amounts negated; the other modes read each output entry from one
input index along each padded dimension, and their gradient adds each entry back where it was read from.

>>> import ourdl
>>> import ourdl.nn.functional as F
>>> x = ourdl.tensor([[[1.0, 2.0, 3.0]]])
>>> F.pad(x, (2, 1), mode="reflect")
tensor([[[3., 2., 1., 2., 3., 2.]]])
"""

from __future__ import annotations

import numbers

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..tensor import Tensor
from .tensor_argument import require_tensor

__all__: list[str] = []
MODES = ("constant", "reflect", "replicate", "circular")


class ConstantPad(ArrayFunction):
    """``x`` with ``value`` around it (``widths``: ``(before, after)`` per dimension, negative cuts); the
    gradient is ``g`` with the widths negated (the inside taken back out)."""

    @staticmethod
    def forward(ctx, x, widths, value):
        ctx.widths = widths
        return _constant_pad(x, widths, value)

    @staticmethod
    def backward(ctx, g):
        back = tuple((-lo, -hi) for lo, hi in ctx.widths)
        if isinstance(g, Tensor):
            return ConstantPad.apply(g, back, 0), None, None
        return _constant_pad(g, back, 0), None, None


def _constant_pad(x: np.ndarray, widths, value) -> np.ndarray:
    shape = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape, widths))
    out = np.full(shape, value, dtype=x.dtype) if value else np.zeros(shape, dtype=x.dtype)
    source = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for n, (lo, hi) in zip(x.shape, widths))
    target = tuple(slice(max(lo, 0), m - max(hi, 0)) for m, (lo, hi) in zip(shape, widths))
    out[target] = x[source]
    return out


def _source_index(n: int, lo: int, hi: int, mode: str) -> np.ndarray:
    """For each output position along a dimension of length ``n``, the input position ``mode`` reads."""
    i = np.arange(-lo, n + hi)
    if mode == "reflect":
        i = np.abs(i)
        return np.where(i > n - 1, 2 * (n - 1) - i, i)
    if mode == "replicate":
        return np.clip(i, 0, n - 1)
    # the wrap is over what remains after any cut, as PyTorch's
    cut_lo, kept = max(-lo, 0), n - max(-lo, 0) - max(-hi, 0)
    return cut_lo + (np.arange(n + lo + hi) - max(lo, 0)) % kept


class IndexPad(ArrayFunction):
    """Each output entry read from the input at ``indices[d]`` along each padded dimension ``d``
    (``indices``: ``(axis, index, before)`` per dimension); the gradient is :class:`IndexPadAdjoint`."""

    @staticmethod
    def forward(ctx, x, indices):
        ctx.indices, ctx.shape = indices, x.shape
        for axis, index, _ in indices:
            x = np.take(x, index, axis=axis)
        return x

    @staticmethod
    def backward(ctx, g):
        if isinstance(g, Tensor):
            return IndexPadAdjoint.apply(g, ctx.indices, ctx.shape), None
        return _scatter(g, ctx.indices, ctx.shape), None


class IndexPadAdjoint(ArrayFunction):
    """The adjoint of :class:`IndexPad`: each entry of ``g`` added to the input position it was read from."""

    @staticmethod
    def forward(ctx, g, indices, shape):
        ctx.indices = indices
        return _scatter(g, indices, shape)

    @staticmethod
    def backward(ctx, h):
        if isinstance(h, Tensor):
            return IndexPad.apply(h, ctx.indices), None, None
        return IndexPad.forward(ctx, h, ctx.indices), None, None


def _scatter(g: np.ndarray, indices, shape) -> np.ndarray:
    """:math:`x_i = \\sum_{j: \\text{index}_j = i} g_j` along each padded axis, last padded axis first."""
    for axis, index, lo in reversed(indices):
        n = shape[axis]
        out = np.zeros(g.shape[:axis] + (n,) + g.shape[axis + 1:], dtype=g.dtype)
        lead = (slice(None),) * axis
        # the positions inside the input (index j - lo) are one slice add; the few outside are added one by one
        start, stop = max(lo, 0), min(lo + n, len(index))
        if start < stop:
            out[lead + (slice(start - lo, stop - lo),)] += g[lead + (slice(start, stop),)]
        for j in (*range(start), *range(max(stop, start), len(index))):
            out[lead + (index[j],)] += g[lead + (j,)]
        g = out
    return g


def pad(input, pad, mode: str = "constant", value=None):
    """Pad the last ``len(pad) // 2`` dimensions of ``input``: ``pad = (left, right, top, bottom, ...)`` from
    the last dimension backwards. ``mode``: ``'constant'`` (``value``, default 0; any number of dimensions,
    negative amounts cut), ``'reflect'`` (mirrored about the edge, the edge not repeated: each amount less than
    the dimension), ``'replicate'`` (the edge repeated), ``'circular'`` (wrapped around); the last three pad the
    last 1, 2 or 3 dimensions of a batched or unbatched input.

    >>> import ourdl
    >>> import ourdl.nn.functional as F
    >>> F.pad(ourdl.tensor([[1.0, 2.0]]), (1, 1), value=9.0)
    tensor([[9., 1., 2., 9.]])
    >>> F.pad(ourdl.tensor([[1.0, 2.0, 3.0]]), (1, 2), mode="circular")
    tensor([[3., 1., 2., 3., 1., 2.]])
    """
    require_tensor(input, "pad")
    widths = tuple(pad) if isinstance(pad, (tuple, list)) else None
    if widths is None:
        raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, not {type(pad).__name__}")
    for k, w in enumerate(widths):
        if not isinstance(w, numbers.Integral) or isinstance(w, bool):
            raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type "
                            f"{type(w).__name__} at pos {k}")
    if len(widths) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(widths) > 2 * input.ndim:
        raise RuntimeError(f"Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(widths)} and input of dimension {input.ndim}")
    if mode not in MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}; use one of {', '.join(MODES)}")
    k = len(widths) // 2
    pairs = tuple((int(widths[2 * (k - 1 - i)]), int(widths[2 * (k - 1 - i) + 1])) for i in range(k))
    dims = tuple(range(input.ndim - k, input.ndim))
    if mode == "constant":
        for d, (lo, hi) in zip(dims, pairs):
            if input.shape[d] + lo + hi < 0:
                raise RuntimeError(f"pad: the amounts ({lo}, {hi}) cut more than the {input.shape[d]} entries of "
                                   f"dimension {d} of input {list(input.shape)}")
        return ConstantPad.apply(input, ((0, 0),) * (input.ndim - k) + pairs, 0 if value is None else value)
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    if not 1 <= k <= 3 or input.ndim not in (k + 1, k + 2):
        raise NotImplementedError(f"Padding size {len(widths)} is not supported for {input.ndim}D input tensor.")
    for d, (lo, hi) in zip(dims, pairs):
        n = input.shape[d]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({lo}, {hi}) at dimension {d} of input {list(input.shape)}")
        kept = n - max(-lo, 0) - max(-hi, 0)  # what remains after cuts, which the wrap goes around
        if mode == "circular" and (lo > kept or hi > kept):
            raise RuntimeError(f"Padding value causes wrapping around more than once: padding ({lo}, {hi}) at "
                               f"dimension {d} of input {list(input.shape)}")
        if n == 0:
            raise RuntimeError(f"pad: mode '{mode}' needs non-empty padded dimensions, but got input of size "
                               f"{list(input.shape)}")
    indices = tuple((d, _source_index(input.shape[d], lo, hi, mode), lo) for d, (lo, hi) in zip(dims, pairs))
    return IndexPad.apply(input, indices)
