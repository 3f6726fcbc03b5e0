"""Elementwise math: every unary op and its derivative, in one table.

Each row gives the forward on arrays and the backward as a formula in
``x`` (input), ``y`` (output) and ``g`` (incoming gradient). The formulas use
operators and NumPy ufuncs, so they also run on tensors for higher
derivatives. Integer and bool inputs are promoted to the default float dtype,
as PyTorch does for these functions.
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..kernels import kernel
from ..thread_split import parallel
from ..tensor import Tensor
from . import array_or_tensor as dual
from .unary import Integers, Saves, run, unary, unary_node
from .out import OutDtype, accepts_out
from .tensor_argument import require_tensor

_SQRT_PI_2 = 2.0 / np.sqrt(np.pi)
X, Y = Saves.INPUT, Saves.OUTPUT


def via_float64(fn):
    """``fn`` computed in float64 for float32 input: NumPy's float32 log10/log2 are off by an ulp half the time
    (log10(100) = 2.0000002), PyTorch's are not.

    >>> import numpy as np
    >>> via_float64(np.log10)(np.array([100.0], np.float32))
    array([2.], dtype=float32)
    """

    def computed(x):
        return fn(x.astype(np.float64)).astype(np.float32) if x.dtype == np.float32 else fn(x)

    return computed


def scipy_special():
    """:mod:`scipy.special`, imported when an op first needs it (SciPy takes ~130 ms to import)."""
    from scipy import special  # deferred: heavy, and only the special functions need it

    return special


_ONE = np.float32(1.0)  # keeps float32 arithmetic in float32, as PyTorch's (a literal 1 would widen it)


@kernel(2)
def _sigmoid_backward(y, g):
    """PyTorch's g (1 - y) y in the array's precision (a literal 1 would widen float32 to float64)."""
    return g * (_ONE - y) * y


@kernel(2)
def _tanh_backward(y, g):
    """g (1 - y^2) as (1 - y)(1 + y): no cancellation as |y| nears 1; in float64 for float32 (rounded once)."""
    u = np.float64(y)
    return np.float64(g) * ((1.0 - u) * (1.0 + u))


_exp, _negative = parallel(np.exp), parallel(np.negative)


@kernel(1)
def _reciprocal_of_one_plus(e):
    return _ONE / (_ONE + e)


def sigmoid_array(x):
    """1 / (1 + exp(-x)) on an array, PyTorch's formula: exp in place, then one fused pass (NumPy's exp: computing
    float32 through float64 would be correctly rounded but cost twice the time).

    >>> sigmoid_array(np.zeros(2, np.float32))
    array([0.5, 0.5], dtype=float32)
    """
    e = _negative(x)
    _exp(e, out=e)
    return _reciprocal_of_one_plus(e)


KEEP = Integers.KEEP
neg = unary("neg", np.negative, lambda x, y, g: -g, "y = -x", "[1.0]", "tensor([-1.])", integers=KEEP,
            saves=Saves.NOTHING)
abs = unary("abs", np.abs, lambda x, y, g: g * ((x > 0) * 1.0 - (x < 0) * 1.0), "y = |x|", "[-2.0]", "tensor([2.])",
            integers=KEEP)
exp = unary("exp", parallel(np.exp), lambda x, y, g: g * y, "y = e^x", "[0.0]", "tensor([1.])", saves=Y)
log = unary("log", np.log, lambda x, y, g: g / x, r"y = \ln x", "[1.0]", "tensor([0.])")
log2 = unary("log2", via_float64(np.log2), lambda x, y, g: g / (x * np.log(2.0)), r"y = \log_2 x", "[4.0]",
             "tensor([2.])")
log10 = unary("log10", via_float64(np.log10), lambda x, y, g: g / (x * np.log(10.0)), r"y = \log_{10} x", "[100.0]",
              "tensor([2.])")
log1p = unary("log1p", np.log1p, lambda x, y, g: g / (x + 1), r"y = \ln(1 + x)", "[0.0]", "tensor([0.])")
expm1 = unary("expm1", np.expm1, lambda x, y, g: g * (y + 1), "y = e^x - 1", "[0.0]", "tensor([0.])", saves=Y)
sqrt = unary("sqrt", np.sqrt, lambda x, y, g: g / (2 * y), r"y = \sqrt{x}", "[4.0]", "tensor([2.])", saves=Y)
rsqrt = unary("rsqrt", lambda x: 1 / np.sqrt(x), lambda x, y, g: -0.5 * g * y * y * y, r"y = 1/\sqrt{x}", "[4.0]",
              "tensor([0.5000])", saves=Y)
square = unary("square", np.square, lambda x, y, g: 2 * g * x, "y = x^2", "[3.0]", "tensor([9.])", integers=KEEP)
sin = unary("sin", np.sin, lambda x, y, g: g * np.cos(x), r"y = \sin x", "[0.0]", "tensor([0.])")
cos = unary("cos", np.cos, lambda x, y, g: -g * np.sin(x), r"y = \cos x", "[0.0]", "tensor([1.])")
tan = unary("tan", np.tan, lambda x, y, g: g * (1 + y * y), r"y = \tan x", "[0.0]", "tensor([0.])", saves=Y)
tanh = unary("tanh", parallel(np.tanh), lambda x, y, g: g * (1 - y * y), r"y = \tanh x", "[0.0]", "tensor([0.])",
             backward=lambda x, y, aux, g: _tanh_backward(y, g), saves=Y)
sigmoid = unary("sigmoid", sigmoid_array, lambda x, y, g: g * (y * (1 - y)), r"y = 1 / (1 + e^{-x})", "[0.0]",
                "tensor([0.5000])", backward=lambda x, y, aux, g: _sigmoid_backward(y, g), saves=Y)
erf = unary("erf", lambda x: scipy_special().erf(x), lambda x, y, g: g * _SQRT_PI_2 * np.exp(-x * x),
            r"y = \mathrm{erf}(x)", "[0.0]", "tensor([0.])")
erfc = unary("erfc", lambda x: scipy_special().erfc(x), lambda x, y, g: -g * _SQRT_PI_2 * np.exp(-x * x),
             r"y = 1 - \mathrm{erf}(x)", "[0.0]", "tensor([1.])")
atan = unary("atan", np.arctan, lambda x, y, g: g / (1 + x * x), r"y = \arctan x", "[0.0]", "tensor([0.])")
asin = unary("asin", np.arcsin, lambda x, y, g: g / np.sqrt(1 - x * x), r"y = \arcsin x", "[0.0]", "tensor([0.])")
acos = unary("acos", np.arccos, lambda x, y, g: -g / np.sqrt(1 - x * x), r"y = \arccos x", "[1.0]", "tensor([0.])")
asinh = unary("asinh", np.arcsinh, lambda x, y, g: g / np.sqrt(x * x + 1), r"y = \operatorname{arsinh} x", "[0.0]",
              "tensor([0.])")
acosh = unary("acosh", np.arccosh, lambda x, y, g: g / np.sqrt(x * x - 1), r"y = \operatorname{arcosh} x", "[1.0]",
              "tensor([0.])")
atanh = unary("atanh", np.arctanh, lambda x, y, g: g / (1 - x * x), r"y = \operatorname{artanh} x", "[0.0]",
              "tensor([0.])")
sinh = unary("sinh", np.sinh, lambda x, y, g: g * np.cosh(x), r"y = \sinh x", "[0.0]", "tensor([0.])")
cosh = unary("cosh", np.cosh, lambda x, y, g: g * np.sinh(x), r"y = \cosh x", "[0.0]", "tensor([1.])")
reciprocal = unary("reciprocal", np.reciprocal, lambda x, y, g: -g * y * y, "y = 1/x", "[2.0]", "tensor([0.5000])",
                   saves=Y)


class Sign(ArrayFunction):
    """``sign(x)``: -1, 0 or 1 (NaN stays NaN); its gradient is zero everywhere."""

    @staticmethod
    def forward(ctx, x):
        return np.sign(x)

    @staticmethod
    def backward(ctx, g):
        return dual.zeros_like(g)


def sign(input):
    """Elementwise :math:`y = \\mathrm{sign}(x)`, with zero gradient.

    >>> import ourdl
    >>> ourdl.sign(ourdl.tensor([-2.0, 0.0, 3.0]))
    tensor([-1.,  0.,  1.])
    """
    require_tensor(input, "sign")
    return Sign.apply(input)


def _zero(x, y, g, **options):
    return dual.zeros_like(g)


_NOTHING = Saves.NOTHING
floor = unary("floor", np.floor, _zero, r"\lfloor x \rfloor", "[1.5]", "tensor([1.])", integers=KEEP, saves=_NOTHING)
ceil = unary("ceil", np.ceil, _zero, r"\lceil x \rceil", "[1.5]", "tensor([2.])", integers=KEEP, saves=_NOTHING)
trunc = unary("trunc", np.trunc, _zero, r"\mathrm{trunc}(x)", "[-1.5]", "tensor([-1.])", integers=KEEP,
              saves=_NOTHING)
_Round = unary_node("round", lambda x, decimals=0: np.round(x, decimals), _zero, integers=KEEP, saves=_NOTHING)


@accepts_out(dtype=OutDtype.SAME)
def round(input, *, decimals: int = 0):
    """Elementwise rounding half to even, at ``decimals`` decimal places (negative: to tens, hundreds, ...);
    the gradient is zero, as in PyTorch.

    >>> import ourdl
    >>> ourdl.round(ourdl.tensor([2.5, 3.5, 0.125]))
    tensor([2., 4., 0.])
    >>> ourdl.round(ourdl.tensor([0.125, 0.135]), decimals=2)
    tensor([0.1200, 0.1400])
    >>> ourdl.round(ourdl.tensor([1234.5, 0.125]), decimals=-2)
    tensor([1200.,    0.])
    """
    require_tensor(input, "round")
    if decimals and not input.dtype.is_floating_point:
        raise NotImplementedError(f"round: decimals is not supported for {input.dtype} tensors; round floats")
    return run(_Round, input, decimals=int(decimals))


round.op = _Round


def isnan(input):
    """Elementwise ``x != x``: a bool tensor.

    >>> import ourdl
    >>> ourdl.isnan(ourdl.tensor([1.0, float('nan')]))
    tensor([False,  True])
    """
    require_tensor(input, "isnan")
    return Tensor._make(np.asarray(np.isnan(input._data)))


def isinf(input):
    """Elementwise test for ±inf: a bool tensor.

    >>> import ourdl
    >>> ourdl.isinf(ourdl.tensor([1.0, float('inf'), -float('inf')]))
    tensor([False,  True,  True])
    """
    require_tensor(input, "isinf")
    return Tensor._make(np.asarray(np.isinf(input._data)))


def isfinite(input):
    """Elementwise test for finite values: a bool tensor.

    >>> import ourdl
    >>> ourdl.isfinite(ourdl.tensor([1.0, float('inf'), float('nan')]))
    tensor([ True, False, False])
    """
    require_tensor(input, "isfinite")
    return Tensor._make(np.asarray(np.isfinite(input._data)))


UNARY_UFUNCS = {
    np.negative: neg, np.absolute: abs, np.exp: exp, np.log: log, np.log2: log2, np.log10: log10, np.log1p: log1p,
    np.expm1: expm1, np.sqrt: sqrt, np.square: square, np.sin: sin, np.cos: cos, np.tan: tan, np.tanh: tanh,
    np.arctan: atan, np.arcsin: asin, np.arccos: acos, np.sinh: sinh, np.cosh: cosh, np.reciprocal: reciprocal,
    np.arcsinh: asinh, np.arccosh: acosh, np.arctanh: atanh,
    np.sign: sign, np.floor: floor, np.ceil: ceil, np.trunc: trunc, np.isnan: isnan, np.isinf: isinf,
    np.isfinite: isfinite,
}

# every function here is also a Tensor method (x.exp(), x.sigmoid(), ...)
METHODS = __all__ = ["abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "cos", "cosh", "erf", "erfc", "exp",
           "expm1", "floor", "isfinite", "isinf", "isnan", "log", "log10", "log1p", "log2", "neg", "reciprocal",
           "round", "rsqrt", "sigmoid", "sign", "sin", "sinh", "sqrt", "square", "tan", "tanh", "trunc"]
