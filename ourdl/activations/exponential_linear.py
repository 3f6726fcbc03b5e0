"""The exponential linear units: ELU, SELU and CELU, one node with their scales, and its fused kernels.

>>> import ourdl
>>> ourdl.nn.functional.elu(ourdl.tensor([-1.0, 1.0]))
tensor([-0.6321,  1.0000])
"""

from __future__ import annotations

import math

import numpy as np

from ..kernel_math import exp_wide, expm1_wide
from ..kernels import element_loop, inline, kernel
from ..ops import array_or_tensor as dual, elementwise as ew
from ..ops.unary import run, unary_node
from ..thread_split import parallel
from .registry import Property, register

INF = math.inf

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

exp, expm1 = parallel(np.exp), parallel(np.expm1)


# -- ELU family: m = expm1(min(x, 0) * input_scale) comes from NumPy ------------------------
@kernel(2)
def elu_exponent(x, input_scale):
    scaled = x * input_scale
    return 0 if x > 0 else scaled


@kernel(4)
def elu_from_expm1(x, m, alpha_scale, scale):
    positive, negative = x * scale, m * alpha_scale
    return positive if x > 0 else negative


@kernel(5)
def elu_backward(x, e, negative_coefficient, scale, g):
    """g * input_scale * alpha * scale * e where x <= 0, with e = exp(x * input_scale), else g * scale.

    From the exponential itself, as PyTorch: ``expm1(x) + 1`` is 0 in float32 once x < -17, and with it the
    gradient, where e^x is still 2e-9 (and a subnormal down to x = -103)."""
    positive, negative = g * scale, g * negative_coefficient * e
    return positive if x > 0 else negative


# -- float32: one pass each, widened to float64 and rounded once (correctly rounded, see kernel_math) ----------
@inline
def elu_element(x, alpha_scale, scale, input_scale):
    v = np.float64(x)
    m = expm1_wide(v * input_scale)  # for x > 0 too (discarded): a select before it lost the sign of -0.0
    positive, negative = v * scale, m * alpha_scale
    return positive if x > 0 else negative


@inline
def elu_backward_element(x, g, negative_coefficient, scale, input_scale):
    v, w = np.float64(x), np.float64(g)
    e = exp_wide(v * input_scale)
    positive, negative = w * scale, w * negative_coefficient * e
    return positive if x > 0 else negative


@element_loop(elu_element, types=("float32",))
def elu_wide(x, alpha_scale, scale, input_scale, out):
    for i in range(out.size):
        out[i] = elu_element(x[i], alpha_scale, scale, input_scale)


@element_loop(elu_backward_element, arrays=2, types=("float32",))
def elu_backward_wide(x, g, negative_coefficient, scale, input_scale, out):
    for i in range(out.size):
        out[i] = elu_backward_element(x[i], g[i], negative_coefficient, scale, input_scale)


# -- the ELU family --------------------------------------------------------------------------------------------
def _elu_forward(x, alpha, scale, input_scale):
    if x.dtype == np.float32:
        return elu_wide(x, alpha * scale, scale, input_scale)
    m = elu_exponent(x, input_scale)
    expm1(m, out=m)
    return elu_from_expm1(x, m, alpha * scale, scale)


def _elu_backward(x, y, aux, g, alpha, scale, input_scale):
    if x.dtype == np.float32:
        return elu_backward_wide(x, g, input_scale * alpha * scale, scale, input_scale)
    e = elu_exponent(x, input_scale)
    exp(e, out=e)
    return elu_backward(x, e, input_scale * alpha * scale, scale, g)


def _elu_derivative(x, y, g, alpha, scale, input_scale):
    # At x = 0 the slope takes the exponential branch, but its own derivative is 0 there (PyTorch's double
    # backward): the exponential sees a constant 0 unless x < 0.
    return g * dual.where(x <= 0, (input_scale * alpha * scale) * ew.exp(dual.where(x < 0, x, 0.0) * input_scale), scale)


Elu = unary_node("elu", _elu_forward, _elu_derivative, _elu_backward)


@register(module_name="ELU", formula=r"x \text{ if } x > 0 \text{ else } \alpha (e^x - 1)",
          derivative_formula=r"1 \text{ if } x > 0 \text{ else } \alpha e^x", range=(-1.0, INF),
          properties=Property.MONOTONIC | Property.BOUNDED_BELOW | Property.SATURATING, inplace=True, repr_template="alpha={alpha}",
          paper="Clevert, Unterthiner & Hochreiter, Fast and Accurate Deep Network Learning by ELUs", year=2015,
          example=("F.elu(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.8647,  0.0000,  2.0000])"))
def elu(input, alpha=1.0, inplace=False):
    return run(Elu, input, inplace, alpha=alpha, scale=1.0, input_scale=1.0)


@register(module_name="SELU", formula=r"\lambda (x \text{ if } x > 0 \text{ else } \alpha (e^x - 1))",
          derivative_formula=r"\lambda \text{ if } x > 0 \text{ else } \lambda \alpha e^x",
          range=(-SELU_SCALE * SELU_ALPHA, INF), properties=Property.MONOTONIC | Property.BOUNDED_BELOW | Property.SATURATING, kinks=(0.0,),
          inplace=True, paper="Klambauer et al., Self-Normalizing Neural Networks", year=2017,
          example=("F.selu(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-1.5202,  0.0000,  2.1014])"))
def selu(input, inplace=False):
    return run(Elu, input, inplace, alpha=SELU_ALPHA, scale=SELU_SCALE, input_scale=1.0)


@register(module_name="CELU", formula=r"\max(0, x) + \min(0, \alpha (e^{x / \alpha} - 1))",
          derivative_formula=r"1 \text{ if } x > 0 \text{ else } e^{x / \alpha}", range=(-1.0, INF),
          properties=Property.MONOTONIC | Property.BOUNDED_BELOW | Property.SATURATING, inplace=True, repr_template="alpha={alpha}",
          paper="Barron, Continuously Differentiable Exponential Linear Units", year=2017,
          example=("F.celu(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.8647,  0.0000,  2.0000])"))
def celu(input, alpha=1.0, inplace=False):
    if alpha == 0:
        raise RuntimeError("celu: ZeroDivisionError: alpha must not be 0 (the input is divided by alpha)")
    return run(Elu, input, inplace, alpha=alpha, scale=1.0, input_scale=1.0 / alpha)
