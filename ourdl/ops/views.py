"""Views in the graph: how a view follows in-place changes of its base, and how a base follows them on a view.

A view (``x[1:]``, ``x.T``, ``x.view(...)``) shares its base's memory. Two rules keep
the gradients right when either side is then changed in place, as in PyTorch:

- the base gets a :class:`CopySlices` node: its new value is the old one with the view's
  window replaced, so the gradient flows to the old base outside the window and to the
  new values inside it;
- a view whose base changed reads from the base's new value: its ``grad_fn`` becomes an
  :class:`AsStrided` node taking the window out of the base (made when the view is next
  used, see :func:`ourdl.tensor.sync_view`).

The window is found from memory addresses, so every kind of view is handled the same way.

>>> import ourdl
>>> x = ourdl.ones(4, requires_grad=True)
>>> y = x * 1
>>> y[1:3].mul_(5)
tensor([5., 5.], grad_fn=<AsStridedBackward0>)
>>> y
tensor([1., 5., 5., 1.], grad_fn=<CopySlices>)
>>> y.sum().backward(); x.grad
tensor([1., 5., 5., 1.])
"""

from __future__ import annotations

import numpy as np

from ..grad_mode import enable_grad
from ..tensor import Tensor
from ..view_tracking import ViewFollowing
from .indexing import Index, IndexPut


class AsStrided(Index):
    """The elements of a view taken out of its base (by their positions in it); gradient: scattered back."""

    def name(self) -> str:
        return "AsStridedBackward0"


class CopySlices(IndexPut):
    """The base after an in-place change of one of its views: the old base with the view's window replaced."""

    def name(self) -> str:
        return "CopySlices"


def window(view: np.ndarray, base: np.ndarray) -> tuple:
    """The index (one integer array per dimension of ``base``) of each element of ``view`` in ``base``.

    ``view`` must lie in ``base``'s memory.

    >>> base = np.arange(12.0).reshape(3, 4)
    >>> rows, columns = window(base[1:, ::2], base)
    >>> rows.tolist(), columns.tolist()
    ([[1, 1], [2, 2]], [[0, 2], [0, 2]])
    """
    start = view.__array_interface__["data"][0] - base.__array_interface__["data"][0]
    view_offsets = _byte_offsets(view, start)
    if base.flags.c_contiguous:
        flat = view_offsets // base.itemsize
    else:
        base_offsets = _byte_offsets(base, 0).ravel()
        order = np.argsort(base_offsets, kind="stable")
        flat = order[np.searchsorted(base_offsets[order], view_offsets)]
    return np.unravel_index(flat, base.shape)


def _byte_offsets(array: np.ndarray, start: int) -> np.ndarray:
    """The byte offset of each element of ``array`` from ``start``, in ``array``'s shape."""
    offsets = np.full((), start, dtype=np.int64)
    for size, stride in zip(array.shape, array.strides):
        offsets = np.add.outer(offsets, np.arange(size, dtype=np.int64) * stride)
    return offsets


def view_node(base: Tensor, view: np.ndarray):
    """An :class:`AsStrided` node reading ``view``'s window from ``base``'s current value."""
    with enable_grad():
        return AsStrided.apply(base, window(view, base._data))._grad_fn


def copy_slices(base: Tensor, view: np.ndarray, values: Tensor) -> Tensor:
    """``base``'s new value, out of place and recorded: ``base`` with ``view``'s window set to ``values``."""
    old = Tensor._make(base._data, base._requires_grad, base._grad_fn)
    return CopySlices.apply(old, values, window(view, base._data))


ViewFollowing.node = view_node
