"""Special functions and elementwise math beyond the basic table: two-argument functions, gamma family, and friends.

Each public function here is in ``__all__`` (exported as ``ourdl.<name>``); those in ``METHODS``
are Tensor methods too.

Backward formulas are written with operators, NumPy ufuncs and :mod:`ourdl.ops.dual`, so they run on
tensors under ``create_graph`` too; the gamma family calls itself there (the derivative of
``polygamma(n, x)`` is ``polygamma(n + 1, x)``), so derivatives of every order exist.

>>> import ourdl
>>> x = ourdl.tensor([2.0], requires_grad=True)
>>> ourdl.lgamma(x).backward(); x.grad
tensor([0.4228])
"""

from __future__ import annotations

import numpy as np
from scipy import special as _scipy

from ..autograd.function import Function
from ..dtypes import FLOAT, result_type
from ..tensor import Tensor
from . import dual
from .arithmetic import _Checked, pow
from .dual import float_array
from .elementwise import unary, via_float64
from .unary import Saves
from .promotion import as_operand, promote

__all__: list[str] = ["atan2", "hypot", "fmod", "logaddexp", "copysign", "float_power", "xlogy", "heaviside",
                      "lgamma", "digamma", "polygamma", "erfinv", "exp2", "sinc", "logit", "frac", "signbit",
                      "deg2rad", "rad2deg", "addcmul", "addcdiv"]
METHODS: list[str] = [name for name in __all__ if name != "polygamma"]  # Tensor.polygamma takes (n) after self

_LN2 = np.log(2.0)
_SQRT_PI_HALF = np.sqrt(np.pi) / 2


def _on(array_fn, tensor_fn):
    """One function for backward formulas: ``tensor_fn`` on tensors (recorded), ``array_fn`` on arrays."""
    return lambda x: tensor_fn(x) if isinstance(x, Tensor) else array_fn(x)


def _tensor_other(op: str, input, other):
    if not isinstance(input, Tensor) or not isinstance(other, Tensor):
        bad = "input" if not isinstance(input, Tensor) else "other"
        value = input if bad == "input" else other
        raise TypeError(f"{op}(): argument '{bad}' must be Tensor, not {type(value).__name__}")


def _float_only(op: str, *tensors):
    for t in tensors:
        if isinstance(t, Tensor) and not t.dtype.is_floating_point:
            raise NotImplementedError(f"{op}: not implemented for {t.dtype.name} tensors (as in PyTorch); "
                                      "convert with .float() first")


# -- two-argument functions -------------------------------------------------------------------------

class Atan2(_Checked):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        r2 = a * a + b * b
        with np.errstate(divide="ignore", invalid="ignore"):
            recip = dual.where(r2 == 0, 0.0, 1 / dual.where(r2 == 0, 1.0, r2))
        return g * b * recip, g * -a * recip


class Hypot(_Checked):
    @staticmethod
    def forward(ctx, a, b):
        y = np.hypot(a, b)
        ctx.save_for_backward(a, b, y)
        return y

    @staticmethod
    def backward(ctx, g):
        a, b, y = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):  # 0/0 at the origin is NaN, as in PyTorch
            return g * a / y, g * b / y


