"""``DataLoader``: batches from a dataset, in an order a sampler gives, in this process or in worker processes.

>>> import ourdl
>>> from ourdl.data import DataLoader, TensorDataset
>>> ds = TensorDataset(ourdl.arange(10.0).reshape(5, 2), ourdl.arange(5))
>>> loader = DataLoader(ds, batch_size=2)
>>> len(loader), [tuple(x.shape) for x, y in loader]
(3, [(2, 2), (2, 2), (1, 2)])
"""

from __future__ import annotations

import itertools
import numbers

import numpy as np

from ..ops.random import default_generator
from .collate import default_collate, default_convert
from .dataset import IterableDataset
from .fetch import IterableFetcher, MapFetcher
from .samplers import BatchSampler, RandomSampler, SequentialSampler, check_positive_int
from .workers import WorkerPool

__all__ = ["DataLoader"]


class DataLoader:
    """Iterate over ``dataset`` in batches, as ``torch.utils.data.DataLoader``, with its arguments.

    Args:
        dataset: a map-style dataset (``__getitem__`` and ``__len__``) or an :class:`IterableDataset`.
        batch_size: samples per batch; ``None`` turns batching off (each item is one sample, converted by
            ``collate_fn``, default :func:`default_convert`).
        shuffle: a new random order every epoch (every ``iter``), from ``generator`` (an :class:`ourdl.Generator`;
            default the global generator that ``ourdl.manual_seed`` seeds), so a seeded run repeats its batches.
        sampler / batch_sampler: the order of indices, or of lists of indices, instead (see
            :mod:`ourdl.data.samplers`); a batch sampler replaces ``batch_size``, ``shuffle``, ``sampler`` and
            ``drop_last``.
        num_workers: worker processes that fetch batches (0: this process). ``worker_init_fn(id)`` runs first in
            each; ``prefetch_factor`` batches per worker are asked for ahead (default 2); ``persistent_workers``
            keeps them between epochs; ``multiprocessing_context`` chooses how they start; ``timeout`` bounds
            each wait for a batch; ``in_order=False`` hands batches out as they come.
        collate_fn: turns a list of samples into a batch (default :func:`default_collate`).
        drop_last: drop the last batch when it is smaller than ``batch_size``.
        pin_memory / pin_memory_device: accepted; there is no accelerator memory to pin.

    A :class:`TensorDataset` (or a :class:`Subset` of one) with the default ``collate_fn`` is batched with one
    index per tensor instead of collating single samples: a batch costs one copy of its rows. Batches never
    share memory with the dataset, as in PyTorch, so changing a batch in place leaves the data alone.

    >>> import ourdl
    >>> from ourdl.data import TensorDataset
    >>> loader = DataLoader(TensorDataset(ourdl.arange(5)), batch_size=2, shuffle=True, generator=ourdl.Generator().manual_seed(0))
    >>> sorted(i for (batch,) in loader for i in batch.tolist())
    [0, 1, 2, 3, 4]
    """

    def __init__(self, dataset, batch_size: int | None = 1, shuffle: bool | None = None, sampler=None,
                 batch_sampler=None, num_workers: int = 0, collate_fn=None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn=None, multiprocessing_context=None,
                 generator=None, *, prefetch_factor: int | None = None, persistent_workers: bool = False,
                 pin_memory_device: str = "", in_order: bool = True):
        if batch_size is not None:
            check_positive_int("batch_size", batch_size, "DataLoader")
        _check_workers(num_workers, timeout, prefetch_factor, persistent_workers)
        iterable = isinstance(dataset, IterableDataset)
        _check_parts(dataset, iterable, sampler, batch_sampler, collate_fn, worker_init_fn)
        if iterable:
            for name, value in (("shuffle", shuffle), ("sampler", sampler), ("batch_sampler", batch_sampler)):
                if value not in (None, False):
                    raise ValueError(f"DataLoader with IterableDataset: expected unspecified {name} option, "
                                     f"but got {name}={value!r}")
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("DataLoader: batch_sampler option is mutually exclusive with batch_size, shuffle, "
                                 "sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("DataLoader: batch_size=None option disables auto-batching and is mutually exclusive "
                             "with drop_last")
        self.dataset, self.num_workers, self.generator = dataset, int(num_workers), generator
        self.batch_size, self.drop_last = (int(batch_size) if batch_size is not None else None), bool(drop_last)
        self.timeout, self.worker_init_fn, self.multiprocessing_context = timeout, worker_init_fn, multiprocessing_context
        self.prefetch_factor = prefetch_factor if prefetch_factor is not None or not num_workers else 2
        self.persistent_workers, self.in_order = bool(persistent_workers), bool(in_order)
        self.pin_memory, self.pin_memory_device = bool(pin_memory), pin_memory_device
        self._own_order = sampler is None and batch_sampler is None and not iterable
        if sampler is None and not iterable:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_sampler is None and self.batch_size is not None and not iterable:
            batch_sampler = BatchSampler(sampler, self.batch_size, self.drop_last)
        self.sampler, self.batch_sampler = sampler, batch_sampler
        self._auto_collation = batch_sampler is not None or (iterable and self.batch_size is not None)
        self.collate_fn = collate_fn or (default_collate if self._auto_collation else default_convert)
        self._by_slicing = collate_fn is None
        self._pool = None

    def __len__(self) -> int:
        if isinstance(self.dataset, IterableDataset):
            n = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        return len(self.batch_sampler if self._auto_collation else self.sampler)

    def __iter__(self):
        iterable = isinstance(self.dataset, IterableDataset)
        fetcher = (IterableFetcher(self.dataset, self.collate_fn, self.batch_size, self.drop_last) if iterable
                   else MapFetcher(self.dataset, self.collate_fn, self._auto_collation, self._by_slicing))
        if not self.num_workers:
            return self._in_process(fetcher)
        return self._in_workers(fetcher)

    def _in_process(self, fetcher):
        if isinstance(fetcher, IterableFetcher):
            while True:
                try:
                    batch = fetcher.fetch()
                except StopIteration:
                    return
                yield batch
        for index in self._indices():
            yield fetcher.fetch(index)

    def _in_workers(self, fetcher):
        indices = None
        if not isinstance(self.dataset, IterableDataset):
            # the epoch's order is drawn before the workers' seed, so that it is the same as without workers
            ordered = self._indices()
            indices = itertools.chain(list(itertools.islice(ordered, 1)), ordered)
        pool = self._pool
        if pool is None:
            base_seed = int((self.generator or default_generator).numpy.integers(2 ** 62))
            pool = WorkerPool(fetcher, self.num_workers, base_seed, self.worker_init_fn,
                              self.multiprocessing_context, self.prefetch_factor, self.timeout, self.in_order)
            if self.persistent_workers:
                self._pool = pool
        try:
            yield from pool.epoch(indices)
        finally:
            if not self.persistent_workers:
                pool.close()

    def _indices(self):
        """Each batch's indices (an array or a slice when the loader draws its own order), or each sample's."""
        if not self._auto_collation:
            yield from self.sampler
            return
        if not self._own_order:
            yield from self.batch_sampler
            return
        n, size = len(self.dataset), self.batch_size
        order = self.sampler.indices() if isinstance(self.sampler, RandomSampler) else None
        stop = n - n % size if self.drop_last else n
        for start in range(0, stop, size):
            yield order[start:start + size] if order is not None else slice(start, min(start + size, n))

    def __del__(self):
        if getattr(self, "_pool", None) is not None:
            self._pool.close()


