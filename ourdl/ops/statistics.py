"""Statistics along dimensions: medians, quantiles, modes, cumulative and NaN-aware reductions, counts and histograms.

Each public function here is in ``__all__`` (exported as ``ourdl.<name>``); those in ``METHODS``
are Tensor methods too.

Order statistics (median, mode, quantile, cummax/cummin) pick elements of the input with
:mod:`ourdl.ops.gathering`, so their gradient goes back to the picked positions and is itself
differentiable. The NaN-aware reductions are compositions of differentiable ops.

>>> import ourdl
>>> x = ourdl.tensor([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]], requires_grad=True)
>>> ourdl.median(x, dim=1)
ourdl.return_types.median(values=tensor([2., 4.], grad_fn=<MedianBackward0>), indices=tensor([2, 0]))
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..dims import check_dim
from ..tensor import Tensor
from . import dual
from .gathering import _coords, _order, _picker
from .reductions import normalize_dims, return_type

__all__: list[str] = ["cumprod", "cummax", "cummin", "logcumsumexp", "diff", "median", "nanmedian", "mode",
                      "quantile", "nanmean", "nansum", "std_mean", "var_mean", "aminmax", "count_nonzero", "bincount",
                      "histc", "searchsorted", "bucketize"]
METHODS: list[str] = ["cumprod", "cummax", "cummin", "logcumsumexp", "diff", "median", "nanmedian", "mode",
                      "quantile", "nanmean", "nansum", "aminmax", "count_nonzero", "bincount", "histc"]

Median = _picker("Median", "The value of ``median`` along a dimension.")
Nanmedian = _picker("Nanmedian", "The value of ``nanmedian`` along a dimension.")
Mode = _picker("Mode", "The value of ``mode``.")
Cummax = _picker("Cummax", "The values of ``cummax``.")
Cummin = _picker("Cummin", "The values of ``cummin``.")


median_result, nanmedian_result, mode_result = return_type("median"), return_type("nanmedian"), return_type("mode")
cummax_result, cummin_result = return_type("cummax"), return_type("cummin")
aminmax_result = return_type("aminmax", ("min", "max"))


def _along_last(t, axis: int):
    """``t`` (array or tensor) with a size-1 dimension inserted after ``axis``."""
    return t.unsqueeze(axis + 1) if isinstance(t, Tensor) else np.expand_dims(t, axis + 1)


def _upper(n: int, axis: int, ndim: int) -> np.ndarray:
    """``mask[i, j] = j >= i`` in dimensions ``axis`` and ``axis + 1`` of an array of ``ndim + 1`` dimensions."""
    mask = np.triu(np.ones((n, n), dtype=bool))
    return mask.reshape((1,) * axis + (n, n) + (1,) * (ndim - axis - 1))


# -- cumulative ---------------------------------------------------------------------------------------

class CumProd(Function):
    """Running product; the gradient is exact with zeros in the input (products of the other factors)."""

    @staticmethod
    def forward(ctx, x, axis):
        ctx.axis = axis
        ctx.save_for_backward(x)
        return np.cumprod(x, axis=axis, dtype=np.int64 if x.dtype.kind in "biu" else None)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        axis, n = ctx.axis, x.shape[ctx.axis]
        if not isinstance(x, Tensor) and np.all(x != 0):
            y = np.cumprod(x, axis=axis)
            return np.flip(np.cumsum(np.flip(g * y, axis), axis=axis), axis) / x, None
        # d y_j / d x_i = prod_{k <= j, k != i} x_k for j >= i: one product per (i, j) pair, zeros included.
        upper = _upper(n, axis, x.ndim)
        k = np.arange(n)
        factor = (k[None, None, :] <= k[None, :, None]) & (k[None, None, :] != k[:, None, None])  # [i, j, k]
        factor = factor.reshape((1,) * axis + (n, n, n) + (1,) * (x.ndim - axis - 1))
        xk = x.unsqueeze(axis).unsqueeze(axis) if isinstance(x, Tensor) else x[(slice(None),) * axis + (None, None)]
        picked = dual.where(factor, xk, 1.0)
        partial = picked.prod(axis + 2) if isinstance(picked, Tensor) else np.prod(picked, axis=axis + 2)
        gj = g.unsqueeze(axis) if isinstance(g, Tensor) else np.expand_dims(g, axis)
        return dual.reduce_sum(dual.where(upper, partial * gj, 0.0), axis + 1), None


def cumprod(input, dim, *, dtype=None):
    """Running product along ``dim``: :math:`y_i = \\prod_{j \\le i} x_j`; integers and bools give int64.

    The gradient :math:`\\partial L / \\partial x_i = \\sum_{j \\ge i} g_j \\prod_{k \\le j, k \\ne i} x_k`
    is exact also where the input has zeros.

    >>> import ourdl
    >>> ourdl.cumprod(ourdl.tensor([1.0, 2.0, 0.0, 4.0]), dim=0)
    tensor([1., 2., 0., 0.])
    """
    if dtype is not None:
        input = input.to(dtype)
    axis = check_dim(dim, input.ndim, "cumprod")
    if input.ndim == 0:
        return CumProd.apply(input.reshape(1), 0).reshape(())
    return CumProd.apply(input, axis)


def _cumulative_extreme(op: str, input, dim, better, picker, result_cls):
    axis = check_dim(dim, input.ndim, op)
    x = input.reshape(1) if input.ndim == 0 else input
    data = np.moveaxis(x._data, axis, -1)
    index = np.zeros(data.shape, dtype=np.int64)
    if data.shape[-1]:
        best, best_index = data[..., 0].copy(), np.zeros(data.shape[:-1], dtype=np.int64)
        for i in range(data.shape[-1]):
            v = data[..., i]
            with np.errstate(invalid="ignore"):
                take = better(v, best) & ~np.isnan(best) if data.dtype.kind == "f" else better(v, best)
            if data.dtype.kind == "f":
                take |= np.isnan(v)
            best = np.where(take, v, best)
            best_index = np.where(take, i, best_index)
            index[..., i] = best_index
    index = np.moveaxis(index, -1, axis)
    values = picker.apply(x, _coords(x.shape, axis, index))
    if input.ndim == 0:
        return result_cls(values.reshape(()), Tensor._make(index.reshape(())))
    return result_cls(values, Tensor._make(index))


def cummax(input, dim):
    """``(values, indices)``: the running maximum along ``dim`` and where it was reached (the last position
    among equal values; NaN, once met, stays). The gradient goes to those positions.

    >>> import ourdl
    >>> ourdl.cummax(ourdl.tensor([1.0, 3.0, 2.0, 3.0]), dim=0)
    ourdl.return_types.cummax(values=tensor([1., 3., 3., 3.]), indices=tensor([0, 1, 1, 3]))
    """
    return _cumulative_extreme("cummax", input, dim, np.greater_equal, Cummax, cummax_result)


def cummin(input, dim):
    """``(values, indices)``: the running minimum along ``dim`` and where it was reached (the last position
    among equal values; NaN, once met, stays).

    >>> import ourdl
    >>> ourdl.cummin(ourdl.tensor([3.0, 1.0, 2.0, 1.0]), dim=0)
    ourdl.return_types.cummin(values=tensor([3., 1., 1., 1.]), indices=tensor([0, 1, 1, 3]))
    """
    return _cumulative_extreme("cummin", input, dim, np.less_equal, Cummin, cummin_result)


class LogCumSumExp(Function):
    @staticmethod
    def forward(ctx, x, axis):
        ctx.axis = axis
        with np.errstate(invalid="ignore"):
            y = np.logaddexp.accumulate(x, axis=axis)  # y_i = log(e^{y_{i-1}} + e^{x_i}): no overflow, no underflow
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        axis = ctx.axis
        upper = _upper(x.shape[axis], axis, x.ndim)
        gj, yj = (t.unsqueeze(axis) if isinstance(t, Tensor) else np.expand_dims(t, axis) for t in (g, y))
        with np.errstate(invalid="ignore", over="ignore"):
            terms = dual.where(upper, gj * np.exp(_along_last(x, axis) - yj), 0.0)
        return dual.reduce_sum(terms, axis + 1), None


def logcumsumexp(input, dim):
    """Running :math:`y_i = \\log \\sum_{j \\le i} e^{x_j}` along ``dim``, computed without overflow.

    The gradient is :math:`\\partial L / \\partial x_i = \\sum_{j \\ge i} g_j e^{x_i - y_j}`.

    >>> import ourdl
    >>> ourdl.logcumsumexp(ourdl.tensor([0.0, 0.0, 1000.0]), dim=0)
    tensor([0.0000e+00, 6.9315e-01, 1.0000e+03])
    """
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"logcumsumexp: expected a floating point tensor, got {input.dtype.name}; "
                           "convert with .float() first")
    axis = check_dim(dim, input.ndim, "logcumsumexp")
    if input.ndim == 0:
        return LogCumSumExp.apply(input.reshape(1), 0).reshape(())
    return LogCumSumExp.apply(input, axis)


def diff(input, n: int = 1, dim: int = -1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim``: :math:`y_i = x_{i+1} - x_i`, applied ``n`` times
    (for bools, :math:`x_{i+1} \\ne x_i`), after ``prepend`` and ``append`` are joined on.

    >>> import ourdl
    >>> ourdl.diff(ourdl.tensor([1.0, 4.0, 9.0, 16.0]), n=2)
    tensor([2., 2.])
    """
    from .shape import cat

    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if not isinstance(n, int) or n < 0:
        raise RuntimeError(f"diff expects n to be non-negative, got n={n}")
    axis = check_dim(dim, input.ndim, "diff")
    if n == 0:  # PyTorch: the input itself, prepend and append left out
        return input
    parts = []
    for name, extra in (("prepend", prepend), (None, input), ("append", append)):
        if extra is None:
            continue
        if not isinstance(extra, Tensor):
            raise TypeError(f"diff(): argument '{name}' must be a Tensor, not {type(extra).__name__}")
        if extra.ndim != input.ndim:
            raise RuntimeError(f"diff expects {name} {list(extra.shape)} to have the input's number of dimensions "
                               f"({input.ndim}, input {list(input.shape)})")
        parts.append(extra)
    x = cat(parts, dim=axis) if len(parts) > 1 else input
    before = (slice(None),) * axis
    for _ in range(n):
        if x.shape[axis] == 0:
            break
        later, earlier = x[before + (slice(1, None),)], x[before + (slice(None, -1),)]
        x = (later != earlier) if x.dtype.name == "bool" else later - earlier
    return x


