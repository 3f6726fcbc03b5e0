"""Activations along a dimension: softmax, log_softmax, softmin, GLU, sparsemax.

Softmax and log-softmax subtract the maximum before exponentiating (no
overflow at any input) and reuse their output in backward. Along the last,
contiguous dimension (the usual case) the reductions and the arithmetic
around them are fused row kernels (:mod:`.rows`); under ``create_graph=True``
the backward runs on tensors with :mod:`ourdl.ops.array_or_tensor`.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dtypes import as_dtype, half_as_float32
from ..ops import array_or_tensor as dual
from ..ops.reductions import normalize_dims
from ..ops.unary import checked_input
from .registry import Property, register
from ..kernels import kernel
from ..ops.elementwise import sigmoid, sigmoid_array
from ..thread_split import parallel, split_rows
from .rows import (glu_backward_rows_wide, glu_rows_wide, last_axis_rows, log_softmax_backward_rows, log_softmax_rows,
                   normalise_rows, shift_rows, softmax_backward_rows)

exp = parallel(np.exp)


def implicit_dim(op: str, ndim: int) -> int:
    """PyTorch's deprecated choice when ``dim`` is omitted: 0 for 0-, 1- and 3-d input, else 1 (with a warning)."""
    warnings.warn(f"Implicit dimension choice for {op} has been deprecated. Change the call to include dim=X as an "
                  "argument.", UserWarning, stacklevel=4)
    return 0 if ndim in (0, 1, 3) else 1


# Along the last, contiguous dimension of float32 or float64: blocks of rows of 256K elements (1 MB of float32,
# within a core's cache) go through the maximum, the shift, exp and the normalisation one block at a time, so
# memory is read and written once (4M float32 softmax forward at one thread: 7.8 -> 2.9 ms)
CACHE_BLOCK = 1 << 18


def _compiled_rows(x, dim):
    return last_axis_rows(x, dim) if x.dtype in (np.float32, np.float64) else None


def _softmax_block(x, out, sign):
    """Softmax (``sign`` 1) or softmin (``sign`` -1) of a block of rows, shifted by each row's maximum or minimum."""
    shift_rows(x, (np.max if sign > 0 else np.min)(x, axis=1, keepdims=True), x.dtype.type(sign), out)
    np.exp(out, out=out)
    normalise_rows(out)


def _log_softmax_block(x, shifted, p):
    shift_rows(x, np.max(x, axis=1, keepdims=True), x.dtype.type(1), shifted)
    np.exp(shifted, out=p)
    log_softmax_rows(shifted, p)


class Softmax(ArrayFunction):
    """softmax(x) along ``dim``; with ``negate``, softmin: softmax(-x) without making -x."""

    @staticmethod
    def forward(ctx, x, dim, negate=False):
        dtype, x = x.dtype, half_as_float32(x)
        # initial=: over a dimension of size 0 the result is empty, as PyTorch's, not NumPy's zero-size error
        with np.errstate(invalid="ignore"):
            rows = _compiled_rows(x, dim)
            if rows is not None:
                e = np.empty_like(x)
                split_rows(functools.partial(_softmax_block, sign=-1 if negate else 1), rows, e.reshape(rows.shape),
                           block=CACHE_BLOCK)
            else:
                if negate:
                    e = np.subtract(np.min(x, axis=dim, keepdims=True, initial=np.inf), x)
                else:
                    e = np.subtract(x, np.max(x, axis=dim, keepdims=True, initial=-np.inf))
                exp(e, out=e)
                e /= np.add.reduce(e, axis=dim, keepdims=True)
        e = e.astype(dtype, copy=False)
        ctx.dim, ctx.negate = dim, negate
        ctx.save_for_backward(e)
        return e

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        if ctx._tensor_mode:
            out = y * (g - dual.reduce_sum(g * y, ctx.dim, keepdims=True))
            return (-out if ctx.negate else out), None
        dtype, y, g = g.dtype, half_as_float32(y), half_as_float32(g)
        rows, g_rows = _compiled_rows(y, ctx.dim), last_axis_rows(g, ctx.dim)
        if rows is None or g_rows is None:
            out = np.subtract(g, np.add.reduce(g * y, axis=ctx.dim, keepdims=True))
            out *= y
        else:
            out = np.empty_like(y)
            split_rows(softmax_backward_rows, rows, g_rows, out.reshape(rows.shape))
        return (np.negative(out, out=out) if ctx.negate else out).astype(dtype, copy=False), None


