"""Sorting: sort, argsort, topk and kthvalue along a dimension.

The positions are decided on the data (a stable sort, NaN largest), then the values are picked with
:func:`~ourdl.ops.gathering.picker`, so their gradient goes back to the position each came from and is
itself differentiable.

>>> import ourdl
>>> ourdl.sort(ourdl.tensor([3.0, 1.0, 2.0]))
ourdl.return_types.sort(values=tensor([1., 2., 3.]), indices=tensor([1, 2, 0]))
"""

from __future__ import annotations

import numpy as np

from ..dims import check_dim
from ..tensor import Tensor
from .gathering import coordinates, picker
from .return_types import return_type
from .tensor_argument import require_tensor

__all__: list[str] = ["sort", "argsort", "topk", "kthvalue"]
METHODS: list = list(__all__)

Sort = picker("Sort", "The values of ``sort``: the input at the sorted positions.")
Topk = picker("Topk", "The values of ``topk``.")
Kthvalue = picker("Kthvalue", "The value of ``kthvalue``.")


sort_result, topk_result, kthvalue_result = return_type("sort"), return_type("topk"), return_type("kthvalue")


def stable_order(data: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """Stable sorting positions along ``axis`` (ties keep their order), NaN as the largest value."""
    if not descending:
        return np.argsort(data, axis=axis, kind="stable")
    # Sorting the reversed data ascending and reading the result backwards keeps ties in their original order.
    flipped = np.argsort(np.flip(data, axis), axis=axis, kind="stable")
    return np.flip(data.shape[axis] - 1 - flipped, axis)


def _sorted_along(op: str, input, dim: int, descending: bool, take, picker, drop_dim: bool = False):
    """``(values, indices)`` of the sorted positions ``take(order)`` keeps, values differentiable;
    ``drop_dim`` removes ``dim`` (then of size 1) from both."""
    axis = check_dim(dim, input.ndim, op)
    x = input.reshape(1) if input.ndim == 0 else input
    order = take(stable_order(x._data, axis, descending), axis).astype(np.int64)
    coords = coordinates(x.shape, axis, order)
    if drop_dim and input.ndim:
        coords = tuple(np.squeeze(c, axis) for c in np.broadcast_arrays(*coords))
        order = np.squeeze(order, axis)
    values = picker.apply(x, coords)
    if input.ndim == 0:
        return values.reshape(()), Tensor._make(order.reshape(()))
    return values, Tensor._make(order)


def sort(input, dim: int = -1, descending: bool = False, *, stable: bool = False):
    """``(values, indices)``: ``input`` sorted along ``dim`` and where each value came from.

    NaN sorts as the largest value. The sort is always stable: equal values keep their order, in both
    directions (``stable=True`` asks for what is always given). The gradient of ``values`` goes back to
    the position each value came from.

    >>> import ourdl
    >>> ourdl.sort(ourdl.tensor([3.0, float("nan"), 1.0, 3.0]), descending=True)
    ourdl.return_types.sort(values=tensor([nan, 3., 3., 1.]), indices=tensor([1, 0, 3, 2]))
    """
    require_tensor(input, "sort")
    return sort_result(*_sorted_along("sort", input, dim, descending, lambda order, axis: order, Sort))


def argsort(input, dim: int = -1, descending: bool = False, *, stable: bool = False):
    """The indices that sort ``input`` along ``dim``: ``sort(...).indices`` (stable, NaN largest).

    >>> import ourdl
    >>> ourdl.argsort(ourdl.tensor([[2, 0, 1], [0, 5, 5]]), dim=1, descending=True)
    tensor([[0, 2, 1],
            [1, 2, 0]])
    """
    require_tensor(input, "argsort")
    axis = check_dim(dim, input.ndim, "argsort")
    if input.ndim == 0:
        return Tensor._make(np.zeros((), dtype=np.int64))
    return Tensor._make(stable_order(input._data, axis, descending).astype(np.int64))


def topk(input, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):
    """``(values, indices)`` of the ``k`` largest (``largest=False``: smallest) elements along ``dim``,
    in sorted order (also with ``sorted=False``, whose order PyTorch leaves open). NaN counts as largest.

    >>> import ourdl
    >>> ourdl.topk(ourdl.tensor([1.0, 5.0, 2.0, 4.0]), 2)
    ourdl.return_types.topk(values=tensor([5., 4.]), indices=tensor([1, 3]))
    """
    require_tensor(input, "topk")
    if input.dtype.name == "bool":
        raise RuntimeError("topk(): bool tensors are not supported (as in PyTorch); convert with .int() first")
    axis = check_dim(dim, input.ndim, "topk")
    size = input.shape[axis] if input.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError(f"topk(): selected index k={k} out of range for dimension {axis} with size {size}")
    if input.ndim == 0:
        k = 1  # PyTorch hands back the element of a 0-d tensor for k=0 too

    def first_k(order, axis):
        return np.take(order, np.arange(k), axis=axis)

    return topk_result(*_sorted_along("topk", input, dim, largest, first_k, Topk))


def kthvalue(input, k: int, dim: int = -1, keepdim: bool = False):
    """``(values, indices)`` of the ``k``-th smallest element along ``dim`` (``k`` counts from 1; NaN is
    largest). ``keepdim`` keeps ``dim`` with size 1.

    >>> import ourdl
    >>> ourdl.kthvalue(ourdl.tensor([[4.0, 1.0, 3.0], [0.0, 9.0, 7.0]]), 2, dim=1)
    ourdl.return_types.kthvalue(values=tensor([3., 7.]), indices=tensor([2, 2]))
    """
    require_tensor(input, "kthvalue")
    if input.dtype.name == "bool":
        raise NotImplementedError("kthvalue(): not implemented for bool tensors (as in PyTorch)")
    axis = check_dim(dim, input.ndim, "kthvalue")
    size = input.shape[axis] if input.ndim else 1
    if size == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {axis} to have non-zero size.")
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k={k} out of range for dimension {axis} with size {size}")
    return kthvalue_result(*_sorted_along("kthvalue", input, dim, False,
                                          lambda order, axis: np.take(order, [k - 1], axis=axis), Kthvalue,
                                          drop_dim=not keepdim))
