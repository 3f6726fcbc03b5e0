"""Activations PyTorch writes as compositions of other ops, and ours that are: their derivatives, of every order,
come from autograd.

``softsign`` and ``tanhshrink``, composites in PyTorch, are each one node here with fused kernels: their
first-order gradients, g / (1 + |x|)^2 and g tanh(x)^2, do not cancel where PyTorch's composites do
(tanhshrink's g - g (1 - tanh(x)^2) near 0), and cost one pass instead of several.
"""

from __future__ import annotations

import math

import numpy as np

from .. import ops
from ..autograd.array_function import ArrayFunction
from ..kernels import kernel
from ..thread_split import parallel
from ..ops.unary import Integers, checked_input, run, unary_node
from .registry import Property, register

INF = math.inf


@kernel(1)
def _softsign(x):
    return x / (abs(x) + 1)


@kernel(2)
def _softsign_backward(x, g):
    """g / d / d, d = |x| + 1: PyTorch's composite g/d + (-g x / d^2) sign(x) cancels as |x| grows (and d^2
    overflows first); NaN at ±inf as PyTorch's."""
    d = abs(x) + 1
    grad = g / d / d
    return grad if abs(x) < np.inf else x - x


def _softsign_derivative(x, y, g):
    d = x.abs() + 1
    return g / d + (-g * x / (d * d)) * x.sign()


Softsign = unary_node("softsign", _softsign, _softsign_derivative, lambda x, y, aux, g: _softsign_backward(x, g),
                      integers=Integers.PROMOTE)


@register(module_name="Softsign", formula=r"\frac{x}{1 + |x|}", derivative_formula=r"\frac{1}{(1 + |x|)^2}",
          range=(-1.0, 1.0), properties=Property.MONOTONIC | Property.BOUNDED_ABOVE | Property.BOUNDED_BELOW | Property.ZERO_CENTRED | Property.SATURATING,
          paper="Turian, Bergstra & Bengio, Quadratic Features and Deep Architectures for Chunking",
          year=2009, example=("F.softsign(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.6667,  0.0000,  0.6667])"))
def softsign(input):
    return run(Softsign, input)


_subtract = parallel(np.subtract)


@kernel(2)
def _tanhshrink_backward(t, g):
    """g t^2 with t = tanh(x), through float64 for float32 (rounded once)."""
    u = np.float64(t)
    return np.float64(g) * (u * u)


class Tanhshrink(ArrayFunction):
    """``x - t`` for ``t = tanh(x)``, made by ``ops.tanh`` and given as an input so that higher derivatives
    differentiate through it: the gradient ``g t^2`` goes to ``x`` directly, none along ``t`` (its share,
    ``-g (1 - t^2)``, is folded in). Only ``t`` is kept, as PyTorch keeps only tanh's output: changing ``x`` or the
    result in place afterwards is allowed, as there."""

    @staticmethod
    def forward(ctx, x, t):
        ctx.save_for_backward(t)
        return _subtract(x, t)  # in the array's precision, as PyTorch's

    @staticmethod
    def backward(ctx, g):
        (t,) = ctx.saved_tensors
        if ctx._tensor_mode:
            return g * (t * t), None
        return _tanhshrink_backward(t, g), None


@register(module_name="Tanhshrink", formula=r"x - \tanh x", derivative_formula=r"\tanh^2 x",
          properties=Property.MONOTONIC | Property.SMOOTH, example=("F.tanhshrink(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-1.0360,  0.0000,  1.0360])"))
def tanhshrink(input):
    x = checked_input(input, "tanhshrink", Integers.PROMOTE)
    return Tanhshrink.apply(x, ops.tanh(x))


@register(module_name="Exponential", formula="e^x", derivative_formula="e^x", range=(0.0, INF),
          properties=Property.MONOTONIC | Property.SMOOTH | Property.BOUNDED_BELOW, example=("F.exponential(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([0.1353, 1.0000, 7.3891])"))
def exponential(input):
    return ops.exp(checked_input(input, "exponential", Integers.PROMOTE))


@register(module_name="Squareplus", formula=r"\frac{x + \sqrt{x^2 + b}}{2}",
          derivative_formula=r"\frac{1}{2}\left(1 + \frac{x}{\sqrt{x^2 + b}}\right)", range=(0.0, INF),
          properties=Property.MONOTONIC | Property.SMOOTH | Property.BOUNDED_BELOW, repr_template="b={b}",
          paper="Barron, Squareplus: A Softplus-Like Algebraic Rectifier", year=2021,
          example=("F.squareplus(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([0.4142, 1.0000, 2.4142])"))
def squareplus(input, b=4.0):
    x = checked_input(input, "squareplus")
    # sqrt(x^2 + b) as hypot(x, sqrt b), which does not overflow at |x| > 1.8e19 (float32); below 0 the equal
    # b / (2 (sqrt(x^2 + b) - x)), which does not cancel to 0 where x + sqrt(x^2 + b) would
    root_b = math.sqrt(b)
    negative = ops.minimum(x, ops.zeros_like(x))
    left = (b * 0.25) / (ops.hypot(negative, ops.full_like(x, root_b)) * 0.5 - negative * 0.5)  # halves: no overflow
    right = x * 0.5 + ops.hypot(x, ops.full_like(x, root_b)) * 0.5
    return ops.where(x < 0, left, right)


@register(module_name="LiSHT", formula=r"x \tanh x", derivative_formula=r"\tanh x + x (1 - \tanh^2 x)",
          range=(0.0, INF), properties=Property.SMOOTH | Property.BOUNDED_BELOW | Property.SELF_GATED,
          paper="Roy et al., LiSHT: Non-Parametric Linearly Scaled Hyperbolic Tangent Activation Function", year=2019,
          example=("F.lisht(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([1.9281, 0.0000, 1.9281])"))
def lisht(input):
    x = checked_input(input, "lisht")
    return x * ops.tanh(x)


@register(module_name="Snake", formula=r"x + \frac{\sin^2(\alpha x)}{\alpha}",
          derivative_formula=r"1 + \sin(2 \alpha x)", properties=Property.MONOTONIC | Property.SMOOTH, repr_template="alpha={alpha}",
          paper="Liu, Ziyin & Ueda, Neural Networks Fail to Learn Periodic Functions and How to Fix It", year=2020,
          example=("F.snake(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-1.1732,  0.0000,  2.8268])"))
def snake(input, alpha=1.0):
    """``x + sin(alpha x)^2 / alpha``; a tensor ``alpha`` (e.g. a Parameter) is learnable."""
    x = checked_input(input, "snake")
    s = ops.sin(x * alpha)
    return x + s * s / alpha
