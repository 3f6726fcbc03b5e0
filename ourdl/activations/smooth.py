"""Smooth activations: sigmoid and tanh, the ELU family, GELU, SiLU/swish, mish, softplus, logsigmoid.

Forward and first-order backward are NumPy's vectorised ``exp``/``expm1``/
``tanh``/``log`` with fused kernels around them (:mod:`.kernels`), written
the way PyTorch's CPU kernels are, so that values, gradients and the special
values at ±inf and NaN agree. The tensor-mode derivatives (second order)
are compositions of differentiable ops.
"""

from __future__ import annotations

import math

import numpy as np

from ..ops import array_or_tensor as dual, elementwise as ew
from . import kernels as k
from ..ops.unary import run, unary_node
from .registry import register

INF = math.inf
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _negative_exp(x):
    e = np.negative(x)
    return np.exp(e, out=e)


# -- sigmoid and tanh: the ops of ourdl.ops, described here --------------------------------------------
sigmoid = register(ew.sigmoid, module_name="Sigmoid", formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
          derivative_formula=r"\sigma(x)(1 - \sigma(x))", range=(0.0, 1.0),
          properties="monotonic smooth bounded_above bounded_below saturating", paper="Rumelhart, Hinton & Williams, Learning Representations by Back-Propagating Errors", year=1986,
          aliases=("logistic",), example=("F.sigmoid(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([0.1192, 0.5000, 0.8808])"))
tanh = register(ew.tanh, module_name="Tanh", formula=r"\tanh x = \frac{e^x - e^{-x}}{e^x + e^{-x}}", derivative_formula=r"1 - \tanh^2 x",
          range=(-1.0, 1.0), properties="monotonic smooth bounded_above bounded_below zero_centred saturating",
          paper="LeCun et al., Efficient BackProp", year=1998,
          example=("F.tanh(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.9640,  0.0000,  0.9640])"))


# -- SiLU and swish -------------------------------------------------------------------------------------------
def _silu_forward(x):
    e = _negative_exp(x)
    return k.silu_from_exp(x, e), e


def _silu_derivative(x, y, g):
    s = sigmoid(x)
    return g * (s * (1 + x * (1 - s)))


Silu = unary_node("silu", _silu_forward, _silu_derivative, lambda x, y, e, g: k.silu_backward(x, e, g))


@register(module_name="SiLU", formula=r"x \, \sigma(x)", derivative_formula=r"\sigma(x)(1 + x(1 - \sigma(x)))",
          range=(-0.27846454276107380, INF), properties="smooth bounded_below self_gated", inplace=True,
          paper="Hendrycks & Gimpel, Gaussian Error Linear Units (GELUs)", year=2016,
          example=("F.silu(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.2384,  0.0000,  1.7616])"))
def silu(input, inplace=False):
    return run(Silu, input, inplace)


def _swish_forward(x, beta):
    z = x * beta
    e = _negative_exp(z)
    return k.silu_from_exp(x, e), e


def _swish_backward(x, y, e, g, beta):
    return k.silu_backward(x * beta, e, g)


def _swish_derivative(x, y, g, beta):
    s = sigmoid(x * beta)
    return g * (s * (1 + beta * x * (1 - s)))


Swish = unary_node("swish", _swish_forward, _swish_derivative, _swish_backward)


@register(module_name="Swish", formula=r"x \, \sigma(\beta x)", derivative_formula=r"\sigma(\beta x)(1 + \beta x(1 - \sigma(\beta x)))",
          range=(-0.27846454276107380, INF), properties="smooth bounded_below self_gated",
          paper="Ramachandran, Zoph & Le, Searching for Activation Functions", year=2017, repr_template="beta={beta}",
          example=("F.swish(ourdl.tensor([-2.0, 0.0, 2.0]), beta=2.0)", "tensor([-0.0360,  0.0000,  1.9640])"))
def swish(input, beta=1.0):
    """``x * sigmoid(beta * x)``: SiLU at ``beta=1``; a tensor ``beta`` (e.g. a Parameter) is learnable."""
    if not isinstance(beta, (int, float)):
        return input * sigmoid(input * beta)
    return run(Swish, input, beta=float(beta))


