"""Reductions over dimensions: sum, mean, prod, max/min, arg-max/min, var/std, logsumexp, norm.

``dim`` is an int, a tuple of ints, or None (all dimensions); ``keepdim``
keeps reduced dimensions with size 1, as in PyTorch.

>>> import ourdl
>>> x = ourdl.tensor([[1.0, 5.0], [3.0, 2.0]])
>>> x.max(dim=1)
ourdl.return_types.max(values=tensor([5., 3.]), indices=tensor([1, 0]))
"""

from __future__ import annotations

import builtins
from collections import namedtuple

import numpy as np

from ..autograd.function import Function
from ..dims import check_dim
from ..tensor import Tensor
from . import dual


def normalize_dims(dim, ndim: int, op: str):
    """``dim`` as a sorted tuple of non-negative axes, or None for all of them."""
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    if not dims:
        return None
    axes = tuple(sorted({check_dim(d, ndim, op) for d in dims}))
    if len(axes) != len(dims):
        raise RuntimeError(f"{op}: dim {list(dims)} appears multiple times in the list of dims")
    return axes if ndim else None


def _kept_shape(shape, axes):
    if axes is None:
        return (1,) * len(shape)
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def _count(shape, axes) -> int:
    n = 1
    for i, s in enumerate(shape):
        if axes is None or i in axes:
            n *= s
    return n


def _drop_reduced(ctx, y):
    """A result computed with ``keepdims=True``, in the shape the caller asked for."""
    if ctx.keepdim:
        return y
    return y.reshape(tuple(s for i, s in enumerate(ctx.shape) if ctx.axes is not None and i not in ctx.axes))


def _restore_reduced(ctx, t):
    """A reduced tensor (or gradient) with its reduced dimensions back as size 1."""
    return t if ctx.keepdim else t.reshape(_kept_shape(ctx.shape, ctx.axes))


def _expand_back(ctx, g):
    """Undo a reduction on an incoming gradient: restore kept dims, then broadcast."""
    return dual.expand_to(_restore_reduced(ctx, g), ctx.shape)


class Sum(Function):
    @staticmethod
    def forward(ctx, x, axes, keepdim, dtype):
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, axes, keepdim
        if dtype is None and x.dtype.kind in "biu":
            dtype = np.int64
        return np.add.reduce(x, axis=axes, keepdims=keepdim, dtype=dtype)

    @staticmethod
    def backward(ctx, g):
        return _expand_back(ctx, g), None, None, None


class Mean(Function):
    @staticmethod
    def forward(ctx, x, axes, keepdim):
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, axes, keepdim
        ctx.count = _count(x.shape, axes)
        return np.add.reduce(x, axis=axes, keepdims=keepdim) / np.asarray(ctx.count, dtype=x.dtype)

    @staticmethod
    def backward(ctx, g):
        return _expand_back(ctx, g / ctx.count), None, None


class Prod(Function):
    """Product; the gradient is exact at zeros (product of the other elements)."""

    @staticmethod
    def forward(ctx, x, axes, keepdim):
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, axes, keepdim
        ctx.save_for_backward(x)
        return np.multiply.reduce(x, axis=axes, keepdims=keepdim)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return _expand_back(ctx, g) * _product_of_others(x, ctx.axes), None, None


def _product_of_others(x, axes):
    """For each element, the product of the other elements in its reduction group: exact with zeros, and, on
    tensors (under ``create_graph``), made of differentiable running products, so higher derivatives are too."""
    ndim = x.ndim
    axes = tuple(range(ndim)) if axes is None else axes
    rest = [i for i in range(ndim) if i not in axes]
    order = tuple(rest + list(axes))
    moved = dual.permute(x, order)
    flat = moved.reshape(tuple(moved.shape[: len(rest)]) + (-1,))
    ones = dual.zeros_like(flat[..., :1]) + 1
    left = dual.cumprod(dual.concatenate([ones, flat[..., :-1]], -1), -1)
    right = dual.flip(dual.cumprod(dual.concatenate([ones, dual.flip(flat, -1)[..., :-1]], -1), -1), -1)
    others = (left * right).reshape(tuple(moved.shape))
    return dual.permute(others, tuple(np.argsort(order)))


