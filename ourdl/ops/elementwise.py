"""Elementwise math: every unary op and its derivative, in one table.

Each row gives the forward on arrays and the backward as a formula in
``x`` (input), ``y`` (output) and ``g`` (incoming gradient). The formulas use
operators and NumPy ufuncs, so they also run on tensors for higher
derivatives. Integer and bool inputs are promoted to the default float dtype,
as PyTorch does for these functions.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ..autograd.function import Function
from . import array_or_tensor as dual
from .array_or_tensor import float_array

_SQRT_PI_2 = 2.0 / np.sqrt(np.pi)


def _via_float64(fn):
    """``fn`` computed in float64 for float32 input: NumPy's float32 log10/log2 are off by an ulp half the time
    (log10(100) = 2.0000002), PyTorch's are not."""

    def computed(x):
        return fn(x.astype(np.float64)).astype(np.float32) if x.dtype == np.float32 else fn(x)

    return computed


def _unary(name, forward, derivative, formula, example, result, float_only=True, quiet=True, saves="x"):
    """Build a Function subclass and its public function from one table row.

    ``quiet``: the function can overflow or leave its domain; the inf or NaN it then
    gives comes without a NumPy warning, as in PyTorch.
    ``saves``: which of ``x`` and ``y`` the derivative reads; only those are kept for backward,
    as PyTorch does, so an in-place change of the other afterwards is allowed.
    """
    keep_x, keep_y = "x" in saves, "y" in saves

    def fwd(ctx, x):
        if float_only:
            x = float_array(x)
        if quiet:
            with np.errstate(all="ignore"):
                y = forward(x)
        else:
            y = forward(x)
        ctx.save_for_backward(x if keep_x else None, y if keep_y else None)
        return y

    def bwd(ctx, g):
        x, y = ctx.saved_tensors
        return derivative(x, y, g)

    op = type(name.capitalize(), (Function,), {"forward": staticmethod(fwd), "backward": staticmethod(bwd)})

    def function(input):
        return op.apply(input)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = (
        f"Elementwise :math:`{formula}`.\n\n"
        f"The derivative is recorded, so ``backward`` and higher derivatives work.\n\n"
        f">>> import ourdl\n>>> ourdl.{name}(ourdl.tensor({example}))\n{result}\n"
    )
    function.op = op
    return function


neg = _unary("neg", np.negative, lambda x, y, g: -g, "y = -x", "[1.0]", "tensor([-1.])", float_only=False, quiet=False,
             saves="")
abs = _unary("abs", np.abs, lambda x, y, g: g * ((x > 0) * 1.0 - (x < 0) * 1.0), "y = |x|", "[-2.0]", "tensor([2.])", float_only=False,
            quiet=False)
exp = _unary("exp", np.exp, lambda x, y, g: g * y, "y = e^x", "[0.0]", "tensor([1.])", saves="y")
log = _unary("log", np.log, lambda x, y, g: g / x, r"y = \ln x", "[1.0]", "tensor([0.])")
log2 = _unary("log2", _via_float64(np.log2), lambda x, y, g: g / (x * np.log(2.0)), r"y = \log_2 x", "[4.0]", "tensor([2.])")
log10 = _unary("log10", _via_float64(np.log10), lambda x, y, g: g / (x * np.log(10.0)), r"y = \log_{10} x", "[100.0]", "tensor([2.])")
log1p = _unary("log1p", np.log1p, lambda x, y, g: g / (x + 1), r"y = \ln(1 + x)", "[0.0]", "tensor([0.])")
expm1 = _unary("expm1", np.expm1, lambda x, y, g: g * (y + 1), "y = e^x - 1", "[0.0]", "tensor([0.])", saves="y")
sqrt = _unary("sqrt", np.sqrt, lambda x, y, g: g / (2 * y), r"y = \sqrt{x}", "[4.0]", "tensor([2.])", saves="y")
rsqrt = _unary("rsqrt", lambda x: 1 / np.sqrt(x), lambda x, y, g: -0.5 * g * y * y * y, r"y = 1/\sqrt{x}", "[4.0]", "tensor([0.5000])", saves="y")
square = _unary("square", np.square, lambda x, y, g: 2 * g * x, "y = x^2", "[3.0]", "tensor([9.])", float_only=False)
sin = _unary("sin", np.sin, lambda x, y, g: g * np.cos(x), r"y = \sin x", "[0.0]", "tensor([0.])")
cos = _unary("cos", np.cos, lambda x, y, g: -g * np.sin(x), r"y = \cos x", "[0.0]", "tensor([1.])")
tan = _unary("tan", np.tan, lambda x, y, g: g * (1 + y * y), r"y = \tan x", "[0.0]", "tensor([0.])", saves="y")
tanh = _unary("tanh", np.tanh, lambda x, y, g: g * (1 - y * y), r"y = \tanh x", "[0.0]", "tensor([0.])", saves="y")
erf = _unary("erf", special.erf, lambda x, y, g: g * _SQRT_PI_2 * np.exp(-x * x), r"y = \mathrm{erf}(x)", "[0.0]", "tensor([0.])")
erfc = _unary("erfc", special.erfc, lambda x, y, g: -g * _SQRT_PI_2 * np.exp(-x * x), r"y = 1 - \mathrm{erf}(x)", "[0.0]", "tensor([1.])")
atan = _unary("atan", np.arctan, lambda x, y, g: g / (1 + x * x), r"y = \arctan x", "[0.0]", "tensor([0.])")
asin = _unary("asin", np.arcsin, lambda x, y, g: g / np.sqrt(1 - x * x), r"y = \arcsin x", "[0.0]", "tensor([0.])")
acos = _unary("acos", np.arccos, lambda x, y, g: -g / np.sqrt(1 - x * x), r"y = \arccos x", "[1.0]", "tensor([0.])")
asinh = _unary("asinh", np.arcsinh, lambda x, y, g: g / np.sqrt(x * x + 1), r"y = \operatorname{arsinh} x", "[0.0]",
               "tensor([0.])")
