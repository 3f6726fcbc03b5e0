"""One pass over large arrays split into one block per thread: ``ourdl.set_num_threads`` threads run an elementwise
kernel or NumPy ufunc side by side.

NumPy's ufuncs and numba's kernels release the GIL while they loop, so Python threads run them in parallel. Each
thread takes one contiguous block of the flattened arrays and writes its block of an output made once, so nothing is
put together afterwards; arrays below :data:`MIN_SIZE` elements, or not C-contiguous, run in one call (the hand-off
to another thread costs about 20 microseconds, a pass over 128K values about as much).

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


def _block(fn, args, out, start, stop):
    token = ignore_errors()  # NumPy's error state is per thread: PyTorch is silent about inf and NaN, so are we
    try:
        fn(*[a[start:stop] if isinstance(a, np.ndarray) else a for a in args], out=out[start:stop])
    finally:
        restore_errors(token)


def split_pass(fn, args, out: np.ndarray) -> np.ndarray:
    """``fn(*args, out=out)`` with the work split into one block per thread when ``out`` is large; returns ``out``.

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
    count = min(threads, size // (MIN_SIZE // 2))
    flat = [a.reshape(-1) if isinstance(a, np.ndarray) else a for a in args]
    out_flat = out.reshape(-1)
    bounds = [size * i // count for i in range(count + 1)]
    pool = _WORKERS.get(count - 1)
    futures = [pool.submit(_block, fn, flat, out_flat, bounds[i], bounds[i + 1]) for i in range(1, count)]
    try:
        _block(fn, flat, out_flat, bounds[0], bounds[1])
    finally:
        for future in futures:
            future.result()
    return out


def split_rows(fn, *arrays) -> None:
    """``fn(*arrays)``, a compiled loop over the rows of 2-d arrays (all with the same number of rows, written in
    place), run on blocks of rows, one per thread, when the arrays are large.

    >>> a = np.ones((4, 2))
    >>> split_rows(lambda block: block.__imul__(2), a); a.sum()
    np.float64(16.0)
    """
    threads = get_num_threads()
    rows = arrays[0].shape[0]
    count = min(threads, rows, arrays[0].size // (MIN_SIZE // 2))
    if count <= 1:
        fn(*arrays)
        return
    bounds = [rows * i // count for i in range(count + 1)]
    pool = _WORKERS.get(count - 1)
    futures = [pool.submit(fn, *[a[bounds[i]:bounds[i + 1]] for a in arrays]) for i in range(1, count)]
    try:
        fn(*[a[:bounds[1]] for a in arrays])
    finally:
        for future in futures:
            future.result()


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