class _Extreme(Function):
    """max/min over dims, gradient shared evenly among tied extremes (PyTorch's amax/amin rule)."""

    reducer = None

    @classmethod
    def forward(cls, ctx, x, axes, keepdim):
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, axes, keepdim
        y = cls.reducer(x, axis=axes, keepdims=True)
        hit = (x == y) | (np.isnan(x) & np.isnan(y)) if x.dtype.kind == "f" else x == y
        ctx.share = hit / np.add.reduce(hit, axis=axes, keepdims=True).astype(x.dtype)
        return y if keepdim else (y.reshape(()) if axes is None else np.squeeze(y, axis=axes))

    @staticmethod
    def backward(ctx, g):
        return _expand_back(ctx, g) * ctx.share, None, None


class AMax(_Extreme):
    reducer = staticmethod(np.max)


class AMin(_Extreme):
    reducer = staticmethod(np.min)


class _ExtremeAlongDim(Function):
    """max/min along one dim with indices; the gradient goes to the returned index."""

    arg = None

    @classmethod
    def forward(cls, ctx, x, axis, keepdim):
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, (axis,), keepdim
        index = np.expand_dims(cls.arg(x, axis=axis), axis)
        values = np.take_along_axis(x, index, axis=axis)
        mask = np.zeros(x.shape, dtype=x.dtype)
        np.put_along_axis(mask, index, 1, axis=axis)
        ctx.mask = mask
        ctx.index = index if keepdim else np.squeeze(index, axis)
        return values if keepdim else np.squeeze(values, axis)

    @staticmethod
    def backward(ctx, g):
        return _expand_back(ctx, g) * ctx.mask, None, None


class MaxAlongDim(_ExtremeAlongDim):
    arg = staticmethod(np.argmax)


class MinAlongDim(_ExtremeAlongDim):
    arg = staticmethod(np.argmin)


def return_type(name: str, fields=("values", "indices")) -> type:
    """A named tuple that prints as PyTorch prints its ``torch.return_types``.

    >>> return_type("max")(1, 2)
    ourdl.return_types.max(values=1, indices=2)
    """
    cls = namedtuple(name, fields)
    cls.__repr__ = lambda self: (f"ourdl.return_types.{name}("
                                 + ", ".join(f"{field}={value!r}" for field, value in zip(fields, self)) + ")")
    return cls


max_result, min_result = return_type("max"), return_type("min")


def _along(op_cls, result_cls, input, dim, keepdim, name):
    if input._data.size == 0:
        raise IndexError(f"{name}(): Expected reduction dim {dim} to have non-zero size.")
    axis = check_dim(dim, input.ndim, name) if input.ndim else None
    if axis is None:
        values = op_cls.apply(input.reshape(1), 0, False).reshape(())
        return result_cls(values, Tensor._make(np.zeros((), dtype=np.int64)))
    values = op_cls.apply(input, axis, keepdim)
    index = Tensor._make(np.asarray(values.grad_fn.index if values.grad_fn else op_cls.arg(input._data, axis=axis), dtype=np.int64))
    if values.grad_fn is None and keepdim:
        index = index.unsqueeze(axis)
    return result_cls(values, index)


def sum(input, dim=None, keepdim: bool = False, dtype=None):
    """:math:`\\sum_i x_i` over ``dim`` (all by default); integers and bools sum to int64.

    >>> import ourdl
    >>> ourdl.sum(ourdl.tensor([[1.0, 2.0], [3.0, 4.0]]), dim=0)
    tensor([4., 6.])
    """
    from ..dtypes import as_dtype

    axes = normalize_dims(dim, input.ndim, "sum")
    return Sum.apply(input, axes, keepdim, None if dtype is None else as_dtype(dtype).numpy)


def mean(input, dim=None, keepdim: bool = False, dtype=None):
    """:math:`\\frac{1}{n}\\sum_i x_i` over ``dim``; floating tensors only, as in PyTorch.

    >>> import ourdl
    >>> ourdl.mean(ourdl.tensor([1.0, 2.0, 6.0]))
    tensor(3.)
    """
    if dtype is not None:
        input = input.to(dtype)
    if not input.dtype.is_floating_point:
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
            f"Got: {input.dtype.name}; convert with .float() first"
        )
    return Mean.apply(input, normalize_dims(dim, input.ndim, "mean"), keepdim)


def prod(input, dim=None, keepdim: bool = False):
    """:math:`\\prod_i x_i` over ``dim`` (one dim, or all).

    >>> import ourdl
    >>> ourdl.prod(ourdl.tensor([2.0, 3.0, 4.0]))
    tensor(24.)
    """
    return Prod.apply(input, normalize_dims(dim, input.ndim, "prod"), keepdim)


