"""``exp`` and ``expm1`` in float64 arithmetic that vectorises, for float32 kernels that widen each value,
compute and round once.

NumPy's float32 ``exp``/``expm1`` are fast but not correctly rounded (a wrong last bit on 39% / 8% of
inputs over [-30, 10]), and numba calls the scalar libm for ``math.exp``, 10-20x slower than a vectorised pass. These
are written with arithmetic alone (and the float64 bit layout), so LLVM vectorises them inside a kernel: a float32
kernel widens its input, computes through them and rounds once, which gives the correctly rounded float32 result but
for about one input in 10^6 (their relative error is below 2e-14). They are for float32 kernels: in float64 they
are not as exact as NumPy's own functions.

>>> import numpy as np
>>> from ourdl.kernels import numpy_form
>>> numpy_form(exp_wide)(np.array([0.0, 1.0, -np.inf]))
array([1.        , 2.71828183, 0.        ])
"""

from __future__ import annotations

import numpy as np

from .kernels import inline

_LOG2_E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01  # ln 2 in its first 32 bits: k * _LN2_HI is exact for |k| < 2^21
_LN2_LO = 1.90821492927058770002e-10
_ROUND = 6755399441055744.0  # 1.5 * 2^52: adding and subtracting it rounds to the nearest integer
_ROUND_BITS = 0x4338000000000000  # its bits: those of _ROUND + k are _ROUND_BITS + k for |k| < 2^51
# (e^r - 1) / r on [-ln 2 / 2, ln 2 / 2]: mpmath.chebyfit of it, degree 9, relative error 1.3e-15
_Q0, _Q1, _Q2, _Q3, _Q4, _Q5, _Q6, _Q7, _Q8, _Q9 = (
    1.0000000000000013, 0.5000000000000001, 0.16666666666615607, 0.04166666666662413, 0.008333333367332009,
    0.0013888888917213717, 0.0001984119061583585, 2.4801521295954376e-05, 2.763265575933203e-06,
    2.7620088445409746e-07)


@inline
def _expm1_reduced(c):
    """(2^k, e^r - 1, k) for a float64 ``c`` in [-708.3, 709] written as k ln 2 + r with |r| <= ln 2 / 2: e^r - 1 is
    r times a Chebyshev fit of (e^r - 1) / r (relative error 1.3e-15), 2^k comes from the exponent bits."""
    t = c * _LOG2_E + _ROUND  # k sits in t's low bits: read it there (no float-to-integer conversion)
    kf = t - _ROUND
    k = np.float64(t).view(np.int64) - _ROUND_BITS
    r = (c - kf * _LN2_HI) - kf * _LN2_LO
    m = r * (_Q0 + r * (_Q1 + r * (_Q2 + r * (_Q3 + r * (_Q4 + r * (_Q5 + r * (_Q6 + r * (_Q7 + r * (
        _Q8 + r * _Q9)))))))))
    return np.int64((k + 1023) << 52).view(np.float64), m, kf


@inline
def exp_wide(v):
    """e^v for a float64 ``v``: 2^k (1 + (e^r - 1)) from :func:`_expm1_reduced` (relative error < 2e-15); inf above
    709 and 0 below -708.3, where 2^k would leave the normal range (beyond float32's range, so the same after
    rounding)."""
    c = v if v > -708.3 else -708.3  # NaN goes to the bound here and comes back at the end
    c = 709.0 if c > 709.0 else c
    s, m, kf = _expm1_reduced(c)
    e = s + s * m
    e = np.inf if v > 709.0 else e
    e = 0.0 if v < -708.3 else e
    return e if v == v else v


@inline
def expm1_wide(v):
    """e^v - 1 for a float64 ``v``: 2^k (e^r - 1) + (2^k - 1) from :func:`_expm1_reduced`, which is e^r - 1 itself
    where k = 0 (so -0.0 stays -0.0, and small ``v`` keep their relative precision); -1 below -708.3."""
    c = v if v > -708.3 else -708.3  # NaN goes to the bound here and comes back at the end
    c = 709.0 if c > 709.0 else c
    s, m, kf = _expm1_reduced(c)
    e = s * m + (s - 1.0)
    e = m if kf == 0.0 else e
    e = np.inf if v > 709.0 else e
    return e if v == v else v
