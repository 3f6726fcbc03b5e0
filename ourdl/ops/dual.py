"""Helpers that act alike on NumPy arrays and on tensors.

Backward formulas are written once with these (and with operators and NumPy
ufuncs, which tensors accept through ``__array_ufunc__``): on arrays they are
the fast first-order path, on tensors (``create_graph=True``) they record a
differentiable graph of the backward pass itself.

This module is also the one place where broadcasting is undone
(:func:`sum_to_shape`).
"""

from __future__ import annotations

import math

import numpy as np

from ..tensor import Tensor


def sum_to_shape(g, shape: tuple, op: str = "backward"):
    """Sum a gradient in a broadcast shape down to ``shape``: broadcasting undone.

    >>> sum_to_shape(np.ones((2, 3)), (1, 3))
    array([[2., 2., 2.]])
    """
    shape = tuple(shape)
    if tuple(g.shape) == shape:
        return g
    lead = len(g.shape) - len(shape)
    if lead < 0 or any(s != 1 and s != gs for s, gs in zip(shape, g.shape[lead:])):
        raise RuntimeError(f"{op}: gradient of shape {list(g.shape)} cannot be reduced to the input shape {list(shape)}")
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and g.shape[lead + i] != 1)
    if isinstance(g, Tensor):
        return g.sum(dim=axes).reshape(shape) if axes else g.reshape(shape)
    if not axes:
        return g.reshape(shape)
    k = len(axes)
    if axes[-1] == k - 1 and g.ndim > k and g.size and g.dtype.kind == "f" and g.flags.c_contiguous:
        # Summing out leading dimensions (a bias gradient): a matrix-vector product is 2-6x faster.
        rows = g.reshape(-1, math.prod(g.shape[k:]))
        reduced = (np.ones(rows.shape[0], dtype=g.dtype) @ rows).reshape(g.shape[k:])
    else:
        reduced = np.add.reduce(g, axis=axes)
    return reduced if reduced.shape == shape else reduced.reshape(shape)  # a fresh array stays one


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
