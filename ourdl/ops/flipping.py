"""Reordering elements along dimensions: flip (and fliplr, flipud) reverses them, roll shifts them cyclically.

Both copy, as PyTorch's do; the gradient is the same reordering undone.

>>> import ourdl
>>> ourdl.arange(4).flip(0), ourdl.arange(4).roll(1)
(tensor([3, 2, 1, 0]), tensor([3, 0, 1, 2]))
"""

from __future__ import annotations

import numbers

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dims import check_dim, sizes as size_list
from ..tensor import Tensor
from .promotion import tensor_operand
from .tensor_argument import require_tensor

__all__: list[str] = ["flip", "fliplr", "flipud", "roll"]
METHODS: list = list(__all__)


class Flip(ArrayFunction):
    @staticmethod
    def forward(ctx, x, axes):
        ctx.axes = axes
        return np.flip(x, axes).copy()  # a copy, as PyTorch's flip: np.flip's view would share memory

    @staticmethod
    def backward(ctx, g):
        return (g.flip(*ctx.axes) if isinstance(g, Tensor) else np.flip(g, ctx.axes)), None


def flip(input, *dims):
    """Reverse the order of elements along ``dims``.

    >>> import ourdl
    >>> ourdl.arange(3).flip(0)
    tensor([2, 1, 0])
    """
    require_tensor(input, "flip")
    dims = size_list(dims, "flip", "dims")
    return Flip.apply(input, tuple(check_dim(d, input.ndim, "flip") for d in dims))


def fliplr(input):
    """The columns (dimension 1) in reverse order; needs at least 2 dimensions. A copy.

    >>> import ourdl
    >>> ourdl.fliplr(ourdl.tensor([[1, 2, 3]]))
    tensor([[3, 2, 1]])
    """
    require_tensor(input, "fliplr")
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, 1)


def flipud(input):
    """The rows (dimension 0) in reverse order; needs at least 1 dimension. A copy.

    >>> import ourdl
    >>> ourdl.flipud(ourdl.tensor([1, 2, 3]))
    tensor([3, 2, 1])
    """
    require_tensor(input, "flipud")
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, 0)


class Roll(ArrayFunction):
    @staticmethod
    def forward(ctx, x, shifts, axes):
        ctx.shifts, ctx.axes = shifts, axes
        return np.roll(x, shifts, axes)

    @staticmethod
    def backward(ctx, g):
        back = tuple(-s for s in ctx.shifts)
        if isinstance(g, Tensor):
            return Roll.apply(g, back, ctx.axes), None, None
        return np.roll(g, back, ctx.axes), None, None


def _ints(value) -> tuple:
    return (int(value),) if isinstance(value, numbers.Integral) else tuple(int(v) for v in value)


def roll(input, shifts, dims=None):
    """Shift elements cyclically: :math:`y_{(i + s) \\bmod n} = x_i` along each of ``dims``.

    Without ``dims`` the tensor is rolled as if flattened, then given its shape back.

    >>> import ourdl
    >>> x = ourdl.arange(6).reshape(2, 3)
    >>> ourdl.roll(x, 1)
    tensor([[5, 0, 1],
            [2, 3, 4]])
    >>> x.roll((1, -1), (0, 1))
    tensor([[4, 5, 3],
            [1, 2, 0]])
    """
    require_tensor(input, "roll")
    input = tensor_operand(input, "roll")
    shifts = _ints(shifts)
    dims = () if dims is None else _ints(dims)
    if not shifts:
        raise RuntimeError("roll: `shifts` required")
    if len(shifts) != len(dims) and not (len(shifts) == 1 and not dims):
        raise RuntimeError(f"roll: shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    if not dims:
        return Roll.apply(input, shifts, None)
    if input.ndim == 0:
        raise IndexError(f"roll: Dimension specified as {dims[0]} but tensor has no dimensions")
    return Roll.apply(input, shifts, tuple(check_dim(d, input.ndim, "roll") for d in dims))
