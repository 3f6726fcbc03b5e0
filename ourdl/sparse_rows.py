"""Gradients known to touch few rows: how ``nn.Embedding(sparse=True)``'s gradient is sparse while stored dense.

PyTorch gives such an embedding a sparse COO gradient (the looked-up rows and their values). ourdl keeps every
gradient a dense array, and marks this one: :class:`RowSparse` is a dense array that also knows the rows
(first-dimension indices) outside which it is zero. The mark flows as PyTorch's layout does: two such gradients
added (two lookups of one table) keep the union of their rows; added to a dense gradient, the sum is dense; any
other operation gives a plain array. A tensor whose array is marked says ``is_sparse``, and optimisers that
PyTorch makes refuse sparse gradients refuse it.

>>> import numpy as np
>>> a = row_sparse(np.array([[0.0], [1.0], [0.0]]), np.array([1]))
>>> b = row_sparse(np.array([[2.0], [0.0], [0.0]]), np.array([0]))
>>> (a + b).rows, rows_of(a + np.ones((3, 1))), rows_of(a * 2)
(array([0, 1]), None, None)
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = ["RowSparse", "row_sparse", "rows_of"]

_KEEP_ROWS = frozenset((np.multiply, np.true_divide, np.negative))  # in place by numbers: zero rows stay zero


class RowSparse(np.ndarray):
    """A dense array zero outside the sorted, unique first-dimension indices ``rows`` (None: not known, dense).

    A view or the result of an operation knows nothing of rows, but a sum of two marked arrays, and an in-place
    sum, product or quotient that keeps them.

    >>> g = row_sparse(np.zeros((4, 2)), np.array([3]))
    >>> g[1:].rows is None, np.multiply(g, 0.5, out=g).rows
    (True, array([3]))
    """

    rows: np.ndarray | None = None

    def __array_finalize__(self, obj) -> None:
        self.rows = None

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        marked = [rows_of(x) for x in inputs]
        plain = [x.view(np.ndarray) if isinstance(x, RowSparse) else x for x in inputs]
        if out is not None:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, RowSparse) else o for o in out)
        result = getattr(ufunc, method)(*plain, **kwargs)
        summed = ufunc is np.add and method == "__call__" and all(r is not None for r in marked)
        if out is not None:
            target = out[0]
            if isinstance(target, RowSparse) and target.rows is not None:
                if summed:
                    target.rows = np.union1d(*marked)
                elif not (ufunc in _KEEP_ROWS and all(x is target or np.ndim(x) == 0 for x in inputs)):
                    target.rows = None
            return target
        return row_sparse(result, np.union1d(*marked)) if summed else result


def row_sparse(array: np.ndarray, rows: np.ndarray) -> RowSparse:
    """``array`` (not copied) marked zero outside ``rows`` (sorted and unique).

    >>> row_sparse(np.eye(2), np.array([0, 1])).rows
    array([0, 1])
    """
    marked = array.view(RowSparse)
    marked.rows = rows
    return marked


def rows_of(array) -> np.ndarray | None:
    """The rows outside which ``array`` is zero, when it is marked; None otherwise.

    >>> rows_of(np.zeros(2)) is None
    True
    """
    return array.rows if type(array) is RowSparse else None
