"""Activations built on the logistic function: sigmoid and tanh (ops of :mod:`ourdl.ops`, described here), SiLU and
swish, softplus, logsigmoid and mish, each next to its fused kernels.

Forward and first-order backward are NumPy's vectorised ``exp``/``tanh``/``log``
with fused kernels around them (:mod:`ourdl.kernels`), written the way PyTorch's
CPU kernels are, so that values, gradients and the special values at ±inf and
NaN agree. The tensor-mode derivatives (second order) are compositions of
differentiable ops.

>>> import ourdl
>>> ourdl.nn.functional.silu(ourdl.tensor([1.0]))
tensor([0.7311])
"""

from __future__ import annotations

import math

import numpy as np

from ..kernel_math import exp_wide
from ..kernels import element_loop, inline, kernel
from ..ops import array_or_tensor as dual, elementwise as ew
from ..ops.unary import run, unary_node
from ..thread_split import parallel
from .registry import Property, register

INF = math.inf
exp, log1p, negative = parallel(np.exp), parallel(np.log1p), parallel(np.negative)


_ONE = np.float32(1.0)  # a float32 1 keeps float32 arithmetic in float32 (a literal 1 would widen it to float64)


@kernel(2)
def silu_from_exp(x, e):
    """x / (1 + e) with e = exp(-x), in the array's precision as PyTorch's (float64 division: 2x the time)."""
    return x / (_ONE + e)


@kernel(3)
def silu_backward(x, e, g):
    """g s (1 + x (1 - s)) with s = 1 / (1 + e), e = exp(-x): PyTorch's formula, through float64 for float32
    (in float32 it is 2 ulps from the exact value at -3 and -20, where PyTorch's is nearer)."""
    s = 1 / (1 + e)
    return g * s * (1 + x * (1 - s))


@kernel(2)
def mish_from_exp(x, e):
    """x tanh(log(1 + e)) with e = exp(x): (x e) (2 + e) / (2 + e (2 + e)) below 0, so that e, the least exact
    factor, is rounded into the result once; x (1 - 2 / (e^2 + 2e + 2)) above, without overflow."""
    small = (x * e) * ((2 + e) / (2 + e * (2 + e)))
    large = x * (1 - 2 / (e * (e + 2) + 2))
    return small if e < 1 else large


@kernel(3)
def mish_backward(x, e, g):
    """g (t + x s (1 - t^2)), t = tanh(softplus(x)), s = sigmoid(x), e = exp(x): below 0 with e factored out,
    e (r + x (1 - t^2) / (1 + e)), t = e r, r = (2 + e) / (2 + e (2 + e))."""
    r = (2 + e) / (2 + e * (2 + e))
    t = e * r
    small = e * (r + x * (1 - t * t) / (1 + e))
    big_t = 1 - 2 / (e * (e + 2) + 2)
    large = big_t + x * (1 / (1 + 1 / e)) * (1 - big_t * big_t)
    return g * (small if e < 1 else large)


@inline
def softplus_element(x, l, beta, threshold):
    """PyTorch's softplus from l = log1p(exp(beta x)): x where beta x > threshold, else l / beta."""
    return x if x * beta > threshold else l / beta


@element_loop(softplus_element, arrays=2)
def softplus_from_log1p(x, l, beta, threshold, out):
    for i in range(out.size):
        out[i] = softplus_element(x[i], l[i], beta, threshold)


@inline
def softplus_backward_element(x, e, g, beta, threshold):
    """g where beta x > threshold, else g e / (1 + e) with e = exp(beta x) (the sigmoid of beta x)."""
    return g if x * beta > threshold else g * e / (e + 1)


@element_loop(softplus_backward_element, arrays=3)
def softplus_backward(x, e, g, beta, threshold, out):
    for i in range(out.size):
        out[i] = softplus_backward_element(x[i], e[i], g[i], beta, threshold)


@kernel(1)
def minus_abs(x):
    return -abs(x)


@kernel(2)
def logsigmoid_from_log1p(x, l):
    """min(x, 0) - log1p(exp(-|x|))."""
    return min(x, 0) - l


@kernel(3)
def logsigmoid_backward(x, z, g):
    """PyTorch's (max_deriv - sign z / (1 + z)) g with z = exp(-|x|)."""
    r = z / (1 + z)
    s = 1 - r
    return g * (s if x < 0 else r)


