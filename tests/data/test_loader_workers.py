"""DataLoader(num_workers=N): real worker processes, in order, seeded, with errors carried back; beside torch."""

import os
import random

import numpy as np
import pytest
import torch
import torch.utils.data as tud

import ourdl
from ourdl import data


def plain(batches):
    if isinstance(batches, (list, tuple)):
        return [plain(b) for b in batches]
    return batches.tolist() if hasattr(batches, "tolist") else batches


def sharded_stream(lib):
    """An iterable dataset that reads only its worker's share of range(10), as PyTorch's documentation shows."""
    class Shards(lib.IterableDataset):
        def __iter__(self):
            info = lib.get_worker_info()
            start, step = (0, 1) if info is None else (info.id, info.num_workers)
            return iter(range(start, 10, step))
    return Shards()


@pytest.mark.parametrize("batch_size", [None, 1, 3])
def test_iterable_dataset_in_workers_equals_torch(batch_size):
    ours = plain(list(data.DataLoader(sharded_stream(data), batch_size=batch_size, num_workers=2)))
    theirs = plain(list(tud.DataLoader(sharded_stream(tud), batch_size=batch_size, num_workers=2)))
    assert ours == theirs
    assert sorted(sum(ours, []) if batch_size else ours) == list(range(10))


def test_map_dataset_in_workers_gives_the_same_batches_as_in_process():
    ds = data.TensorDataset(ourdl.arange(50.0).reshape(25, 2), ourdl.arange(25))
    alone = plain(list(data.DataLoader(ds, batch_size=4)))
    assert plain(list(data.DataLoader(ds, batch_size=4, num_workers=2))) == alone
    assert plain(list(data.DataLoader(ds, batch_size=4, num_workers=3, prefetch_factor=1))) == alone
    unordered = plain(list(data.DataLoader(ds, batch_size=4, num_workers=2, in_order=False)))
    assert sorted(map(str, unordered)) == sorted(map(str, alone))
    g = lambda: ourdl.Generator().manual_seed(1)
    shuffled = plain(list(data.DataLoader(ds, batch_size=4, shuffle=True, generator=g())))
    assert plain(list(data.DataLoader(ds, batch_size=4, shuffle=True, generator=g(), num_workers=2))) == shuffled


class Pid(data.Dataset):
    def __getitem__(self, i):
        return os.getpid(), data.get_worker_info().id, ourdl.rand(1).item(), random.random()

    def __len__(self):
        return 8


def test_workers_are_processes_with_their_own_seeds():
    g = ourdl.Generator().manual_seed(0)
    rows = [tuple(x) for b in data.DataLoader(Pid(), batch_size=2, num_workers=2, generator=g) for x in zip(*plain(b))]
    pids = {pid for pid, *_ in rows}
    assert os.getpid() not in pids and len(pids) == 2
    assert [w for _, w, *_ in rows] == [0, 0, 1, 1, 0, 0, 1, 1]  # batch k comes from worker k % 2
    assert len({r for *_, r, _ in rows}) == 8  # different random streams per worker
    again = [tuple(x) for b in data.DataLoader(Pid(), batch_size=2, num_workers=2, generator=ourdl.Generator().manual_seed(0))
             for x in zip(*plain(b))]
    assert [r[1:] for r in again] == [r[1:] for r in rows]  # seeded from the loader's generator: repeatable
    assert data.get_worker_info() is None


def test_worker_init_fn_and_persistent_workers():
    seen = []

    class Tagged(data.Dataset):
        def __getitem__(self, i):
            return np.array([i, os.environ.get("OURDL_TEST_WORKER", "-1")], dtype=object)[0], int(os.environ["OURDL_TEST_WORKER"])

        def __len__(self):
            return 4

    def init(worker_id):
        os.environ["OURDL_TEST_WORKER"] = str(worker_id)

    loader = data.DataLoader(Tagged(), batch_size=2, num_workers=2, worker_init_fn=init, persistent_workers=True)
    for _ in range(2):
        seen.append(plain(list(loader)))
    assert seen[0] == seen[1] == [[[0, 1], [0, 0]], [[2, 3], [1, 1]]]
    assert loader._pool is not None and all(w.is_alive() for w in loader._pool.workers)
    first = next(iter(loader))  # an epoch left unfinished does not leak batches into the next
    assert plain(first) == [[0, 1], [0, 0]] and plain(list(loader)) == seen[0]
    pool = loader._pool
    del loader
    assert not any(w.is_alive() for w in pool.workers)


