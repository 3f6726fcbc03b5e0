"""Samplers, combined datasets and the DataLoader's sampling options, side by side with torch.utils.data."""

import numpy as np
import pytest
import torch
import torch.utils.data as tud
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
from ourdl import data


def plain(batches):
    """Batches as nested Python lists, whichever library made them."""
    if isinstance(batches, (list, tuple)):
        return [plain(b) for b in batches]
    if isinstance(batches, dict):
        return {k: plain(v) for k, v in batches.items()}
    if hasattr(batches, "tolist"):
        return batches.tolist()
    return batches


def both(make):
    """``make(lib)`` for ourdl.data and torch.utils.data: (ours, theirs), or the exception types."""
    out = []
    for lib, tensor in ((data, ourdl.tensor), (tud, torch.tensor)):
        try:
            out.append(make(lib, tensor))
        except Exception as error:  # the comparison is of the type
            out.append(type(error))
    return out


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 23), batch_size=st.integers(1, 9), drop_last=st.booleans())
def test_sequential_batches_equal_torch(n, batch_size, drop_last):
    ours, theirs = both(lambda lib, t: plain(list(lib.DataLoader(lib.TensorDataset(t(np.arange(n * 2.0).reshape(n, 2))),
                                                                  batch_size=batch_size, drop_last=drop_last))))
    assert ours == theirs


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 17), batch_size=st.integers(1, 6), drop_last=st.booleans())
def test_batch_sampler_and_len_equal_torch(n, batch_size, drop_last):
    ours, theirs = both(lambda lib, t: (list(lib.BatchSampler(range(n), batch_size, drop_last)),
                                        len(lib.BatchSampler(range(n), batch_size, drop_last)),
                                        len(lib.DataLoader(range(n), batch_size=batch_size, drop_last=drop_last))))
    assert ours == theirs


def test_samplers_draw_every_index_from_the_generator():
    g = lambda: ourdl.Generator().manual_seed(3)
    first, again = list(data.RandomSampler(range(10), generator=g())), list(data.RandomSampler(range(10), generator=g()))
    assert first == again and sorted(first) == list(range(10)) and first != list(range(10))
    longer = list(data.RandomSampler(range(4), num_samples=10, generator=g()))
    assert len(longer) == 10 and sorted(longer[:4]) == [0, 1, 2, 3] and sorted(longer[4:8]) == [0, 1, 2, 3]
    drawn = list(data.RandomSampler(range(3), replacement=True, num_samples=300, generator=g()))
    assert set(drawn) == {0, 1, 2} and len(drawn) == 300
    assert sorted(data.SubsetRandomSampler([9, 4, 7], generator=g())) == [4, 7, 9]


def test_weighted_sampler_follows_the_weights():
    weights = [1.0, 0.0, 3.0]
    drawn = np.array(list(data.WeightedRandomSampler(weights, 4000, generator=ourdl.Generator().manual_seed(0))))
    assert (drawn != 1).all()
    assert abs((drawn == 2).mean() - 0.75) < 0.03
    once = list(data.WeightedRandomSampler(weights, 3, replacement=False, generator=ourdl.Generator().manual_seed(0)))
    assert sorted(once) == [0, 1, 2] and once[-1] == 1  # the zero weight comes last, as torch.multinomial


@pytest.mark.parametrize("make", [
    lambda lib, t: lib.BatchSampler(range(5), 0, False),
    lambda lib, t: lib.BatchSampler(range(5), 2.0, False),
    lambda lib, t: lib.BatchSampler(range(5), 2, 1),
    lambda lib, t: lib.RandomSampler(range(5), num_samples=0),
    lambda lib, t: lib.RandomSampler(range(5), replacement=1),
    lambda lib, t: lib.WeightedRandomSampler([1.0, 2.0], 0),
    lambda lib, t: lib.WeightedRandomSampler([[1.0, 2.0]], 2),
    lambda lib, t: lib.WeightedRandomSampler([1.0, 2.0], 2, replacement=1),
    lambda lib, t: list(lib.WeightedRandomSampler([1.0, -2.0], 2)),
    lambda lib, t: list(lib.WeightedRandomSampler([0.0, 0.0], 2)),
    lambda lib, t: list(lib.WeightedRandomSampler([1.0, 1.0], 3, replacement=False)),
    lambda lib, t: lib.ConcatDataset([]),
    lambda lib, t: lib.ConcatDataset([range(3), lib.ChainDataset([])]),
    lambda lib, t: (lib.TensorDataset(t([1.0])) + lib.TensorDataset(t([2.0])))[2],
    lambda lib, t: (lib.TensorDataset(t([1.0])) + lib.TensorDataset(t([2.0])))[-3],
    lambda lib, t: lib.StackDataset(),
    lambda lib, t: lib.StackDataset(range(2), range(3)),
    lambda lib, t: lib.StackDataset(range(2), b=range(2)),
    lambda lib, t: len(lib.ChainDataset([range(1)])),
    lambda lib, t: list(lib.ChainDataset([range(1)])),
], ids=lambda f: "")
def test_refusals_have_torch_types(make):
    ours, theirs = both(make)
    assert isinstance(theirs, type) and issubclass(theirs, Exception)
    assert ours is theirs


