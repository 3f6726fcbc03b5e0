"""Activations with a learnable or random slope: PReLU and RReLU."""

from __future__ import annotations

from .. import ops
from ..tensor import Tensor
from ..autograd.array_function import ArrayFunction
from ..kernels import kernel
from ..ops import array_or_tensor as dual
from ..ops.unary import checked_input
from .piecewise import leaky_relu
from .registry import Property, register


@register(module_name="PReLU", formula=r"\max(0, x) + a \min(0, x)",
          derivative_formula=r"\partial_x: 1 \text{ if } x > 0 \text{ else } a; \quad \partial_a: \min(0, x)",
          properties=Property.LEARNABLE, kinks=(0.0,), defaults={"weight": 0.25}, repr_template="num_parameters={num_parameters}",
          paper="He et al., Delving Deep into Rectifiers", year=2015,
          example=("F.prelu(ourdl.tensor([-2.0, 0.0, 2.0]), ourdl.tensor([0.25]))", "tensor([-0.5000,  0.0000,  2.0000])"))
def prelu(input, weight):
    """``weight`` has one element, or one per channel (dimension 1 of ``input``); a number is taken as one weight."""
    x = checked_input(input, "prelu")
    if not isinstance(weight, Tensor):
        weight = ops.tensor([float(weight)], dtype=x.dtype)
    channels = x.shape[1] if x.ndim >= 2 else 1
    if weight.numel() != 1 and weight.numel() != channels:
        raise RuntimeError(f"prelu: Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                           f"{weight.numel()} and channel size = {channels}.")
    # one weight is 0-d, so that it broadcasts to any input without giving a 0-d input a dimension
    weight = weight.reshape(()) if weight.numel() == 1 else weight.reshape(channels, *([1] * (x.ndim - 2)))
    return PRelu.apply(x, weight.to(x.dtype) if weight.dtype != x.dtype else weight)


@kernel(2)
def _prelu(x, w):
    return x if x > 0 else w * x


@kernel(3)
def _prelu_input_grad(x, w, g):
    return g if x > 0 else g * w


@kernel(3)
def _prelu_weight_terms(x, w, g):
    """The weight's gradient before the sum over the elements sharing a weight: 0 where x > 0, x g elsewhere."""
    return 0 if x > 0 else x * g


class PRelu(ArrayFunction):
    """``x`` where positive, ``w x`` elsewhere; ``w`` broadcasts along the channels (summed back centrally)."""

    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        return _prelu(x, w)

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        if ctx._tensor_mode:
            positive = x > 0
            return dual.where(positive, g, w * g), dual.where(positive, 0.0, x * g)
        return _prelu_input_grad(x, w, g), _prelu_weight_terms(x, w, g)


@register(module_name="RReLU", formula=r"x \text{ if } x \ge 0 \text{ else } a x, \ a \sim U(\text{lower}, \text{upper})",
          derivative_formula=r"1 \text{ if } x > 0 \text{ else } a", kinks=(0.0,), inplace=True,
          repr_template="lower={lower}, upper={upper}", properties=Property.MONOTONIC,
          paper="Xu et al., Empirical Evaluation of Rectified Activations in Convolutional Network", year=2015,
          example=("F.rrelu(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.4583,  0.0000,  2.0000])"))
def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """In training the slope of each negative element is drawn from U(lower, upper); in eval it is their mean."""
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    x = checked_input(input, "rrelu")
    noise = ops.rand(*x.shape, dtype=x.dtype) * (upper - lower) + lower
    noise = ops.where(x > 0, 1.0, noise).detach()
    if inplace:
        return x.mul_(noise)
    return x * noise

