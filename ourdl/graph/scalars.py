"""Activations on one Python float, written with ``math``: f(x) and f'(x) for the graph's activation ops.

``FORMULAS`` maps a catalog name to ``(f, f')``; each function takes the catalog's parameters,
in the catalog's order and with its defaults, and gives PyTorch's value of the derivative at
the kinks (relu'(0) = 0, leaky_relu'(0) = negative_slope, hardtanh'(±1) = 0, ...). These are
the fast path of the node graph, about 0.1 µs a call where the catalog's tensor-backed
``.scalar`` takes tens of microseconds; tests hold every one to the catalog.

>>> FORMULAS["leaky_relu"][0](-2.0, 0.1), FORMULAS["leaky_relu"][1](0.0)
(-0.2, 0.01)
>>> round(gelu(1.0), 4), round(gelu(1.0, "tanh"), 4)
(0.8413, 0.8412)
"""

from __future__ import annotations

import math

from .ops import exp

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
ONE_SIXTH = 0.1666666716337204  # float32(1/6): PyTorch's hardsigmoid/hardswish gradient constant in every dtype
SQRT_HALF = math.sqrt(0.5)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
TANH_GELU = math.sqrt(2.0 / math.pi)


def sigmoid(x):
    """σ(x) = 1 / (1 + e^-x), without overflow for large ``|x|``.

    >>> sigmoid(0.0), sigmoid(-1000.0), sigmoid(1000.0)
    (0.5, 0.0, 1.0)
    """
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = exp(x)
    return e / (1.0 + e)


def sigmoid_derivative(x):
    """σ'(x) = σ(x) (1 - σ(x)).

    >>> sigmoid_derivative(0.0)
    0.25
    """
    s = sigmoid(x)
    return s * (1.0 - s)


def softplus(x, beta=1.0, threshold=20.0):
    """log(1 + e^(βx)) / β, and x itself where βx > threshold (PyTorch's switch).

    >>> round(softplus(0.0), 6), softplus(30.0)
    (0.693147, 30.0)
    """
    z = beta * x
    if z > threshold:
        return x
    return (max(z, 0.0) + math.log1p(exp(-abs(z)))) / beta


def softplus_derivative(x, beta=1.0, threshold=20.0):
    """σ(βx), and 1 where βx > threshold.

    >>> softplus_derivative(0.0), softplus_derivative(30.0)
    (0.5, 1.0)
    """
    z = beta * x
    return 1.0 if z > threshold else sigmoid(z)


def gelu(x, approximate="none"):
    """x Φ(x) (or PyTorch's tanh approximation with ``approximate="tanh"``).

    >>> round(gelu(-1.0), 6), round(gelu(-1.0, "tanh"), 6)
    (-0.158655, -0.158808)
    """
    if approximate == "tanh":
        return 0.5 * x * (1.0 + math.tanh(TANH_GELU * (x + 0.044715 * x * x * x)))
    return 0.5 * x * (1.0 + math.erf(x * SQRT_HALF))


def gelu_derivative(x, approximate="none"):
    """Φ(x) + x φ(x) (or the derivative of the tanh approximation).

    >>> gelu_derivative(0.0), gelu_derivative(0.0, "tanh")
    (0.5, 0.5)
    """
    if approximate == "tanh":
        t = math.tanh(TANH_GELU * (x + 0.044715 * x * x * x))
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * TANH_GELU * (1.0 + 3 * 0.044715 * x * x)
    return 0.5 * (1.0 + math.erf(x * SQRT_HALF)) + x * INV_SQRT_2PI * math.exp(-0.5 * x * x)


def _tanh_derivative(x):
    t = math.tanh(x)
    return 1.0 - t * t


def _silu_derivative(x):
    s = sigmoid(x)
    return s * (1.0 + x * (1.0 - s))


def _swish_derivative(x, beta=1.0):
    s = sigmoid(beta * x)
    return s + beta * x * s * (1.0 - s)


def _sin(x):
    return math.sin(x) if math.isfinite(x) else math.nan  # math.sin(inf) raises where IEEE gives nan


def _mish(x):
    return x * math.tanh(softplus(x))


def _mish_derivative(x):
    t = math.tanh(softplus(x))
    return t + x * sigmoid(x) * (1.0 - t * t)


def _hardsigmoid(x):
    return min(max(x + 3.0, 0.0), 6.0) / 6.0


def _hardswish_derivative(x):
    if x <= -3.0:
        return 0.0
    return 1.0 if x >= 3.0 else x / 3.0 + 0.5


def _sparse_plus(x):
    if x <= -1.0:
        return 0.0
    return (x + 1.0) * (x + 1.0) / 4.0 if x < 1.0 else x


def _sparse_plus_derivative(x):
    if x != x:
        return x
    if x <= -1.0:
        return 0.0
    return (x + 1.0) / 2.0 if x < 1.0 else 1.0


def _softshrink(x, lambd=0.5):
    if x != x:
        return x
    if x > lambd:
        return x - lambd
    return x + lambd if x < -lambd else 0.0


