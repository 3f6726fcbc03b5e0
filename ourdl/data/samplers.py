"""Samplers as in ``torch.utils.data``: the order in which a :class:`~ourdl.data.DataLoader` visits a dataset.

A sampler is an iterable of dataset indices; a batch sampler an iterable of lists of indices. Random ones
draw from an :class:`ourdl.Generator` (``generator=``) or, by default, from the global generator that
``ourdl.manual_seed`` seeds, so a seeded run repeats its order.

>>> import ourdl
>>> list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=False))
[[0, 1], [2, 3], [4]]
>>> sorted(RandomSampler(range(4), generator=ourdl.Generator().manual_seed(0)))
[0, 1, 2, 3]
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Iterator, Sized

import numpy as np

from ..ops.random import default_generator

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler",
           "BatchSampler"]


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_positive_int(name: str, value, owner: str = "") -> int:
    """``value`` as an int, or PyTorch's ValueError when it is not a positive integer (a bool is not one);
    ``owner`` names the function or class in the message.

    >>> check_positive_int("batch_size", 0, "DataLoader")
    Traceback (most recent call last):
    ...
    ValueError: DataLoader: batch_size should be a positive integer value, but got batch_size=0
    """
    if not _is_int(value) or value <= 0:
        raise ValueError(f"{owner + ': ' if owner else ''}{name} should be a positive integer value, "
                         f"but got {name}={value!r}")
    return int(value)


def check_bool(name: str, value, owner: str, error=ValueError) -> bool:
    """``value`` when it is a bool, else PyTorch's error (``error``) naming ``owner`` and the option."""
    if not isinstance(value, bool):
        raise error(f"{owner}: {name} should be a boolean value, but got {name}={value!r}")
    return value


def _numpy_generator(generator) -> np.random.Generator:
    return (generator or default_generator).numpy


class Sampler:
    """The base class of samplers: a subclass defines ``__iter__`` (indices) and, where it knows it, ``__len__``.

    >>> class Evens(Sampler):
    ...     def __init__(self, n):
    ...         self.n = n
    ...     def __iter__(self):
    ...         return iter(range(0, self.n, 2))
    >>> list(Evens(5))
    [0, 2, 4]
    """

    def __init__(self, data_source: Sized | None = None) -> None:
        pass  # PyTorch's deprecated argument, accepted and ignored as there

    def __iter__(self) -> Iterator:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class SequentialSampler(Sampler):
    """The indices ``0, 1, …, len(data_source) - 1`` in order.

    >>> list(SequentialSampler("abc"))
    [0, 1, 2]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """A random permutation of ``data_source``'s indices, or with ``replacement=True`` ``num_samples``
    independent uniform draws from them. Without replacement, ``num_samples`` beyond the dataset's size
    continue with fresh permutations.

    >>> import ourdl
    >>> s = RandomSampler(range(3), replacement=True, num_samples=5, generator=ourdl.Generator().manual_seed(0))
    >>> len(list(s)), all(0 <= i < 3 for i in s)
    (5, True)
    """

    def __init__(self, data_source: Sized, replacement: bool = False, num_samples: int | None = None,
                 generator=None) -> None:
        self.data_source = data_source
        self.replacement = check_bool("replacement", replacement, "RandomSampler", TypeError)
        self._num_samples = num_samples
        self.generator = generator
        check_positive_int("num_samples", self.num_samples, "RandomSampler")

    @property
    def num_samples(self) -> int:
        """How many indices one pass yields (the dataset's size unless given)."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def indices(self) -> np.ndarray:
        """The next pass's indices as one array (what iterating yields)."""
        n, rng = len(self.data_source), _numpy_generator(self.generator)
        if self.replacement:
            return rng.integers(0, n, size=self.num_samples)
        rounds = [rng.permutation(n) for _ in range(-(-self.num_samples // n))]
        return np.concatenate(rounds)[:self.num_samples]

    def __iter__(self) -> Iterator[int]:
        return iter(self.indices().tolist())

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices`` in a random order, a new one each pass.

    >>> import ourdl
    >>> sorted(SubsetRandomSampler([7, 3, 5], generator=ourdl.Generator().manual_seed(0)))
    [3, 5, 7]
    """

    def __init__(self, indices, generator=None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator:
        for i in _numpy_generator(self.generator).permutation(len(self.indices)).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices drawn with probability :math:`p_i = w_i / \\sum_j w_j` (weights need not sum
    to 1); without replacement each index comes at most once, and zero-weight indices only after all others.

    >>> import ourdl
    >>> list(WeightedRandomSampler([0.0, 1.0, 0.0], 3, generator=ourdl.Generator().manual_seed(0)))
    [1, 1, 1]
    """

    def __init__(self, weights, num_samples: int, replacement: bool = True, generator=None) -> None:
        check_positive_int("num_samples", num_samples, "WeightedRandomSampler")
        check_bool("replacement", replacement, "WeightedRandomSampler")
        weights = np.asarray(weights.numpy() if hasattr(weights, "numpy") else weights, dtype=np.float64)
        if weights.ndim != 1:
            raise ValueError(f"WeightedRandomSampler: weights should be a 1d sequence but given weights have shape {tuple(weights.shape)}")
        self.weights, self.num_samples, self.replacement, self.generator = weights, num_samples, replacement, generator

    def __iter__(self) -> Iterator[int]:
        w, k = self.weights, self.num_samples
        if not np.isfinite(w).all() or (w < 0).any():
            raise RuntimeError("WeightedRandomSampler: invalid multinomial distribution (encountering probability "
                               "entry < 0)")
        if w.sum() <= 0:
            raise RuntimeError("WeightedRandomSampler: invalid multinomial distribution (sum of probabilities <= 0)")
        if not self.replacement and k > len(w):
            raise RuntimeError("WeightedRandomSampler: cannot sample n_sample > prob_dist.size(-1) samples without "
                               "replacement")
        rng = _numpy_generator(self.generator)
        if self.replacement:
            return iter(rng.choice(len(w), size=k, p=w / w.sum()).tolist())
        # Efraimidis-Spirakis: the k smallest keys E_i / w_i (E exponential) are a weighted draw without
        # replacement; zero weights get infinite keys, ordered among themselves by a second uniform key
        with np.errstate(divide="ignore"):
            keys = rng.exponential(size=len(w)) / w
        return iter(np.lexsort((rng.random(len(w)), keys))[:k].tolist())

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """Lists of ``batch_size`` indices from ``sampler``; the last one shorter unless ``drop_last``.

    >>> list(BatchSampler(range(5), 2, drop_last=True))
    [[0, 1], [2, 3]]
    """

    def __init__(self, sampler: Sampler | Iterable[int], batch_size: int, drop_last: bool) -> None:
        self.sampler = sampler
        self.batch_size = check_positive_int("batch_size", batch_size, "BatchSampler")
        self.drop_last = check_bool("drop_last", drop_last, "BatchSampler")

    def __iter__(self) -> Iterator[list[int]]:
        batch: list[int] = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