# -- GELU ---------------------------------------------------------------------------------------------------
def _gelu_forward(x, approximate):
    """Exact GELU: scipy's erfc in float64; in float32 Numerical Recipes' erfcc (relative error < 1.2e-7,
    below float32's rounding) from NumPy's vectorised exp and two fused kernels, 15x faster than scipy."""
    if approximate == "tanh":
        t = np.tanh(k.gelu_tanh_inner(x))
        return k.gelu_tanh_from_tanh(x, t), t
    if x.dtype == np.float64:
        cdf = 0.5 * ew.scipy_special().erfc(x * -0.7071067811865476)
        return x * cdf, cdf
    e = k.erfc_exponent(x)
    np.exp(e, out=e)
    return k.gelu_from_exp(x, e), e


def _gelu_backward(x, y, aux, g, approximate):
    if approximate == "tanh":
        return k.gelu_tanh_backward(x, aux, g)
    p = k.minus_half_square(x)
    np.exp(p, out=p)
    if x.dtype == np.float64:
        return g * (aux + x * p * 0.3989422804014327)
    return k.gelu_backward(x, aux, p, g)


def _gelu_derivative(x, y, g, approximate):
    if approximate == "tanh":
        beta, kappa = 0.7978845608028654, 0.044715
        t = tanh(beta * (x + kappa * x * x * x))
        return g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * beta * (1 + 3 * kappa * x * x))
    cdf = 0.5 * (1 + ew.erf(x * 0.7071067811865476))
    return g * (cdf + x * (ew.exp(-0.5 * x * x) * 0.3989422804014327))


Gelu = unary_node("gelu", _gelu_forward, _gelu_derivative, _gelu_backward)


@register(module_name="GELU", formula=r"x \, \Phi(x) = \frac{x}{2}\left(1 + \mathrm{erf}(x / \sqrt{2})\right)",
          derivative_formula=r"\Phi(x) + x \, \varphi(x)", range=(-0.16997120747990848, INF),
          properties="smooth bounded_below self_gated", repr_template="approximate={approximate!r}",
          paper="Hendrycks & Gimpel, Gaussian Error Linear Units (GELUs)", year=2016,
          example=("F.gelu(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.0455,  0.0000,  1.9545])"))
