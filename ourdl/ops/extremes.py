"""The extremes over dimensions: amax/amin, max/min (with the indices along one dimension), argmax/argmin, aminmax.

``dim`` is an int, a tuple of ints, or None (all dimensions); ``keepdim``
keeps reduced dimensions with size 1, as in PyTorch. Ties share the gradient
evenly (amax, amin, and max and min over all elements); along one dimension the
gradient goes to the returned index.

>>> import ourdl
>>> x = ourdl.tensor([[1.0, 5.0], [3.0, 2.0]])
>>> x.max(dim=1)
ourdl.return_types.max(values=tensor([5., 3.]), indices=tensor([1, 0]))
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dims import check_dim
from ..tensor import Tensor
from .arithmetic import maximum, minimum
from .reductions import expand_back, normalize_dims
from .return_types import return_type
from .tensor_argument import require_tensor

__all__: list[str] = ["amax", "amin", "max", "min", "argmax", "argmin", "aminmax"]
METHODS: list = list(__all__)


class _Extreme(ArrayFunction):
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
        return expand_back(ctx, g) * ctx.share, None, None


class AMax(_Extreme):
    reducer = staticmethod(np.max)


class AMin(_Extreme):
    reducer = staticmethod(np.min)


class _ExtremeAlongDim(ArrayFunction):
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
        return expand_back(ctx, g) * ctx.mask, None, None


class MaxAlongDim(_ExtremeAlongDim):
    arg = staticmethod(np.argmax)


class MinAlongDim(_ExtremeAlongDim):
    arg = staticmethod(np.argmin)


max_result, min_result = return_type("max"), return_type("min")


def _nonempty(input, axes, name: str) -> None:
    """PyTorch's IndexError for a max/min over a dimension of size 0 (no identity); other empty inputs give
    empty results."""
    shape = input._data.shape
    if axes is None and input._data.size == 0:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                           "reduction dim with the 'dim' argument.")
    for axis in range(len(shape)) if axes is None else axes:
        if shape[axis] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")


def _along(op_cls, result_cls, input, dim, keepdim, name):
    axis = check_dim(dim, input.ndim, name)
    axis = axis if input.ndim else None
    _nonempty(input, None if axis is None else (axis,), name)
    if axis is None:
        values = op_cls.apply(input.reshape(1), 0, False).reshape(())
        return result_cls(values, Tensor._make(np.zeros((), dtype=np.int64)))
    values = op_cls.apply(input, axis, keepdim)
    index = Tensor._make(np.asarray(values.grad_fn.index if values.grad_fn else op_cls.arg(input._data, axis=axis), dtype=np.int64))
    if values.grad_fn is None and keepdim:
        index = index.unsqueeze(axis)
    return result_cls(values, index)


def amax(input, dim=(), keepdim: bool = False):
    """The maximum over ``dim`` (all when empty); ties share the gradient evenly.

    >>> import ourdl
    >>> ourdl.amax(ourdl.tensor([[1.0, 4.0], [3.0, 2.0]]), dim=0)
    tensor([3., 4.])
    """
    require_tensor(input, "amax")
    axes = normalize_dims(dim, input.ndim, "amax")
    _nonempty(input, axes, "amax")
    return AMax.apply(input, axes, keepdim)


def amin(input, dim=(), keepdim: bool = False):
    """The minimum over ``dim`` (all when empty); ties share the gradient evenly.

    >>> import ourdl
    >>> ourdl.amin(ourdl.tensor([[1.0, 4.0], [3.0, 2.0]]), dim=0)
    tensor([1., 2.])
    """
    require_tensor(input, "amin")
    axes = normalize_dims(dim, input.ndim, "amin")
    _nonempty(input, axes, "amin")
    return AMin.apply(input, axes, keepdim)


def max(input, dim=None, keepdim: bool = False):
    """The largest element; with ``dim``, ``(values, indices)`` along it; with a tensor, ``maximum``.

    >>> import ourdl
    >>> ourdl.max(ourdl.tensor([1.0, 7.0, 3.0]))
    tensor(7.)
    """
    require_tensor(input, "max")
    if isinstance(dim, Tensor):
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
    require_tensor(input, "min")
    if isinstance(dim, Tensor):
        return minimum(input, dim)
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError("min(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
        return AMin.apply(input, None, False)
    return _along(MinAlongDim, min_result, input, dim, keepdim, "min")


def _arg(fn, input, dim, keepdim, name):
    data = input._data
    if dim is None:
        if data.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        index = np.asarray(fn(data.reshape(-1)), dtype=np.int64)
        return Tensor._make(index.reshape((1,) * data.ndim) if keepdim else index)
    axis = check_dim(dim, data.ndim, name)
    if data.ndim == 0:
        return Tensor._make(np.zeros((), dtype=np.int64))
    _nonempty(input, (axis,), name)
    index = np.asarray(fn(data, axis=axis), dtype=np.int64)
    return Tensor._make(np.expand_dims(index, axis) if keepdim else index)


def argmax(input, dim=None, keepdim: bool = False):
    """The index of the largest element (in the flattened tensor, or along ``dim``); NaN counts as largest.

    >>> import ourdl
    >>> ourdl.argmax(ourdl.tensor([[1.0, 9.0], [8.0, 2.0]]), dim=1)
    tensor([1, 0])
    """
    require_tensor(input, "argmax")
    return _arg(np.argmax, input, dim, keepdim, "argmax")


def argmin(input, dim=None, keepdim: bool = False):
    """The index of the smallest element (in the flattened tensor, or along ``dim``).

    >>> import ourdl
    >>> ourdl.argmin(ourdl.tensor([3.0, 1.0, 2.0]))
    tensor(1)
    """
    require_tensor(input, "argmin")
    return _arg(np.argmin, input, dim, keepdim, "argmin")


aminmax_result = return_type("aminmax", ("min", "max"))


def aminmax(input, *, dim=None, keepdim: bool = False):
    """``(min, max)`` over ``dim`` (all elements by default) in one call; ties share the gradient evenly.

    >>> import ourdl
    >>> ourdl.aminmax(ourdl.tensor([[1.0, 5.0], [-2.0, 3.0]]), dim=1)
    ourdl.return_types.aminmax(min=tensor([ 1., -2.]), max=tensor([5., 3.]))
    """
    require_tensor(input, "aminmax")
    if input.numel() == 0:
        raise RuntimeError(f"aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                           f"identity (input {list(input.shape)})")
    dims = () if dim is None else check_dim(dim, input.ndim, "aminmax")
    if dim is None and keepdim:
        dims = tuple(range(input.ndim))
    return aminmax_result(input.amin(dim=dims, keepdim=keepdim), input.amax(dim=dims, keepdim=keepdim))
