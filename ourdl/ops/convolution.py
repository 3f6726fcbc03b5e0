"""Convolutions: conv1d, conv2d, conv3d and their transposes, as PyTorch's (``ourdl.conv2d`` is
``ourdl.nn.functional.conv2d``).

Three graph nodes do all the work, each the others' derivative, so that gradients of every order
(``create_graph=True``, Hessians through a CNN) come from the same three products of
:mod:`~ourdl.ops.convolution_arrays`: the convolution :math:`y = w \\star x`, its transpose
:math:`x = w^T \\star y` (the input gradient, and ``conv_transpose``) and the weight gradient
:math:`\\partial w = g \\star x`.

>>> import ourdl
>>> x = ourdl.ones(1, 1, 4, 4)
>>> ourdl.conv2d(x, ourdl.ones(2, 1, 3, 3), padding=1)[0, 0]
tensor([[4., 6., 6., 4.],
        [6., 9., 9., 6.],
        [6., 9., 9., 6.],
        [4., 6., 6., 4.]])
"""

from __future__ import annotations

import numbers

from ..autograd.array_function import ArrayFunction
from ..tensor import Tensor
from . import array_or_tensor as dual
from .convolution_arrays import (Geometry, conv_forward, conv_input_grad, conv_weight_grad, grouped_grad,
                                 im2col)
from .tensor_argument import require_tensor

__all__: list[str] = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]
METHODS: list = []


def _bias_grad(g, ndim: int):
    """:math:`\\sum` of ``g`` over the batch and the spatial dimensions."""
    return dual.reduce_sum(g, (0,) + tuple(range(2, ndim)))


class Convolution(ArrayFunction):
    """:math:`y = w \\star x + b`; backward: :math:`\\partial x = w^T \\star g` (:class:`ConvolutionTranspose`),
    :math:`\\partial w = g \\star x` (:class:`ConvolutionWeightGrad`), :math:`\\partial b = \\sum g`."""

    @staticmethod
    def forward(ctx, x, w, b, geo):
        ctx.geo = geo
        ctx.save_for_backward(x, w)
        cols = im2col(x, geo)
        # kept for the weight gradient, which needs the same matrix: it is not made twice
        ctx.cols = cols if ctx.needs_input_grad[1] else None
        return conv_forward(x, w, b, geo, cols)

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        geo, needs = ctx.geo, ctx.needs_input_grad
        gx = gw = gb = None
        if isinstance(g, Tensor):
            if needs[0]:
                gx = ConvolutionTranspose.apply(g, w, None, geo)
            if needs[1]:
                gw = ConvolutionWeightGrad.apply(x, g, geo)
        else:
            grouped = grouped_grad(g, geo) if needs[0] or needs[1] else None
            if needs[0]:
                gx = conv_input_grad(g, w, geo, grouped)
            if needs[1]:
                gw = conv_weight_grad(x, g, geo, ctx.cols, grouped)
        if needs[2]:
            gb = _bias_grad(g, g.ndim)
        return gx, gw, gb, None


class ConvolutionTranspose(ArrayFunction):
    """:math:`x = w^T \\star y + b`, the adjoint of :class:`Convolution` in its input; backward:
    :math:`\\partial y = w \\star g`, :math:`\\partial w = y \\star g` (the weight gradient with the roles of the
    two swapped), :math:`\\partial b = \\sum g`."""

    @staticmethod
    def forward(ctx, y, w, b, geo):
        ctx.geo = geo
        ctx.save_for_backward(y, w)
        x = conv_input_grad(y, w, geo)
        if b is not None:
            x += b.reshape((1, b.shape[0]) + (1,) * len(geo.size))
        return x

    @staticmethod
    def backward(ctx, g):
        y, w = ctx.saved_tensors
        geo, needs = ctx.geo, ctx.needs_input_grad
        gy = gw = gb = None
        if isinstance(g, Tensor):
            if needs[0]:
                gy = Convolution.apply(g, w, None, geo)
            if needs[1]:
                gw = ConvolutionWeightGrad.apply(g, y, geo)
        else:
            cols = im2col(g, geo) if needs[0] or needs[1] else None
            if needs[0]:
                gy = conv_forward(g, w, None, geo, cols)
            if needs[1]:
                gw = conv_weight_grad(g, y, geo, cols)
        if needs[2]:
            gb = _bias_grad(g, g.ndim)
        return gy, gw, gb, None


class ConvolutionWeightGrad(ArrayFunction):
    """:math:`\\partial w = g \\star x`, the gradient of :class:`Convolution` in its weight, bilinear in ``x`` and
    ``g``; backward: :math:`\\partial x = h^T \\star g`, :math:`\\partial g = h \\star x` for the incoming
    weight-shaped :math:`h`."""

    @staticmethod
    def forward(ctx, x, g, geo):
        ctx.geo = geo
        ctx.save_for_backward(x, g)
        return conv_weight_grad(x, g, geo)

    @staticmethod
    def backward(ctx, h):
        x, g = ctx.saved_tensors
        geo, needs = ctx.geo, ctx.needs_input_grad
        gx = gg = None
        tensors = isinstance(h, Tensor)
        if needs[0]:
            gx = ConvolutionTranspose.apply(g, h, None, geo) if tensors else conv_input_grad(g, h, geo)
        if needs[1]:
            gg = Convolution.apply(x, h, None, geo) if tensors else conv_forward(x, h, None, geo)
        return gx, gg, None


