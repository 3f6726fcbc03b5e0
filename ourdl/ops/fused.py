"""Fused forms: several elementwise steps in one call, as PyTorch offers them: addcmul, addcdiv and lerp.

>>> import ourdl
>>> ourdl.lerp(ourdl.tensor([0.0]), ourdl.tensor([10.0]), 0.5)
tensor([5.])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dtypes import FLOAT, result_type
from ..tensor import Tensor
from .promotion import as_operand, tensor_operand
from .tensor_argument import require_tensor

__all__: list[str] = ["addcmul", "addcdiv", "lerp"]
METHODS: list = list(__all__)


def _fused(op: str, input, tensor1, tensor2, value):
    tensors = [input, tensor_operand(tensor1, op, "tensor1", 2), tensor_operand(tensor2, op, "tensor2", 3)]
    dtype = result_type(result_type(tensors[0], tensors[1]), tensors[2])
    if dtype.category != FLOAT and isinstance(value, float):
        raise RuntimeError(f"{op}: for integral input tensors, argument value must not be a floating point number "
                           f"(got value={value} with dtype {dtype.name})")
    return tensors


def addcmul(input, tensor1, tensor2, *, value=1):
    """:math:`\\text{input} + \\text{value} \\cdot t_1 t_2`, broadcasting, with PyTorch's type promotion.

    >>> import ourdl
    >>> ourdl.addcmul(ourdl.tensor([1.0, 1.0]), ourdl.tensor([2.0, 3.0]), ourdl.tensor([4.0, 5.0]), value=0.5)
    tensor([5.0000, 8.5000])
    """
    require_tensor(input, "addcmul")
    input, tensor1, tensor2 = _fused("addcmul", input, tensor1, tensor2, value)
    return input + (tensor1 if value == 1 else value * tensor1) * tensor2


def addcdiv(input, tensor1, tensor2, *, value=1):
    """:math:`\\text{input} + \\text{value} \\cdot t_1 / t_2`, broadcasting; integer ``tensor1`` and ``tensor2``
    together are refused, as in PyTorch.

    >>> import ourdl
    >>> ourdl.addcdiv(ourdl.tensor([1.0, 1.0]), ourdl.tensor([2.0, 3.0]), ourdl.tensor([4.0, 6.0]), value=2)
    tensor([2., 2.])
    """
    require_tensor(input, "addcdiv")
    input, tensor1, tensor2 = _fused("addcdiv", input, tensor1, tensor2, value)
    integral = [isinstance(t, Tensor) and not t.dtype.is_floating_point for t in (tensor1, tensor2)]
    if all(integral):
        raise RuntimeError(f"addcdiv: integer division of tensor1 ({tensor1.dtype.name}) by tensor2 "
                           f"({tensor2.dtype.name}) is no longer supported; use ourdl.addcmul(input, tensor1, "
                           "ourdl.div(1, tensor2)) for true division, or convert them with .float()")
    return input + (tensor1 if value == 1 else value * tensor1) / tensor2


def lerp(input, end, weight):
    """Linear interpolation :math:`x + w\\,(e - x)`, everything broadcast; ``weight`` a number or a tensor.

    For :math:`|w| \\ge 0.5` it is computed as :math:`e - (e - x)(1 - w)`, as PyTorch does (exact at w = 1).
    Gradients: :math:`1 - w` to ``input``, :math:`w` to ``end``, :math:`e - x` to ``weight``.

    >>> import ourdl
    >>> ourdl.lerp(ourdl.tensor([0.0, 10.0]), ourdl.tensor([1.0, 20.0]), 0.25)
    tensor([ 0.2500, 12.5000])
    """
    require_tensor(input, "lerp")
    end = tensor_operand(end, "lerp", "end", 2)
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"lerp: not implemented for {input.dtype.name} tensors; it needs floating point")
    if end.dtype != input.dtype:
        raise RuntimeError(f"lerp: expected dtype {input.dtype.name} for `end` but got dtype {end.dtype.name}")
    if isinstance(weight, Tensor):
        if weight.dtype != input.dtype and weight.ndim:
            raise RuntimeError(f"lerp: expected dtype {input.dtype.name} for `weight` but got dtype "
                               f"{weight.dtype.name}")
        weight = weight.to(input.dtype)
    else:
        weight = as_operand(weight, "lerp", "weight", 3)
    shapes = [tuple(t.shape) for t in (input, end, weight) if isinstance(t, Tensor)]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise RuntimeError(f"lerp: shapes {', '.join(str(list(s)) for s in shapes)} do not broadcast together") from None
    return Lerp.apply(input, end, weight)


class Lerp(ArrayFunction):
    """``x + w (e - x)``; float32 is computed as one fused multiply-add, rounded once, as PyTorch's kernel does."""

    @staticmethod
    def forward(ctx, x, end, weight):
        ctx.save_for_backward(x, end, weight)
        difference = end - x
        dtype = difference.dtype
        weight = np.asarray(weight, dtype=dtype)
        near_start = np.abs(weight) < 0.5
        complement = np.asarray(1 - weight, dtype=dtype)
        if dtype == np.float32:
            x, end, difference, weight, complement = (np.asarray(a, np.float64) for a in
                                                      (x, end, difference, weight, complement))
        out = np.where(near_start, x + weight * difference, end - difference * complement)
        return out.astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x, end, weight = ctx.saved_tensors
        grad_weight = g * (end - x) if ctx.needs_input_grad[2] else None
        return g * (1 - weight), g * weight, grad_weight
