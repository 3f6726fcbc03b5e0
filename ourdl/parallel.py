"""The threads ourdl computes on: ``set_num_threads``/``get_num_threads`` and elementwise work split across them.

One number governs both kinds of parallel work, as in PyTorch: NumPy's BLAS
(matrix products, through threadpoolctl) and ourdl's elementwise kernels
(activations and the hot unary ops). An elementwise kernel on a large array
runs :func:`map_chunks`: the array is cut into blocks that fit in a core's
cache, and each thread runs the same kernel on its share of blocks. NumPy's
ufuncs and the compiled kernels release the GIL while they loop, so the
threads really run at once; every element is computed by the same code as in
one call on the whole array, so the results are identical bit for bit.

>>> import ourdl
>>> ourdl.get_num_threads() >= 1
True
"""

from __future__ import annotations

import contextvars
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

BLOCK = 1 << 16
"""Elements per block: 256 KiB of float32, so a kernel's inputs, temporaries and output stay in a core's L2 cache."""

MIN_PARALLEL = 1 << 18
"""Below this many elements an array is computed in one call: handing work to threads costs more than it saves."""


class _Threads:
    """The thread count and the pool that serves it (made on first parallel use, remade when the count changes)."""

    def __init__(self):
        self.count = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
        self.pool: ThreadPoolExecutor | None = None
        self.lock = threading.Lock()

    def executor(self) -> ThreadPoolExecutor:
        with self.lock:
            if self.pool is None or self.pool._max_workers != self.count:
                if self.pool is not None:
                    self.pool.shutdown(wait=False)
                self.pool = ThreadPoolExecutor(self.count, thread_name_prefix="ourdl")
            return self.pool


_THREADS = _Threads()


def get_num_threads() -> int:
    """The number of threads ourdl's elementwise kernels and NumPy's BLAS use (default: the usable cores).

    >>> import ourdl
    >>> n = ourdl.get_num_threads()
    >>> ourdl.set_num_threads(1); ourdl.get_num_threads()
    1
    >>> ourdl.set_num_threads(n)
    """
    return _THREADS.count


def set_num_threads(num: int) -> None:
    """Use ``num`` threads for elementwise kernels and for NumPy's BLAS (matrix products), as
    ``torch.set_num_threads`` does for PyTorch's kernels.

    >>> import ourdl
    >>> ourdl.set_num_threads(0)
    Traceback (most recent call last):
    RuntimeError: set_num_threads expects a positive integer, got 0
    """
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(num).__name__}")
    if num < 1:
        raise RuntimeError(f"set_num_threads expects a positive integer, got {num}")
    _THREADS.count = int(num)
    from threadpoolctl import threadpool_limits  # deferred: it inspects the loaded libraries when imported

    threadpool_limits(limits=int(num), user_api="blas")


def map_chunks(kernel, *args):
    """``kernel(*args)``, computed block by block on every thread when the arrays are large.

    ``args`` may hold arrays of one shape (cut into blocks), tuples of them, None and
    scalars (passed whole). ``kernel`` returns an array, or a tuple of arrays and None, each
    of that shape (or a tuple nesting them once); the blocks' results are put together in
    arrays of the same structure. Arrays that are not contiguous, or small ones, go to
    ``kernel`` in one call.

    >>> import numpy as np
    >>> x = np.linspace(-1, 1, 1 << 19)
    >>> bool((map_chunks(np.tanh, x) == np.tanh(x)).all())
    True
    """
    shape = _common_shape(args)
    threads = _THREADS.count
    if shape is None or threads == 1:
        return kernel(*args)
    size = int(np.prod(shape))
    starts = range(0, size, BLOCK)
    first = kernel(*_block(args, 0, BLOCK))
    outputs = _allocate(first, size)
    _store(outputs, first, 0, BLOCK)

    def work(share):
        for start in share:
            stop = start + BLOCK
            _store(outputs, kernel(*_block(args, start, stop)), start, stop)

    rest = list(starts)[1:]
    shares = [rest[i * len(rest) // threads:(i + 1) * len(rest) // threads] for i in range(threads)]
    # each thread runs in a copy of the caller's context: NumPy's errstate (silenced overflow) lives there
    futures = [_THREADS.executor().submit(contextvars.copy_context().run, work, share) for share in shares[1:]]
    work(shares[0])  # the calling thread takes the first share rather than wait idle
    for future in futures:
        future.result()  # re-raises a kernel's exception here
    return _reshape(outputs, shape)


def _flat_arrays(args):
    for a in args:
        if isinstance(a, tuple):
            yield from _flat_arrays(a)
        elif isinstance(a, np.ndarray) and a.ndim:
            yield a


def _common_shape(args):
    """The arrays' shape when they are large, contiguous and alike (blocks can be cut), else None."""
    arrays = list(_flat_arrays(args))
    if not arrays or arrays[0].size < MIN_PARALLEL:
        return None
    shape = arrays[0].shape
    if any(a.shape != shape or not a.flags.c_contiguous for a in arrays):
        return None
    return shape


def _block(args, start, stop):
    return tuple(_block(a, start, stop) if isinstance(a, tuple) else
                 a.reshape(-1)[start:stop] if isinstance(a, np.ndarray) and a.ndim else a for a in args)


def _allocate(result, size):
    if isinstance(result, tuple):
        return tuple(_allocate(r, size) for r in result)
    return None if result is None else np.empty(size, result.dtype)


def _store(outputs, result, start, stop):
    if isinstance(outputs, tuple):
        for out, r in zip(outputs, result):
            _store(out, r, start, stop)
    elif outputs is not None:
        outputs[start:stop] = result


def _reshape(outputs, shape):
    if isinstance(outputs, tuple):
        return tuple(_reshape(o, shape) for o in outputs)
    return None if outputs is None else outputs.reshape(shape)