def _check_workers(num_workers, timeout, prefetch_factor, persistent_workers) -> None:
    if not isinstance(num_workers, numbers.Integral) or isinstance(num_workers, bool) or num_workers < 0:
        raise ValueError(f"DataLoader: num_workers option should be a non-negative integer, got {num_workers!r}; "
                         "use num_workers=0 to disable multiprocessing.")
    if not isinstance(timeout, numbers.Real) or not np.isfinite(timeout) or timeout < 0:
        raise ValueError(f"DataLoader: timeout option should be non-negative, got {timeout!r}")
    if prefetch_factor is not None:
        if not num_workers:
            raise ValueError("DataLoader: prefetch_factor option could only be specified in multiprocessing; let "
                             "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        check_positive_int("prefetch_factor", prefetch_factor, "DataLoader")
    if persistent_workers and not num_workers:
        raise ValueError("DataLoader: persistent_workers option needs num_workers > 0")


def _check_parts(dataset, iterable, sampler, batch_sampler, collate_fn, worker_init_fn) -> None:
    if not iterable and not (hasattr(dataset, "__getitem__") and hasattr(dataset, "__len__")):
        raise TypeError(f"DataLoader: dataset must be a map-style dataset (__getitem__ and __len__) or an "
                        f"IterableDataset, got {type(dataset).__name__}")
    for name, value in (("sampler", sampler), ("batch_sampler", batch_sampler)):
        if value is not None and not hasattr(value, "__iter__"):
            raise TypeError(f"DataLoader: {name} must be an iterable of indices{' lists' if 'batch' in name else ''}, "
                            f"got {type(value).__name__}")
    for name, value in (("collate_fn", collate_fn), ("worker_init_fn", worker_init_fn)):
        if value is not None and not callable(value):
            raise TypeError(f"DataLoader: {name} must be callable, got {type(value).__name__}")
