"""Helpers that act alike on NumPy arrays and on tensors.

Backward formulas are written once with these (and with operators and NumPy
ufuncs, which tensors accept through ``__array_ufunc__``): on arrays they are
the fast first-order path, on tensors (``create_graph=True``) they record a
differentiable graph of the backward pass itself.

Broadcasting is undone in one place, :func:`ourdl.autograd.broadcasting.sum_to_shape`, re-exported here.
"""

from __future__ import annotations


import numpy as np

from ..autograd.broadcasting import sum_to_shape  # noqa: F401  (re-exported for backward formulas)
from ..tensor import Tensor


def expand_to(g, shape: tuple):
    """Broadcast ``g`` to ``shape`` (a read-only view for arrays)."""
    if isinstance(g, Tensor):
        return g.expand(*shape)
    return np.broadcast_to(g, shape)


def reduce_sum(g, axis, keepdims: bool = False):
    """Sum over ``axis`` (an int, a tuple or None)."""
    if isinstance(g, Tensor):
        if axis is None:
            axis = tuple(range(g.ndim))
        return g.sum(dim=axis, keepdim=keepdims)
    return np.add.reduce(g, axis=axis, keepdims=keepdims)


def where(condition, a, b):
    """``a`` where ``condition`` holds, else ``b``; scalars allowed."""
    if isinstance(a, Tensor) or isinstance(b, Tensor) or isinstance(condition, Tensor):
        from .selection import where as tensor_where

        return tensor_where(condition, a, b)
    return np.where(condition, a, b)


def permute(g, axes: tuple):
    """Reorder dimensions."""
    if isinstance(g, Tensor):
        return g.permute(*axes)
    return g.transpose(axes)


def cumprod(g, axis: int):
    """Running product along ``axis`` (exact gradients with zeros for tensors)."""
    if isinstance(g, Tensor):
        from .statistics import cumprod as tensor_cumprod

        return tensor_cumprod(g, axis)
    return np.cumprod(g, axis=axis)


def flip(g, axis: int):
    """Reverse the order along ``axis``."""
    if isinstance(g, Tensor):
        return g.flip(axis)
    return np.flip(g, axis)


def tril(g, diagonal: int = 0):
    """The lower triangle of the last two dimensions (zeros above ``diagonal``)."""
    if isinstance(g, Tensor):
        from .matrices import tril as tensor_tril

        return tensor_tril(g, diagonal)
    return np.tril(g, diagonal)


def zeros_like(g):
    if isinstance(g, Tensor):
        from .creation import zeros_like as tensor_zeros_like

        return tensor_zeros_like(g)
    return np.zeros_like(g)


def index_add_into(shape: tuple, index, g):
    """A zero array of ``shape`` with ``g`` added at ``index`` (duplicates summed): the gradient of indexing."""
    if isinstance(g, Tensor):
        from .indexing import IndexAddInto

        return IndexAddInto.apply(g, shape=shape, index=index)
    from .indexing import scatter_add_array

    return scatter_add_array(shape, index, g)


def concatenate(parts, axis: int):
    if any(isinstance(p, Tensor) for p in parts):
        from .shape import cat

        return cat(list(parts), dim=axis)
    return np.concatenate(parts, axis=axis)


def float_array(x):
    """``x`` as an array of a floating dtype (ints and bools go to the default dtype)."""
    from ..dtypes import get_default_dtype

    return x if x.dtype.kind == "f" else x.astype(get_default_dtype().numpy)