class LogSoftmax(ArrayFunction):
    """x - max - log(sum(exp(x - max))); the softmax made on the way is kept for backward (no second exp)."""

    @staticmethod
    def forward(ctx, x, dim):
        dtype, x = x.dtype, half_as_float32(x)
        with np.errstate(invalid="ignore", divide="ignore"):
            rows = _compiled_rows(x, dim)
            if rows is not None:
                shifted, p = np.empty_like(x), np.empty_like(x)
                split_rows(_log_softmax_block, rows, shifted.reshape(rows.shape), p.reshape(rows.shape),
                           block=CACHE_BLOCK)
            else:
                shifted = np.subtract(x, np.max(x, axis=dim, keepdims=True, initial=-np.inf))
                p = exp(shifted)
                total = np.add.reduce(p, axis=dim, keepdims=True)
                shifted -= np.log(total)
                p /= total
        shifted = shifted.astype(dtype, copy=False)
        ctx.dim, ctx.p = dim, p  # float16's softmax kept in float32, what its backward computes in
        ctx.save_for_backward(shifted)
        return shifted

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        if ctx._tensor_mode:
            return g - np.exp(y) * dual.reduce_sum(g, ctx.dim, keepdims=True), None
        p, dtype, g = ctx.p, g.dtype, half_as_float32(g)
        rows, g_rows = _compiled_rows(p, ctx.dim), last_axis_rows(g, ctx.dim)
        if rows is None or g_rows is None:
            return (g - p * np.add.reduce(g, axis=ctx.dim, keepdims=True)).astype(dtype, copy=False), None
        out = np.empty_like(p)
        split_rows(log_softmax_backward_rows, g_rows, rows, out.reshape(rows.shape))
        return out, None


def _softmax_input(input, dim, dtype, op):
    x = checked_input(input, op)
    if dtype is not None:
        x = x.to(as_dtype(dtype))
    if dim is None:
        dim = implicit_dim(op, x.ndim)
    normalize_dims(dim, max(x.ndim, 1), op)
    return x, dim


def _along(node, input, dim, dtype, op, **options):
    x, dim = _softmax_input(input, dim, dtype, op)
    if x.ndim == 0:  # a 0-d tensor is taken as a vector of one element, as PyTorch does
        return node.apply(x.reshape(1), 0, **options).reshape(())
    return node.apply(x, normalize_dims(dim, x.ndim, op)[0], **options)


@register(module_name="Softmax", formula=r"\frac{e^{x_i}}{\sum_j e^{x_j}}",
          derivative_formula=r"\frac{\partial y_i}{\partial x_j} = y_i (\delta_{ij} - y_j)", range=(0.0, 1.0),
          properties=Property.SMOOTH | Property.BOUNDED_ABOVE | Property.BOUNDED_BELOW, elementwise=False, repr_template="dim={dim}",
          paper="Bridle, Probabilistic Interpretation of Feedforward Classification Network Outputs", year=1990,
          example=("F.softmax(ourdl.tensor([1.0, 2.0, 3.0]), dim=0)", "tensor([0.0900, 0.2447, 0.6652])"))
def softmax(input, dim=None, _stacklevel=3, dtype=None):
    return _along(Softmax, input, dim, dtype, "softmax")


@register(module_name="LogSoftmax", formula=r"x_i - \log \sum_j e^{x_j}",
          derivative_formula=r"\frac{\partial y_i}{\partial x_j} = \delta_{ij} - \mathrm{softmax}(x)_j",
          range=(-float("inf"), 0.0), properties=Property.SMOOTH | Property.BOUNDED_ABOVE, elementwise=False, repr_template="dim={dim}",
          example=("F.log_softmax(ourdl.tensor([1.0, 2.0, 3.0]), dim=0)", "tensor([-2.4076, -1.4076, -0.4076])"))
def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    return _along(LogSoftmax, input, dim, dtype, "log_softmax")


@register(module_name="Softmin", formula=r"\frac{e^{-x_i}}{\sum_j e^{-x_j}}",
          derivative_formula=r"\frac{\partial y_i}{\partial x_j} = -y_i (\delta_{ij} - y_j)", range=(0.0, 1.0),
          properties=Property.SMOOTH | Property.BOUNDED_ABOVE | Property.BOUNDED_BELOW, elementwise=False, repr_template="dim={dim}",
          example=("F.softmin(ourdl.tensor([1.0, 2.0, 3.0]), dim=0)", "tensor([0.6652, 0.2447, 0.0900])"))
def softmin(input, dim=None, _stacklevel=3, dtype=None):
    return _along(Softmax, input, dim, dtype, "softmin", negate=True)


@register(module_name="GLU", formula=r"a \otimes \sigma(b), \ (a, b) = \text{split}(x, 2, \text{dim})",
          derivative_formula=r"(\sigma(b), \ a \, \sigma(b)(1 - \sigma(b)))", properties=Property.SMOOTH | Property.SELF_GATED,
          elementwise=False, repr_template="dim={dim}",
          paper="Dauphin et al., Language Modeling with Gated Convolutional Networks", year=2017,
          example=("F.glu(ourdl.tensor([1.0, 2.0, 0.0, 100.0]))", "tensor([0.5000, 2.0000])"))
