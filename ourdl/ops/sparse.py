"""The sparse face of a gradient marked by :mod:`ourdl.sparse_rows` (``nn.Embedding(sparse=True)``'s): the Tensor
methods PyTorch's sparse COO tensors answer, on ourdl's dense storage.

ourdl's sparse gradient is always coalesced (each row once, summed), as PyTorch's is after ``coalesce()``.

>>> import ourdl
>>> table = ourdl.nn.Embedding(4, 2, sparse=True)
>>> table(ourdl.tensor([3, 1, 3])).sum().backward()
>>> g = table.weight.grad
>>> g.is_sparse, g._indices(), g._values()
(True, tensor([[1, 3]]), tensor([[1., 1.],
        [2., 2.]]))
>>> g.to_dense().is_sparse
False
"""

from __future__ import annotations

import numpy as np

from ..sparse_rows import RowSparse, rows_of
from ..tensor import Tensor

__all__: list[str] = []


def is_sparse(self) -> bool:
    """Whether this tensor is a sparse gradient (zero outside the rows ``_indices()`` lists)."""
    return type(self._data) is RowSparse and self._data.rows is not None


def to_dense(self) -> Tensor:
    """A dense tensor of the same values: a copy of a sparse gradient, the tensor itself otherwise.

    >>> import ourdl
    >>> t = ourdl.ones(2); t.to_dense() is t
    True
    """
    if not is_sparse(self):
        return self
    return Tensor._make(np.array(self._data))


def _sparse_only(self, op: str) -> np.ndarray:
    rows = rows_of(self._data)
    if rows is None:
        if op.startswith("_"):  # PyTorch has no dense kernel for these
            raise NotImplementedError(f"Could not run 'aten::{op}' with arguments from the 'CPU' backend: only a "
                                      "sparse tensor has them (this one is dense)")
        raise RuntimeError(f"{op} expected sparse coordinate tensor layout but got Strided")
    return rows


def coalesce(self) -> Tensor:
    """This sparse gradient, already coalesced (each row once).

    >>> import ourdl
    >>> ourdl.ones(2).coalesce()
    Traceback (most recent call last):
    ...
    RuntimeError: coalesce expected sparse coordinate tensor layout but got Strided
    """
    _sparse_only(self, "coalesce")
    return self


def is_coalesced(self) -> bool:
    """True for a sparse gradient (ourdl keeps each row once); refused for a dense tensor, as PyTorch."""
    _sparse_only(self, "is_coalesced")
    return True


def _indices(self) -> Tensor:
    """The rows of a sparse gradient, ``(1, nnz)`` int64, sorted."""
    return Tensor._make(_sparse_only(self, "_indices").astype(np.int64)[None])


def _values(self) -> Tensor:
    """The values in those rows, ``(nnz, *rest)``."""
    return Tensor._make(np.array(self._data[_sparse_only(self, "_values")]))


METHODS: list = [("is_sparse", property(is_sparse)), "to_dense", "coalesce", "is_coalesced", "_indices", "_values"]