def amax(input, dim=(), keepdim: bool = False):
    """The maximum over ``dim`` (all when empty); ties share the gradient evenly.

    >>> import ourdl
    >>> ourdl.amax(ourdl.tensor([[1.0, 4.0], [3.0, 2.0]]), dim=0)
    tensor([3., 4.])
    """
    return AMax.apply(input, normalize_dims(dim, input.ndim, "amax"), keepdim)


def amin(input, dim=(), keepdim: bool = False):
    """The minimum over ``dim`` (all when empty); ties share the gradient evenly.

    >>> import ourdl
    >>> ourdl.amin(ourdl.tensor([[1.0, 4.0], [3.0, 2.0]]), dim=0)
    tensor([1., 2.])
    """
    return AMin.apply(input, normalize_dims(dim, input.ndim, "amin"), keepdim)


def max(input, dim=None, keepdim: bool = False):
    """The largest element; with ``dim``, ``(values, indices)`` along it; with a tensor, ``maximum``.

    >>> import ourdl
    >>> ourdl.max(ourdl.tensor([1.0, 7.0, 3.0]))
    tensor(7.)
    """
    if isinstance(dim, Tensor):
        from .arithmetic import maximum

        return maximum(input, dim)
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError("max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
        return AMax.apply(input, None, False)
    return _along(MaxAlongDim, max_result, input, dim, keepdim, "max")


def min(input, dim=None, keepdim: bool = False):
    """The smallest element; with ``dim``, ``(values, indices)`` along it; with a tensor, ``minimum``.

    >>> import ourdl
    >>> ourdl.min(ourdl.tensor([1.0, 7.0, 3.0]))
    tensor(1.)
    """
    if isinstance(dim, Tensor):
        from .arithmetic import minimum

        return minimum(input, dim)
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError("min(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
        return AMin.apply(input, None, False)
    return _along(MinAlongDim, min_result, input, dim, keepdim, "min")


def _arg(fn, input, dim, keepdim, name):
    data = input._data
    if dim is None:
        index = np.asarray(fn(data.reshape(-1)), dtype=np.int64)
        return Tensor._make(index.reshape((1,) * data.ndim) if keepdim else index)
    axis = check_dim(dim, data.ndim, name)
    if data.ndim == 0:
        return Tensor._make(np.zeros((), dtype=np.int64))
    index = np.asarray(fn(data, axis=axis), dtype=np.int64)
    return Tensor._make(np.expand_dims(index, axis) if keepdim else index)


def argmax(input, dim=None, keepdim: bool = False):
    """The index of the largest element (in the flattened tensor, or along ``dim``); NaN counts as largest.

    >>> import ourdl
    >>> ourdl.argmax(ourdl.tensor([[1.0, 9.0], [8.0, 2.0]]), dim=1)
    tensor([1, 0])
    """
    return _arg(np.argmax, input, dim, keepdim, "argmax")


def argmin(input, dim=None, keepdim: bool = False):
    """The index of the smallest element (in the flattened tensor, or along ``dim``).

    >>> import ourdl
    >>> ourdl.argmin(ourdl.tensor([3.0, 1.0, 2.0]))
    tensor(1)
    """
    return _arg(np.argmin, input, dim, keepdim, "argmin")


def var(input, dim=None, *, correction=1, keepdim: bool = False, unbiased=None):
    """:math:`\\frac{1}{N - c}\\sum_i (x_i - \\bar x)^2` with ``correction`` c (1: Bessel's correction).

    >>> import ourdl
    >>> ourdl.var(ourdl.tensor([1.0, 2.0, 3.0, 4.0]))
    tensor(1.6667)
    """
    if unbiased is not None:
        correction = 1 if unbiased else 0
    axes = normalize_dims(dim, input.ndim, "var")
    n = _count(input.shape, axes)
    centred = input - input.mean(dim=axes, keepdim=True)
    return (centred * centred).sum(dim=axes, keepdim=keepdim) / builtins.max(n - correction, 0)


def std(input, dim=None, *, correction=1, keepdim: bool = False, unbiased=None):
    """:math:`\\sqrt{\\mathrm{var}(x)}` with ``correction`` as in :func:`var`.

    >>> import ourdl
    >>> ourdl.std(ourdl.tensor([1.0, 3.0]))
    tensor(1.4142)
    """
    return var(input, dim, correction=correction, keepdim=keepdim, unbiased=unbiased).sqrt()


class LogSumExp(Function):
    @staticmethod
    def forward(ctx, x, axes, keepdim):
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, axes, keepdim
        m = np.maximum.reduce(x, axis=axes, keepdims=True) if x.size else np.zeros(_kept_shape(x.shape, axes), x.dtype)
        m = np.where(np.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):
            y = np.log(np.add.reduce(np.exp(x - m), axis=axes, keepdims=True)) + m
        out = _drop_reduced(ctx, y)
        ctx.save_for_backward(x, out)  # the output itself, so that second derivatives see it depend on x
        return out

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        return _restore_reduced(ctx, g) * np.exp(x - _restore_reduced(ctx, y)), None, None


def logsumexp(input, dim, keepdim: bool = False):
    """:math:`\\log \\sum_i e^{x_i}`, computed with the maximum subtracted (no overflow).

    >>> import ourdl
    >>> ourdl.logsumexp(ourdl.tensor([1000.0, 1000.0]), dim=0)
    tensor(1000.6932)
    """
    return LogSumExp.apply(input.float() if not input.dtype.is_floating_point else input, normalize_dims(dim, input.ndim, "logsumexp"), keepdim)


class Norm2(Function):
    """Euclidean norm; the gradient at a zero vector is 0, as in PyTorch."""

    @staticmethod
    def forward(ctx, x, axes, keepdim):
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, axes, keepdim
        out = _drop_reduced(ctx, np.sqrt(np.add.reduce(x * x, axis=axes, keepdims=True)))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        g, y = _restore_reduced(ctx, g), _restore_reduced(ctx, y)
        return dual.where(y == 0, 0.0, g * x / dual.where(y == 0, 1.0, y)), None, None


def norm(input, p="fro", dim=None, keepdim: bool = False):
    """The vector p-norm :math:`(\\sum_i |x_i|^p)^{1/p}` over ``dim`` (all by default); p may be inf.

    >>> import ourdl
    >>> ourdl.norm(ourdl.tensor([3.0, 4.0]))
    tensor(5.)
    """
    axes = normalize_dims(dim, input.ndim, "norm")
    if p in ("fro", 2, 2.0):
        return Norm2.apply(input, axes, keepdim)
    if p in (float("inf"), "inf"):
        return input.abs().amax(dim=() if axes is None else axes, keepdim=keepdim)
    if p in (float("-inf"), "-inf"):
        return input.abs().amin(dim=() if axes is None else axes, keepdim=keepdim)
    if p == 1:
        return input.abs().sum(dim=axes, keepdim=keepdim)
    if p == 0:
        return (input != 0).to(input.dtype).sum(dim=axes, keepdim=keepdim)
    if isinstance(p, (int, float)):
        return (input.abs() ** p).sum(dim=axes, keepdim=keepdim) ** (1.0 / p)
    raise ValueError(f"norm: unsupported p={p!r}; use a number, inf, -inf or 'fro'")


def all(input, dim=None, keepdim: bool = False):
    """True where every element (over ``dim``) is nonzero.

    >>> import ourdl
    >>> ourdl.all(ourdl.tensor([True, False]))
    tensor(False)
    """
    return Tensor._make(np.asarray(np.all(input._data, axis=normalize_dims(dim, input.ndim, "all"), keepdims=keepdim)))


def any(input, dim=None, keepdim: bool = False):
    """True where some element (over ``dim``) is nonzero.

    >>> import ourdl
    >>> ourdl.any(ourdl.tensor([True, False]))
    tensor(True)
    """
    return Tensor._make(np.asarray(np.any(input._data, axis=normalize_dims(dim, input.ndim, "any"), keepdims=keepdim)))


class CumSum(Function):
    @staticmethod
    def forward(ctx, x, axis):
        ctx.axis = axis
        return np.cumsum(x, axis=axis, dtype=np.int64 if x.dtype.kind in "biu" else None)

    @staticmethod
    def backward(ctx, g):
        axis = ctx.axis
        if isinstance(g, Tensor):
            return cumsum(g.flip(axis), axis).flip(axis), None
        return np.flip(np.cumsum(np.flip(g, axis), axis=axis), axis), None


def cumsum(input, dim):
    """Running sum along ``dim``: :math:`y_i = \\sum_{j \\le i} x_j`.

    >>> import ourdl
    >>> ourdl.cumsum(ourdl.tensor([1.0, 2.0, 3.0]), dim=0)
    tensor([1., 3., 6.])
    """
    return CumSum.apply(input, check_dim(dim, input.ndim, "cumsum"))
