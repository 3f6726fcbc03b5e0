"""DataLoader, collate, random_split and Subset against torch.utils.data."""

import numpy as np
import pytest

import ourdl
from ourdl.data import DataLoader, Subset, TensorDataset, default_collate, random_split
from tests.oracle import torch


def _dataset(n=10):
    return TensorDataset(ourdl.arange(float(n)).reshape(n, 1), ourdl.arange(n))


class ItemDataset(ourdl.data.Dataset):
    """A map-style dataset without the TensorDataset fast path."""

    def __init__(self, n):
        self.n = n

    def __getitem__(self, i):
        return np.array([i, i * i], dtype=np.float32), i

    def __len__(self):
        return self.n


@pytest.mark.parametrize("n", [1, 7, 10, 33])
@pytest.mark.parametrize("batch_size", [1, 3, 10, 64])
@pytest.mark.parametrize("drop_last", [False, True])
def test_batch_counts_and_sizes_match_torch(n, batch_size, drop_last):
    ours = DataLoader(_dataset(n), batch_size=batch_size, drop_last=drop_last)
    theirs = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(float(n)).reshape(n, 1), torch.arange(n)),
                                         batch_size=batch_size, drop_last=drop_last)
    assert len(ours) == len(theirs)
    ours_batches, theirs_batches = list(ours), list(theirs)
    assert len(ours_batches) == len(theirs_batches) == len(ours)
    for (x, y), (tx, ty) in zip(ours_batches, theirs_batches):
        np.testing.assert_array_equal(x.numpy(), tx.numpy())
        np.testing.assert_array_equal(y.numpy(), ty.numpy())
        assert x.dtype == ourdl.float32 and y.dtype == ourdl.int64


def test_collate_matches_torch_default_collate():
    samples = [(np.array([i, i + 0.5], dtype=np.float32), i, float(i), {"k": i}) for i in range(4)]
    ours = default_collate(samples)
    theirs = torch.utils.data.default_collate(samples)
    assert isinstance(ours, list) and isinstance(ours[3], dict)
    for o, t in zip(ours[:3] + [ours[3]["k"]], theirs[:3] + [theirs[3]["k"]]):
        assert str(o.dtype).split(".")[1] == str(t.dtype).split(".")[1]
        np.testing.assert_array_equal(o.numpy(), t.numpy())


def test_collate_rejects_ragged_samples():
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([np.zeros(2), np.zeros(3)])


def test_shuffle_is_a_permutation_reproducible_from_the_seed_and_new_each_epoch():
    loader = DataLoader(_dataset(50), batch_size=8, shuffle=True)
    ourdl.manual_seed(3)
    first = np.concatenate([y.numpy() for _, y in loader])
    second = np.concatenate([y.numpy() for _, y in loader])
    ourdl.manual_seed(3)
    again = np.concatenate([y.numpy() for _, y in loader])
    assert sorted(first.tolist()) == list(range(50))
    assert not np.array_equal(first, np.arange(50)) and not np.array_equal(first, second)
    np.testing.assert_array_equal(first, again)


def test_own_generator_leaves_the_global_one_alone():
    loader = DataLoader(_dataset(20), batch_size=4, shuffle=True, generator=ourdl.Generator().manual_seed(5))
    state = ourdl.get_rng_state()
    order = np.concatenate([y.numpy() for _, y in loader])
    assert ourdl.get_rng_state() == state
    again = np.concatenate([y.numpy() for _, y in DataLoader(_dataset(20), batch_size=4, shuffle=True, generator=ourdl.Generator().manual_seed(5))])
    np.testing.assert_array_equal(order, again)


def test_fast_path_equals_per_sample_collate():
    ds = _dataset(23)
    ourdl.manual_seed(1)
    fast = list(DataLoader(ds, batch_size=5, shuffle=True))
    ourdl.manual_seed(1)
    slow = list(DataLoader(ds, batch_size=5, shuffle=True, collate_fn=default_collate))
    for a, b in zip(fast, slow, strict=True):
        for t, u in zip(a, b):
            np.testing.assert_array_equal(t.numpy(), u.numpy())
            assert t.dtype == u.dtype


@pytest.mark.parametrize("shuffle", [False, True])
def test_changing_a_batch_in_place_leaves_the_dataset_alone(shuffle):
    ds = _dataset(10)
    for x, _ in DataLoader(ds, batch_size=4, shuffle=shuffle):
        x.mul_(0)
    np.testing.assert_array_equal(ds.tensors[0].numpy().ravel(), np.arange(10.0))


def test_generic_dataset_is_collated():
    x, y = next(iter(DataLoader(ItemDataset(5), batch_size=3)))
    np.testing.assert_array_equal(x.numpy(), [[0, 0], [1, 1], [2, 4]])
    assert y.tolist() == [0, 1, 2] and y.dtype == ourdl.int64


@pytest.mark.parametrize("lengths", [[6, 4], [0.6, 0.4], [0.34, 0.33, 0.33]])
def test_random_split_partitions_like_torch(lengths):
    ds = _dataset(10)
    parts = random_split(ds, lengths, generator=ourdl.Generator().manual_seed(0))
    theirs = torch.utils.data.random_split(range(10), lengths, generator=torch.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [len(t) for t in theirs]
    assert sorted(i for p in parts for i in p.indices) == list(range(10))
    again = random_split(ds, lengths, generator=ourdl.Generator().manual_seed(0))
    assert [p.indices for p in parts] == [p.indices for p in again]


def test_random_split_rejects_bad_lengths():
    with pytest.raises(ValueError, match="summing to the dataset's size 10"):
        random_split(_dataset(10), [5, 6])


def test_subset_of_tensor_dataset_uses_its_rows():
    ds = _dataset(10)
    subset = Subset(ds, [9, 2, 4])
    batches = [y.tolist() for _, y in DataLoader(subset, batch_size=2)]
    assert batches == [[9, 2], [4]]
    assert subset[0][1].item() == 9


def test_tensor_dataset_checks_sizes_and_loader_checks_batch_size():
    with pytest.raises(ValueError, match=r"\(3,\), \(4,\)"):
        TensorDataset(ourdl.zeros(3), ourdl.zeros(4))
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(_dataset(3), batch_size=0)


def test_an_item_of_a_1d_tensor_dataset_is_a_0d_array():
    x, y = TensorDataset(ourdl.arange(3.0), ourdl.arange(3))[1]
    assert type(y.numpy()) is np.ndarray and type(x.numpy()) is np.ndarray
    y.add_(1)
    assert (x.item(), y.item()) == (1.0, 2)