def gelu(input, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise RuntimeError(f"gelu: approximate argument must be either none or tanh, got {approximate!r}")
    return run(Gelu, input, approximate=approximate)


# -- softplus, logsigmoid, mish -----------------------------------------------------------------------------
def log1p(u):
    """log(1 + u), accurate for tiny u, from NumPy's vectorised log (its log1p is ~7x slower)."""
    w = u + 1
    np.log(w, out=w)
    return k.log1p_from_log(u, w)


def _softplus_forward(x, beta, threshold):
    """PyTorch's: x where beta x > threshold, else log1p(exp(beta x)) / beta."""
    z = x * beta
    linear = z > threshold
    e = np.exp(z, out=z)
    y = log1p(e)
    if beta != 1:
        y /= beta
    np.copyto(y, x, where=linear)
    return y, (e, linear)


def _softplus_backward(x, y, aux, g, beta, threshold):
    e, linear = aux
    grad = k.sigmoid_from_exp_times(e, g)
    np.copyto(grad, g, where=linear)
    return grad


def _softplus_derivative(x, y, g, beta, threshold):
    return g * dual.where(x * beta > threshold, 1.0, sigmoid(x * beta))


Softplus = unary_node("softplus", _softplus_forward, _softplus_derivative, _softplus_backward)


@register(module_name="Softplus", formula=r"\frac{1}{\beta} \log(1 + e^{\beta x})",
          derivative_formula=r"\sigma(\beta x)", range=(0.0, INF), properties="monotonic smooth bounded_below",
          repr_template="beta={beta}, threshold={threshold}",
          paper="Dugas et al., Incorporating Second-Order Functional Knowledge for Better Option Pricing", year=2001,
          example=("F.softplus(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([0.1269, 0.6931, 2.1269])"))
def softplus(input, beta=1.0, threshold=20.0):
    return run(Softplus, input, beta=beta, threshold=threshold)


def _logsigmoid_forward(x):
    z = np.exp(k.minus_abs(x))
    return k.logsigmoid_from_log1p(x, log1p(z)), z


def _logsigmoid_derivative(x, y, g):
    return g * sigmoid(-x)


LogSigmoid = unary_node("logsigmoid", _logsigmoid_forward, _logsigmoid_derivative,
                        lambda x, y, z, g: k.logsigmoid_backward(x, z, g))


@register(module_name="LogSigmoid", formula=r"\log \sigma(x) = -\log(1 + e^{-x})", derivative_formula=r"1 - \sigma(x)",
          range=(-INF, 0.0), properties="monotonic smooth bounded_above",
          example=("F.logsigmoid(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-2.1269, -0.6931, -0.1269])"))
def logsigmoid(input):
    return run(LogSigmoid, input)


def _mish_forward(x):
    e = np.exp(x)
    return k.mish_from_exp(x, e), e


def _mish_derivative(x, y, g):
    t = tanh(softplus(x))
    return g * (t + x * sigmoid(x) * (1 - t * t))


Mish = unary_node("mish", _mish_forward, _mish_derivative, lambda x, y, e, g: k.mish_backward(x, e, g))


@register(module_name="Mish", formula=r"x \tanh(\log(1 + e^x))",
          derivative_formula=r"\tanh(s) + x \, \sigma(x) (1 - \tanh^2 s), \ s = \log(1 + e^x)",
          range=(-0.30884303743851, INF), properties="smooth bounded_below self_gated", inplace=True,
          paper="Misra, Mish: A Self Regularized Non-Monotonic Activation Function", year=2019,
          example=("F.mish(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.2525,  0.0000,  1.9440])"))
def mish(input, inplace=False):
    return run(Mish, input, inplace)


# -- the ELU family --------------------------------------------------------------------------------------------
def _elu_forward(x, alpha, scale, input_scale):
    m = k.elu_exponent(x, input_scale)
    np.expm1(m, out=m)
    return k.elu_from_expm1(x, m, alpha * scale, scale), m


def _elu_backward(x, y, m, g, alpha, scale, input_scale):
    return k.elu_backward(x, m, input_scale * alpha * scale, scale, g)


def _elu_derivative(x, y, g, alpha, scale, input_scale):
    # At x = 0 the slope takes the exponential branch, but its own derivative is 0 there (PyTorch's double
    # backward): the exponential sees a constant 0 unless x < 0.
    return g * dual.where(x <= 0, (input_scale * alpha * scale) * ew.exp(dual.where(x < 0, x, 0.0) * input_scale), scale)


Elu = unary_node("elu", _elu_forward, _elu_derivative, _elu_backward)


@register(module_name="ELU", formula=r"x \text{ if } x > 0 \text{ else } \alpha (e^x - 1)",
          derivative_formula=r"1 \text{ if } x > 0 \text{ else } \alpha e^x", range=(-1.0, INF),
          properties="monotonic bounded_below saturating", inplace=True, repr_template="alpha={alpha}",
          paper="Clevert, Unterthiner & Hochreiter, Fast and Accurate Deep Network Learning by ELUs", year=2015,
          example=("F.elu(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.8647,  0.0000,  2.0000])"))
def elu(input, alpha=1.0, inplace=False):
    return run(Elu, input, inplace, alpha=alpha, scale=1.0, input_scale=1.0)


@register(module_name="SELU", formula=r"\lambda (x \text{ if } x > 0 \text{ else } \alpha (e^x - 1))",
          derivative_formula=r"\lambda \text{ if } x > 0 \text{ else } \lambda \alpha e^x",
          range=(-SELU_SCALE * SELU_ALPHA, INF), properties="monotonic bounded_below saturating", kinks=(0.0,),
          inplace=True, paper="Klambauer et al., Self-Normalizing Neural Networks", year=2017,
          example=("F.selu(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-1.5202,  0.0000,  2.1014])"))
def selu(input, inplace=False):
    return run(Elu, input, inplace, alpha=SELU_ALPHA, scale=SELU_SCALE, input_scale=1.0)


@register(module_name="CELU", formula=r"\max(0, x) + \min(0, \alpha (e^{x / \alpha} - 1))",
          derivative_formula=r"1 \text{ if } x > 0 \text{ else } e^{x / \alpha}", range=(-1.0, INF),
          properties="monotonic bounded_below saturating", inplace=True, repr_template="alpha={alpha}",
          paper="Barron, Continuously Differentiable Exponential Linear Units", year=2017,
          example=("F.celu(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.8647,  0.0000,  2.0000])"))
def celu(input, alpha=1.0, inplace=False):
    if alpha == 0:
        raise RuntimeError("celu: ZeroDivisionError: alpha must not be 0 (the input is divided by alpha)")
    return run(Elu, input, inplace, alpha=alpha, scale=1.0, input_scale=1.0 / alpha)
