"""Fetching one batch (or one sample) from a dataset: the part of a :class:`~ourdl.data.DataLoader` that runs in
the loading process itself or, with ``num_workers``, in each worker process.

>>> import ourdl
>>> from ourdl.data import TensorDataset, default_collate
>>> MapFetcher(TensorDataset(ourdl.arange(5.0)), default_collate, batched=True).fetch([4, 0])
[tensor([4., 0.])]
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .dataset import Subset, TensorDataset

__all__: list[str] = []


def row_source(dataset):
    """(arrays, row indices or None) when batches can be cut straight out of a :class:`TensorDataset`'s arrays
    (also through :class:`Subset` s), else None."""
    if isinstance(dataset, Subset):
        inner = row_source(dataset.dataset)
        if inner is None:
            return None
        arrays, rows = inner
        indices = np.asarray(dataset.indices, dtype=np.intp)
        return arrays, indices if rows is None else rows[indices]
    if isinstance(dataset, TensorDataset) and dataset.batches_by_slicing:
        return [t._data for t in dataset.tensors], None
    return None


class MapFetcher:
    """Samples of a map-style ``dataset`` at the given indices, collated (``batched``: a list, array or slice of
    indices per batch) or converted (one index per item).

    With the default collation a :class:`TensorDataset` batch is one fancy index per tensor instead of
    single samples collated: one copy of its rows, never sharing memory with the dataset.
    """

    def __init__(self, dataset, collate_fn, batched: bool, by_slicing: bool = False):
        self.dataset, self.collate_fn, self.batched = dataset, collate_fn, batched
        self._source = row_source(dataset) if by_slicing and batched else None

    def reset(self) -> None:
        """A new epoch: nothing to restart in a map-style dataset."""

    def fetch(self, index):
        if not self.batched:
            return self.collate_fn(self.dataset[index])
        if self._source is not None:
            arrays, rows = self._source
            if rows is not None:
                index = rows[index]
            return [Tensor._make(a[index].copy() if isinstance(index, slice) else a[index]) for a in arrays]
        if isinstance(index, slice):
            index = range(len(self.dataset))[index]
        return self.collate_fn([self.dataset[int(i)] for i in index])


class IterableFetcher:
    """The next batch of ``batch_size`` samples (or the next sample, ``batch_size=None``) of an iterable dataset;
    raises ``StopIteration`` when the stream ends (or, with ``drop_last``, when less than a batch is left)."""

    def __init__(self, dataset, collate_fn, batch_size: int | None, drop_last: bool):
        self.dataset, self.collate_fn = dataset, collate_fn
        self.batch_size, self.drop_last = batch_size, drop_last
        self._iterator = None

    def reset(self) -> None:
        """Start the stream again on the next fetch (a new epoch)."""
        self._iterator = None

    def fetch(self, index=None):
        if self._iterator is None:
            self._iterator = iter(self.dataset)
        if self.batch_size is None:
            return self.collate_fn(next(self._iterator))
        items = []
        for item in self._iterator:
            items.append(item)
            if len(items) == self.batch_size:
                break
        if not items or (self.drop_last and len(items) < self.batch_size):
            raise StopIteration
        return self.collate_fn(items)
