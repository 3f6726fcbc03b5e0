"""The threads ourdl computes on: ``set_num_threads`` and ``get_num_threads``, as PyTorch's.

The number governs NumPy's BLAS (matrix products, through threadpoolctl), which is
where ourdl's time goes in training. Elementwise ops run on one thread: on these
machines a pass over a large array is bound by memory bandwidth, and splitting it
over Python threads (blocks computed on each thread, then put together) measured
slower than one pass, not faster (see ARCHITECTURE.md).

>>> import ourdl
>>> ourdl.get_num_threads() >= 1
True
"""

from __future__ import annotations

import os

import numpy as np


class _ThreadCount:
    """The number the user set, or the usable cores (PyTorch's default)."""

    def __init__(self):
        usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        self.value = max(1, usable or 1)


_COUNT = _ThreadCount()


def get_num_threads() -> int:
    """The number of threads NumPy's BLAS uses for ourdl (default: the usable cores).

    >>> import ourdl
    >>> n = ourdl.get_num_threads()
    >>> ourdl.set_num_threads(1); ourdl.get_num_threads()
    1
    >>> ourdl.set_num_threads(n)
    """
    return _COUNT.value


def set_num_threads(num: int) -> None:
    """Use ``num`` threads for NumPy's BLAS (matrix products), as ``torch.set_num_threads`` does for PyTorch.

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
