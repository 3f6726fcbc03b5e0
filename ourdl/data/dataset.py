"""Datasets as in ``torch.utils.data``: anything with ``__getitem__`` and ``__len__``.

>>> import ourdl
>>> from ourdl.data import TensorDataset, random_split
>>> ds = TensorDataset(ourdl.arange(10.0), ourdl.arange(10))
>>> len(ds), ds[3]
(10, (tensor(3.), tensor(3)))
>>> train, test = random_split(ds, [0.8, 0.2], generator=ourdl.Generator().manual_seed(0))
>>> len(train), len(test)
(8, 2)
"""

from __future__ import annotations

import bisect
import math

import numpy as np

from ..ops.random import default_generator
from ..tensor import Tensor


class Dataset:
    """The base class of map-style datasets: subclasses define ``__getitem__(i)`` and ``__len__()``.

    >>> class Squares(Dataset):
    ...     def __getitem__(self, i):
    ...         return i, i * i
    ...     def __len__(self):
    ...         return 4
    >>> Squares()[3]
    (3, 9)
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    # no __len__ here, as in PyTorch: len() of a dataset without one is Python's TypeError

    def __add__(self, other: "Dataset") -> "ConcatDataset":
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """The base class of stream-style datasets: subclasses define ``__iter__``, which yields samples.

    A :class:`~ourdl.data.DataLoader` with workers runs a copy in each; ``get_worker_info()`` tells a copy
    which share of the stream is its own.

    >>> class Count(IterableDataset):
    ...     def __iter__(self):
    ...         return iter(range(3))
    >>> list(Count() + Count())   # a ChainDataset
    [0, 1, 2, 0, 1, 2]
    """

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")

    def __add__(self, other: "IterableDataset") -> "ChainDataset":  # type: ignore[override]
        return ChainDataset([self, other])


class TensorDataset(Dataset):
    """Samples are the rows of tensors that share their first dimension: ``ds[i] = (t[i] for t in tensors)``.

    The :class:`~ourdl.data.DataLoader` recognises it and takes each batch with one
    fancy index per tensor instead of collating single samples.

    >>> import ourdl
    >>> ds = TensorDataset(ourdl.zeros(4, 2), ourdl.ones(4))
    >>> [tuple(t.shape) for t in ds[0]]
    [(2,), ()]
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(f"TensorDataset: argument {i} is a {type(t).__name__}, not a Tensor; convert it "
                                "first, e.g. ourdl.tensor(values)")
        sizes = [t.shape[0] if t.dim() else None for t in tensors]
        if None in sizes or len(set(sizes)) != 1:
            shapes = ", ".join(str(tuple(t.shape)) for t in tensors)
            raise ValueError(f"TensorDataset: size mismatch between tensors: all need the same first dimension, got shapes {shapes}")
        self.tensors = tensors

    def __getitem__(self, index):
        n = len(self)
        if isinstance(index, (int, np.integer)) and not -n <= index < n:
            raise IndexError(f"TensorDataset: index {index} is out of range for {n} samples")
        return tuple(Tensor._make(np.asarray(t._data[index])) for t in self.tensors)  # an int index gives a scalar

    @property
    def batches_by_slicing(self) -> bool:
        """Whether a batch is the tensors' rows (``ds[i]`` is not changed by a subclass), so that the
        :class:`~ourdl.data.DataLoader` can take it with one index per tensor."""
        return type(self).__getitem__ is TensorDataset.__getitem__

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order.

    >>> import ourdl
    >>> Subset(TensorDataset(ourdl.arange(5.0)), [4, 0])[0]
    (tensor(4.),)
    """

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = [int(i) for i in indices]

    def __getitem__(self, index):
        if isinstance(index, (list, np.ndarray)):
            return [self.dataset[self.indices[i]] for i in index]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


def split_lengths(total: int, lengths) -> list[int]:
    """Integer lengths summing to ``total`` from lengths or from fractions summing to 1 (remainders go first-come).

    >>> split_lengths(10, [0.33, 0.33, 0.34])
    [4, 3, 3]
    """
    lengths = list(lengths)
    if lengths and all(0 <= f <= 1 for f in lengths) and math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        counts = [int(math.floor(total * f)) for f in lengths]
        for i in range(total - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if any(int(n) != n or n < 0 for n in lengths) or sum(lengths) != total:
        raise ValueError(f"random_split: lengths {lengths} must be non-negative integers summing to the dataset's "
                         f"size {total}, or fractions summing to 1")
    return [int(n) for n in lengths]


def random_split(dataset, lengths, generator=None) -> list[Subset]:
    """Split ``dataset`` into non-overlapping random :class:`Subset` s of the given lengths (or fractions).

    ``generator`` (an :class:`ourdl.Generator`, default the global one) fixes the split.

    >>> import ourdl
    >>> parts = random_split(TensorDataset(ourdl.arange(6.0)), [4, 2], generator=ourdl.Generator().manual_seed(1))
    >>> sorted(parts[0].indices + parts[1].indices)
    [0, 1, 2, 3, 4, 5]
    """
    counts = split_lengths(len(dataset), lengths)
    order = (generator or default_generator).numpy.permutation(len(dataset)).tolist()
    bounds = np.cumsum([0] + counts)
    return [Subset(dataset, order[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]


class ConcatDataset(Dataset):
    """Map-style datasets one after the other: index ``i`` of the whole is in the first dataset whose
    cumulative size exceeds ``i``. ``a + b`` of two datasets makes one.

    >>> import ourdl
    >>> both = TensorDataset(ourdl.arange(3.0)) + TensorDataset(ourdl.arange(10.0, 12.0))
    >>> len(both), both[3], both[-1]
    (5, (tensor(10.),), (tensor(11.),))
    """

    def __init__(self, datasets) -> None:
        self.datasets = list(datasets)
        # AssertionError: PyTorch's type for both refusals
        if not self.datasets:
            raise AssertionError("ConcatDataset: datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise AssertionError("ConcatDataset does not support IterableDataset; use ChainDataset")
        self.cumulative_sizes = np.cumsum([len(d) for d in self.datasets]).tolist()

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index):
        n = len(self)
        if index < 0:
            if -index > n:
                raise ValueError("ConcatDataset: absolute value of index should not exceed dataset length")
            index += n
        if index >= n:
            raise IndexError(f"ConcatDataset: index {index} is out of range for {n} samples")
        which = bisect.bisect_right(self.cumulative_sizes, index)
        return self.datasets[which][index - (self.cumulative_sizes[which - 1] if which else 0)]


class ChainDataset(IterableDataset):
    """Iterable datasets one after the other, as one stream; its length is the sum of theirs when each has one.
    ``a + b`` of two iterable datasets makes one.

    >>> class Count(IterableDataset):
    ...     def __init__(self, n):
    ...         self.n = n
    ...     def __iter__(self):
    ...         return iter(range(self.n))
    ...     def __len__(self):
    ...         return self.n
    >>> chain = ChainDataset([Count(2), Count(3)])
    >>> list(chain), len(chain)
    ([0, 1, 0, 1, 2], 5)
    """

    def __init__(self, datasets) -> None:
        self.datasets = datasets

    def _parts(self):
        for d in self.datasets:
            if not isinstance(d, IterableDataset):  # AssertionError: PyTorch's type
                raise AssertionError(f"ChainDataset only supports IterableDataset, got a {type(d).__name__}")
            yield d

    def __iter__(self):
        for d in self._parts():
            yield from d

    def __len__(self) -> int:
        return sum(len(d) for d in self._parts())


class StackDataset(Dataset):
    """Samples of several datasets of one size side by side: ``StackDataset(a, b)[i] == (a[i], b[i])``, or with
    keywords a dict, ``StackDataset(x=a, y=b)[i] == {"x": a[i], "y": b[i]}``.

    >>> import ourdl
    >>> StackDataset(image=TensorDataset(ourdl.zeros(2, 3)), label=range(2))[1]["label"]
    1
    """

    def __init__(self, *args, **kwargs) -> None:
        if args and kwargs:
            raise ValueError("StackDataset: give the datasets either as arguments (tuple samples) or as keywords "
                             "(dict samples), not both")
        if not args and not kwargs:
            raise ValueError("StackDataset: at least one dataset should be passed")
        self.datasets = args or kwargs
        parts = list(args or kwargs.values())
        sizes = {len(d) for d in parts}
        if len(sizes) != 1:
            raise ValueError(f"StackDataset: size mismatch between datasets: {[len(d) for d in parts]}")
        self._length = sizes.pop()

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {key: d[index] for key, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __len__(self) -> int:
        return self._length
