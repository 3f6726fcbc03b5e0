"""Elementwise kernels, NumPy passes and row kernels split over ourdl's threads give the one-thread result, bit for
bit, and do use the threads."""

import threading
import time

import numpy as np
import pytest

import ourdl
import ourdl.nn.functional as F
from ourdl import kernels, thread_split

CASES = [("relu", {}), ("elu", {}), ("selu", {}), ("celu", {"alpha": 0.5}), ("silu", {}), ("sigmoid", {}),
         ("tanh", {}), ("softplus", {"beta": 2.0}), ("logsigmoid", {}), ("mish", {}), ("gelu", {}),
         ("gelu", {"approximate": "tanh"}), ("softmax", {"dim": -1}), ("log_softmax", {"dim": -1}),
         ("softmin", {"dim": -1}), ("glu", {"dim": 0}), ("glu", {"dim": -1})]


@pytest.fixture
def threads():
    before = ourdl.get_num_threads()
    yield
    ourdl.set_num_threads(before)


def _forward_backward(name, kwargs, dtype):
    ourdl.manual_seed(0)
    x = (ourdl.randn(600, 512, dtype=dtype) * 4).requires_grad_()  # 307,200 values: split in two blocks
    y = getattr(F, name)(x, **kwargs)
    y.backward(ourdl.ones_like(y) * 0.5)
    kernels.wait()
    return y.detach().numpy(), x.grad.numpy()


@pytest.mark.parametrize("dtype", [ourdl.float32, ourdl.float64])
@pytest.mark.parametrize("name, kwargs", CASES, ids=[f"{n}{k or ''}" for n, k in CASES])
def test_two_threads_give_the_one_thread_bits(name, kwargs, dtype, threads):
    _forward_backward(name, kwargs, dtype)  # compiles what these calls use, so both runs time compiled kernels
    kernels.wait()
    ourdl.set_num_threads(1)
    one = _forward_backward(name, kwargs, dtype)
    ourdl.set_num_threads(2)
    two = _forward_backward(name, kwargs, dtype)
    for a, b in zip(one, two):
        assert a.tobytes() == b.tobytes()


def test_a_large_pass_runs_on_every_thread(threads):
    ourdl.set_num_threads(2)
    seen = set()

    def record(x, out):
        seen.add(threading.get_ident())
        np.negative(x, out=out)
        time.sleep(0.05)  # the other thread takes the next block meanwhile, however busy the machine

    x = np.arange(thread_split.MIN_SIZE * 2, dtype=np.float32)
    out = thread_split.split_pass(record, (x,), np.empty_like(x))
    assert len(seen) == 2 and np.array_equal(out, -x)
    seen.clear()
    rows = np.ones((thread_split.MIN_SIZE // 64, 128))
    thread_split.split_rows(lambda block: (seen.add(threading.get_ident()), block.__imul__(3), time.sleep(0.05)), rows)
    assert len(seen) == 2 and (rows == 3).all()


def test_small_or_strided_arrays_run_in_one_call(threads):
    ourdl.set_num_threads(2)
    calls = []

    def record(*args, out):
        calls.append(out.size)
        np.add(*args, out=out)

    small = np.ones(100, np.float32)
    thread_split.split_pass(record, (small, small), np.empty_like(small))
    strided = np.ones(thread_split.MIN_SIZE * 4, np.float32)[::2]
    thread_split.split_pass(record, (strided, np.float32(1)), np.empty_like(strided))
    assert calls == [100, thread_split.MIN_SIZE * 2]


def test_a_worker_that_does_not_start_leaves_its_blocks_to_the_caller(threads):
    ourdl.set_num_threads(2)
    pool = thread_split._WORKERS.get(1)
    release = threading.Event()
    pool.submit(release.wait)  # the only worker is busy: the caller must do every block itself
    x = np.arange(thread_split.BLOCK * 4, dtype=np.float32)
    try:
        out = thread_split.split_pass(np.negative, (x,), np.empty_like(x))
    finally:
        release.set()
    assert np.array_equal(out, -x)


def test_errors_in_a_block_reach_the_caller(threads):
    ourdl.set_num_threads(2)
    x = np.ones(thread_split.MIN_SIZE * 2, np.float32)

    def fail(x, out):
        raise ValueError("block failed")

    with pytest.raises(ValueError, match="block failed"):
        thread_split.split_pass(fail, (x,), np.empty_like(x))


def test_no_numpy_warning_from_a_worker_thread(threads, recwarn):
    ourdl.set_num_threads(2)
    x = ourdl.full((thread_split.MIN_SIZE * 2,), 1000.0)  # exp overflows to inf, silently as in PyTorch
    assert ourdl.isinf(ourdl.exp(x)).all()
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_a_split_that_a_busy_worker_missed_holds_no_arrays(threads):
    """A work item cancelled while queued stays in the queue until the worker takes it: it must not keep the
    op's arrays alive (it once held 400 MB over ten forward passes)."""
    import gc
    import tracemalloc

    ourdl.set_num_threads(2)
    x = ourdl.randn(500, 500, requires_grad=True)
    F.gelu(x.tanh()).sum()
    kernels.wait()
    release = threading.Event()
    thread_split._WORKERS.get(1).submit(release.wait)
    gc.disable()
    tracemalloc.start()
    try:
        for _ in range(5):
            y = x
            for _ in range(5):
                y = F.gelu(y.tanh())
            del y
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        gc.enable()
        release.set()
    assert held < 3e6