def test_refusals_name_the_class():
    with pytest.raises(ValueError, match="BatchSampler: batch_size should be a positive integer value, but got batch_size=0"):
        data.BatchSampler(range(3), 0, False)
    with pytest.raises(RuntimeError, match="WeightedRandomSampler: invalid multinomial"):
        list(data.WeightedRandomSampler([1.0, float("nan")], 2))


def test_combined_datasets_equal_torch():
    def make(lib, t):
        class Count(lib.IterableDataset):
            def __init__(self, n):
                self.n = n

            def __iter__(self):
                return iter(range(self.n))

            def __len__(self):
                return self.n
        a, b = lib.TensorDataset(t([1.0, 2.0, 3.0])), lib.TensorDataset(t([10.0, 20.0]))
        both_ = a + b
        return (len(both_), [both_[i] for i in range(-5, 5)], both_.cumulative_sizes,
                lib.StackDataset(a, range(3))[2], lib.StackDataset(x=a, y=range(3))[0],
                list(lib.ChainDataset([Count(2), Count(3)])), len(lib.ChainDataset([Count(2), Count(3)])),
                list(Count(2) + Count(1)))
    ours, theirs = both(make)
    assert plain(ours) == plain(theirs)


def test_loader_options_equal_torch():
    def make(lib, t):
        ds = lib.TensorDataset(t(np.arange(10.0)), t(np.arange(10)))
        return (list(lib.DataLoader(ds, sampler=[7, 1, 3], batch_size=2)),
                list(lib.DataLoader(ds, batch_sampler=[[4, 0], [9]])),
                list(lib.DataLoader(ds, batch_size=None))[:2],
                list(lib.DataLoader(range(3), batch_size=None)),
                list(lib.DataLoader([{"a": np.arange(2), "b": 1.5}], batch_size=None)),
                len(lib.DataLoader(ds, sampler=[7, 1, 3], batch_size=2)),
                len(lib.DataLoader(ds, batch_size=None)),
                list(lib.DataLoader(lib.StackDataset(x=ds, y=range(10)), batch_size=4))[-1])
    ours, theirs = both(make)
    assert plain(ours) == plain(theirs)


@pytest.mark.parametrize("kwargs", [
    dict(shuffle=True, sampler=[0]), dict(batch_size=2, batch_sampler=[[0]]), dict(shuffle=True, batch_sampler=[[0]]),
    dict(drop_last=True, batch_sampler=[[0]]), dict(sampler=[0], batch_sampler=[[0]]),
    dict(batch_size=None, drop_last=True), dict(num_workers=-1), dict(timeout=-1), dict(prefetch_factor=2),
    dict(persistent_workers=True), dict(batch_size=0), dict(batch_size=2.0), dict(batch_size=True),
])
def test_loader_refusals_have_torch_types(kwargs):
    ours, theirs = both(lambda lib, t: lib.DataLoader(lib.TensorDataset(t([1.0, 2.0])), **kwargs))
    assert ours is theirs and issubclass(theirs, Exception)


def test_iterable_dataset_batches_and_refusals_equal_torch():
    def make(lib, t):
        class Stream(lib.IterableDataset):
            def __iter__(self):
                return iter(range(7))

        class Sized(Stream):
            def __len__(self):
                return 7
        out = [list(lib.DataLoader(Stream(), batch_size=3)), list(lib.DataLoader(Stream(), batch_size=3, drop_last=True)),
               list(lib.DataLoader(Stream(), batch_size=None)), len(lib.DataLoader(Sized(), batch_size=3)),
               len(lib.DataLoader(Sized(), batch_size=3, drop_last=True)), list(Stream() + Stream())]
        for kwargs in (dict(shuffle=True), dict(sampler=[0]), dict(batch_sampler=[[0]])):
            try:
                lib.DataLoader(Stream(), **kwargs)
            except ValueError:
                out.append("ValueError")
        try:
            len(lib.DataLoader(Stream()))
        except TypeError:
            out.append("TypeError")
        return out
    ours, theirs = both(make)
    assert plain(ours) == plain(theirs)


def test_default_shuffle_keeps_its_draws():
    """The loader's own shuffled order is one permutation per epoch from the generator, as before samplers
    existed: a checkpointed generator state resumes the same batches."""
    ds = data.TensorDataset(ourdl.arange(20))
    g = ourdl.Generator().manual_seed(5)
    batches = [b.tolist() for (b,) in data.DataLoader(ds, batch_size=6, shuffle=True, generator=g)]
    expected = np.random.Generator(np.random.PCG64(5)).permutation(20)
    assert sum(batches, []) == expected.tolist()