class Fmod(_Checked):
    @staticmethod
    def forward(ctx, a, b):
        if np.asarray(a).dtype.kind in "biu" and np.asarray(b).dtype.kind in "biu" and np.any(np.asarray(b) == 0):
            raise RuntimeError("fmod: ZeroDivisionError, integer division by zero in the divisor (other)")
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.fmod(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return g, -g * np.trunc(a / b)


class LogAddExp(_Checked):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        with np.errstate(invalid="ignore"):  # inf and -inf give NaN, silently
            return np.logaddexp(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        with np.errstate(over="ignore", invalid="ignore"):
            return g / (1 + np.exp(b - a)), g / (1 + np.exp(a - b))


class Copysign(_Checked):
    """The sign of ``b`` on the magnitude of ``a``; ``a``'s gradient is ``y / a`` (0 where ``a == 0``),
    ``b``'s is zero, as in PyTorch."""

    @staticmethod
    def forward(ctx, a, b):
        y = np.copysign(a, b)
        ctx.save_for_backward(a, y)
        return y

    @staticmethod
    def backward(ctx, g):
        a, y = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = dual.where(a == 0, 0.0, y / dual.where(a == 0, 1.0, a))
        return g * ratio, dual.zeros_like(g)


def _xlogy_values(x, y):
    """:math:`x \\log y`, 0 where ``x == 0`` unless ``y`` is NaN; on arrays and tensors."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return dual.where((x == 0) & ~np.isnan(y), 0.0, x * np.log(y))


class Xlogy(_Checked):
    """``x``'s gradient is :math:`g \\log y` (``xlogy(g, y)``), 0 where ``x == 0`` and ``y <= 0``; ``y``'s is
    :math:`g x / y`, as in PyTorch."""

    @staticmethod
    def forward(ctx, x, y):
        dtype = np.result_type(x, y)
        x, y = np.asarray(x, dtype=dtype), np.asarray(y, dtype=dtype)  # a Python number as a 0-d array
        ctx.save_for_backward(x, y)
        return _xlogy_values(x, y)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return dual.where((x == 0) & (y <= 0), 0.0, _xlogy_values(g, y)), g * x / y


class Heaviside(_Checked):
    @staticmethod
    def forward(ctx, x, values):
        return np.where(x == 0, values, x > 0).astype(np.result_type(x, values))

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError("derivative for heaviside is not implemented (as in PyTorch)")


def atan2(input, other):
    """Elementwise :math:`\\operatorname{atan2}(a, b)`: the angle of the point :math:`(b, a)`, in :math:`[-\\pi, \\pi]`.

    Both arguments are tensors (broadcast); integers give the default float dtype. The gradients are
    :math:`b / (a^2 + b^2)` and :math:`-a / (a^2 + b^2)`, 0 at the origin (PyTorch's choice).

    >>> import ourdl
    >>> ourdl.atan2(ourdl.tensor([1.0, -1.0]), ourdl.tensor([0.0, -1.0]))
    tensor([ 1.5708, -2.3562])
    """
    _tensor_other("atan2", input, other)
    return Atan2.apply(*promote(input, other, "atan2", floating=True))


def hypot(input, other):
    """Elementwise :math:`\\sqrt{a^2 + b^2}` without overflow; floating tensors only, as in PyTorch.

    Gradients :math:`a / y` and :math:`b / y` (NaN at the origin, as in PyTorch).

    >>> import ourdl
    >>> ourdl.hypot(ourdl.tensor([3.0]), ourdl.tensor([4.0]))
    tensor([5.])
    """
    _tensor_other("hypot", input, other)
    _float_only("hypot", input, other)
    return Hypot.apply(*promote(input, other, "hypot"))


def fmod(input, other):
    """Elementwise C remainder :math:`a - b \\operatorname{trunc}(a / b)`: the sign of the dividend ``a``.

    Integers stay integers (a zero divisor is an error); a float divisor of 0 gives NaN.
    Gradients: 1 for ``a``, :math:`-\\operatorname{trunc}(a / b)` for ``b``.

    >>> import ourdl
    >>> ourdl.fmod(ourdl.tensor([-3, 3]), 2)
    tensor([-1,  1])
    >>> ourdl.fmod(ourdl.tensor([-3.5]), 2)
    tensor([-1.5000])
    """
    return Fmod.apply(*promote(input, other, "fmod"))


def logaddexp(input, other):
    """Elementwise :math:`\\log(e^a + e^b)` without overflow; floating tensors only.

    Gradients :math:`1 / (1 + e^{b - a})` and :math:`1 / (1 + e^{a - b})`.

    >>> import ourdl
    >>> ourdl.logaddexp(ourdl.tensor([1000.0]), ourdl.tensor([1000.0]))
    tensor([1000.6932])
    """
    _tensor_other("logaddexp", input, other)
    _float_only("logaddexp", input, other)
    return LogAddExp.apply(*promote(input, other, "logaddexp"))


def copysign(input, other):
    """Elementwise :math:`|a| \\operatorname{sign}(b)`, the sign bit of ``b`` included (``-0.0`` counts as negative).

    Integers give the default float dtype. ``b``'s gradient is zero.

    >>> import ourdl
    >>> ourdl.copysign(ourdl.tensor([1.0, -2.0, 3.0]), ourdl.tensor([-0.0, 1.0, -1.0]))
    tensor([-1.,  2., -3.])
    """
    return Copysign.apply(*promote(input, other, "copysign", floating=True))


def float_power(input, exponent):
    """:math:`a^b` computed in float64 whatever the dtypes (the result is float64), broadcasting.

    >>> import ourdl
    >>> ourdl.float_power(ourdl.tensor([2, 3]), 2)
    tensor([4., 9.], dtype=ourdl.float64)
    """
    from ..dtypes import float64

    def wide(x):
        x = as_operand(x, "float_power")
        return x.to(float64) if isinstance(x, Tensor) else float(x)

    input, exponent = wide(input), wide(exponent)
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        raise TypeError("float_power(): at least one of input and exponent must be a Tensor")
    return pow(input, exponent)


def xlogy(input, other):
    """Elementwise :math:`x \\log y`, with :math:`0 \\log y = 0` (NaN only where ``y`` is NaN).

    Either argument may be a Python number; integers give the default float dtype. Gradients:
    :math:`\\log y` (0 where ``x == 0``) and :math:`x / y`.

    >>> import ourdl
    >>> ourdl.xlogy(ourdl.tensor([0.0, 2.0]), ourdl.tensor([0.0, 1.0]))
    tensor([0., 0.])
    """
    return Xlogy.apply(*promote(input, other, "xlogy", floating=True))


def heaviside(input, values):
    """The step function: 0 where ``x < 0`` (and where ``x`` is NaN), ``values`` where ``x == 0``, 1 where ``x > 0``.

    ``input`` and ``values`` are tensors of one dtype. It has no derivative (backward raises), as in PyTorch.

    >>> import ourdl
    >>> ourdl.heaviside(ourdl.tensor([-1.5, 0.0, 2.0]), ourdl.tensor([0.5]))
    tensor([0.0000, 0.5000, 1.0000])
    """
    _tensor_other("heaviside", input, values)
    if input.dtype != values.dtype:
        raise RuntimeError(f"heaviside is not yet implemented for tensors with different dtypes (input "
                           f"{input.dtype.name}, values {values.dtype.name}); convert one with .to()")
    return Heaviside.apply(input, values)


# -- the gamma family and other one-argument functions -------------------------------------------------

class Polygamma(Function):
    """:math:`\\psi^{(n)}(x)`; its derivative is :math:`\\psi^{(n + 1)}(x)`."""

    @staticmethod
    def forward(ctx, x, n):
        x = float_array(x)
        ctx.n = n
        ctx.save_for_backward(x)
        with np.errstate(all="ignore"):
            y = _scipy.psi(x) if n == 0 else _scipy.polygamma(n, x)
        return np.asarray(y, dtype=x.dtype)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * _polygamma_of(ctx.n + 1, x), None


def _polygamma_of(n, x):
    if isinstance(x, Tensor):
        return Polygamma.apply(x, n)
    with np.errstate(all="ignore"):
        return np.asarray(_scipy.polygamma(n, x), dtype=x.dtype)


def polygamma(n, input):
    """The ``n``-th derivative of the digamma function: :math:`\\psi^{(n)}(x) = \\frac{d^{n+1}}{dx^{n+1}} \\ln\\Gamma(x)`.

    ``n >= 0`` (``n = 0`` is :func:`digamma`); differentiable to every order.

    >>> import ourdl
    >>> ourdl.polygamma(1, ourdl.tensor([1.0, 2.0]))
    tensor([1.6449, 0.6449])
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"polygamma(): argument 'n' must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError(f"polygamma(n, x) does not support negative n (got n={n}).")
    return Polygamma.apply(input, int(n))


def _lgamma(x):
    y = _scipy.gammaln(x)
    return np.where(x == -np.inf, np.inf, y)  # PyTorch: lgamma(-inf) = +inf (|Gamma| grows without bound)


def _sinc_derivative(x, y, g):
    px = np.pi * x
    with np.errstate(divide="ignore", invalid="ignore"):
        d = (px * np.cos(px) - np.sin(px)) / (px * x)
    return dual.where(x == 0, 0.0, g * d)


lgamma = unary("lgamma", via_float64(_lgamma), lambda x, y, g: g * _on(_scipy.psi, digamma)(x),
                r"y = \ln |\Gamma(x)|", "[0.5]", "tensor([0.5724])")
digamma = unary("digamma", via_float64(_scipy.psi), lambda x, y, g: g * _polygamma_of(1, x),
                 r"y = \psi(x) = \frac{d}{dx} \ln \Gamma(x)", "[1.0]", "tensor([-0.5772])")
erfinv = unary("erfinv", via_float64(_scipy.erfinv), lambda x, y, g: g * _SQRT_PI_HALF * np.exp(y * y),
                r"y = \mathrm{erf}^{-1}(x)", "[0.5]", "tensor([0.4769])", saves=Saves.OUTPUT)
exp2 = unary("exp2", np.exp2, lambda x, y, g: g * y * _LN2, "y = 2^x", "[3.0]", "tensor([8.])", saves=Saves.OUTPUT)
sinc = unary("sinc", np.sinc, _sinc_derivative, r"y = \sin(\pi x) / (\pi x),\ y(0) = 1", "[0.5]",
              "tensor([0.6366])")
deg2rad = unary("deg2rad", lambda x: x * np.asarray(np.pi / 180, dtype=x.dtype), lambda x, y, g: g * (np.pi / 180),
                 r"y = x \pi / 180", "[180.0]", "tensor([3.1416])", saves=Saves.NOTHING)
rad2deg = unary("rad2deg", lambda x: x * np.asarray(180 / np.pi, dtype=x.dtype), lambda x, y, g: g * (180 / np.pi),
                 r"y = 180 x / \pi", "[3.141592653589793]", "tensor([180.])", saves=Saves.NOTHING)
_frac = unary("frac", lambda x: x - np.trunc(x), lambda x, y, g: g, r"y = x - \mathrm{trunc}(x)", "[-1.5]",
               "tensor([-0.5000])", saves=Saves.NOTHING)


def frac(input):
    _float_only("frac", input)
    return _frac(input)


frac.__doc__ = _frac.__doc__


def signbit(input):
    """Elementwise test of the sign bit: a bool tensor, True for negatives and ``-0.0`` (no gradient).

    >>> import ourdl
    >>> ourdl.signbit(ourdl.tensor([-1.0, -0.0, 0.0, 2.0]))
    tensor([ True,  True, False, False])
    """
    data = input._data
    return Tensor._make(np.signbit(data) if data.dtype != np.bool_ else np.zeros(data.shape, dtype=bool))


class Logit(Function):
    @staticmethod
    def forward(ctx, x, eps):
        x = float_array(x)
        ctx.eps = eps
        ctx.save_for_backward(x)
        z = x if eps is None else np.clip(x, eps, 1 - eps)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(z / (1 - z))

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        eps = ctx.eps
        lo, hi = (0.0, 1.0) if eps is None else (eps, 1 - eps)
        with np.errstate(divide="ignore", invalid="ignore"):
            inside = g / (x * (1 - x))
        return dual.where((x >= lo) & (x <= hi), inside, np.nan if eps is None else 0.0), None


def logit(input, eps=None):
    """Elementwise :math:`\\log(z / (1 - z))` with :math:`z = x`, or :math:`z = \\mathrm{clamp}(x, \\epsilon, 1 - \\epsilon)`
    when ``eps`` is given.

    The gradient is :math:`1 / (x (1 - x))`; outside :math:`[\\epsilon, 1 - \\epsilon]` (and at NaN) it is 0,
    without ``eps`` NaN outside :math:`[0, 1]`, as in PyTorch.

    >>> import ourdl
    >>> ourdl.logit(ourdl.tensor([0.5, 0.0, 0.75]), eps=0.25)
    tensor([ 0.0000, -1.0986,  1.0986])
    """
    return Logit.apply(input, None if eps is None else float(eps))


# -- fused forms ----------------------------------------------------------------------------------------

def _fused(op: str, input, tensor1, tensor2, value):
    tensors = [as_operand(t, op) for t in (input, tensor1, tensor2)]
    dtype = result_type(result_type(tensors[0], tensors[1]), tensors[2])
    if dtype.category != FLOAT and isinstance(value, float):
        raise RuntimeError(f"{op}: for integral input tensors, argument value must not be a floating point number "
                           f"(got value={value} with dtype {dtype.name})")
    return tensors


def addcmul(input, tensor1, tensor2, *, value=1):
    """:math:`\\text{input} + \\text{value} \\cdot t_1 t_2`, broadcasting, with PyTorch's type promotion.

    >>> import ourdl
    >>> ourdl.addcmul(ourdl.tensor([1.0, 1.0]), ourdl.tensor([2.0, 3.0]), ourdl.tensor([4.0, 5.0]), value=0.5)
    tensor([5.0000, 8.5000])
    """
    input, tensor1, tensor2 = _fused("addcmul", input, tensor1, tensor2, value)
    return input + (tensor1 if value == 1 else value * tensor1) * tensor2


def addcdiv(input, tensor1, tensor2, *, value=1):
    """:math:`\\text{input} + \\text{value} \\cdot t_1 / t_2`, broadcasting; integer ``tensor1`` and ``tensor2``
    together are refused, as in PyTorch.

    >>> import ourdl
    >>> ourdl.addcdiv(ourdl.tensor([1.0, 1.0]), ourdl.tensor([2.0, 3.0]), ourdl.tensor([4.0, 6.0]), value=2)
    tensor([2., 2.])
    """
    input, tensor1, tensor2 = _fused("addcdiv", input, tensor1, tensor2, value)
    integral = [isinstance(t, Tensor) and not t.dtype.is_floating_point for t in (tensor1, tensor2)]
    if all(integral):
        raise RuntimeError(f"addcdiv: integer division of tensor1 ({tensor1.dtype.name}) by tensor2 "
                           f"({tensor2.dtype.name}) is no longer supported; use ourdl.addcmul(input, tensor1, "
                           "ourdl.div(1, tensor2)) for true division, or convert them with .float()")
    return input + (tensor1 if value == 1 else value * tensor1) / tensor2