# -- float32: one pass each, widened to float64 and rounded once (correctly rounded, see kernel_math) ----------
@inline
def tanh_softplus_wide(e):
    """tanh(log(1 + e)) = (e^2 + 2e) / (e^2 + 2e + 2) for e = exp(x), without overflow."""
    q = e * (e + 2.0)
    return q / (q + 2.0) if e < 1.0 else 1.0 - 2.0 / (q + 2.0)


@inline
def mish_element(x):
    v = np.float64(x)
    return v * tanh_softplus_wide(exp_wide(v))


@inline
def mish_backward_element(x, g):
    v = np.float64(x)
    e = exp_wide(v)
    t = tanh_softplus_wide(e)
    s = e / (1.0 + e) if e < 1.0 else 1.0 / (1.0 + 1.0 / e)
    return np.float64(g) * (t + v * s * (1.0 - t * t))


F32 = ("float32",)


@element_loop(mish_element, types=F32)
def mish_wide(x, out):
    for i in range(out.size):
        out[i] = mish_element(x[i])


@element_loop(mish_backward_element, arrays=2, types=F32)
def mish_backward_wide(x, g, out):
    for i in range(out.size):
        out[i] = mish_backward_element(x[i], g[i])


def _negative_exp(x):
    e = negative(x)
    return exp(e, out=e)


# -- sigmoid and tanh: the ops of ourdl.ops, described here --------------------------------------------
sigmoid = register(ew.sigmoid.__wrapped__, module_name="Sigmoid", formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
          derivative_formula=r"\sigma(x)(1 - \sigma(x))", range=(0.0, 1.0),
          properties=Property.MONOTONIC | Property.SMOOTH | Property.BOUNDED_ABOVE | Property.BOUNDED_BELOW | Property.SATURATING, paper="Rumelhart, Hinton & Williams, Learning Representations by Back-Propagating Errors", year=1986,
          aliases=("logistic",), example=("F.sigmoid(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([0.1192, 0.5000, 0.8808])"))
tanh = register(ew.tanh.__wrapped__, module_name="Tanh", formula=r"\tanh x = \frac{e^x - e^{-x}}{e^x + e^{-x}}", derivative_formula=r"1 - \tanh^2 x",
          range=(-1.0, 1.0), properties=Property.MONOTONIC | Property.SMOOTH | Property.BOUNDED_ABOVE | Property.BOUNDED_BELOW | Property.ZERO_CENTRED | Property.SATURATING,
          paper="LeCun et al., Efficient BackProp", year=1998,
          example=("F.tanh(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.9640,  0.0000,  0.9640])"))


# -- SiLU and swish -------------------------------------------------------------------------------------------
def _silu_forward(x):
    e = _negative_exp(x)
    return silu_from_exp(x, e), e


def _silu_backward(x, y, e, g):
    return silu_backward(x, e, g)


def _silu_derivative(x, y, g):
    s = sigmoid(x)
    return g * (s * (1 + x * (1 - s)))


Silu = unary_node("silu", _silu_forward, _silu_derivative, _silu_backward)


@register(module_name="SiLU", formula=r"x \, \sigma(x)", derivative_formula=r"\sigma(x)(1 + x(1 - \sigma(x)))",
          range=(-0.27846454276107380, INF), properties=Property.SMOOTH | Property.BOUNDED_BELOW | Property.SELF_GATED, inplace=True,
          paper="Hendrycks & Gimpel, Gaussian Error Linear Units (GELUs)", year=2016,
          example=("F.silu(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.2384,  0.0000,  1.7616])"))
def silu(input, inplace=False):
    return run(Silu, input, inplace)


def _swish_forward(x, beta):
    z = x * beta
    e = _negative_exp(z)
    return silu_from_exp(x, e), e


def _swish_backward(x, y, e, g, beta):
    return silu_backward(x * beta, e, g)


def _swish_derivative(x, y, g, beta):
    s = sigmoid(x * beta)
    return g * (s * (1 + beta * x * (1 - s)))


Swish = unary_node("swish", _swish_forward, _swish_derivative, _swish_backward)


