"""Fused row kernels for softmax and log-softmax along the last, contiguous dimension.

A row of a few thousand values stays in cache, so a reduction over it and
the elementwise step after it cost one pass over memory instead of two or
three NumPy passes and their temporaries. ``exp`` stays with NumPy
(vectorised); these loops do the arithmetic around it. Sums accumulate in
float64; division by zero gives inf/NaN as in NumPy. Compiled on first use and
cached on disk.
"""

from __future__ import annotations

import numpy as np
from ..kernels import loop


def last_axis_rows(a: np.ndarray, dim: int):
    """``a`` as a 2-d C-contiguous view of rows along ``dim``, or None when that would need a copy."""
    if a.ndim == 0 or dim != a.ndim - 1 or not a.flags.c_contiguous or a.size == 0:
        return None
    return a.reshape(-1, a.shape[-1])


@loop
def normalise_rows(e):
    """e / sum(e) per row, in place (the softmax after the exponential)."""
    for i in range(e.shape[0]):
        total = 0.0
        for j in range(e.shape[1]):
            total += e[i, j]
        scale = 1.0 / total
        for j in range(e.shape[1]):
            e[i, j] *= scale


@loop
def softmax_backward_rows(y, g, out):
    """out = y (g - sum(g y)) per row."""
    for i in range(y.shape[0]):
        total = 0.0
        for j in range(y.shape[1]):
            total += g[i, j] * y[i, j]
        for j in range(y.shape[1]):
            out[i, j] = y[i, j] * (g[i, j] - total)


@loop
def log_softmax_backward_rows(g, p, out):
    """out = g - p sum(g) per row, with p = exp(y) the softmax."""
    for i in range(g.shape[0]):
        total = 0.0
        for j in range(g.shape[1]):
            total += g[i, j]
        for j in range(g.shape[1]):
            out[i, j] = g[i, j] - p[i, j] * total
