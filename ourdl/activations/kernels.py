"""The fused kernels of the activations (see :mod:`ourdl.kernels` for how they are made and why)."""

from __future__ import annotations

import numpy as np

from ..kernels import kernel


# -- exp-based: e = exp(-x) (or exp(x)) comes from NumPy ------------------------------------
@kernel(2)
def glu_from_sigmoid(a, s):
    return a * s


@kernel(3)
def glu_backward_b(g, a, s):
    return g * a * s * (1 - s)


@kernel(2)
def silu_from_exp(x, e):
    """x / (1 + e) with e = exp(-x)."""
    return x / (1 + e)


@kernel(3)
def silu_backward(x, e, g):
    """g s (1 + x (1 - s)) with s = 1 / (1 + e), e = exp(-x): PyTorch's formula."""
    s = 1 / (1 + e)
    return g * s * (1 + x * (1 - s))


@kernel(2)
def mish_from_exp(x, e):
    """x tanh(log(1 + e)) with e = exp(x), as x (e^2 + 2e) / (e^2 + 2e + 2), without overflow."""
    q = e * (e + 2)
    small, large = q / (q + 2), 1 - 2 / (q + 2)
    return x * (small if e < 1 else large)


@kernel(3)
def mish_backward(x, e, g):
    q = e * (e + 2)
    small, large = q / (q + 2), 1 - 2 / (q + 2)
    t = small if e < 1 else large
    small, large = e / (1 + e), 1 / (1 + 1 / e)
    s = small if e < 1 else large
    return g * (t + x * s * (1 - t * t))


@kernel(2)
def log1p_from_log(u, w):
    """log1p(u) from w = log(1 + u): exact also where 1 + u rounds to 1 (Kahan's correction)."""
    d = (1 + u) - 1
    corrected = w * (u / d)
    return u if d == 0 else corrected


@kernel(2)
def sigmoid_from_exp_times(e, g):
    """g e / (1 + e): the gradient of softplus with e = exp(beta x)."""
    return g * e / (e + 1)


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
def elu_backward(x, m, negative_coefficient, scale, g):
    """g * input_scale * alpha * scale * exp(x * input_scale) where x <= 0, else g * scale."""
    positive, negative = g * scale, g * negative_coefficient * (m + 1)
    return positive if x > 0 else negative


# -- GELU: x times the Gaussian CDF ----------------------------------------------------------------
# float32 only, computed in float32 (twice the SIMD width): float64 GELU uses scipy's exact erfc.
_F = np.float32
_ERFCC = [_F(c) for c in (-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398,
                           1.48851587, -0.82215223, 0.17087277)]
_C0, _C1, _C2, _C3, _C4, _C5, _C6, _C7, _C8, _C9 = _ERFCC
_SQRT1_2, _HALF, _ONE, _PDF = _F(0.7071067811865476), _F(0.5), _F(1.0), _F(0.3989422804014327)
_MINUS_HALF = _F(-0.5)


@kernel(1, types=("float32",))
def erfc_exponent(x):
    """The exponent of Numerical Recipes' erfcc for z = |x| / sqrt(2) (fractional error < 1.2e-7)."""
    z = abs(x) * _SQRT1_2
    t = _ONE / (_ONE + _HALF * z)
    return -z * z + _C0 + t * (_C1 + t * (_C2 + t * (_C3 + t * (_C4 + t * (_C5 + t * (_C6 + t * (_C7 + t * (
        _C8 + t * _C9))))))))


@kernel(2, types=("float32",))
def gelu_from_exp(x, e):
    """x Phi(x), Phi(x) = erfc(-x / sqrt(2)) / 2 with erfcc(z) = t exp(...) = t e for z = |x| / sqrt(2)."""
    half_erfc = _HALF * e / (_ONE + _HALF * (abs(x) * _SQRT1_2))
    complement = _ONE - half_erfc
    return x * (half_erfc if x < 0 else complement)


@kernel(1)
def minus_half_square(x):
    return x * x * _MINUS_HALF  # a float32 constant keeps float32 in float32 (-0.5 is exact in both)


@kernel(4, types=("float32",))
def gelu_backward(x, e, p, g):
    """g (Phi(x) + x phi(x)): Phi from the forward's e as in :func:`gelu_from_exp`, p = exp(-x^2 / 2)."""
    half_erfc = _HALF * e / (_ONE + _HALF * (abs(x) * _SQRT1_2))
    complement = _ONE - half_erfc
    cdf = half_erfc if x < 0 else complement
    return g * (cdf + x * p * _PDF)


@kernel(1)
def gelu_tanh_inner(x):
    return 0.7978845608028654 * (x + 0.044715 * x * x * x)


@kernel(2)
def gelu_tanh_from_tanh(x, t):
    return 0.5 * x * (1 + t)


@kernel(3)
def gelu_tanh_backward(x, t, g):
    """PyTorch's: 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 kappa x^2)."""
    return g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * 0.7978845608028654 * (1 + 3 * 0.044715 * x * x))