acosh = _unary("acosh", np.arccosh, lambda x, y, g: g / np.sqrt(x * x - 1), r"y = \operatorname{arcosh} x", "[1.0]",
               "tensor([0.])")
atanh = _unary("atanh", np.arctanh, lambda x, y, g: g / (1 - x * x), r"y = \operatorname{artanh} x", "[0.0]",
               "tensor([0.])")
sinh = _unary("sinh", np.sinh, lambda x, y, g: g * np.cosh(x), r"y = \sinh x", "[0.0]", "tensor([0.])")
cosh = _unary("cosh", np.cosh, lambda x, y, g: g * np.sinh(x), r"y = \cosh x", "[0.0]", "tensor([1.])")
reciprocal = _unary("reciprocal", np.reciprocal, lambda x, y, g: -g * y * y, "y = 1/x", "[2.0]", "tensor([0.5000])", saves="y")


class Sign(Function):
    """``sign(x)``: -1, 0 or 1 (NaN stays NaN); its gradient is zero everywhere."""

    @staticmethod
    def forward(ctx, x):
        ctx.shape = x.shape
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
    return Sign.apply(input)


def _rounding(name, fn, formula, example, result):
    def fwd(ctx, x, *options):
        return fn(x, *options)

    def bwd(ctx, g):
        return dual.zeros_like(g), None

    op = type(name.capitalize(), (Function,), {"forward": staticmethod(fwd), "backward": staticmethod(bwd)})

    def function(input):
        return op.apply(input)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = (
        f"Elementwise :math:`{formula}`; the gradient is zero almost everywhere, as in PyTorch.\n\n"
        f">>> import ourdl\n>>> ourdl.{name}(ourdl.tensor({example}))\n{result}\n"
    )
    function.op = op
    return function


floor = _rounding("floor", np.floor, r"\lfloor x \rfloor", "[1.5]", "tensor([1.])")
ceil = _rounding("ceil", np.ceil, r"\lceil x \rceil", "[1.5]", "tensor([2.])")
_round = _rounding("round", np.round, r"\mathrm{round}(x)", "[2.5]", "tensor([2.])")


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
    if not decimals:
        return _round(input)
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"round: decimals is not supported for {input.dtype} tensors; round floats")
    return _round.op.apply(input, int(decimals))
trunc = _rounding("trunc", np.trunc, r"\mathrm{trunc}(x)", "[-1.5]", "tensor([-1.])")


def isnan(input):
    """Elementwise ``x != x``: a bool tensor.

    >>> import ourdl
    >>> ourdl.isnan(ourdl.tensor([1.0, float('nan')]))
    tensor([False,  True])
    """
    from ..tensor import Tensor

    return Tensor._make(np.isnan(input._data))


def isinf(input):
    """Elementwise test for ±inf: a bool tensor.

    >>> import ourdl
    >>> ourdl.isinf(ourdl.tensor([1.0, float('inf'), -float('inf')]))
    tensor([False,  True,  True])
    """
    from ..tensor import Tensor

    return Tensor._make(np.isinf(input._data))


def isfinite(input):
    """Elementwise test for finite values: a bool tensor.

    >>> import ourdl
    >>> ourdl.isfinite(ourdl.tensor([1.0, float('inf'), float('nan')]))
    tensor([ True, False, False])
    """
    from ..tensor import Tensor

    return Tensor._make(np.isfinite(input._data))


UNARY_UFUNCS = {
    np.negative: neg, np.absolute: abs, np.exp: exp, np.log: log, np.log2: log2, np.log10: log10, np.log1p: log1p,
    np.expm1: expm1, np.sqrt: sqrt, np.square: square, np.sin: sin, np.cos: cos, np.tan: tan, np.tanh: tanh,
    np.arctan: atan, np.arcsin: asin, np.arccos: acos, np.sinh: sinh, np.cosh: cosh, np.reciprocal: reciprocal,
    np.arcsinh: asinh, np.arccosh: acosh, np.arctanh: atanh,
    np.sign: sign, np.floor: floor, np.ceil: ceil, np.trunc: trunc, np.isnan: isnan, np.isinf: isinf,
    np.isfinite: isfinite,
}

__all__ = [name for name in dir() if not name.startswith("_") and callable(globals()[name]) and name not in (
    "Function", "float_array", "where", "np", "special", "annotations")]
