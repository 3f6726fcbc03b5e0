"""``DataLoader``: batches from a dataset, optionally shuffled by a seeded generator.

>>> import ourdl
>>> from ourdl.data import DataLoader, TensorDataset
>>> ds = TensorDataset(ourdl.arange(10.0).reshape(5, 2), ourdl.arange(5))
>>> loader = DataLoader(ds, batch_size=2)
>>> len(loader), [tuple(x.shape) for x, y in loader]
(3, [(2, 2), (2, 2), (1, 2)])
"""

from __future__ import annotations

import numpy as np

from ..ops.random import default_generator
from ..tensor import Tensor
from .collate import default_collate
from .dataset import Subset, TensorDataset


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size``, as ``torch.utils.data.DataLoader``.

    Args:
        dataset: a map-style dataset (``__getitem__`` and ``__len__``).
        batch_size: samples per batch.
        shuffle: draw a new random order at the start of every epoch (every ``iter``), from
            ``generator`` (an :class:`ourdl.Generator`; default the global generator that
            ``ourdl.manual_seed`` seeds), so a seeded run repeats its batches exactly.
        collate_fn: turns a list of samples into a batch (default :func:`default_collate`).
        drop_last: drop the last batch when it is smaller than ``batch_size``.

    A :class:`TensorDataset` (or a :class:`Subset` of one) with the default ``collate_fn`` is
    batched with one index per tensor instead of collating single samples: a batch costs
    one copy of its rows. Batches never share memory with the dataset, as in PyTorch, so
    changing a batch in place leaves the data alone.

    >>> import ourdl
    >>> from ourdl.data import TensorDataset
    >>> loader = DataLoader(TensorDataset(ourdl.arange(5)), batch_size=2, shuffle=True, generator=ourdl.Generator().manual_seed(0))
    >>> sorted(i for (batch,) in loader for i in batch.tolist())
    [0, 1, 2, 3, 4]
    """

    def __init__(self, dataset, batch_size: int | None = 1, shuffle: bool = False, collate_fn=None,
                 drop_last: bool = False, generator=None):
        if not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size should be a positive integer value, but got batch_size={batch_size!r}")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.collate_fn = collate_fn or default_collate
        self.drop_last = bool(drop_last)
        self.generator = generator
        self._sliceable = collate_fn is None

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        order = (self.generator or default_generator).numpy.permutation(n) if self.shuffle else None
        stop = n - n % self.batch_size if self.drop_last else n
        source = _row_source(self.dataset) if self._sliceable else None
        for start in range(0, stop, self.batch_size):
            end = min(start + self.batch_size, n)
            index = order[start:end] if order is not None else slice(start, end)
            yield self._batch(index, source)

    def _batch(self, index, source):
        if source is not None:
            arrays, rows = source
            if rows is not None:
                index = rows[index]
            return [Tensor._make(a[index].copy() if isinstance(index, slice) else a[index]) for a in arrays]
        positions = range(len(self.dataset))[index] if isinstance(index, slice) else index.tolist()
        return self.collate_fn([self.dataset[i] for i in positions])


def _row_source(dataset):
    """(arrays, row indices or None) when batches can be sliced straight out of arrays, else None."""
    if isinstance(dataset, Subset):
        inner = _row_source(dataset.dataset)
        if inner is None:
            return None
        arrays, rows = inner
        indices = np.asarray(dataset.indices, dtype=np.intp)
        return arrays, indices if rows is None else rows[indices]
    if isinstance(dataset, TensorDataset) and dataset.batches_by_slicing:
        return [t._data for t in dataset.tensors], None
    return None
