"""Dimension arguments checked and wrapped as PyTorch does: ``dim=-1`` is the last one, out of range is an error.

>>> from ourdl.dims import check_dim
>>> check_dim(-1, 3, "sum")
2
"""

from __future__ import annotations

import numpy as np


def check_dim(dim: int, ndim: int, op: str) -> int:
    """``dim`` wrapped into ``[0, ndim)`` (a 0-d tensor accepts 0 and -1), or PyTorch's IndexError naming ``op``.

    >>> check_dim(1, 2, "size")
    1
    >>> check_dim(2, 2, "size")
    Traceback (most recent call last):
    IndexError: size: Dimension out of range (expected to be in range of [-2, 1], but got 2)
    """
    low, high = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not isinstance(dim, (int, np.integer)) or not low <= dim <= high:
        raise IndexError(f"{op}: Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})")
    return dim % max(ndim, 1)