# -- order statistics -------------------------------------------------------------------------------------

class _EvenlyShared(Function):
    """One element of the whole tensor; its gradient is shared evenly among the elements equal to it
    (NaN counts as equal to NaN), as PyTorch's ``median()`` without ``dim``."""

    @staticmethod
    def forward(ctx, x, value):
        hit = (x == value) | (np.isnan(x) & np.isnan(value)) if x.dtype.kind == "f" else x == value
        ctx.share = hit / np.asarray(hit.sum(), dtype=x.dtype)
        return np.asarray(value, dtype=x.dtype)

    @staticmethod
    def backward(ctx, g):
        return g * ctx.share, None


def _median_positions(sorted_data, nan_count, ignore_nan: bool):
    """The sorted position of the (lower) median of each row; NaN rows give the first NaN (median)."""
    n = sorted_data.shape[-1]
    valid = n - nan_count
    if ignore_nan:
        return np.maximum(valid - 1, 0) // 2
    return np.where(nan_count > 0, valid, (n - 1) // 2)


def _median(op: str, input, dim, keepdim, ignore_nan, picker, result_cls):
    if input.dtype.name == "bool":
        raise RuntimeError(f"{op}(): not implemented for bool tensors (as in PyTorch)")
    if dim is None:
        if input.numel() == 0:
            return Tensor._make(np.asarray(np.nan, dtype=input._data.dtype)) if input.dtype.is_floating_point else \
                _empty_error(op, input)
        flat = input._data.reshape(-1)
        s = np.sort(flat, kind="stable")
        nans = np.isnan(s).sum() if flat.dtype.kind == "f" else 0
        value = s[int(_median_positions(s[None], np.asarray([nans]), ignore_nan)[0])]
        return _EvenlyShared.apply(input, value)
    axis = check_dim(dim, input.ndim, op)
    x = input.reshape(1) if input.ndim == 0 else input
    if x.shape[axis] == 0:
        raise IndexError(f"{op}(): Expected reduction dim {axis} to have non-zero size (input {list(input.shape)}).")
    order = np.moveaxis(_order(x._data, axis, False), axis, -1)
    data = np.moveaxis(x._data, axis, -1)
    s = np.take_along_axis(data, order, axis=-1)
    nans = np.isnan(s).sum(-1) if s.dtype.kind == "f" else np.zeros(s.shape[:-1], dtype=np.int64)
    k = _median_positions(s, nans, ignore_nan)
    index = np.take_along_axis(order, k[..., None], axis=-1).astype(np.int64)
    index = np.moveaxis(index, -1, axis)
    return _picked(result_cls, picker, input, x, axis, index, keepdim)


def _picked(result_cls, picker, input, x, axis, index, keepdim):
    """``(values, indices)`` of ``x`` at ``index`` (size 1 along ``axis``), ``axis`` dropped unless ``keepdim``."""
    if not keepdim or input.ndim == 0:
        coords = tuple(np.squeeze(c, axis) for c in np.broadcast_arrays(*_coords(x.shape, axis, index)))
        index = np.squeeze(index, axis)
    else:
        coords = _coords(x.shape, axis, index)
    values = picker.apply(x, coords)
    if input.ndim == 0:
        return result_cls(values.reshape(()), Tensor._make(index.reshape(())))
    return result_cls(values, Tensor._make(index))


def _empty_error(op, input):
    raise IndexError(f"{op}(): Expected reduction dim to have non-zero size (input {list(input.shape)}).")


def median(input, dim=None, keepdim: bool = False):
    """The median: the lower of the two middle values for an even count (no averaging); NaN if any
    element is NaN.

    Without ``dim``, one value of the whole tensor, its gradient shared evenly among the elements
    equal to it. With ``dim``, ``(values, indices)`` along it; the gradient goes to the index.

    >>> import ourdl
    >>> ourdl.median(ourdl.tensor([4.0, 1.0, 3.0, 2.0]))
    tensor(2.)
    """
    return _median("median", input, dim, keepdim, False, Median, median_result)


def nanmedian(input, dim=None, keepdim: bool = False):
    """:func:`median` ignoring NaN: the lower middle of the non-NaN values (NaN only where all are NaN).

    >>> import ourdl
    >>> ourdl.nanmedian(ourdl.tensor([[1.0, float("nan"), 3.0, 2.0]]), dim=1)
    ourdl.return_types.nanmedian(values=tensor([2.]), indices=tensor([3]))
    """
    return _median("nanmedian", input, dim, keepdim, True, Nanmedian, nanmedian_result)


def mode(input, dim: int = -1, keepdim: bool = False):
    """``(values, indices)``: the most frequent value along ``dim`` (the smallest among equally frequent
    ones) and the last position where it occurs; the gradient goes to that position.

    >>> import ourdl
    >>> ourdl.mode(ourdl.tensor([[3, 1, 3, 2], [5, 4, 4, 5]]), dim=1)
    ourdl.return_types.mode(values=tensor([3, 4]), indices=tensor([2, 2]))
    """
    axis = check_dim(dim, input.ndim, "mode")
    x = input.reshape(1) if input.ndim == 0 else input
    if x.shape[axis] == 0:
        raise IndexError(f"mode(): Expected reduction dim {axis} to have non-zero size (input {list(input.shape)}).")
    rows = np.moveaxis(x._data, axis, -1)
    flat = rows.reshape(-1, rows.shape[-1])
    index = np.empty(flat.shape[0], dtype=np.int64)
    for r, row in enumerate(flat):
        values, counts = np.unique(row, return_counts=True)  # sorted, so argmax picks the smallest of the most frequent
        best = values[np.argmax(counts)]
        hits = np.flatnonzero((row == best) | (np.isnan(row) & np.isnan(best)) if row.dtype.kind == "f" else row == best)
        index[r] = hits[-1]
    index = np.moveaxis(index.reshape(rows.shape[:-1] + (1,)), -1, axis)
    return _picked(mode_result, Mode, input, x, axis, index, keepdim)


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def quantile(input, q, dim=None, keepdim: bool = False, *, interpolation: str = "linear"):
    """The ``q``-th quantiles (``q`` a number or 1-d tensor in [0, 1]) over ``dim`` (the flattened
    tensor by default): the value at rank :math:`r = q (n - 1)` of the sorted values, between ranks
    interpolated as ``interpolation`` says (``'linear'``: :math:`v_{\\lfloor r \\rfloor} + (r - \\lfloor r \\rfloor)
    (v_{\\lceil r \\rceil} - v_{\\lfloor r \\rfloor})`, ``'lower'``, ``'higher'``, ``'midpoint'``, ``'nearest'``).
    NaN if the values contain NaN. A tensor ``q`` puts its dimension first in the result.

    >>> import ourdl
    >>> ourdl.quantile(ourdl.tensor([1.0, 2.0, 3.0, 4.0]), ourdl.tensor([0.25, 0.5]))
    tensor([1.7500, 2.5000])
    """
    from .gathering import sort, take_along_dim
    from .matrices import lerp

    if not input.dtype.is_floating_point:
        raise RuntimeError(f"quantile() input tensor must be either float or double dtype, got {input.dtype.name}")
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"quantile() interpolation must be one of {', '.join(_INTERPOLATIONS)}. "
                         f"Got {interpolation!r}")
    if isinstance(q, Tensor):
        if q.dtype != input.dtype:
            raise RuntimeError(f"quantile() q tensor must be same dtype as the input tensor (q {q.dtype.name}, "
                               f"input {input.dtype.name})")
        if q.ndim > 1:
            raise RuntimeError(f"quantile() q must be a scalar or 1D tensor, got shape {list(q.shape)}")
        qs = q._data.astype(np.float64)
    else:
        qs = np.asarray(float(q))
    if np.any((qs < 0) | (qs > 1)):
        raise RuntimeError("quantile() q values must be in the range [0, 1]")
    if input.numel() == 0:
        raise IndexError(f"quantile() input tensor must be non-empty (input {list(input.shape)})")
    if dim is None:
        x, axis = input.reshape(-1), 0
    else:
        axis = check_dim(dim, input.ndim, "quantile")
        x = input.reshape(1) if input.ndim == 0 else input
    s = sort(x.movedim(axis, -1) if x.ndim > 1 else x, dim=-1).values
    n = s.shape[-1]
    ranks = np.broadcast_to(qs.reshape(-1) * (n - 1), s.shape[:-1] + (qs.size,))
    has_nan = np.isnan(s._data[..., -1:])
    ranks = np.where(has_nan, n - 1, ranks)
    if interpolation == "nearest":
        ranks = np.round(ranks)
    lo, hi = np.floor(ranks).astype(np.int64), np.ceil(ranks).astype(np.int64)
    low, high = take_along_dim(s, Tensor._make(lo), dim=-1), take_along_dim(s, Tensor._make(hi), dim=-1)
    if interpolation in ("lower", "nearest"):
        out = low
    elif interpolation == "higher":
        out = high
    else:
        weight = (ranks - lo).astype(s._data.dtype) if interpolation == "linear" else np.full(ranks.shape, 0.5, s._data.dtype)
        out = lerp(low, high, Tensor._make(weight))
    out = out.movedim(-1, 0)  # q's dimension first
    if keepdim:
        kept = [1] * input.ndim if dim is None else [1 if i == axis else s_ for i, s_ in enumerate(input.shape)]
        out = out.reshape(out.shape[:1] + tuple(kept))
    return out.reshape(out.shape[1:]) if qs.ndim == 0 else out