@register(module_name="Swish", formula=r"x \, \sigma(\beta x)", derivative_formula=r"\sigma(\beta x)(1 + \beta x(1 - \sigma(\beta x)))",
          range=(-0.27846454276107380, INF), properties=Property.SMOOTH | Property.BOUNDED_BELOW | Property.SELF_GATED,
          paper="Ramachandran, Zoph & Le, Searching for Activation Functions", year=2017, repr_template="beta={beta}",
          example=("F.swish(ourdl.tensor([-2.0, 0.0, 2.0]), beta=2.0)", "tensor([-0.0360,  0.0000,  1.9640])"))
def swish(input, beta=1.0):
    """``x * sigmoid(beta * x)``: SiLU at ``beta=1``; a tensor ``beta`` (e.g. a Parameter) is learnable."""
    if not isinstance(beta, (int, float)):
        return input * sigmoid(input * beta)
    return run(Swish, input, beta=float(beta))


# -- softplus, logsigmoid, mish -----------------------------------------------------------------------------
def _softplus_forward(x, beta, threshold):
    """PyTorch's: x where beta x > threshold, else log1p(exp(beta x)) / beta; exp(beta x) is kept for backward."""
    if beta == 1:
        e = exp(x)
    else:
        e = x * beta
        exp(e, out=e)
    return softplus_from_log1p(x, log1p(e), beta, threshold), e


def _softplus_backward(x, y, e, g, beta, threshold):
    return softplus_backward(x, e, g, beta, threshold)


def _softplus_derivative(x, y, g, beta, threshold):
    return g * dual.where(x * beta > threshold, 1.0, sigmoid(x * beta))


Softplus = unary_node("softplus", _softplus_forward, _softplus_derivative, _softplus_backward)


@register(module_name="Softplus", formula=r"\frac{1}{\beta} \log(1 + e^{\beta x})",
          derivative_formula=r"\sigma(\beta x)", range=(0.0, INF), properties=Property.MONOTONIC | Property.SMOOTH | Property.BOUNDED_BELOW,
          repr_template="beta={beta}, threshold={threshold}",
          paper="Dugas et al., Incorporating Second-Order Functional Knowledge for Better Option Pricing", year=2001,
          example=("F.softplus(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([0.1269, 0.6931, 2.1269])"))
def softplus(input, beta=1.0, threshold=20.0):
    return run(Softplus, input, beta=beta, threshold=threshold)


def _logsigmoid_forward(x):
    z = minus_abs(x)
    exp(z, out=z)
    return logsigmoid_from_log1p(x, log1p(z)), z


def _logsigmoid_backward(x, y, z, g):
    return logsigmoid_backward(x, z, g)


def _logsigmoid_derivative(x, y, g):
    return g * sigmoid(-x)


LogSigmoid = unary_node("logsigmoid", _logsigmoid_forward, _logsigmoid_derivative, _logsigmoid_backward)


@register(module_name="LogSigmoid", formula=r"\log \sigma(x) = -\log(1 + e^{-x})", derivative_formula=r"1 - \sigma(x)",
          range=(-INF, 0.0), properties=Property.MONOTONIC | Property.SMOOTH | Property.BOUNDED_ABOVE,
          example=("F.logsigmoid(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-2.1269, -0.6931, -0.1269])"))
def logsigmoid(input):
    return run(LogSigmoid, input)


def _mish_forward(x):
    if x.dtype == np.float32:
        return mish_wide(x)
    e = exp(x)
    return mish_from_exp(x, e), e


def _mish_backward(x, y, e, g):
    return mish_backward_wide(x, g) if e is None else mish_backward(x, e, g)


def _mish_derivative(x, y, g):
    t = tanh(softplus(x))
    return g * (t + x * sigmoid(x) * (1 - t * t))


Mish = unary_node("mish", _mish_forward, _mish_derivative, _mish_backward)


@register(module_name="Mish", formula=r"x \tanh(\log(1 + e^x))",
          derivative_formula=r"\tanh(s) + x \, \sigma(x) (1 - \tanh^2 s), \ s = \log(1 + e^x)",
          range=(-0.30884303743851, INF), properties=Property.SMOOTH | Property.BOUNDED_BELOW | Property.SELF_GATED, inplace=True,
          paper="Misra, Mish: A Self Regularized Non-Monotonic Activation Function", year=2019,
          example=("F.mish(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.2525,  0.0000,  1.9440])"))
def mish(input, inplace=False):
    return run(Mish, input, inplace)
