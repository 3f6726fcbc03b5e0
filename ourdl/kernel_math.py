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
# e^r on [-ln 2 / 2, ln 2 / 2]: mpmath.chebyfit(mpmath.exp, [-0.3466, 0.3466], 10), absolute error 1.4e-14
_E0, _E1, _E2, _E3, _E4, _E5, _E6, _E7, _E8, _E9 = (
    1.0000000000000135, 1.0000000000000013, 0.4999999999943814, 0.16666666666615607, 0.041666667040776456,
    0.008333333367332009, 0.0013888801714761622, 0.0001984119061583585, 2.488447635159146e-05, 2.763265575933203e-06)
# (e^v - 1) / v on the same interval: mpmath.chebyfit of it, degree 9, relative error 1.3e-15
_Q0, _Q1, _Q2, _Q3, _Q4, _Q5, _Q6, _Q7, _Q8, _Q9 = (
    1.0000000000000013, 0.5000000000000001, 0.16666666666615607, 0.04166666666662413, 0.008333333367332009,
    0.0013888888917213717, 0.0001984119061583585, 2.4801521295954376e-05, 2.763265575933203e-06,
    2.7620088445409746e-07)


@inline
def exp_wide(v):
    """e^v for a float64 ``v``: v = k ln 2 + r with |r| <= ln 2 / 2, e^r by a Chebyshev fit of degree 9 (relative
    error < 2e-14), 2^k from the exponent bits; inf above 709 and 0 below -708.3, where 2^k would leave the normal
    range (beyond float32's range, so the same after rounding)."""
    c = v if v > -708.3 else -708.3  # NaN goes to the bound here and comes back at the end
    c = 709.0 if c > 709.0 else c
    t = c * _LOG2_E + _ROUND  # k sits in t's low bits: read it there (no float-to-integer conversion)
    kf = t - _ROUND
    k = np.float64(t).view(np.int64) - _ROUND_BITS
    r = (c - kf * _LN2_HI) - kf * _LN2_LO
    p = _E0 + r * (_E1 + r * (_E2 + r * (_E3 + r * (_E4 + r * (_E5 + r * (_E6 + r * (_E7 + r * (_E8 + r * _E9))))))))
    e = p * np.int64((k + 1023) << 52).view(np.float64)
    e = np.inf if v > 709.0 else e
    e = 0.0 if v < -708.3 else e
    return e if v == v else v


@inline
def expm1_wide(v):
    """e^v - 1 for a float64 ``v``: v times a Chebyshev fit of (e^v - 1) / v where |v| < ln 2 / 2 (the
    subtraction would cancel there), else e^v - 1."""
    series = v * (_Q0 + v * (_Q1 + v * (_Q2 + v * (_Q3 + v * (_Q4 + v * (_Q5 + v * (_Q6 + v * (_Q7 + v * (
        _Q8 + v * _Q9)))))))))
    e = exp_wide(v) - 1.0
    return series if abs(v) < 0.34657359027997264 else e