def glu(input, dim=-1):
    x = checked_input(input, "glu")
    if x.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    axis = normalize_dims(dim, x.ndim, "glu")[0]
    if x.shape[axis] % 2:
        raise RuntimeError(f"glu: Halving dimension must be even, but dimension {axis} is size {x.shape[axis]}")
    return Glu.apply(x, axis)


@kernel(2)
def glu_from_sigmoid(a, s):
    return a * s


@kernel(3)
def glu_backward_b(g, a, s):
    return g * a * s * (1 - s)


def _fused(x) -> bool:
    return x.dtype == np.float32 and x.flags.c_contiguous and x.size > 0


def _rows(a, dim):
    """``a`` (C-contiguous) as rows of everything from ``dim`` on: for GLU's input each row is [a, b]."""
    return a.reshape(int(np.prod(a.shape[:dim])), -1)


class Glu(ArrayFunction):
    """a sigmoid(b) for the two halves of ``x`` along ``dim``: one node, both halves' gradients in one array."""

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        ctx.save_for_backward(x)
        if _fused(x):  # float32 rows [a, b]: one pass, sigmoid through float64
            out = np.empty(x.shape[:dim] + (x.shape[dim] // 2,) + x.shape[dim + 1:], x.dtype)
            split_rows(glu_rows_wide, _rows(x, dim), _rows(out, dim))
            return out
        a, b = np.split(x, 2, axis=dim)
        s = sigmoid_array(np.ascontiguousarray(b))
        ctx.s = s
        return glu_from_sigmoid(a, s)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        if ctx._tensor_mode:
            a, b = x.chunk(2, dim=ctx.dim)
            s = sigmoid(b)
            return dual.concatenate([g * s, g * a * s * (1 - s)], ctx.dim), None
        out = np.empty_like(x)
        if _fused(x):
            g = np.ascontiguousarray(g)
            split_rows(glu_backward_rows_wide, _rows(x, ctx.dim), _rows(g, ctx.dim), _rows(out, ctx.dim))
            return out, None
        a = np.split(x, 2, axis=ctx.dim)[0]
        grad_a, grad_b = np.split(out, 2, axis=ctx.dim)
        # NumPy's ufuncs write into the halves; a numba ufunc's out= may ignore a view's strides (seen with
        # size-1 dimensions), so its result is copied in
        np.multiply(g, ctx.s, out=grad_a)
        np.copyto(grad_b, glu_backward_b(g, a, ctx.s))
        return out, None


class Sparsemax(ArrayFunction):
    @staticmethod
    def forward(ctx, z, dim):
        z = np.moveaxis(z, dim, -1)
        if z.size == 0:
            ctx.dim, ctx.mask = dim, np.zeros(z.shape, dtype=bool)
            return np.moveaxis(z.copy(), -1, dim)
        # sparsemax(z) = sparsemax(z - max z): shifted, the largest is 0, so the running sums stay near the
        # differences that decide the support instead of losing them to rounding at 1e7 (float32) or overflowing
        with np.errstate(all="ignore"):  # a row holding NaN or -inf gives NaN or 0 silently, as softmax does
            z = z - np.max(z, axis=-1, keepdims=True)
            ordered = -np.sort(-z, axis=-1)
            ranks = np.arange(1, z.shape[-1] + 1, dtype=z.dtype)
            cumulative = np.cumsum(ordered, axis=-1)
            support = 1 + ranks * ordered > cumulative
            size = np.sum(support, axis=-1, keepdims=True)
            tau = (np.take_along_axis(cumulative, size - 1, axis=-1) - 1) / size.astype(z.dtype)
            y = np.moveaxis(np.maximum(z - tau, 0), -1, dim)
        ctx.dim = dim
        ctx.mask = y > 0
        return y

    @staticmethod
    def backward(ctx, g):
        mask, dim = ctx.mask, ctx.dim
        count = np.sum(mask, axis=dim, keepdims=True)
        inside = dual.where(mask, g, 0.0)
        return dual.where(mask, g - dual.reduce_sum(inside, dim, keepdims=True) / count, 0.0), None


@register(module_name="Sparsemax", formula=r"\arg\min_{p \in \Delta} \lVert p - x \rVert^2 = \max(x_i - \tau(x), 0)",
          derivative_formula=r"\frac{\partial y_i}{\partial x_j} = s_i (\delta_{ij} - s_j / |S|), \ s = [y > 0]",
          range=(0.0, 1.0), properties=Property.BOUNDED_ABOVE | Property.BOUNDED_BELOW, elementwise=False, repr_template="dim={dim}",
          paper="Martins & Astudillo, From Softmax to Sparsemax", year=2016,
          example=("F.sparsemax(ourdl.tensor([1.0, 2.0, 3.5]))", "tensor([0., 0., 1.])"))
def sparsemax(input, dim=-1):
    x = checked_input(input, "sparsemax")
    return Sparsemax.apply(x, normalize_dims(dim, max(x.ndim, 1), "sparsemax")[0] if x.ndim else None)