# -- NaN-aware and paired reductions ---------------------------------------------------------------------

class NanToZero(Function):
    """NaN replaced by 0; the gradient is the incoming one times the not-NaN mask (so ``inf * 0`` stays NaN,
    as in PyTorch's ``nansum``)."""

    @staticmethod
    def forward(ctx, x):
        ctx.mask = (~np.isnan(x)).astype(x.dtype)
        return np.where(ctx.mask == 1, x, 0).astype(x.dtype)

    @staticmethod
    def backward(ctx, g):
        return g * ctx.mask


def nansum(input, dim=None, keepdim: bool = False, *, dtype=None):
    """:math:`\\sum_i x_i` over ``dim`` with NaN counted as 0 (their gradient is 0).

    >>> import ourdl
    >>> ourdl.nansum(ourdl.tensor([1.0, float("nan"), 2.0]))
    tensor(3.)
    """
    if input.dtype.is_floating_point:
        input = NanToZero.apply(input)
    return input.sum(dim=dim, keepdim=keepdim, dtype=dtype)


def nanmean(input, dim=None, keepdim: bool = False, *, dtype=None):
    """The mean of the non-NaN values over ``dim`` (NaN where there are none); floating tensors only.

    >>> import ourdl
    >>> ourdl.nanmean(ourdl.tensor([[1.0, float("nan")], [2.0, 4.0]]), dim=1)
    tensor([1., 3.])
    """
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"nanmean(): expected input to have floating point dtype but got {input.dtype.name}")
    count = (~input.isnan()).sum(dim=dim, keepdim=keepdim)
    return nansum(input, dim, keepdim) / count


