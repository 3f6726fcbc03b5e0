"""Convolution on NumPy arrays: the column matrix (im2col), its adjoint (col2im) and the three products of a
convolution, its forward, its input gradient and its weight gradient, each one GEMM.

The column matrix of an input ``(N, C, *in)`` is laid out ``(groups, C/groups * prod(kernel), N * prod(out))``:
the layout in which every product is one batched matrix product over the groups, with no transposed copy of the
large matrix. Row :math:`(c, k)` and column :math:`(n, o)` hold :math:`x_{n, c}` at :math:`o s + k d - p`
(zero outside the input). Shapes and the zero padding are described by :class:`Geometry`, fixed per call.

>>> import numpy as np
>>> geo = Geometry((3,), (2,), stride=(1,), padding=((0, 0),), dilation=(1,), groups=1)
>>> im2col(np.arange(3.0).reshape(1, 1, 3), geo)[0]
array([[0., 1.],
       [1., 2.]])
"""

from __future__ import annotations

import math
from itertools import product

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__: list[str] = []


class Geometry:
    """The shapes of one convolution: spatial input ``size`` (unpadded), ``kernel``, ``stride``, ``padding``
    (``(before, after)`` per dimension), ``dilation``, ``groups``, and the spatial output size ``out``:
    :math:`\\lfloor (n + p_0 + p_1 - d (k - 1) - 1) / s \\rfloor + 1` unless given (a transposed convolution
    with ``output_padding`` at least the stride fixes it smaller)."""

    __slots__ = ("size", "kernel", "stride", "padding", "dilation", "groups", "out", "padded")

    def __init__(self, size, kernel, stride, padding, dilation, groups, out=None):
        self.size, self.kernel, self.stride = tuple(size), tuple(kernel), tuple(stride)
        self.padding, self.dilation, self.groups = tuple(padding), tuple(dilation), groups
        self.padded = tuple(n + lo + hi for n, (lo, hi) in zip(size, padding))
        self.out = tuple(out) if out is not None else tuple(
            (p - d * (k - 1) - 1) // s + 1 for p, k, s, d in zip(self.padded, kernel, stride, dilation))

    def __repr__(self) -> str:
        return (f"Geometry(size={self.size}, kernel={self.kernel}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, groups={self.groups})")


def _pad(x: np.ndarray, geo: Geometry) -> np.ndarray:
    """``x`` with zeros around its spatial dimensions (itself when there is no padding)."""
    if not any(lo or hi for lo, hi in geo.padding):
        return x
    xp = np.zeros(x.shape[:2] + geo.padded, dtype=x.dtype)
    xp[(slice(None), slice(None)) + tuple(slice(lo, lo + n) for (lo, _), n in zip(geo.padding, geo.size))] = x
    return xp


def im2col(x: np.ndarray, geo: Geometry) -> np.ndarray:
    """The column matrix of ``x`` ``(N, C, *size)``: shape ``(groups, C/groups * prod(kernel), N * prod(out))``.

    >>> geo = Geometry((2, 2), (2, 2), (1, 1), ((0, 0), (0, 0)), (1, 1), 1)
    >>> im2col(np.arange(4.0).reshape(1, 1, 2, 2), geo)[0].ravel()
    array([0., 1., 2., 3.])
    """
    n, c = x.shape[:2]
    g = geo.groups
    rows, columns = (c // g) * math.prod(geo.kernel), n * math.prod(geo.out)
    xp = np.ascontiguousarray(_pad(x, geo))
    s_n, s_c = xp.strides[:2]
    spatial = xp.strides[2:]
    view = as_strided(
        xp,
        shape=(g, c // g) + geo.kernel + (n,) + geo.out,
        strides=(s_c * (c // g), s_c) + tuple(st * d for st, d in zip(spatial, geo.dilation))
        + (s_n,) + tuple(st * s for st, s in zip(spatial, geo.stride)),
        writeable=False,
    )
    cols = np.empty(view.shape, dtype=x.dtype)
    np.copyto(cols, view)
    return cols.reshape(g, rows, columns)


def col2im(cols: np.ndarray, geo: Geometry, n: int, c: int) -> np.ndarray:
    """The adjoint of :func:`im2col`: each column entry added back where it was taken from, padding cut off;
    shape ``(N, C, *size)``.

    >>> geo = Geometry((3,), (2,), (1,), ((0, 0),), (1,), 1)
    >>> col2im(np.ones((1, 2, 2)), geo, 1, 1)
    array([[[1., 2., 1.]]])
    """
    d = len(geo.size)
    blocks = cols.reshape((c,) + geo.kernel + (n,) + geo.out)
    # summed in the column matrix's own order (channel, image, row): each offset's add runs along rows of both
    padded = np.zeros((c, n) + geo.padded, dtype=cols.dtype)
    for offset in product(*(range(k) for k in geo.kernel)):
        window = tuple(slice(i * v, i * v + s * (o - 1) + 1, s)
                       for i, v, s, o in zip(offset, geo.dilation, geo.stride, geo.out))
        padded[(slice(None), slice(None)) + window] += blocks[(slice(None),) + offset]
    inside = padded[(slice(None), slice(None)) + tuple(slice(lo, lo + size)
                                                       for (lo, _), size in zip(geo.padding, geo.size))]
    return np.ascontiguousarray(inside.transpose((1, 0) + tuple(range(2, 2 + d))))


def grouped_weight(w: np.ndarray, geo: Geometry) -> np.ndarray:
    """The weight ``(O, C/groups, *kernel)`` as ``(groups, O/groups, C/groups * prod(kernel))``."""
    return w.reshape(geo.groups, w.shape[0] // geo.groups, w.shape[1] * math.prod(geo.kernel))


def grouped_grad(g: np.ndarray, geo: Geometry) -> np.ndarray:
    """An output-shaped ``(N, O, *out)`` array as ``(groups, O/groups, N * prod(out))`` (one copy)."""
    n, o = g.shape[:2]
    grouped = g.reshape(n, geo.groups, o // geo.groups, math.prod(geo.out)).transpose(1, 2, 0, 3)
    return np.ascontiguousarray(grouped).reshape(geo.groups, o // geo.groups, n * math.prod(geo.out))


def conv_forward(x: np.ndarray, w: np.ndarray, bias, geo: Geometry, cols=None) -> np.ndarray:
    """:math:`y_{n,o} = b_o + \\sum_{c,k} w_{o,c,k} x_{n,c}[o s + k d - p]`, shape ``(N, O, *out)``; ``cols``
    may hand in the column matrix of ``x`` already made."""
    n = x.shape[0]
    o = w.shape[0]
    if cols is None:
        cols = im2col(x, geo)
    y = np.matmul(grouped_weight(w, geo), cols)  # (groups, O/groups, N * prod(out))
    out = np.empty((n, o) + geo.out, dtype=y.dtype)
    flat = out.reshape(n, o, math.prod(geo.out))
    source = y.reshape(o, n, math.prod(geo.out)).transpose(1, 0, 2)
    if bias is None:
        np.copyto(flat, source)
    else:
        np.add(source, bias.reshape(1, o, 1), out=flat)
    return out


def conv_input_grad(g: np.ndarray, w: np.ndarray, geo: Geometry, grouped=None) -> np.ndarray:
    """The gradient of :func:`conv_forward` for its input (a transposed convolution of ``g`` with ``w``), shape
    ``(N, C, *size)``; ``grouped`` may hand in :func:`grouped_grad` of ``g`` already made."""
    if grouped is None:
        grouped = grouped_grad(g, geo)
    cols = np.matmul(grouped_weight(w, geo).transpose(0, 2, 1), grouped)
    return col2im(cols, geo, g.shape[0], w.shape[1] * geo.groups)


def conv_weight_grad(x: np.ndarray, g: np.ndarray, geo: Geometry, cols=None, grouped=None) -> np.ndarray:
    """The gradient of :func:`conv_forward` for its weight, shape ``(O, C/groups, *kernel)``: one GEMM of the
    output gradient with the column matrix (``cols``/``grouped`` may be handed in already made)."""
    if cols is None:
        cols = im2col(x, geo)
    if grouped is None:
        grouped = grouped_grad(g, geo)
    # as (columns · gradientᵀ)ᵀ: OpenBLAS runs this orientation 1.4-1.6x faster for these long, thin operands
    gw = np.matmul(cols, grouped.transpose(0, 2, 1)).transpose(0, 2, 1)
    return np.ascontiguousarray(gw).reshape((g.shape[1], x.shape[1] // geo.groups) + geo.kernel)
