"""Reductions over dimensions: sum, mean, prod, logsumexp, norm, all/any (the extremes are in :mod:`~ourdl.ops.extremes`).

``dim`` is an int, a tuple of ints, or None (all dimensions); ``keepdim``
keeps reduced dimensions with size 1, as in PyTorch.

>>> import ourdl
>>> x = ourdl.tensor([[1.0, 5.0], [3.0, 2.0]])
>>> x.sum(dim=1)
tensor([6., 5.])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dims import check_dim
from ..dtypes import as_dtype
from ..tensor import Tensor
from . import array_or_tensor
from .cumulative import cumprod
from .tensor_argument import require_tensor

__all__: list[str] = ["sum", "mean", "prod", "logsumexp", "norm", "all", "any"]
METHODS: list = list(__all__)


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


def reduced_count(shape, axes) -> int:
    """How many elements each result of a reduction over ``axes`` (None: all) of ``shape`` combines."""
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


def expand_back(ctx, g):
    """Undo a reduction on an incoming gradient: restore kept dims, then broadcast."""
    return array_or_tensor.expand_to(_restore_reduced(ctx, g), ctx.shape)


class Sum(ArrayFunction):
    @staticmethod
    def forward(ctx, x, axes, keepdim, dtype):
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, axes, keepdim
        if dtype is None and x.dtype.kind in "biu":
            dtype = np.int64
        return np.add.reduce(x, axis=axes, keepdims=keepdim, dtype=dtype)

    @staticmethod
    def backward(ctx, g):
        return expand_back(ctx, g), None, None, None


class Mean(ArrayFunction):
    @staticmethod
    def forward(ctx, x, axes, keepdim):
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, axes, keepdim
        ctx.count = reduced_count(x.shape, axes)
        if ctx.count == 0:  # NaN, silently, as PyTorch's mean of nothing
            with np.errstate(invalid="ignore"):
                return np.add.reduce(x, axis=axes, keepdims=keepdim) / np.asarray(0, dtype=x.dtype)
        return np.add.reduce(x, axis=axes, keepdims=keepdim) / np.asarray(ctx.count, dtype=x.dtype)

    @staticmethod
    def backward(ctx, g):
        return expand_back(ctx, g / ctx.count), None, None


class Prod(ArrayFunction):
    """Product; the gradient is exact at zeros (product of the other elements)."""

    @staticmethod
    def forward(ctx, x, axes, keepdim):
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, axes, keepdim
        ctx.save_for_backward(x)
        return np.multiply.reduce(x, axis=axes, keepdims=keepdim)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return expand_back(ctx, g) * _product_of_others(x, ctx.axes), None, None


def _product_of_others(x, axes):
    """For each element, the product of the other elements in its reduction group: exact with zeros, and, on
    tensors (under ``create_graph``), made of differentiable running products, so higher derivatives are too."""
    ndim = x.ndim
    axes = tuple(range(ndim)) if axes is None else axes
    rest = [i for i in range(ndim) if i not in axes]
    order = tuple(rest + list(axes))
    moved = array_or_tensor.permute(x, order)
    flat = moved.reshape(tuple(moved.shape[: len(rest)]) + (-1,))
    ones = array_or_tensor.zeros_like(flat[..., :1]) + 1
    left = _running_product(array_or_tensor.concatenate([ones, flat[..., :-1]], -1), -1)
    reversed_rest = array_or_tensor.concatenate([ones, array_or_tensor.flip(flat, -1)[..., :-1]], -1)
    right = array_or_tensor.flip(_running_product(reversed_rest, -1), -1)
    others = (left * right).reshape(tuple(moved.shape))
    return array_or_tensor.permute(others, tuple(np.argsort(order)))


def _running_product(x, axis: int):
    """The running product along ``axis``; on tensors :func:`~ourdl.ops.cumulative.cumprod`, whose gradient is
    exact with zeros."""
    return cumprod(x, axis) if isinstance(x, Tensor) else np.cumprod(x, axis=axis)


def sum(input, dim=None, keepdim: bool = False, dtype=None):
    """:math:`\\sum_i x_i` over ``dim`` (all by default); integers and bools sum to int64.

    >>> import ourdl
    >>> ourdl.sum(ourdl.tensor([[1.0, 2.0], [3.0, 4.0]]), dim=0)
    tensor([4., 6.])
    """
    require_tensor(input, "sum")
    axes = normalize_dims(dim, input.ndim, "sum")
    return Sum.apply(input, axes, keepdim, None if dtype is None else as_dtype(dtype).numpy)


def mean(input, dim=None, keepdim: bool = False, dtype=None):
    """:math:`\\frac{1}{n}\\sum_i x_i` over ``dim``; floating tensors only, as in PyTorch.

    >>> import ourdl
    >>> ourdl.mean(ourdl.tensor([1.0, 2.0, 6.0]))
    tensor(3.)
    """
    require_tensor(input, "mean")
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
    require_tensor(input, "prod")
    return Prod.apply(input, normalize_dims(dim, input.ndim, "prod"), keepdim)


class LogSumExp(ArrayFunction):
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
    require_tensor(input, "logsumexp")
    return LogSumExp.apply(input.float() if not input.dtype.is_floating_point else input, normalize_dims(dim, input.ndim, "logsumexp"), keepdim)


class Norm2(ArrayFunction):
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
        return array_or_tensor.where(y == 0, 0.0, g * x / array_or_tensor.where(y == 0, 1.0, y)), None, None


def norm(input, p="fro", dim=None, keepdim: bool = False):
    """The vector p-norm :math:`(\\sum_i |x_i|^p)^{1/p}` over ``dim`` (all by default); p may be inf.

    >>> import ourdl
    >>> ourdl.norm(ourdl.tensor([3.0, 4.0]))
    tensor(5.)
    """
    require_tensor(input, "norm")
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
    require_tensor(input, "all")
    return Tensor._make(np.asarray(np.all(input._data, axis=normalize_dims(dim, input.ndim, "all"), keepdims=keepdim)))


def any(input, dim=None, keepdim: bool = False):
    """True where some element (over ``dim``) is nonzero.

    >>> import ourdl
    >>> ourdl.any(ourdl.tensor([True, False]))
    tensor(True)
    """
    require_tensor(input, "any")
    return Tensor._make(np.asarray(np.any(input._data, axis=normalize_dims(dim, input.ndim, "any"), keepdims=keepdim)))