def _correction(dim, correction, unbiased):
    if isinstance(dim, bool):  # var_mean(x, True): the unbiased flag in dim's place
        dim, unbiased = None, dim
    if unbiased is not None:
        correction = 1 if unbiased else 0
    return dim, 1 if correction is None else correction


def var_mean(input, dim=None, *, correction=1, keepdim: bool = False, unbiased=None):
    """``(var, mean)`` over ``dim``, the variance with ``correction`` (:math:`\\frac{1}{N - c}\\sum (x - \\bar x)^2`).

    >>> import ourdl
    >>> ourdl.var_mean(ourdl.tensor([1.0, 2.0, 3.0, 4.0]), correction=0)
    (tensor(1.2500), tensor(2.5000))
    """
    dim, correction = _correction(dim, correction, unbiased)
    return input.var(dim=dim, correction=correction, keepdim=keepdim), input.mean(dim=dim, keepdim=keepdim)


def std_mean(input, dim=None, *, correction=1, keepdim: bool = False, unbiased=None):
    """``(std, mean)`` over ``dim``, the standard deviation with ``correction`` as in :func:`var_mean`.

    >>> import ourdl
    >>> ourdl.std_mean(ourdl.tensor([1.0, 3.0]))
    (tensor(1.4142), tensor(2.))
    """
    dim, correction = _correction(dim, correction, unbiased)
    return input.std(dim=dim, correction=correction, keepdim=keepdim), input.mean(dim=dim, keepdim=keepdim)


