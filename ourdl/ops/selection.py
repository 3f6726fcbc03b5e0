"""Choosing between values: ``where`` and ``clamp``.

>>> import ourdl
>>> x = ourdl.tensor([-2.0, 0.5, 3.0])
>>> ourdl.clamp(x, -1, 1)
tensor([-1.0000,  0.5000,  1.0000])
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor
from . import dual
from .promotion import as_operand, promote


class Where(Function):
    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.condition = condition
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, g):
        c = ctx.condition
        return None, dual.where(c, g, 0.0), dual.where(c, 0.0, g)


def where(condition, input, other):
    """``input`` where ``condition`` is true, else ``other``; broadcasting; gradients flow to the chosen side.

    >>> import ourdl
    >>> ourdl.where(ourdl.tensor([True, False]), 1.0, 0.0)
    tensor([1., 0.])
    """
    if isinstance(condition, Tensor):
        if condition.dtype.name != "bool":
            raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype {condition.dtype}")
        condition = condition._data
    a, b = promote(input, other, "where")
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        from .creation import tensor

        a = tensor(a)
    try:
        return Where.apply(np.asarray(condition), a, b)
    except ValueError:
        raise RuntimeError(
            f"where: shapes of condition {list(np.shape(condition))}, input {list(np.shape(a))} and other "
            f"{list(np.shape(b))} do not broadcast together"
        ) from None


class Clamp(Function):
    """Clamp to [lo, hi]; the gradient passes where ``lo <= x <= hi`` (bounds inclusive, as PyTorch)."""

    @staticmethod
    def forward(ctx, x, lo, hi):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        y = x
        if lo is not None:
            y = np.maximum(y, lo)
        if hi is not None:
            y = np.minimum(y, hi)
        return y

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        lo, hi = ctx.lo, ctx.hi
        inside = True
        if lo is not None:
            inside = x >= lo
        if hi is not None:
            inside = (x <= hi) & inside if lo is not None else x <= hi
        return dual.where(inside, g, 0.0), None, None


def clamp(input, min=None, max=None):
    """:math:`y = \\min(\\max(x, \\mathrm{min}), \\mathrm{max})`; bounds may be numbers or tensors.

    >>> import ourdl
    >>> ourdl.clamp(ourdl.tensor([-2.0, 2.0]), min=0)
    tensor([0., 2.])
    """
    if min is None and max is None:
        raise RuntimeError("clamp: at least one of 'min' or 'max' must not be None")
    x = as_operand(input, "clamp")
    bounds = [b._data if isinstance(b, Tensor) else b for b in (min, max)]
    if x.dtype.is_floating_point:
        bounds = [None if b is None else (float(b) if np.ndim(b) == 0 and not isinstance(b, np.ndarray) else b.astype(x._data.dtype)) for b in bounds]
    elif any(isinstance(b, float) for b in bounds):
        x = x.float()
    return Clamp.apply(x, bounds[0], bounds[1])


clip = clamp
