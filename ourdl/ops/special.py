"""Special functions of one tensor, beyond the basic elementwise table: the gamma family (lgamma, digamma,
polygamma), erfinv, exp2, sinc, logit, frac, signbit, deg2rad, rad2deg and nan_to_num.

Backward formulas are written with operators, NumPy ufuncs and :mod:`ourdl.ops.array_or_tensor`, so they run on
tensors under ``create_graph`` too; the gamma family calls itself there (the derivative of
``polygamma(n, x)`` is ``polygamma(n + 1, x)``), so derivatives of every order exist.

>>> import ourdl
>>> x = ourdl.tensor([2.0], requires_grad=True)
>>> ourdl.lgamma(x).backward(); x.grad
tensor([0.4228])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..tensor import Tensor
from . import array_or_tensor
from .array_or_tensor import float_array
from .elementwise import scipy_special, via_float64
from .promotion import float_only, tensor_operand
from .tensor_argument import require_tensor, type_name
from .unary import Saves, unary

__all__: list[str] = ["lgamma", "digamma", "polygamma", "erfinv", "exp2", "sinc", "logit", "frac", "signbit",
                      "deg2rad", "rad2deg", "nan_to_num"]
METHODS: list = [name for name in __all__ if name != "polygamma"]  # Tensor.polygamma takes (n) after self

_LN2 = np.log(2.0)
_SQRT_PI_HALF = np.sqrt(np.pi) / 2


def _on(array_fn, tensor_fn):
    """One function for backward formulas: ``tensor_fn`` on tensors (recorded), ``array_fn`` on arrays."""
    return lambda x: tensor_fn(x) if isinstance(x, Tensor) else array_fn(x)


class Polygamma(ArrayFunction):
    """:math:`\\psi^{(n)}(x)`; its derivative is :math:`\\psi^{(n + 1)}(x)`."""

    @staticmethod
    def forward(ctx, x, n):
        x = float_array(x)
        ctx.n = n
        ctx.save_for_backward(x)
        with np.errstate(all="ignore"):
            y = scipy_special().psi(x) if n == 0 else scipy_special().polygamma(n, x)
        return np.asarray(y, dtype=x.dtype)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * _polygamma_of(ctx.n + 1, x), None


def _polygamma_of(n, x):
    if isinstance(x, Tensor):
        return Polygamma.apply(x, n)
    with np.errstate(all="ignore"):
        return np.asarray(scipy_special().polygamma(n, x), dtype=x.dtype)


def polygamma(n, input):
    """The ``n``-th derivative of the digamma function: :math:`\\psi^{(n)}(x) = \\frac{d^{n+1}}{dx^{n+1}} \\ln\\Gamma(x)`.

    ``n >= 0`` (``n = 0`` is :func:`digamma`); differentiable to every order.

    >>> import ourdl
    >>> ourdl.polygamma(1, ourdl.tensor([1.0, 2.0]))
    tensor([1.6449, 0.6449])
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"polygamma(): argument 'n' (position 1) must be int, not {type_name(n)}")
    require_tensor(input, "polygamma", "input", 2)
    if n < 0:
        raise RuntimeError(f"polygamma(n, x) does not support negative n (got n={n}).")
    return Polygamma.apply(input, int(n))


def _lgamma(x):
    y = scipy_special().gammaln(x)
    return np.where(x == -np.inf, np.inf, y)  # PyTorch: lgamma(-inf) = +inf (|Gamma| grows without bound)


def _sinc_derivative(x, y, g):
    px = np.pi * x
    with np.errstate(divide="ignore", invalid="ignore"):
        d = (px * np.cos(px) - np.sin(px)) / (px * x)
    return array_or_tensor.where(x == 0, 0.0, g * d)


lgamma = unary("lgamma", via_float64(_lgamma), lambda x, y, g: g * _on(scipy_special().psi, digamma)(x),
                r"y = \ln |\Gamma(x)|", "[0.5]", "tensor([0.5724])")
digamma = unary("digamma", via_float64(lambda x: scipy_special().psi(x)), lambda x, y, g: g * _polygamma_of(1, x),
                 r"y = \psi(x) = \frac{d}{dx} \ln \Gamma(x)", "[1.0]", "tensor([-0.5772])")
erfinv = unary("erfinv", via_float64(lambda x: scipy_special().erfinv(x)), lambda x, y, g: g * _SQRT_PI_HALF * np.exp(y * y),
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
    require_tensor(input, "frac")
    float_only("frac", input)
    return _frac(input)


frac.__doc__ = _frac.__doc__


def signbit(input):
    """Elementwise test of the sign bit: a bool tensor, True for negatives and ``-0.0`` (no gradient).

    >>> import ourdl
    >>> ourdl.signbit(ourdl.tensor([-1.0, -0.0, 0.0, 2.0]))
    tensor([ True,  True, False, False])
    """
    require_tensor(input, "signbit")
    data = input._data
    return Tensor._make(np.signbit(data) if data.dtype != np.bool_ else np.zeros(data.shape, dtype=bool))


class Logit(ArrayFunction):
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
        return array_or_tensor.where((x >= lo) & (x <= hi), inside, np.nan if eps is None else 0.0), None


def logit(input, eps=None):
    """Elementwise :math:`\\log(z / (1 - z))` with :math:`z = x`, or :math:`z = \\mathrm{clamp}(x, \\epsilon, 1 - \\epsilon)`
    when ``eps`` is given.

    The gradient is :math:`1 / (x (1 - x))`; outside :math:`[\\epsilon, 1 - \\epsilon]` (and at NaN) it is 0,
    without ``eps`` NaN outside :math:`[0, 1]`, as in PyTorch.

    >>> import ourdl
    >>> ourdl.logit(ourdl.tensor([0.5, 0.0, 0.75]), eps=0.25)
    tensor([ 0.0000, -1.0986,  1.0986])
    """
    require_tensor(input, "logit")
    return Logit.apply(input, None if eps is None else float(eps))


class NanToNum(ArrayFunction):
    """NaN and infinities replaced by numbers; gradient: passed where the input was finite, 0 elsewhere."""

    @staticmethod
    def forward(ctx, x, nan, posinf, neginf):
        ctx.finite = np.isfinite(x)
        return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, g):
        return array_or_tensor.where(ctx.finite, g, 0.0), None, None, None


def nan_to_num(input, nan: float = 0.0, posinf=None, neginf=None):
    """NaN becomes ``nan``, +inf ``posinf`` and -inf ``neginf`` (by default the dtype's largest and smallest
    finite values); other elements are kept. Integer and bool tensors come back unchanged (a copy).

    >>> import ourdl
    >>> ourdl.nan_to_num(ourdl.tensor([float("nan"), float("inf"), -float("inf"), 1.5]), posinf=9.0)
    tensor([ 0.0000e+00,  9.0000e+00, -3.4028e+38,  1.5000e+00])
    """
    require_tensor(input, "nan_to_num")
    input = tensor_operand(input, "nan_to_num")
    if not input.dtype.is_floating_point:
        return input.clone()
    info = np.finfo(input._data.dtype)
    with np.errstate(over="ignore"):
        values = [np.asarray(v, dtype=info.dtype)[()] for v in (nan, info.max if posinf is None else posinf,
                                                                info.min if neginf is None else neginf)]
    return NanToNum.apply(input, *values)