def aminmax(input, *, dim=None, keepdim: bool = False):
    """``(min, max)`` over ``dim`` (all elements by default) in one call; ties share the gradient evenly.

    >>> import ourdl
    >>> ourdl.aminmax(ourdl.tensor([[1.0, 5.0], [-2.0, 3.0]]), dim=1)
    ourdl.return_types.aminmax(min=tensor([ 1., -2.]), max=tensor([5., 3.]))
    """
    if input.numel() == 0:
        raise RuntimeError(f"aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                           f"identity (input {list(input.shape)})")
    dims = () if dim is None else check_dim(dim, input.ndim, "aminmax")
    if dim is None and keepdim:
        dims = tuple(range(input.ndim))
    return aminmax_result(input.amin(dim=dims, keepdim=keepdim), input.amax(dim=dims, keepdim=keepdim))


def count_nonzero(input, dim=None):
    """The number of nonzero elements over ``dim`` (an int or tuple; all by default), as int64.

    >>> import ourdl
    >>> ourdl.count_nonzero(ourdl.tensor([[0, 1, 7], [0, 0, 2]]), dim=1)
    tensor([2, 1])
    """
    axes = normalize_dims(dim, input.ndim, "count_nonzero")
    return Tensor._make(np.asarray(np.count_nonzero(input._data, axis=axes), dtype=np.int64))


# -- counting and searching ---------------------------------------------------------------------------------

def bincount(input, weights=None, minlength: int = 0):
    """Counts of each value in a 1-d tensor of non-negative integers: :math:`out[v] = \\#\\{i: x_i = v\\}`
    (or the sum of ``weights`` there), of length ``max(x) + 1`` or ``minlength``.

    >>> import ourdl
    >>> ourdl.bincount(ourdl.tensor([0, 2, 2, 5]))
    tensor([1, 0, 2, 0, 0, 1])
    """
    data = input._data
    if input.ndim != 1 or data.dtype.kind not in "biu":
        raise RuntimeError(f"bincount only supports 1-d non-negative integral inputs (got a {input.dtype.name} "
                           f"tensor of shape {list(input.shape)})")
    if minlength < 0:
        raise RuntimeError(f"bincount: minlength should be >= 0, got {minlength}")
    if data.size and data.min() < 0:
        raise RuntimeError(f"bincount only supports 1-d non-negative integral inputs (got the value {data.min()})")
    if weights is None:
        return Tensor._make(np.bincount(data, minlength=minlength).astype(np.int64))
    if tuple(weights.shape) != tuple(input.shape):
        raise RuntimeError(f"bincount: weights {list(weights.shape)} should have the input's shape "
                           f"{list(input.shape)}")
    w = weights._data
    dtype = w.dtype if w.dtype == np.float32 else np.float64
    return Tensor._make(np.bincount(data, weights=w.astype(np.float64), minlength=minlength).astype(dtype))


def histc(input, bins: int = 100, min=0, max=0):
    """A histogram of ``bins`` equal-width bins over ``[min, max]`` (the data's range when both are 0);
    elements outside are ignored, ``max`` itself falls in the last bin. Same dtype as the input.

    >>> import ourdl
    >>> ourdl.histc(ourdl.tensor([1.0, 2.0, 1.0, 4.0]), bins=4, min=0, max=4)
    tensor([0., 2., 1., 1.])
    """
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"histc: \"histogram_cpu\" not implemented for '{input.dtype.name}'; convert with "
                           ".float() first")
    if bins <= 0:
        raise RuntimeError(f"histc: bins must be > 0, but got {bins}")
    data = input._data.reshape(-1)
    lo, hi = float(min), float(max)
    if lo == hi and data.size:
        lo, hi = float(data.min()), float(data.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi or not np.isfinite(lo) or not np.isfinite(hi):
        raise RuntimeError(f"histc: range of [{lo}, {hi}] is not finite or min > max")
    inside = data[(data >= lo) & (data <= hi)].astype(np.float64)
    position = np.minimum(((inside - lo) * bins / (hi - lo)).astype(np.int64), bins - 1)
    return Tensor._make(np.bincount(position, minlength=bins).astype(data.dtype))


def searchsorted(sorted_sequence, input, *, out_int32: bool = False, right: bool = False, side=None, sorter=None):
    """For each value of ``input``, the index in ``sorted_sequence`` (sorted along its last dimension) where it
    would be inserted to keep the order: the first such index, or the last with ``right=True``/``side='right'``.
    A 1-d ``sorted_sequence`` serves every value; otherwise its leading dimensions match ``input``'s.

    >>> import ourdl
    >>> ourdl.searchsorted(ourdl.tensor([1, 3, 5, 7]), ourdl.tensor([3, 6, 9]))
    tensor([1, 3, 4])
    """
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"searchsorted(): side can only be 'left' or 'right' but got {side!r}")
        if right and side == "left":
            raise RuntimeError("searchsorted(): side and right can't be set to opposites, got side of left while "
                               "right was True")
        right = side == "right"
    seq = sorted_sequence._data
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter._data, axis=-1)
    values = input._data if isinstance(input, Tensor) else np.asarray(input)
    how = "right" if right else "left"
    if seq.ndim == 1:
        out = np.searchsorted(seq, values, side=how)
    else:
        if values.ndim != seq.ndim or values.shape[:-1] != seq.shape[:-1]:
            raise RuntimeError(f"searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions "
                               f"of boundaries tensor and input value tensor must match, but we got boundaries "
                               f"tensor {list(seq.shape)} and input value tensor {list(values.shape)}")
        flat_seq, flat_values = seq.reshape(-1, seq.shape[-1]), values.reshape(-1, values.shape[-1])
        out = np.stack([np.searchsorted(s, v, side=how) for s, v in zip(flat_seq, flat_values)]).reshape(values.shape)
    return Tensor._make(np.asarray(out, dtype=np.int32 if out_int32 else np.int64))


def bucketize(input, boundaries, *, out_int32: bool = False, right: bool = False):
    """The bucket of each value among the 1-d sorted ``boundaries``: ``i`` with
    :math:`b_{i-1} < x \\le b_i` (:math:`b_{i-1} \\le x < b_i` with ``right=True``).

    >>> import ourdl
    >>> ourdl.bucketize(ourdl.tensor([1, 5, 9]), ourdl.tensor([1, 3, 5, 7]))
    tensor([0, 2, 4])
    """
    if boundaries.ndim != 1:
        raise RuntimeError(f"bucketize(): boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)