def _softsign_derivative(x):
    d = 1.0 / (1.0 + abs(x))
    return d - abs(x) * d * d  # as autograd of x / (1 + |x|) gives it: nan at ±inf, like PyTorch


def _squareplus(x, b=4.0):
    """(x + sqrt(x^2 + b)) / 2 as the catalog computes it: hypot (no overflow) and, below 0, b / (2 (r - x)),
    which does not cancel (0 at -inf, not NaN)."""
    root = math.hypot(x, math.sqrt(b))
    return 0.5 * x + 0.5 * root if x >= 0 else (b * 0.25) / (0.5 * root - 0.5 * x)


def _squareplus_derivative(x, b=4.0):
    return 0.5 * (1.0 + x / math.hypot(x, math.sqrt(b)))


def _rrelu_slope(lower, upper):
    return (lower + upper) / 2.0  # evaluation mode, as PyTorch's F.rrelu(training=False)


FORMULAS = {
    "celu": (lambda x, alpha=1.0: x if x > 0.0 else alpha * math.expm1(x / alpha),
             lambda x, alpha=1.0: 1.0 if x > 0.0 else exp(x / alpha)),
    "elu": (lambda x, alpha=1.0: x if x > 0.0 else alpha * math.expm1(x),
            lambda x, alpha=1.0: 1.0 if x > 0.0 else alpha * exp(x)),
    "exponential": (exp, exp),
    "gelu": (gelu, gelu_derivative),
    "hardshrink": (lambda x, lambd=0.5: 0.0 if -lambd <= x <= lambd else x,
                   lambda x, lambd=0.5: 1.0 if x > lambd or x < -lambd else 0.0),
    "hardsigmoid": (_hardsigmoid, lambda x: ONE_SIXTH if -3.0 < x < 3.0 else 0.0),
    "hardswish": (lambda x: x * _hardsigmoid(x), _hardswish_derivative),
    "hardtanh": (lambda x, min_val=-1.0, max_val=1.0: min(max(x, min_val), max_val),
                 lambda x, min_val=-1.0, max_val=1.0: 1.0 if min_val < x < max_val else 0.0),
    "identity": (lambda x: x, lambda x: 1.0),
    "leaky_relu": (lambda x, negative_slope=0.01: x if x > 0.0 else negative_slope * x,
                   lambda x, negative_slope=0.01: 1.0 if x > 0.0 else negative_slope),
    "lisht": (lambda x: x * math.tanh(x), lambda x: math.tanh(x) + x * _tanh_derivative(x)),
    "logsigmoid": (lambda x: min(x, 0.0) - math.log1p(exp(-abs(x))), lambda x: sigmoid(-x)),
    "mish": (_mish, _mish_derivative),
    "prelu": (lambda x, weight=0.25: x if x > 0.0 else weight * x, lambda x, weight=0.25: 1.0 if x > 0.0 else weight),
    "relu": (lambda x: 0.0 if x <= 0.0 else x, lambda x: 0.0 if x <= 0.0 else 1.0),
    "relu6": (lambda x: min(max(x, 0.0), 6.0), lambda x: 1.0 if 0.0 < x < 6.0 else 0.0),
    "rrelu": (lambda x, lower=1 / 8, upper=1 / 3: x if x >= 0.0 else _rrelu_slope(lower, upper) * x,
              lambda x, lower=1 / 8, upper=1 / 3: 1.0 if x > 0.0 else _rrelu_slope(lower, upper)),
    "selu": (lambda x: SELU_SCALE * (x if x > 0.0 else SELU_ALPHA * math.expm1(x)),
             lambda x: SELU_SCALE * (1.0 if x > 0.0 else SELU_ALPHA * exp(x))),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "silu": (lambda x: x * sigmoid(x), _silu_derivative),
    "snake": (lambda x, alpha=1.0: x + _sin(alpha * x) ** 2 / alpha,
              lambda x, alpha=1.0: 1.0 + _sin(2.0 * alpha * x)),
    "softplus": (softplus, softplus_derivative),
    "softshrink": (_softshrink, lambda x, lambd=0.5: 1.0 if x > lambd or x < -lambd else 0.0),
    "softsign": (lambda x: x / (1.0 + abs(x)), _softsign_derivative),
    "sparse_plus": (_sparse_plus, _sparse_plus_derivative),
    "sparse_sigmoid": (lambda x: min(max((x + 1.0) / 2.0, 0.0), 1.0), lambda x: 0.5 if -1.0 < x < 1.0 else 0.0),
    "squareplus": (_squareplus, _squareplus_derivative),
    "step": (lambda x, straight_through=False: 0.0 if x <= 0.0 else (1.0 if x > 0.0 else x),
             lambda x, straight_through=False: 1.0 if straight_through else 0.0),
    "swish": (lambda x, beta=1.0: x * sigmoid(beta * x), _swish_derivative),
    "tanh": (math.tanh, _tanh_derivative),
    "tanhshrink": (lambda x: x - math.tanh(x), lambda x: math.tanh(x) ** 2),
    "threshold": (lambda x, threshold=0.0, value=0.0: value if x <= threshold else x,
                  lambda x, threshold=0.0, value=0.0: 0.0 if x <= threshold else 1.0),
}
