"""Running (cumulative) ops along one dimension: cumsum, cumprod, cummax, cummin, logcumsumexp; and diff, their
inverse, the forward differences.

cummax and cummin pick elements of the input with :mod:`ourdl.ops.gathering`, so their gradient goes back to the
picked positions and is itself differentiable; cumprod's and logcumsumexp's backward formulas run on tensors too.

>>> import ourdl
>>> ourdl.cumsum(ourdl.tensor([1, 2, 3]), 0), ourdl.diff(ourdl.tensor([1, 3, 6]))
(tensor([1, 3, 6]), tensor([2, 3]))
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dims import check_dim
from ..dtypes import half_as_float32
from ..tensor import Tensor
from . import array_or_tensor
from .gathering import coordinates, picker
from .joining import cat
from .return_types import return_type
from .tensor_argument import require_tensor

__all__: list[str] = ["cumsum", "cumprod", "cummax", "cummin", "logcumsumexp", "diff"]
METHODS: list = list(__all__)

Cummax = picker("Cummax", "The values of ``cummax``.")
Cummin = picker("Cummin", "The values of ``cummin``.")
cummax_result, cummin_result = return_type("cummax"), return_type("cummin")


def _along_last(t, axis: int):
    """``t`` (array or tensor) with a size-1 dimension inserted after ``axis``."""
    return t.unsqueeze(axis + 1) if isinstance(t, Tensor) else np.expand_dims(t, axis + 1)


def _upper(n: int, axis: int, ndim: int) -> np.ndarray:
    """``mask[i, j] = j >= i`` in dimensions ``axis`` and ``axis + 1`` of an array of ``ndim + 1`` dimensions."""
    mask = np.triu(np.ones((n, n), dtype=bool))
    return mask.reshape((1,) * axis + (n, n) + (1,) * (ndim - axis - 1))


def _accumulator(dtype: np.dtype):
    """The dtype a running sum or product accumulates in, as PyTorch's: int64 for integers and bools, float32 for
    float16 (a float16 running sum stalls once its total outgrows the terms: 0.05s stop adding up near 100), else
    the input's own."""
    if dtype.kind in "biu":
        return np.int64
    return np.float32 if dtype == np.float16 else None


