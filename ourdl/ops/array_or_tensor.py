"""Helpers that act alike on NumPy arrays and on tensors.

Backward formulas are written once with these (and with operators and NumPy
ufuncs, which tensors accept through ``__array_ufunc__``): on arrays they are
the fast first-order path, on tensors (``create_graph=True``) they record a
differentiable graph of the backward pass itself.

``where`` is the choice nearly every backward formula makes, so its node
(:class:`Where`) lives here, below every op module that needs it; the public
:func:`ourdl.where` adds PyTorch's argument checks on top of it.

Broadcasting is undone in one place, :func:`ourdl.autograd.broadcasting.sum_to_shape`, re-exported here.
"""

from __future__ import annotations

import numpy as np

from ..autograd.broadcasting import sum_to_shape  # noqa: F401  (re-exported for backward formulas)
from ..autograd.array_function import ArrayFunction
from ..dtypes import get_default_dtype
from ..tensor import Tensor
from .creation import tensor, zeros_like as tensor_zeros_like
from .joining import cat
from .promotion import promote

__all__: list[str] = ["sum_to_shape", "expand_to", "reduce_sum", "Where", "where", "recorded_where", "permute",
                      "flip", "zeros_like", "concatenate", "float_array"]


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


class Where(ArrayFunction):
    """``a`` where ``condition`` (an array) holds, else ``b``; the gradient flows to the chosen side."""

    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.condition = condition
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, g):
        c = ctx.condition
        return None, where(c, g, 0.0), where(c, 0.0, g)


def recorded_where(condition, a, b):
    """:class:`Where` on operands brought to PyTorch's common dtype (a tensor even when both are numbers)."""
    a, b = promote(a, b, "where")
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        a = tensor(a)
    return Where.apply(np.asarray(condition._data if isinstance(condition, Tensor) else condition), a, b)


def where(condition, a, b):
    """``a`` where ``condition`` holds, else ``b``; scalars allowed."""
    if isinstance(a, Tensor) or isinstance(b, Tensor) or isinstance(condition, Tensor):
        # a backward formula under create_graph may mix a tensor with an array its forward kept
        return recorded_where(condition, _unrecorded(a), _unrecorded(b))
    return np.where(condition, a, b)


def _unrecorded(x):
    return Tensor._make(x) if isinstance(x, np.ndarray) else x


def permute(g, axes: tuple):
    """Reorder dimensions."""
    if isinstance(g, Tensor):
        return g.permute(*axes)
    return g.transpose(axes)


def flip(g, axis: int):
    """Reverse the order along ``axis``."""
    if isinstance(g, Tensor):
        return g.flip(axis)
    return np.flip(g, axis)


def zeros_like(g):
    """Zeros of ``g``'s shape and dtype (a constant tensor for a tensor)."""
    if isinstance(g, Tensor):
        return tensor_zeros_like(g)
    return np.zeros_like(g)


def concatenate(parts, axis: int):
    """``parts`` joined along ``axis`` (recorded when any of them is a tensor)."""
    if any(isinstance(p, Tensor) for p in parts):
        return cat([p if isinstance(p, Tensor) else tensor(p) for p in parts], dim=axis)
    return np.concatenate(parts, axis=axis)


def float_array(x):
    """``x`` as an array of a floating dtype (ints and bools go to the default dtype)."""
    return x if x.dtype.kind == "f" else x.astype(get_default_dtype().numpy)