# -- the functional forms ---------------------------------------------------------------------------------

def _tuple(value, d: int, name: str) -> tuple:
    """An int or a sequence of ``d`` ints as a tuple of ``d`` ints (PyTorch's message otherwise)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return (int(value),) * d
    values = tuple(value) if isinstance(value, (tuple, list)) else None
    if values is None or not all(isinstance(v, numbers.Integral) for v in values):
        raise TypeError(f"expected {name} to be an int or a tuple of {d} ints, but got {name}={value!r}")
    if len(values) == 1:
        return (int(values[0]),) * d
    if len(values) != d:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {d} values to match the "
                           f"convolution dimensions, but got {name}={list(values)}")
    return tuple(int(v) for v in values)


def _dims(sizes) -> str:
    return " x ".join(str(s) for s in sizes)


def _check_common(input, weight, bias, d: int, stride, dilation, groups, name: str, transposed: bool, where):
    """Checks shared by convolutions and their transposes; returns (batched input, stride, dilation). ``where``
    (a layer, or None) begins the messages about the input's shape, so they name the layer that got it."""
    layer = "" if where is None else f"{where}: "
    require_tensor(input, name)
    require_tensor(weight, name, "weight", 2)
    if input.ndim not in (d + 1, d + 2):
        raise RuntimeError(f"{layer}Expected {d + 1}D (unbatched) or {d + 2}D (batched) input to {name}, but got input "
                           f"of size: {list(input.shape)}")
    if weight.ndim != d + 2:
        raise RuntimeError(f"{name}: expected weight to be {d + 2}-dimensional, but got weight of size "
                           f"{list(weight.shape)}")
    stride, dilation = _tuple(stride, d, "stride"), _tuple(dilation, d, "dilation")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(v <= 0 for v in dilation):
        raise RuntimeError("non-positive dilation is not supported")
    if not isinstance(groups, numbers.Integral) or groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if weight.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                           f"but got weight of size {list(weight.shape)} instead")
    x = input if input.ndim == d + 2 else input.unsqueeze(0)
    channels = weight.shape[0] if transposed else weight.shape[1] * groups
    if x.shape[1] != channels:
        given = "transposed=1, weight of size" if transposed else f"groups={groups}, weight of size"
        raise RuntimeError(f"{layer}Given {given} {list(weight.shape)}, expected input{list(x.shape)} to have {channels} "
                           f"channels, but got {x.shape[1]} channels instead")
    out_channels = weight.shape[1] * groups if transposed else weight.shape[0]
    if bias is not None:
        require_tensor(bias, name, "bias", 3)
        if bias.ndim != 1 or bias.shape[0] != out_channels:
            raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be 1-dimensional with "
                               f"{out_channels} elements, but got bias of size {list(bias.shape)} instead")
    for label, t in (("weight", weight), ("bias", bias)):
        if t is not None and t.dtype != input.dtype:
            raise RuntimeError(f"Input type ({input.dtype.name}) and {label} type ({t.dtype.name}) should be the "
                               f"same; convert one of them, e.g. with .to({input.dtype})")
    return x, stride, dilation


