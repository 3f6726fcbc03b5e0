"""Joining tensors: cat (concat, concatenate) along an existing dimension, stack along a new one, and the
NumPy-style hstack, vstack, dstack and column_stack.

Operands of different dtypes are joined in their common dtype, as PyTorch does.

>>> import ourdl
>>> ourdl.stack([ourdl.zeros(2), ourdl.ones(2)]).shape
ourdl.Size([2, 2])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dims import check_dim
from ..dtypes import result_type
from ..tensor import Tensor
from .out import OutDtype, accepts_out
from .tensor_argument import tensor_list

__all__: list[str] = ["cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack", "column_stack"]
METHODS: list = []


class Cat(ArrayFunction):
    @staticmethod
    def forward(ctx, axis, *xs):
        ctx.axis = axis
        ctx.bounds = np.cumsum([x.shape[axis] for x in xs])[:-1]
        return np.concatenate(xs, axis=axis)

    @staticmethod
    def backward(ctx, g):
        axis, starts = ctx.axis, [0, *ctx.bounds]
        ends = [*ctx.bounds, g.shape[axis]]
        lead = (slice(None),) * axis
        return (None, *(g[lead + (slice(a, b),)] for a, b in zip(starts, ends)))


@accepts_out(dtype=OutDtype.CASTABLE_FOR_JOIN)
def cat(tensors, dim: int = 0):
    """Join tensors along an existing dimension.

    >>> import ourdl
    >>> ourdl.cat([ourdl.zeros(1, 2), ourdl.ones(1, 2)]).shape
    ourdl.Size([2, 2])
    """
    tensors = tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("cat(): expected a non-empty list of Tensors")
    dtype = result_type(*tensors) if len({t.dtype for t in tensors}) > 1 else tensors[0].dtype
    tensors = [t if t.dtype is dtype else t.to(dtype) for t in tensors]
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"cat(): zero-dimensional tensor (at position {i}) cannot be concatenated; "
                               "use stack, or unsqueeze it first")
    ndim = tensors[0].ndim
    axis = check_dim(dim, ndim, "cat")
    for i, t in enumerate(tensors):
        if t.ndim != ndim or any(a != b for j, (a, b) in enumerate(zip(t.shape, tensors[0].shape)) if j != axis):
            raise RuntimeError(
                f"cat(): Sizes of tensors must match except in dimension {axis}. Expected size "
                f"{list(tensors[0].shape)} but got size {list(t.shape)} for tensor number {i} in the list."
            )
    return Cat.apply(axis, *tensors)


concat = concatenate = cat


@accepts_out(dtype=OutDtype.CASTABLE_FOR_JOIN)
def stack(tensors, dim: int = 0):
    """Join tensors along a new dimension; all must have the same shape.

    >>> import ourdl
    >>> ourdl.stack([ourdl.zeros(2), ourdl.ones(2)], dim=1).shape
    ourdl.Size([2, 2])
    """
    tensors = tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at entry 0 and {list(t.shape)} at entry {i}")
    axis = check_dim(dim, tensors[0].ndim + 1, "stack")
    return cat([t.unsqueeze(axis) for t in tensors], dim=axis)


def _at_least(t, ndim: int):
    """``t`` with leading (and, to reach 3, trailing) dimensions of size 1 as NumPy's ``atleast_*d``."""
    shape = tuple(t.shape)
    if len(shape) >= ndim:
        return t
    if ndim == 3:
        shape = {0: (1, 1, 1), 1: (1, *shape, 1), 2: (*shape, 1)}[len(shape)]
    else:
        shape = (1,) * (ndim - len(shape)) + shape
    return t.reshape(shape)


def _stacked(tensors, op: str, ndim: int, dim):
    tensors = tensor_list(tensors, op)
    if not tensors:
        raise RuntimeError(f"{op} expects a non-empty TensorList")
    tensors = [_at_least(t, ndim) for t in tensors]
    return cat(tensors, dim=dim(tensors[0]) if callable(dim) else dim)


def hstack(tensors):
    """Tensors joined column-wise: along dimension 1, or 0 for 1-D tensors (0-d ones count as 1-D).

    >>> import ourdl
    >>> ourdl.hstack([ourdl.tensor([1, 2]), ourdl.tensor([3])])
    tensor([1, 2, 3])
    """
    return _stacked(tensors, "hstack", 1, lambda t: 0 if t.ndim == 1 else 1)


def vstack(tensors):
    """Tensors joined row-wise, along dimension 0, after making each at least 2-D (``(n,)`` becomes ``(1, n)``).

    >>> import ourdl
    >>> ourdl.vstack([ourdl.tensor([1, 2]), ourdl.tensor([3, 4])])
    tensor([[1, 2],
            [3, 4]])
    """
    return _stacked(tensors, "vstack", 2, 0)


def dstack(tensors):
    """Tensors joined depth-wise, along dimension 2, after making each at least 3-D (``(n,)`` becomes
    ``(1, n, 1)``, ``(m, n)`` becomes ``(m, n, 1)``).

    >>> import ourdl
    >>> ourdl.dstack([ourdl.tensor([1, 2]), ourdl.tensor([3, 4])])
    tensor([[[1, 3],
             [2, 4]]])
    """
    return _stacked(tensors, "dstack", 3, 2)


def column_stack(tensors):
    """Tensors joined as columns along dimension 1: 0-d and 1-D tensors (``n`` elements) become ``(n, 1)`` columns.

    >>> import ourdl
    >>> ourdl.column_stack([ourdl.tensor([1, 2]), ourdl.tensor([[3, 4], [5, 6]])])
    tensor([[1, 3, 4],
            [2, 5, 6]])
    """
    tensors = tensor_list(tensors, "column_stack")
    if not tensors:
        raise RuntimeError("column_stack expects a non-empty TensorList")
    return cat([t.reshape(t.numel(), 1) if t.ndim <= 1 else t for t in tensors], dim=1)
