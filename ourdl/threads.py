"""The threads ourdl computes on: ``set_num_threads`` and ``get_num_threads``, as PyTorch's.

The number governs NumPy's BLAS (matrix products, through threadpoolctl), and the
elementwise kernels, NumPy passes and row kernels of the activations, which
:mod:`ourdl.thread_split` runs on one block of a large array per thread. As
PyTorch's, the default is ``OMP_NUM_THREADS`` when set, else the usable cores.

>>> import ourdl
>>> ourdl.get_num_threads() >= 1
True
"""

from __future__ import annotations

import os

import numpy as np


class _ThreadCount:
    """The number the user set, else ``OMP_NUM_THREADS``, else the usable cores (PyTorch's default)."""

    def __init__(self):
        usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        given = os.environ.get("OMP_NUM_THREADS", "").strip()
        self.value = int(given) if given.isdigit() and int(given) > 0 else max(1, usable or 1)


_COUNT = _ThreadCount()


def get_num_threads() -> int:
    """The number of threads ourdl computes on: NumPy's BLAS and the elementwise kernels (default:
    ``OMP_NUM_THREADS``, else the usable cores).

    >>> import ourdl
    >>> n = ourdl.get_num_threads()
    >>> ourdl.set_num_threads(1); ourdl.get_num_threads()
    1
    >>> ourdl.set_num_threads(n)
    """
    return _COUNT.value


def set_num_threads(num: int) -> None:
    """Use ``num`` threads for NumPy's BLAS (matrix products) and the elementwise kernels, as
    ``torch.set_num_threads`` does for PyTorch.

    >>> import ourdl
    >>> ourdl.set_num_threads(0)
    Traceback (most recent call last):
    RuntimeError: set_num_threads expects a positive integer, got 0
    """
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(num).__name__}")
    if num < 1:
        raise RuntimeError(f"set_num_threads expects a positive integer, got {num}")
    _COUNT.value = int(num)
    from threadpoolctl import threadpool_limits  # deferred: it inspects the loaded libraries when imported

    threadpool_limits(limits=int(num), user_api="blas")
