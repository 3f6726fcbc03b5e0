"""Dimension arguments checked and wrapped as PyTorch does: ``dim=-1`` is the last one, out of range is an error.

>>> from ourdl.dims import check_dim
>>> check_dim(-1, 3, "sum")
2
"""

from __future__ import annotations

import operator

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


def sizes(args: tuple, op: str, name: str = "size") -> tuple:
    """Sizes given as ``f(2, 3)`` or ``f((2, 3))``, as a tuple of ints; anything but integers (a float, a bool, a
    nested list) is PyTorch's TypeError naming ``op``, rather than a silently truncated ``int(2.5)``.

    >>> sizes((2, 3), "zeros"), sizes(([2, 3],), "zeros")
    ((2, 3), (2, 3))
    >>> sizes((2.5,), "randn")
    Traceback (most recent call last):
    TypeError: randn(): argument 'size' must be tuple of ints, but found element of type float at pos 0
    """
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    result = []
    for i, s in enumerate(args):
        try:
            if isinstance(s, (bool, np.bool_)):
                raise TypeError
            result.append(operator.index(s))
        except TypeError:
            raise TypeError(f"{op}(): argument '{name}' must be tuple of ints, but found element of type "
                            f"{type(s).__name__} at pos {i}") from None
    return tuple(result)