def _rounded(result: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """A float16 input's running result, accumulated in float32, rounded back to float16."""
    return result.astype(np.float16) if dtype == np.float16 else result


class CumSum(ArrayFunction):
    @staticmethod
    def forward(ctx, x, axis):
        ctx.axis = axis
        # np.add.accumulate, not np.cumsum: NumPy's Python wrapper would be where an overflow warning comes
        # from, out of reach of ourdl's warnings filter (ourdl/quiet_numpy.py)
        return _rounded(np.add.accumulate(x, axis=axis, dtype=_accumulator(x.dtype)), x.dtype)

    @staticmethod
    def backward(ctx, g):
        axis = ctx.axis
        if isinstance(g, Tensor):
            return cumsum(g.flip(axis), axis).flip(axis), None
        return _rounded(np.flip(np.cumsum(np.flip(g, axis), axis=axis, dtype=_accumulator(g.dtype)), axis), g.dtype), None


def cumsum(input, dim):
    """Running sum along ``dim``: :math:`y_i = \\sum_{j \\le i} x_j`.

    >>> import ourdl
    >>> ourdl.cumsum(ourdl.tensor([1.0, 2.0, 3.0]), dim=0)
    tensor([1., 3., 6.])
    """
    require_tensor(input, "cumsum")
    axis = check_dim(dim, input.ndim, "cumsum")
    if input.ndim == 0:  # NumPy's cumsum flattens a 0-d array into one dimension; PyTorch keeps it 0-d
        return CumSum.apply(input.reshape(1), 0).reshape(())
    return CumSum.apply(input, axis)


class CumProd(ArrayFunction):
    """Running product; the gradient is exact with zeros in the input (products of the other factors)."""

    @staticmethod
    def forward(ctx, x, axis):
        ctx.axis = axis
        ctx.save_for_backward(x)
        return _rounded(np.cumprod(x, axis=axis, dtype=_accumulator(x.dtype)), x.dtype)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        x, g = half_as_float32(x), half_as_float32(g)
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
        picked = array_or_tensor.where(factor, xk, 1.0)
        partial = picked.prod(axis + 2) if isinstance(picked, Tensor) else np.prod(picked, axis=axis + 2)
        gj = g.unsqueeze(axis) if isinstance(g, Tensor) else np.expand_dims(g, axis)
        return array_or_tensor.reduce_sum(array_or_tensor.where(upper, partial * gj, 0.0), axis + 1), None


def cumprod(input, dim, *, dtype=None):
    """Running product along ``dim``: :math:`y_i = \\prod_{j \\le i} x_j`; integers and bools give int64.

    The gradient :math:`\\partial L / \\partial x_i = \\sum_{j \\ge i} g_j \\prod_{k \\le j, k \\ne i} x_k`
    is exact also where the input has zeros.

    >>> import ourdl
    >>> ourdl.cumprod(ourdl.tensor([1.0, 2.0, 0.0, 4.0]), dim=0)
    tensor([1., 2., 0., 0.])
    """
    require_tensor(input, "cumprod")
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
    values = picker.apply(x, coordinates(x.shape, axis, index))
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
    require_tensor(input, "cummax")
    return _cumulative_extreme("cummax", input, dim, np.greater_equal, Cummax, cummax_result)


def cummin(input, dim):
    """``(values, indices)``: the running minimum along ``dim`` and where it was reached (the last position
    among equal values; NaN, once met, stays).

    >>> import ourdl
    >>> ourdl.cummin(ourdl.tensor([3.0, 1.0, 2.0, 1.0]), dim=0)
    ourdl.return_types.cummin(values=tensor([3., 1., 1., 1.]), indices=tensor([0, 1, 1, 3]))
    """
    require_tensor(input, "cummin")
    return _cumulative_extreme("cummin", input, dim, np.less_equal, Cummin, cummin_result)


class LogCumSumExp(ArrayFunction):
    @staticmethod
    def forward(ctx, x, axis):
        ctx.axis = axis
        with np.errstate(invalid="ignore"):
            # y_i = log(e^{y_{i-1}} + e^{x_i}): no overflow, no underflow
            y = _rounded(np.logaddexp.accumulate(half_as_float32(x), axis=axis), x.dtype)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, g):
        x, y, g = (half_as_float32(a) for a in (*ctx.saved_tensors, g))
        axis = ctx.axis
        if not isinstance(g, Tensor):
            return _logcumsumexp_grad(x, y, g, axis), None
        # under create_graph: the sum over j >= i written with operators (n x n along the dimension)
        upper = _upper(x.shape[axis], axis, x.ndim)
        gj, yj = (t.unsqueeze(axis) if isinstance(t, Tensor) else np.expand_dims(t, axis) for t in (g, y))
        with np.errstate(invalid="ignore", over="ignore"):
            terms = array_or_tensor.where(upper, gj * np.exp(_along_last(x, axis) - yj), 0.0)
        return array_or_tensor.reduce_sum(terms, axis + 1), None


def _reversed_logcumsumexp(a, axis):
    return np.flip(np.logaddexp.accumulate(np.flip(a, axis), axis=axis), axis)


def _logcumsumexp_grad(x, y, g, axis):
    """dx_i = sum_{j >= i} g_j e^{x_i - y_j} in one pass each way: e^{x_i} times a reversed running log-sum of
    log(g_j) - y_j, for the positive and the negative parts of g apart (a log needs a positive argument), PyTorch's
    formula: a NaN in g falls in neither part and adds nothing, as in PyTorch; -inf and inf inputs give its NaN
    (tested)."""
    with np.errstate(all="ignore"):
        positive = _reversed_logcumsumexp(np.log(np.where(g > 0, g, 0)) - y, axis)
        negative = _reversed_logcumsumexp(np.log(np.where(g < 0, -g, 0)) - y, axis)
        return (np.exp(x + positive) - np.exp(x + negative)).astype(x.dtype, copy=False)


def logcumsumexp(input, dim):
    """Running :math:`y_i = \\log \\sum_{j \\le i} e^{x_j}` along ``dim``, computed without overflow.

    The gradient is :math:`\\partial L / \\partial x_i = \\sum_{j \\ge i} g_j e^{x_i - y_j}`.

    >>> import ourdl
    >>> ourdl.logcumsumexp(ourdl.tensor([0.0, 0.0, 1000.0]), dim=0)
    tensor([0.0000e+00, 6.9315e-01, 1.0000e+03])
    """
    require_tensor(input, "logcumsumexp")
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
    require_tensor(input, "diff")
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
