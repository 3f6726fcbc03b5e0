"""Fused row kernels for softmax, log-softmax and GLU along a contiguous dimension, run on blocks of rows on each
thread (:func:`ourdl.thread_split.split_rows`).

A row of a few thousand values stays in cache, so a reduction over it and
the elementwise step after it cost one pass over memory instead of two or
three NumPy passes and their temporaries. ``exp`` stays with NumPy
(vectorised) for softmax; these loops do the arithmetic around it. GLU's
float32 kernels compute its sigmoid through float64 (:mod:`ourdl.kernel_math`)
in the same pass. Sums accumulate in
float64; division by zero gives inf/NaN as in NumPy. Compiled on first use and
cached on disk.
"""

from __future__ import annotations

import numpy as np

from ..kernel_math import exp_wide
from ..kernels import loop


def last_axis_rows(a: np.ndarray, dim: int):
    """``a`` as a 2-d C-contiguous view of rows along ``dim``, or None when that would need a copy."""
    if a.ndim == 0 or dim != a.ndim - 1 or not a.flags.c_contiguous or a.size == 0:
        return None
    return a.reshape(-1, a.shape[-1])


@loop
def shift_rows(x, m, sign, out):
    """out = (x - m) * sign per row, ``m`` the rows' maxima (sign 1, softmax) or minima (sign -1, softmin: m - x,
    the same numbers as -(x - m)) as a column."""
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            out[i, j] = (x[i, j] - m[i, 0]) * sign


# The sums below accumulate in float64 and are rounded to the rows' dtype once, then used as PyTorch uses its own
# (a float64 factor would make every element's product float64: 4x slower)
@loop
def normalise_rows(e):
    """e / sum(e) per row, in place (the softmax after the exponential): e times the rounded 1 / sum."""
    for i in range(e.shape[0]):
        total = 0.0
        for j in range(e.shape[1]):
            total += e[i, j]
        scale = e.dtype.type(1.0 / total)
        for j in range(e.shape[1]):
            e[i, j] *= scale


@loop
def softmax_backward_rows(y, g, out):
    """out = y (g - sum(g y)) per row."""
    for i in range(y.shape[0]):
        total = 0.0
        for j in range(y.shape[1]):
            total += g[i, j] * y[i, j]
        rounded = y.dtype.type(total)
        for j in range(y.shape[1]):
            out[i, j] = y[i, j] * (g[i, j] - rounded)


@loop
def log_softmax_backward_rows(g, p, out):
    """out = g - p sum(g) per row, with p = exp(y) the softmax."""
    for i in range(g.shape[0]):
        total = 0.0
        for j in range(g.shape[1]):
            total += g[i, j]
        rounded = g.dtype.type(total)
        for j in range(g.shape[1]):
            out[i, j] = g[i, j] - p[i, j] * rounded


@loop
def log_softmax_rows(shifted, p):
    """With p = exp(shifted) per row: p /= sum(p) (the softmax) and shifted -= log(sum(p)) (the log-softmax)."""
    for i in range(p.shape[0]):
        total = 0.0
        for j in range(p.shape[1]):
            total += p[i, j]
        scale, log_total = p.dtype.type(1.0 / total), p.dtype.type(np.log(total))
        for j in range(p.shape[1]):
            p[i, j] *= scale
            shifted[i, j] -= log_total


@loop(reassociate=False)
def glu_rows_wide(x, out):
    """out = a sigmoid(b) for rows x = [a, b] (float32, through float64, rounded once)."""
    half = out.shape[1]
    for i in range(x.shape[0]):
        for j in range(half):
            out[i, j] = np.float64(x[i, j]) / (1.0 + exp_wide(-np.float64(x[i, half + j])))


@loop(reassociate=False)
def glu_backward_rows_wide(x, g, out):
    """out = [g s, g a s (1 - s)] for rows x = [a, b], s = sigmoid(b) (float32, through float64)."""
    half = g.shape[1]
    for i in range(x.shape[0]):
        for j in range(half):
            s = 1.0 / (1.0 + exp_wide(-np.float64(x[i, half + j])))
            w = np.float64(g[i, j])
            out[i, j] = w * s
            out[i, half + j] = w * np.float64(x[i, j]) * s * (1.0 - s)
