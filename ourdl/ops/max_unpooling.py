"""Max unpooling: ``max_unpool1d`` and ``max_unpool2d``, the partial inverse of max pooling.

Each input value is written at the position its index names in a zero output plane (the indices max pooling
returns with ``return_indices=True``); everything else is zero. The gradient gathers the output's gradient at
those positions (:mod:`~ourdl.ops.max_pooling`'s gather, itself differentiable).

>>> import ourdl
>>> x = ourdl.tensor([[[1.0, 5.0, 2.0, 4.0]]])
>>> values, indices = ourdl.nn.functional.max_pool1d(x, 2, return_indices=True)
>>> max_unpool1d(values, indices, 2)
tensor([[[0., 5., 0., 4.]]])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..tensor import Tensor
from .linear_maps import apply
from .max_pooling import Argmax
from .pool_arguments import as_tuple

__all__: list[str] = ["max_unpool1d", "max_unpool2d"]


class MaxUnpool2D(ArrayFunction):
    """Unpooling: the input written at its indices in zero planes; the gradient gathers there."""

    @staticmethod
    def forward(ctx, x, argmax: Argmax):
        ctx.argmax = argmax
        planes = np.zeros((argmax.planes, argmax.plane_size), dtype=x.dtype)
        if argmax.planes:
            flat = argmax.indices().reshape(argmax.planes, -1)
            planes[np.arange(argmax.planes)[:, None], flat] = x.reshape(flat.shape)  # a repeated index: the last write
        return planes.reshape(argmax.in_shape)

    @staticmethod
    def backward(ctx, g):
        return apply(ctx.argmax, g), None


class MaxUnpool1D(MaxUnpool2D):
    """``max_unpool1d``'s node."""


def _output_size(op: str, input, kernel: tuple, stride: tuple, padding: tuple, output_size) -> tuple:
    """PyTorch's ``_unpool_output_size``: the default size, or ``output_size`` checked to lie within a stride of it."""
    dims = len(kernel)
    default = [(input.shape[-dims + d] - 1) * stride[d] + kernel[d] - 2 * padding[d] for d in range(dims)]
    if output_size is None:
        return tuple(default)
    sizes = list(output_size)
    if len(sizes) == dims + 2:
        sizes = sizes[2:]
    if len(sizes) != dims:
        raise ValueError(f"{op}(): output_size should be a sequence containing {dims} or {dims + 2} elements, but it "
                         f"has a length of '{len(sizes)}'")
    for d in range(dims):
        low, high = default[d] - stride[d], default[d] + stride[d]
        if not low < sizes[d] < high:
            raise ValueError(f'{op}(): invalid output_size "{output_size}" (dim {d} must be between {low} and {high})')
    return tuple(int(n) for n in sizes)


def _max_unpool(op: str, dims: int, input, indices, kernel_size, stride, padding, output_size):
    if not isinstance(input, Tensor) or not isinstance(indices, Tensor):
        raise TypeError(f"{op}(): input and indices must be tensors")
    if input.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(f"{op}(): Input to {op} should be a {dims + 1}d or {dims + 2}d Tensor, but got a tensor "
                           f"with {input.ndim} dimensions.")
    kernel = as_tuple(kernel_size, dims, op, "kernel_size")
    stride = kernel if stride is None else as_tuple(stride, dims, op, "stride")
    out = _output_size(op, input, kernel, stride, as_tuple(padding, dims, op, "padding"), output_size)
    if indices._data.dtype != np.int64:
        raise RuntimeError(f"{op}(): elements in indices should be type int64 but got: {indices.dtype}")
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError(f"{op}(): Expected shape of indices to be same as that of the input tensor "
                           f"({list(input.shape)}) but got indices tensor with shape: {list(indices.shape)}")
    flat = indices._data
    size = int(np.prod(out))
    invalid = ((flat < 0) | (flat >= size)).reshape(-1)
    if invalid.any():
        bad = flat.reshape(-1)[invalid.argmax()]  # the first, as PyTorch reports it
        raise RuntimeError(f"{op}(): Found an invalid max index: {bad} (output volumes are of size "
                           f"{'x'.join(map(str, out + (1,) * (2 - dims)))})")
    planes = int(np.prod(input.shape[:-dims]))
    out_shape = tuple(input.shape[:-dims]) + out
    argmax = Argmax(flat, out_shape, tuple(input.shape), planes, size)
    return (MaxUnpool1D if dims == 1 else MaxUnpool2D).apply(input, argmax)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The inverse of :func:`~ourdl.nn.functional.max_pool2d` where it kept a value:
    :math:`out[n, c].\\mathrm{flat}[indices[n, c, h, w]] = input[n, c, h, w]`, zero elsewhere.

    ``input`` and ``indices`` (int64, the same shape) are ``(N, C, H, W)`` or ``(C, H, W)``. The output's size is
    :math:`(H - 1) s - 2p + k` per dimension, or ``output_size`` (2 or 4 numbers, within a stride of that).

    >>> import ourdl
    >>> import ourdl.nn.functional as F
    >>> values, indices = F.max_pool2d(ourdl.arange(16.0).reshape(1, 4, 4), 2, return_indices=True)
    >>> max_unpool2d(values, indices, 2)
    tensor([[[ 0.,  0.,  0.,  0.],
             [ 0.,  5.,  0.,  7.],
             [ 0.,  0.,  0.,  0.],
             [ 0., 13.,  0., 15.]]])
    """
    return _max_unpool("max_unpool2d", 2, input, indices, kernel_size, stride, padding, output_size)


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """The inverse of :func:`~ourdl.nn.functional.max_pool1d` where it kept a value:
    :math:`out[n, c, indices[n, c, l]] = input[n, c, l]`, zero elsewhere; ``(N, C, L)`` or ``(C, L)``.

    >>> import ourdl
    >>> max_unpool1d(ourdl.tensor([[3.0]]), ourdl.tensor([[1]]), 2)
    tensor([[0., 3.]])
    """
    return _max_unpool("max_unpool1d", 1, input, indices, kernel_size, stride, padding, output_size)