class Faulty(data.Dataset):
    def __getitem__(self, i):
        if i == 5:
            raise KeyError("sample 5 is missing")
        return i

    def __len__(self):
        return 8


def test_a_worker_error_is_raised_with_its_type_and_traceback():
    with pytest.raises(KeyError, match=r"Caught KeyError in DataLoader worker process 0(.|\n)*sample 5 is missing"):
        list(data.DataLoader(Faulty(), batch_size=2, num_workers=2))


class Stuck(data.Dataset):
    def __getitem__(self, i):
        if i == 1:
            import time
            time.sleep(30)
        return i

    def __len__(self):
        return 2


def test_timeout_and_a_dead_worker():
    with pytest.raises(RuntimeError, match="DataLoader timed out after 0.5 seconds"):
        list(data.DataLoader(Stuck(), batch_size=1, num_workers=2, timeout=0.5))

    class Dies(data.Dataset):
        def __getitem__(self, i):
            os._exit(3)

        def __len__(self):
            return 2
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+(, \d+)?\) exited unexpectedly"):
        list(data.DataLoader(Dies(), batch_size=1, num_workers=2))


@pytest.mark.parametrize("args, kwargs, words", [
    ((5,), {}, "dataset must be a map-style dataset"), ((range(3),), dict(sampler=5), "sampler must be an iterable"),
    ((range(3),), dict(batch_sampler=5), "batch_sampler must be an iterable"),
    ((range(3),), dict(collate_fn=5), "collate_fn must be callable"),
    ((range(3),), dict(num_workers=1, worker_init_fn="f"), "worker_init_fn must be callable"),
])
def test_parts_of_the_wrong_kind_are_named(args, kwargs, words):
    with pytest.raises(TypeError, match=f"DataLoader: {words}"):
        data.DataLoader(*args, **kwargs)
    with pytest.raises(TypeError):  # torch's type, though torch says it later and in Python's words
        list(tud.DataLoader(*args, **kwargs))


def test_worker_options_are_checked():
    ds = data.TensorDataset(ourdl.arange(3.0))
    for kwargs, error in ((dict(num_workers=1.5), ValueError), (dict(num_workers=1, prefetch_factor=0), ValueError),
                          (dict(num_workers=True), ValueError), (dict(timeout=float("nan")), ValueError)):
        with pytest.raises(error, match="DataLoader: "):
            data.DataLoader(ds, **kwargs)


def test_the_cifar_tutorial_loop_runs_with_workers():
    """The blitz tutorial's loader: num_workers=2, batch 4, shuffled, a CNN trained over it."""
    ds = data.TensorDataset(ourdl.randn(32, 3, 32, 32), ourdl.randint(0, 10, (32,)))
    loader = data.DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    net = ourdl.nn.Sequential(ourdl.nn.Conv2d(3, 6, 5), ourdl.nn.ReLU(), ourdl.nn.MaxPool2d(2, 2), ourdl.nn.Flatten(),
                              ourdl.nn.Linear(6 * 14 * 14, 10))
    optimizer = ourdl.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    seen = 0
    for inputs, labels in loader:
        optimizer.zero_grad()
        loss = ourdl.nn.functional.cross_entropy(net(inputs), labels)
        loss.backward()
        optimizer.step()
        seen += len(labels)
    assert seen == 32 and np.isfinite(loss.item())


class Unpicklable(data.Dataset):
    def __getitem__(self, i):
        return lambda: i

    def __len__(self):
        return 2


def test_a_sample_that_cannot_leave_its_worker_is_an_error_not_a_hang():
    loader = data.DataLoader(Unpicklable(), batch_size=None, num_workers=1, timeout=30)
    with pytest.raises(Exception, match="Caught .* in DataLoader worker process 0(.|\n)*pickle"):
        list(loader)


def test_fit_trains_on_a_stream_without_a_length():
    class Stream(data.IterableDataset):
        def __iter__(self):
            rng = np.random.default_rng(0)
            for _ in range(40):
                x = rng.standard_normal(2).astype(np.float32)
                yield ourdl.from_numpy(x), ourdl.tensor(int(x.sum() > 0))
    model = ourdl.nn.Linear(2, 2)
    history = ourdl.train.fit(model, ourdl.nn.CrossEntropyLoss(), ourdl.optim.SGD(model.parameters(), lr=0.5),
                              data.DataLoader(Stream(), batch_size=8, num_workers=1), epochs=3, progress=False)
    assert len(history) == 3 and history["train_loss"][-1] < history["train_loss"][0]
