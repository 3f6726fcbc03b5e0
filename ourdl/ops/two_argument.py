"""Elementwise functions of two tensors beyond arithmetic: atan2, hypot, fmod, logaddexp, copysign, float_power,
xlogy and heaviside.

Operands broadcast and are brought to PyTorch's common dtype. Backward formulas are written with operators, NumPy
ufuncs and :mod:`ourdl.ops.array_or_tensor`, so they run on tensors under ``create_graph`` too.

>>> import ourdl
>>> ourdl.hypot(ourdl.tensor([3.0]), ourdl.tensor([4.0]))
tensor([5.])
"""

from __future__ import annotations

import numpy as np

from ..dtypes import float64
from ..tensor import Tensor
from . import array_or_tensor
from .arithmetic import BinaryFunction, pow
from .promotion import as_operand, float_only, promote
from .tensor_argument import require_tensor

__all__: list[str] = ["atan2", "hypot", "fmod", "logaddexp", "copysign", "float_power", "xlogy", "heaviside"]
METHODS: list = list(__all__)


def _tensor_other(op: str, input, other, name: str = "other"):
    require_tensor(input, op)
    require_tensor(other, op, name, 2)


class Atan2(BinaryFunction):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        r2 = a * a + b * b
        with np.errstate(divide="ignore", invalid="ignore"):
            recip = array_or_tensor.where(r2 == 0, 0.0, 1 / array_or_tensor.where(r2 == 0, 1.0, r2))
        return g * b * recip, g * -a * recip


class Hypot(BinaryFunction):
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


class Fmod(BinaryFunction):
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


class LogAddExp(BinaryFunction):
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


class Copysign(BinaryFunction):
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
            ratio = array_or_tensor.where(a == 0, 0.0, y / array_or_tensor.where(a == 0, 1.0, a))
        return g * ratio, array_or_tensor.zeros_like(g)


def _xlogy_values(x, y):
    """:math:`x \\log y`, 0 where ``x == 0`` unless ``y`` is NaN; on arrays and tensors."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return array_or_tensor.where((x == 0) & ~np.isnan(y), 0.0, x * np.log(y))


class Xlogy(BinaryFunction):
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
            return array_or_tensor.where((x == 0) & (y <= 0), 0.0, _xlogy_values(g, y)), g * x / y


class Heaviside(BinaryFunction):
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
    float_only("hypot", input, other)
    return Hypot.apply(*promote(input, other, "hypot", numbers=False))


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
    require_tensor(input, "fmod")
    return Fmod.apply(*promote(input, other, "fmod"))


def logaddexp(input, other):
    """Elementwise :math:`\\log(e^a + e^b)` without overflow; floating tensors only.

    Gradients :math:`1 / (1 + e^{b - a})` and :math:`1 / (1 + e^{a - b})`.

    >>> import ourdl
    >>> ourdl.logaddexp(ourdl.tensor([1000.0]), ourdl.tensor([1000.0]))
    tensor([1000.6932])
    """
    _tensor_other("logaddexp", input, other)
    float_only("logaddexp", input, other)
    return LogAddExp.apply(*promote(input, other, "logaddexp", numbers=False))


def copysign(input, other):
    """Elementwise :math:`|a| \\operatorname{sign}(b)`, the sign bit of ``b`` included (``-0.0`` counts as negative).

    Integers give the default float dtype. ``b``'s gradient is zero.

    >>> import ourdl
    >>> ourdl.copysign(ourdl.tensor([1.0, -2.0, 3.0]), ourdl.tensor([-0.0, 1.0, -1.0]))
    tensor([-1.,  2., -3.])
    """
    require_tensor(input, "copysign")
    return Copysign.apply(*promote(input, other, "copysign", floating=True))


def float_power(input, exponent):
    """:math:`a^b` computed in float64 whatever the dtypes (the result is float64), broadcasting.

    >>> import ourdl
    >>> ourdl.float_power(ourdl.tensor([2, 3]), 2)
    tensor([4., 9.], dtype=ourdl.float64)
    """
    require_tensor(input, "float_power", numbers=True)
    def wide(x):
        x = as_operand(x, "float_power", "exponent")
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
    require_tensor(input, "xlogy", numbers=True)
    return Xlogy.apply(*promote(input, other, "xlogy", floating=True))


def heaviside(input, values):
    """The step function: 0 where ``x < 0`` (and where ``x`` is NaN), ``values`` where ``x == 0``, 1 where ``x > 0``.

    ``input`` and ``values`` are tensors of one dtype. It has no derivative (backward raises), as in PyTorch.

    >>> import ourdl
    >>> ourdl.heaviside(ourdl.tensor([-1.5, 0.0, 2.0]), ourdl.tensor([0.5]))
    tensor([0.0000, 0.5000, 1.0000])
    """
    _tensor_other("heaviside", input, values, "values")
    if input.dtype != values.dtype:
        raise RuntimeError(f"heaviside is not yet implemented for tensors with different dtypes (input "
                           f"{input.dtype.name}, values {values.dtype.name}); convert one with .to()")
    return Heaviside.apply(input, values)
