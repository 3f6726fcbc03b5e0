"""One pass over large arrays split into one block per thread: ``ourdl.set_num_threads`` threads run an elementwise
kernel or NumPy ufunc side by side.

NumPy's ufuncs and numba's kernels release the GIL while they loop, so Python threads run them in parallel. The
threads take contiguous blocks of the flattened arrays in turn and write their blocks of an output made once, so
nothing is put together afterwards; arrays below :data:`MIN_SIZE` elements, or not C-contiguous, run in one call (the
hand-off to another thread costs about 20 microseconds, a pass over 128K values about as much).

>>> import numpy as np
>>> x = np.arange(4.0)
>>> split_pass(np.exp, (x,), np.empty_like(x)).round(3)
array([ 1.   ,  2.718,  7.389, 20.086])
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .quiet_numpy import ignore_errors, restore_errors
from .threads import get_num_threads

MIN_SIZE = 1 << 17  # elements: below this one thread is as fast
BLOCK = 1 << 19  # elements per block of a split pass (2 MB of float32): about 0.2-1 ms of work each


class _Workers:
    """The threads beside the caller's, made on first use and again when the thread count changes."""

    def __init__(self):
        self.pool: ThreadPoolExecutor | None = None
        self.size = 0
        self.lock = threading.Lock()

    def get(self, count: int) -> ThreadPoolExecutor:
        with self.lock:
            if self.size != count:
                if self.pool is not None:
                    self.pool.shutdown(wait=False)
                self.pool = ThreadPoolExecutor(count, thread_name_prefix="ourdl-split")
                self.size = count
            return self.pool


_WORKERS = _Workers()


def _run_blocks(run_block, bounds: list, count: int) -> None:
    """``run_block(start, stop)`` for each block of ``bounds``, taken in turn by the caller and ``count - 1``
    workers: a worker that a busy machine does not schedule in time leaves its blocks to the others, so a split
    pass is never much slower than one thread (equal halves would wait for the slower one)."""
    blocks = iter(range(len(bounds) - 1))  # next() on it is atomic under the GIL
    job = {"run": run_block, "bounds": bounds}  # emptied at the end: a cancelled work item, still queued, then
    # holds no arrays (they are freed when the op's result is, as PyTorch frees them)

    def work():
        token = ignore_errors()  # NumPy's error state is per thread: PyTorch is silent about inf and NaN, so are we
        try:
            for i in blocks:
                job["run"](job["bounds"][i], job["bounds"][i + 1])
        finally:
            restore_errors(token)

    pool = _WORKERS.get(count - 1)
    futures = [pool.submit(work) for _ in range(count - 1)]
    try:
        work()
    finally:
        for future in futures:
            if not future.cancel():  # one still waiting to start has nothing left to do
                future.result()
        job.clear()


def _bounds(total: int, count: int, per_block: int) -> list:
    """Block boundaries over ``total`` items: blocks of about ``per_block`` items, at least ``count`` blocks."""
    blocks = max(count, total // per_block)
    return [total * i // blocks for i in range(blocks + 1)]


def split_pass(fn, args, out: np.ndarray) -> np.ndarray:
    """``fn(*args, out=out)`` with the work split into blocks shared by the threads when ``out`` is large; returns
    ``out``.

    The array arguments must have ``out``'s shape (scalars pass as they are). Splitting needs them and ``out``
    C-contiguous; otherwise, or below :data:`MIN_SIZE`, or on one thread, it is a single call.

    >>> a = np.ones(3, np.float32)
    >>> split_pass(np.add, (a, np.float32(1)), np.empty_like(a))
    array([2., 2., 2.], dtype=float32)
    """
    threads = get_num_threads()
    size = out.size
    arrays = [a for a in args if isinstance(a, np.ndarray)]
    if (threads == 1 or size < MIN_SIZE or not out.flags.c_contiguous
            or any(a.shape != out.shape or not a.flags.c_contiguous for a in arrays)):
        fn(*args, out=out)
        return out
    flat = [a.reshape(-1) if isinstance(a, np.ndarray) else a for a in args]
    out_flat = out.reshape(-1)

    def run_block(start, stop):
        fn(*[a[start:stop] if isinstance(a, np.ndarray) else a for a in flat], out=out_flat[start:stop])

    count = min(threads, size // (MIN_SIZE // 2))
    _run_blocks(run_block, _bounds(size, count, BLOCK), count)
    return out


def split_rows(fn, *arrays, block: int = BLOCK) -> None:
    """``fn(*arrays)``, a loop over the rows of 2-d arrays (all with the same number of rows, written in place),
    run on blocks of rows of about ``block`` elements shared by the threads when the arrays are large. A ``block``
    below :data:`BLOCK` is for a ``fn`` of several passes over its rows: it keeps each block in the core's cache
    while they run, on one thread too.

    >>> a = np.ones((4, 2))
    >>> split_rows(lambda block: block.__imul__(2), a); a.sum()
    np.float64(16.0)
    """
    threads = get_num_threads()
    rows = arrays[0].shape[0]
    count = min(threads, rows, arrays[0].size // (MIN_SIZE // 2))
    per_block = max(1, block // max(1, arrays[0].size // rows))

    def run_block(start, stop):
        fn(*[a[start:stop] for a in arrays])

    if count > 1:
        _run_blocks(run_block, _bounds(rows, count, per_block), count)
    elif block < BLOCK:  # blocks kept in cache on one thread too
        bounds = _bounds(rows, 1, per_block)
        for start, stop in zip(bounds[:-1], bounds[1:]):
            run_block(start, stop)
    else:
        fn(*arrays)


def parallel(ufunc):
    """``ufunc`` (a NumPy ufunc of one or more inputs) run by :func:`split_pass`; its result has the first input's
    dtype, in a new array or in ``out``.

    >>> exp = parallel(np.exp)
    >>> exp(np.zeros(2, np.float32))
    array([1., 1.], dtype=float32)
    """

    def call(first, *rest, out=None):
        if out is None:
            out = np.empty(first.shape, first.dtype)
        return split_pass(ufunc, (first, *rest), out)

    call.__name__ = call.__qualname__ = ufunc.__name__
    call.__doc__ = f"NumPy's ``{ufunc.__name__}``, split over ourdl's threads for large arrays."
    return call
