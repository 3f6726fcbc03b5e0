"""Sliding blocks: ``unfold`` (im2col) lays every ``kernel_size`` block of an image out as a column, ``fold``
(col2im) adds columns back into an image, as PyTorch's ``F.unfold``/``F.fold``.

Each is the other's adjoint, so each one's gradient is the other and derivatives of every order follow.
A convolution is ``unfold``, a matrix product and a reshape:

>>> import ourdl
>>> import ourdl.nn.functional as F
>>> x, w = ourdl.randn(2, 3, 5, 5), ourdl.randn(4, 3, 3, 3)
>>> y = (w.reshape(4, -1) @ F.unfold(x, 3)).reshape(2, 4, 3, 3)
>>> bool((y - ourdl.conv2d(x, w)).abs().max() < 1e-5)
True
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..tensor import Tensor
from .convolution_arrays import Geometry, col2im, im2col
from .tensor_argument import require_tensor

__all__: list[str] = []


def _unfold_array(x: np.ndarray, geo: Geometry) -> np.ndarray:
    n, c = x.shape[:2]
    cols = im2col(x, geo).reshape(c * math.prod(geo.kernel), n, math.prod(geo.out))
    return np.ascontiguousarray(cols.transpose(1, 0, 2))


def _fold_array(cols: np.ndarray, geo: Geometry) -> np.ndarray:
    n, rows = cols.shape[:2]
    return col2im(cols.transpose(1, 0, 2), geo, n, rows // math.prod(geo.kernel))


class Unfold(ArrayFunction):
    """``(N, C, H, W)`` to its blocks ``(N, C·kh·kw, L)``; the gradient is :class:`Fold`."""

    @staticmethod
    def forward(ctx, x, geo):
        ctx.geo = geo
        return _unfold_array(x, geo)

    @staticmethod
    def backward(ctx, g):
        return (Fold.apply(g, ctx.geo) if isinstance(g, Tensor) else _fold_array(g, ctx.geo)), None


class Fold(ArrayFunction):
    """Blocks ``(N, C·kh·kw, L)`` summed into ``(N, C, H, W)``; the gradient is :class:`Unfold`."""

    @staticmethod
    def forward(ctx, cols, geo):
        ctx.geo = geo
        return _fold_array(cols, geo)

    @staticmethod
    def backward(ctx, g):
        return (Unfold.apply(g, ctx.geo) if isinstance(g, Tensor) else _unfold_array(g, ctx.geo)), None


def _pair(value, name: str) -> tuple:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return (int(value),) * 2
    values = tuple(value)
    if len(values) != 2 or not all(isinstance(v, numbers.Integral) for v in values):
        raise RuntimeError(f"It is expected {name} equals to 2, but got size {len(values)}")
    return tuple(int(v) for v in values)


def _arguments(kernel_size, dilation, padding, stride) -> tuple:
    kernel, dilation = _pair(kernel_size, "kernel_size"), _pair(dilation, "dilation")
    padding, stride = _pair(padding, "padding"), _pair(stride, "stride")
    for name, values, low, word in (("kernel size", kernel, 1, "greater than zero"),
                                    ("stride", stride, 1, "greater than zero"),
                                    ("dilation", dilation, 1, "greater than zero"),
                                    ("padding", padding, 0, "non-negative")):
        if min(values) < low:
            short = "pad" if name == "padding" else name.replace("kernel size", "kernel")
            raise RuntimeError(f"{name} should be {word}, but got {short}_height: {values[0]} "
                               f"{short}_width: {values[1]}")
    return kernel, dilation, padding, stride


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """The sliding blocks of a batched ``(N, C, H, W)`` or unbatched ``(C, H, W)`` image as columns:
    :math:`y_{n, (c, i, j), l} = x_{n, c, h_l s_0 + i d_0 - p_0, w_l s_1 + j d_1 - p_1}` (zero in the padding),
    shape ``(N, C·kh·kw, L)`` with ``L`` the number of block positions.

    >>> import ourdl
    >>> import ourdl.nn.functional as F
    >>> F.unfold(ourdl.arange(9.0).reshape(1, 1, 3, 3), 2)
    tensor([[[0., 1., 3., 4.],
             [1., 2., 4., 5.],
             [3., 4., 6., 7.],
             [4., 5., 7., 8.]]])
    """
    require_tensor(input, "unfold")
    if input.ndim not in (3, 4) or any(s == 0 for s in input.shape[1:]):
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero "
                           f"dimensions for input, but got: {list(input.shape)}")
    kernel, dilation, padding, stride = _arguments(kernel_size, dilation, padding, stride)
    x = input if input.ndim == 4 else input.unsqueeze(0)
    geo = Geometry(x.shape[2:], kernel, stride, tuple((p, p) for p in padding), dilation, 1)
    if min(geo.out) < 1:
        raise RuntimeError(f"Given input with spatial size {tuple(x.shape[2:])}, kernel_size={kernel}, "
                           f"dilation={dilation}, padding={padding}, calculated shape of the array of sliding "
                           f"blocks as {geo.out}, but its components must be at least one.")
    y = Unfold.apply(x, geo)
    return y if x is input else y.squeeze(0)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sum sliding blocks ``(N, C·kh·kw, L)`` (or unbatched ``(C·kh·kw, L)``) into an image of ``output_size``,
    each entry added where :func:`unfold` would have taken it from (overlaps add up); shape ``(N, C, H, W)``.

    >>> import ourdl
    >>> import ourdl.nn.functional as F
    >>> F.fold(ourdl.ones(1, 4, 4), (3, 3), 2)
    tensor([[[[1., 2., 1.],
              [2., 4., 2.],
              [1., 2., 1.]]]])
    """
    require_tensor(input, "fold")
    if input.ndim not in (2, 3) or any(s == 0 for s in input.shape[1:]):
        raise RuntimeError(f"Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and "
                           f"non-zero dimensions for input, but got: {list(input.shape)}")
    size = _pair(output_size, "output_size")
    kernel, dilation, padding, stride = _arguments(kernel_size, dilation, padding, stride)
    x = input if input.ndim == 3 else input.unsqueeze(0)
    if x.shape[1] % math.prod(kernel):
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, "
                           f"but got input.size(1)={x.shape[1]} and kernel_size={kernel}.")
    geo = Geometry(size, kernel, stride, tuple((p, p) for p in padding), dilation, 1)
    blocks = max(geo.out[0], 0) * max(geo.out[1], 0)
    if x.shape[2] != blocks or min(geo.out) < 1:
        raise RuntimeError(f"Given output_size={size}, kernel_size={kernel}, dilation={dilation}, padding={padding}, "
                           f"stride={stride}, expected size of input's dimension 2 to match the calculated number "
                           f"of sliding blocks {max(geo.out[0], 0)} * {max(geo.out[1], 0)} = {blocks}, but got "
                           f"input.size(2)={x.shape[2]}.")
    y = Fold.apply(x, geo)
    return y if x is input else y.squeeze(0)
