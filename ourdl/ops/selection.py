"""Choosing between values: ``where`` and ``clamp``; finding them: ``nonzero``, ``argwhere``, ``unique``.

>>> import ourdl
>>> x = ourdl.tensor([-2.0, 0.5, 3.0])
>>> ourdl.clamp(x, -1, 1)
tensor([-1.0000,  0.5000,  1.0000])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dims import check_dim
from ..tensor import Tensor
from . import array_or_tensor
from .array_or_tensor import recorded_where
from .promotion import as_operand
from .tensor_argument import require_tensor

__all__: list[str] = ["where", "clamp", "clip", "nonzero", "argwhere", "unique"]


def where(condition, input=None, other=None):
    """``input`` where ``condition`` is true, else ``other``; broadcasting; gradients flow to the chosen side.
    ``where(condition)`` alone is ``nonzero(condition, as_tuple=True)``.

    >>> import ourdl
    >>> ourdl.where(ourdl.tensor([True, False]), 1.0, 0.0)
    tensor([1., 0.])
    >>> ourdl.where(ourdl.tensor([0, 3, 5]))
    (tensor([1, 2]),)
    """
    require_tensor(condition, "where", "condition")
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    if isinstance(condition, Tensor) and condition.dtype.name != "bool":
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype {condition.dtype}")
    try:
        return recorded_where(condition, input, other)
    except ValueError:
        raise RuntimeError(
            f"where: shapes of condition {list(np.shape(condition))}, input {list(np.shape(input))} and other "
            f"{list(np.shape(other))} do not broadcast together"
        ) from None


class Clamp(ArrayFunction):
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
        return array_or_tensor.where(inside, g, 0.0), None, None


def clamp(input, min=None, max=None):
    """:math:`y = \\min(\\max(x, \\mathrm{min}), \\mathrm{max})`; bounds may be numbers or tensors.

    >>> import ourdl
    >>> ourdl.clamp(ourdl.tensor([-2.0, 2.0]), min=0)
    tensor([0., 2.])
    """
    require_tensor(input, "clamp")
    if min is None and max is None:
        raise RuntimeError("clamp: at least one of 'min' or 'max' must not be None")
    x = input
    bounds = [b if b is None else as_operand(b, "clamp", name, 2) for name, b in (("min", min), ("max", max))]
    bounds = [b._data if isinstance(b, Tensor) else b for b in bounds]
    if x.dtype.is_floating_point:
        bounds = [None if b is None else (float(b) if np.ndim(b) == 0 and not isinstance(b, np.ndarray) else b.astype(x._data.dtype)) for b in bounds]
    elif any(isinstance(b, float) for b in bounds):
        x = x.float()
    return Clamp.apply(x, bounds[0], bounds[1])


clip = clamp


def where_method(self, condition, other):
    """``Tensor.where``: ``self`` where ``condition`` is true, else ``other`` (``ourdl.where(condition, self, other)``).

    >>> import ourdl
    >>> ourdl.tensor([1.0, 2.0]).where(ourdl.tensor([True, False]), 0.0)
    tensor([1., 0.])
    """
    return where(condition, self, other)


def masked_fill(input, mask, value):
    """``value`` where ``mask`` is true, else ``input`` (out of place; ``masked_fill_`` writes in place).

    >>> import ourdl
    >>> ourdl.tensor([1.0, 2.0]).masked_fill(ourdl.tensor([False, True]), 0.0)
    tensor([1., 0.])
    """
    return where(mask, value, input)


def nonzero(input, *, as_tuple: bool = False):
    """The indices of the nonzero elements, in row-major order: an int64 tensor of shape ``(count, ndim)``, or
    with ``as_tuple=True`` one 1-D tensor per dimension (a 0-d input counts as 1-D).

    >>> import ourdl
    >>> ourdl.nonzero(ourdl.tensor([[0, 1], [2, 0]]))
    tensor([[0, 1],
            [1, 0]])
    >>> ourdl.tensor([0.0, 3.0, 4.0]).nonzero(as_tuple=True)
    (tensor([1, 2]),)
    """
    require_tensor(input, "nonzero")
    data = input._data
    if as_tuple:
        return tuple(Tensor._make(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(data)))
    return Tensor._make(np.argwhere(data).astype(np.int64))


def argwhere(input):
    """The indices of the nonzero elements, as ``nonzero(input)``: shape ``(count, ndim)``, int64.

    >>> import ourdl
    >>> ourdl.argwhere(ourdl.tensor([0, 5, 0, 7]))
    tensor([[1],
            [3]])
    """
    require_tensor(input, "argwhere")
    return nonzero(input)


def unique(input, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False, dim=None):
    """The distinct elements in ascending order (of the flattened input, or the distinct slices along ``dim``);
    optionally the index of each input element (slice) in the result, and how often each occurs. Every NaN is
    distinct, as in PyTorch. Not differentiable.

    >>> import ourdl
    >>> ourdl.unique(ourdl.tensor([3, 1, 3, 2]), return_inverse=True, return_counts=True)
    (tensor([1, 2, 3]), tensor([2, 0, 2, 1]), tensor([1, 1, 2]))
    """
    require_tensor(input, "unique")
    data = input._data
    if dim is None:
        values, inverse, counts = np.unique(data.reshape(-1), return_inverse=True, return_counts=True, equal_nan=False)
        inverse = inverse.reshape(data.shape)
    else:

        axis = check_dim(dim, input.ndim, "unique_dim")
        values, inverse, counts = np.unique(data, return_inverse=True, return_counts=True, axis=axis)
        inverse = inverse.reshape(-1)
    out = Tensor._make(values.astype(data.dtype))
    extra = [Tensor._make(a.astype(np.int64)) for a, wanted in ((inverse, return_inverse), (counts, return_counts))
             if wanted]
    return (out, *extra) if extra else out


# Tensor.where(condition, other) puts the tensor itself in the middle: its method form is where_method
METHODS: list = ["clamp", "clip", "nonzero", "argwhere", "unique", "masked_fill", ("where", where_method)]