def convolution(input, weight, bias, stride, padding, dilation, groups, d: int, name: str, where=None):
    """:func:`conv2d` and its kin for ``d`` spatial dimensions; ``name`` (the function) and ``where`` (the layer
    calling, or None) appear in error messages."""
    x, stride, dilation = _check_common(input, weight, bias, d, stride, dilation, groups, name, False, where)
    kernel = tuple(weight.shape[2:])
    if isinstance(padding, str):
        if padding == "valid":
            pads = ((0, 0),) * d
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            # an odd total puts the extra zero after the input, as PyTorch does
            pads = tuple((t // 2, t - t // 2) for t in (v * (k - 1) for v, k in zip(dilation, kernel)))
        else:
            raise RuntimeError(f"Invalid padding string: {padding!r}")
    else:
        padding = _tuple(padding, d, "padding")
        if any(p < 0 for p in padding):
            raise RuntimeError("negative padding is not supported")
        pads = tuple((p, p) for p in padding)
    geo = Geometry(x.shape[2:], kernel, stride, pads, dilation, groups)
    reach = tuple(v * (k - 1) + 1 for v, k in zip(dilation, kernel))
    if any(r > p for r, p in zip(reach, geo.padded)):
        raise RuntimeError(f"Calculated padded input size per channel: ({_dims(geo.padded)}). Kernel size: "
                           f"({_dims(reach)}). Kernel size can't be greater than actual input size")
    y = Convolution.apply(x, weight, bias, geo)
    return y if x is input else y.squeeze(0)


def convolution_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, d: int,
                          name: str, where=None):
    """:func:`conv_transpose2d` and its kin for ``d`` spatial dimensions (``name``, ``where`` as in
    :func:`convolution`)."""
    x, stride, dilation = _check_common(input, weight, bias, d, stride, dilation, groups, name, True, where)
    if isinstance(padding, str):
        raise TypeError(f"{name}(): argument 'padding' must be tuple of ints, not str")
    padding, output_padding = _tuple(padding, d, "padding"), _tuple(output_padding, d, "output_padding")
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(op >= s and op >= v for op, s, v in zip(output_padding, stride, dilation)):
        raise RuntimeError(f"output padding must be smaller than either stride or dilation, but got "
                           f"output_padding={list(output_padding)}, stride={list(stride)}, "
                           f"dilation={list(dilation)}")
    kernel = tuple(weight.shape[2:])
    size = tuple((n - 1) * s - 2 * p + v * (k - 1) + op + 1
                 for n, s, p, v, k, op in zip(x.shape[2:], stride, padding, dilation, kernel, output_padding))
    if any(n <= 0 for n in size):
        raise RuntimeError(f"Given input size per channel: ({_dims(x.shape[2:])}). Calculated output size per "
                           f"channel: ({_dims(size)}). Output size is too small")
    geo = Geometry(size, kernel, stride, tuple((p, p) for p in padding), dilation, groups, x.shape[2:])
    y = ConvolutionTranspose.apply(x, weight, bias, geo)
    return y if x is input else y.squeeze(0)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution (cross-correlation): :math:`y_{n,o,t} = b_o + \\sum_{c,k} w_{o,c,k}\\,
    x_{n,c,\\,t s + k d - p}`, input ``(N, C, L)`` or ``(C, L)``, weight ``(O, C/groups, k)``.

    ``padding`` is an int, a 1-tuple, ``'valid'`` (none) or ``'same'`` (output as long as the input).

    >>> import ourdl
    >>> ourdl.conv1d(ourdl.tensor([[[1.0, 2.0, 3.0, 4.0]]]), ourdl.tensor([[[1.0, -1.0]]]))
    tensor([[[-1., -1., -1.]]])
    """
    return convolution(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation): :math:`y_{n,o,i,j} = b_o + \\sum_{c,k,l} w_{o,c,k,l}\\,
    x_{n,c,\\,i s_0 + k d_0 - p_0,\\,j s_1 + l d_1 - p_1}`, input ``(N, C, H, W)`` or ``(C, H, W)``,
    weight ``(O, C/groups, kH, kW)``; output size :math:`\\lfloor (H + 2p - d(k-1) - 1)/s \\rfloor + 1`.

    ``padding`` is an int, a pair, ``'valid'`` or ``'same'``; ``groups`` splits the channels into
    independent convolutions (``groups=C`` is depthwise).

    >>> import ourdl
    >>> x = ourdl.arange(16.0).reshape(1, 1, 4, 4)
    >>> ourdl.conv2d(x, ourdl.ones(1, 1, 2, 2), stride=2)
    tensor([[[[10., 18.],
              [42., 50.]]]])
    """
    return convolution(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D convolution, as :func:`conv2d` with one more spatial dimension: input ``(N, C, D, H, W)``.

    >>> import ourdl
    >>> ourdl.conv3d(ourdl.ones(1, 1, 3, 3, 3), ourdl.ones(1, 1, 2, 2, 2)).shape
    ourdl.Size([1, 1, 2, 2, 2])
    """
    return convolution(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """1-D transposed convolution, the gradient of :func:`conv1d` for its input: weight ``(C_in, C_out/groups,
    k)``, output length :math:`(L - 1) s - 2p + d (k - 1) + \\text{output\\_padding} + 1`.

    >>> import ourdl
    >>> ourdl.conv_transpose1d(ourdl.tensor([[[1.0, 2.0]]]), ourdl.tensor([[[1.0, 1.0]]]))
    tensor([[[1., 3., 2.]]])
    """
    return convolution_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 1,
                                 "conv_transpose1d")


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """2-D transposed convolution ("deconvolution"), the gradient of :func:`conv2d` for its input: weight
    ``(C_in, C_out/groups, kH, kW)``, output size :math:`(H - 1) s - 2p + d (k - 1) + \\text{output\\_padding} + 1`.

    >>> import ourdl
    >>> ourdl.conv_transpose2d(ourdl.ones(1, 1, 2, 2), ourdl.ones(1, 1, 2, 2), stride=2)
    tensor([[[[1., 1., 1., 1.],
              [1., 1., 1., 1.],
              [1., 1., 1., 1.],
              [1., 1., 1., 1.]]]])
    """
    return convolution_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 2,
                                 "conv_transpose2d")


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """3-D transposed convolution, as :func:`conv_transpose2d` with one more spatial dimension.

    >>> import ourdl
    >>> ourdl.conv_transpose3d(ourdl.ones(1, 1, 2, 2, 2), ourdl.ones(1, 1, 2, 2, 2)).shape
    ourdl.Size([1, 1, 3, 3, 3])
    """
    return convolution_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, 3,
                                 "conv_transpose3d")
