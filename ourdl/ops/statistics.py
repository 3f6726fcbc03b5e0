"""Statistics along dimensions: medians, quantiles and modes; variance and standard deviation; NaN-aware sums and means.

Order statistics (median, mode, quantile) pick elements of the input with
:mod:`ourdl.ops.gathering`, so their gradient goes back to the picked positions and is itself
differentiable. The NaN-aware reductions are compositions of differentiable ops.

>>> import ourdl
>>> x = ourdl.tensor([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]], requires_grad=True)
>>> ourdl.median(x, dim=1)
ourdl.return_types.median(values=tensor([2., 4.], grad_fn=<MedianBackward0>), indices=tensor([2, 0]))
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dims import check_dim
from ..tensor import Tensor
from . import array_or_tensor
from .fused import lerp
from .gathering import coordinates, picker, take_along_dim
from .reductions import normalize_dims, reduced_count
from .return_types import return_type
from .sorting import sort, stable_order
from .tensor_argument import require_tensor

__all__: list[str] = ["median", "nanmedian", "mode", "quantile", "var", "std", "var_mean", "std_mean", "nansum",
                      "nanmean"]
METHODS: list = ["median", "nanmedian", "mode", "quantile", "var", "std", "nansum", "nanmean"]

Median = picker("Median", "The value of ``median`` along a dimension.")
Nanmedian = picker("Nanmedian", "The value of ``nanmedian`` along a dimension.")
Mode = picker("Mode", "The value of ``mode``.")
median_result, nanmedian_result, mode_result = return_type("median"), return_type("nanmedian"), return_type("mode")
# -- order statistics -------------------------------------------------------------------------------------

class _EvenlyShared(ArrayFunction):
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
    order = np.moveaxis(stable_order(x._data, axis, False), axis, -1)
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
        coords = tuple(np.squeeze(c, axis) for c in np.broadcast_arrays(*coordinates(x.shape, axis, index)))
        index = np.squeeze(index, axis)
    else:
        coords = coordinates(x.shape, axis, index)
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
    require_tensor(input, "median")
    return _median("median", input, dim, keepdim, False, Median, median_result)


def nanmedian(input, dim=None, keepdim: bool = False):
    """:func:`median` ignoring NaN: the lower middle of the non-NaN values (NaN only where all are NaN).

    >>> import ourdl
    >>> ourdl.nanmedian(ourdl.tensor([[1.0, float("nan"), 3.0, 2.0]]), dim=1)
    ourdl.return_types.nanmedian(values=tensor([2.]), indices=tensor([3]))
    """
    require_tensor(input, "nanmedian")
    return _median("nanmedian", input, dim, keepdim, True, Nanmedian, nanmedian_result)


def mode(input, dim: int = -1, keepdim: bool = False):
    """``(values, indices)``: the most frequent value along ``dim`` (the smallest among equally frequent
    ones) and the last position where it occurs; the gradient goes to that position.

    >>> import ourdl
    >>> ourdl.mode(ourdl.tensor([[3, 1, 3, 2], [5, 4, 4, 5]]), dim=1)
    ourdl.return_types.mode(values=tensor([3, 4]), indices=tensor([2, 2]))
    """
    require_tensor(input, "mode")
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
    require_tensor(input, "quantile")
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


# -- variance, NaN-aware reductions ----------------------------------------------------------------------

class NanToZero(ArrayFunction):
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
    require_tensor(input, "nansum")
    if input.dtype.is_floating_point:
        input = NanToZero.apply(input)
    return input.sum(dim=dim, keepdim=keepdim, dtype=dtype)


def nanmean(input, dim=None, keepdim: bool = False, *, dtype=None):
    """The mean of the non-NaN values over ``dim`` (NaN where there are none); floating tensors only.

    >>> import ourdl
    >>> ourdl.nanmean(ourdl.tensor([[1.0, float("nan")], [2.0, 4.0]]), dim=1)
    tensor([1., 3.])
    """
    require_tensor(input, "nanmean")
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"nanmean(): expected input to have floating point dtype but got {input.dtype.name}")
    count = (~input.isnan()).sum(dim=dim, keepdim=keepdim)
    return nansum(input, dim, keepdim) / count


def var(input, dim=None, *, correction=1, keepdim: bool = False, unbiased=None):
    """:math:`\\frac{1}{N - c}\\sum_i (x_i - \\bar x)^2` with ``correction`` c (1: Bessel's correction).

    Reduced-precision inputs are summed in float64, as PyTorch accumulates them, so that squares of values
    beyond :math:`\\sqrt{\\text{max}}` of their dtype (``[1e20, -1e20]`` in float32) do not overflow.

    >>> import ourdl
    >>> ourdl.var(ourdl.tensor([1.0, 2.0, 3.0, 4.0]))
    tensor(1.6667)
    """
    require_tensor(input, "var")
    if unbiased is not None:
        correction = 1 if unbiased else 0
    axes = normalize_dims(dim, input.ndim, "var")
    n = reduced_count(input.shape, axes)
    wide = input.dtype.is_floating_point and input._data.dtype.itemsize < 8
    x = input.double() if wide else input
    centred = x - x.mean(dim=axes, keepdim=True)
    result = (centred * centred).sum(dim=axes, keepdim=keepdim) / max(n - correction, 0)
    return result.to(input.dtype) if wide else result


class Std(ArrayFunction):
    """:math:`\\sqrt{v}` with PyTorch's gradient of ``std``: 0 where the deviation is 0 (a constant input),
    not the :math:`0 \\cdot \\infty` of the square root's."""

    @staticmethod
    def forward(ctx, v):
        y = np.sqrt(v)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return array_or_tensor.where(y == 0, 0.0, g / (2 * y))


def std(input, dim=None, *, correction=1, keepdim: bool = False, unbiased=None):
    """:math:`\\sqrt{\\mathrm{var}(x)}` with ``correction`` as in :func:`var`; its gradient is 0 at a constant input.

    >>> import ourdl
    >>> ourdl.std(ourdl.tensor([1.0, 3.0]))
    tensor(1.4142)
    """
    require_tensor(input, "std")
    if unbiased is not None:
        correction = 1 if unbiased else 0
    axes = normalize_dims(dim, input.ndim, "std")
    wide = input.dtype.is_floating_point and input._data.dtype.itemsize < 8
    v = var(input.double() if wide else input, axes, correction=correction, keepdim=keepdim)
    result = Std.apply(v)
    return result.to(input.dtype) if wide else result


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
    require_tensor(input, "var_mean")
    dim, correction = _correction(dim, correction, unbiased)
    return input.var(dim=dim, correction=correction, keepdim=keepdim), input.mean(dim=dim, keepdim=keepdim)


def std_mean(input, dim=None, *, correction=1, keepdim: bool = False, unbiased=None):
    """``(std, mean)`` over ``dim``, the standard deviation with ``correction`` as in :func:`var_mean`.

    >>> import ourdl
    >>> ourdl.std_mean(ourdl.tensor([1.0, 3.0]))
    (tensor(1.4142), tensor(2.))
    """
    require_tensor(input, "std_mean")
    dim, correction = _correction(dim, correction, unbiased)
    return input.std(dim=dim, correction=correction, keepdim=keepdim), input.mean(dim=dim, keepdim=keepdim)


