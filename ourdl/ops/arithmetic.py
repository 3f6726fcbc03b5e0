"""Binary arithmetic with broadcasting: ``+ - * / ** //  %``, ``maximum``, ``minimum``.

Each op is an ArrayFunction whose backward returns gradients in the broadcast
shape; the central ``sum_to_shape`` in :mod:`ourdl.autograd.broadcasting`
reduces them to each input's shape. Python scalars are accepted on either side.

>>> import ourdl
>>> a = ourdl.ones(2, 3, requires_grad=True)
>>> b = ourdl.tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> (a * b).sum().backward(); b.grad
tensor([2., 2., 2.])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from . import array_or_tensor as dual
from ..dtypes import bool_
from .promotion import promote
from .out import accepts_out
from .tensor_argument import require_tensor


_apply = ArrayFunction.apply.__func__  # called without super(): a little less work on every ``a * b``


class BinaryFunction(ArrayFunction):
    """A node of two broadcast operands: operands whose shapes do not broadcast get PyTorch's RuntimeError
    naming both shapes, not NumPy's ValueError.

    >>> import ourdl
    >>> ourdl.add(ourdl.ones(2), ourdl.ones(3))
    Traceback (most recent call last):
    RuntimeError: add: the size of tensor a [2] must match the size of tensor b [3] at every non-singleton dimension (broadcasting rules)
    """

    @classmethod
    def apply(cls, a, b):
        try:
            return _apply(cls, a, b)
        except ValueError as error:
            if "broadcast" not in str(error):
                raise
            raise RuntimeError(
                f"{cls.__name__.lower()}: the size of tensor a {list(getattr(a, 'shape', ()))} must match the size "
                f"of tensor b {list(getattr(b, 'shape', ()))} at every non-singleton dimension (broadcasting rules)"
            ) from None


class Add(BinaryFunction):
    @staticmethod
    def forward(ctx, a, b):
        return np.add(a, b)

    @staticmethod
    def backward(ctx, g):
        return g, g


class Sub(BinaryFunction):
    @staticmethod
    def forward(ctx, a, b):
        return np.subtract(a, b)

    @staticmethod
    def backward(ctx, g):
        return g, -g


class Mul(BinaryFunction):
    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.inputs
        ctx.save_for_backward(None if need_b is None else a, None if need_a is None else b)
        return np.multiply(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return None if b is None else g * b, None if a is None else g * a


class Div(BinaryFunction):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(None if ctx.inputs[1] is None else a, b)
        with np.errstate(divide="ignore", invalid="ignore"):  # x / 0 is ±inf or NaN, silently, as in PyTorch
            return np.true_divide(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return (None if ctx.inputs[0] is None else g / b), (None if a is None else -g * a / (b * b))


class Pow(BinaryFunction):
    """``a ** b``; the exponent's gradient is taken as 0 where ``a == 0`` and ``b >= 0`` (PyTorch's choice)."""

    @staticmethod
    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):  # NaN and inf as in PyTorch, without warnings
            y = np.power(a, b)
        ctx.save_for_backward(a, b, None if ctx.inputs[1] is None else y)  # y only for the exponent's gradient
        return y

    @staticmethod
    def backward(ctx, g):
        a, b, y = ctx.saved_tensors
        grad_a = grad_b = None
        with np.errstate(divide="ignore", invalid="ignore"):  # the masked-out branch may divide by zero
            if ctx.inputs[0] is not None:
                grad_a = dual.where(b == 0, 0.0, g * b * a ** (b - 1))
            if ctx.inputs[1] is not None:
                grad_b = dual.where((a == 0) & (b >= 0), 0.0, g * y * np.log(a))
        return grad_a, grad_b


def _check_integer_divisor(a, b, op: str) -> None:
    """PyTorch's RuntimeError for an integer division by zero, where NumPy warns and returns 0."""
    if np.result_type(a, b).kind in "biu" and np.any(np.asarray(b) == 0):
        raise RuntimeError(f"{op}: ZeroDivisionError (integer division by zero)")


class FloorDivide(BinaryFunction):
    @staticmethod
    def forward(ctx, a, b):
        _check_integer_divisor(a, b, "floor_divide")
        with np.errstate(divide="ignore", invalid="ignore"):  # floats give inf and NaN silently, as in PyTorch
            return np.floor_divide(a, b)

    @staticmethod
    def backward(ctx, g):
        return dual.zeros_like(g), dual.zeros_like(g)


class TruncDivide(BinaryFunction):
    """``a / b`` rounded toward zero, in the operands' dtype (exact for integers); zero gradient, as PyTorch's."""

    @staticmethod
    def forward(ctx, a, b):
        if np.result_type(a, b).kind == "f":
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.trunc(np.true_divide(a, b))
        _check_integer_divisor(a, b, "div")
        quotient = np.floor_divide(a, b)
        # floor and trunc differ where the division is inexact and the signs differ
        return quotient + ((np.remainder(a, b) != 0) & ((np.asarray(a) < 0) != (np.asarray(b) < 0)))

    @staticmethod
    def backward(ctx, g):
        return dual.zeros_like(g), dual.zeros_like(g)


class Remainder(BinaryFunction):
    @staticmethod
    def forward(ctx, a, b):
        _check_integer_divisor(a, b, "remainder")
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.remainder(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return g, -g * np.floor(a / b)


class Maximum(BinaryFunction):
    """Elementwise max; at ties each input gets half the gradient, as in PyTorch."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        share = dual.where(a == b, 0.5, (a > b) * 1.0)
        return g * share, g * (1 - share)


class Minimum(BinaryFunction):
    """Elementwise min; at ties each input gets half the gradient, as in PyTorch."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        share = dual.where(a == b, 0.5, (a < b) * 1.0)
        return g * share, g * (1 - share)


@accepts_out
def add(input, other, alpha=1):
    """:math:`y = a + \\alpha b`, broadcasting.

    >>> import ourdl
    >>> ourdl.add(ourdl.tensor([1.0, 2.0]), 1)
    tensor([2., 3.])
    """
    require_tensor(input, "add", numbers=True)
    if alpha != 1:
        other = mul(other, alpha)
    return Add.apply(*promote(input, other, "add"))


@accepts_out
def sub(input, other, alpha=1):
    """:math:`y = a - \\alpha b`, broadcasting.

    >>> import ourdl
    >>> ourdl.sub(ourdl.tensor([1.0, 2.0]), 1)
    tensor([0., 1.])
    """
    require_tensor(input, "sub", numbers=True)
    if _is_bool(input) or _is_bool(other):
        raise RuntimeError(
            "sub: subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert "
            "a mask, use the `~` or `logical_not()` operator instead."
        )
    if alpha != 1:
        other = mul(other, alpha)
    return Sub.apply(*promote(input, other, "sub"))


def _is_bool(x) -> bool:
    return isinstance(x, bool) or getattr(x, "dtype", None) is bool_


@accepts_out
def mul(input, other):
    """:math:`y = a b`, broadcasting.

    >>> import ourdl
    >>> ourdl.mul(ourdl.tensor([1.0, 2.0]), 3)
    tensor([3., 6.])
    """
    require_tensor(input, "mul", numbers=True)
    return Mul.apply(*promote(input, other, "mul"))


@accepts_out
def div(input, other, rounding_mode=None):
    """:math:`y = a / b` (true division: integers give floats); ``rounding_mode='floor'|'trunc'``.

    >>> import ourdl
    >>> ourdl.div(ourdl.tensor([1, 2]), 2)
    tensor([0.5000, 1.0000])
    >>> ourdl.div(ourdl.tensor([7, -7]), 2, rounding_mode="trunc")
    tensor([ 3, -3])
    """
    require_tensor(input, "div", numbers=True)
    if rounding_mode == "floor":
        return floor_divide(input, other)
    if rounding_mode == "trunc":
        return TruncDivide.apply(*promote(input, other, "div"))
    if rounding_mode is not None:
        raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")
    return Div.apply(*promote(input, other, "div", floating=True))


@accepts_out
def pow(input, exponent):
    """:math:`y = a^b`, broadcasting; either side may be a Python number.

    >>> import ourdl
    >>> ourdl.pow(ourdl.tensor([2.0, 3.0]), 2)
    tensor([4., 9.])
    """
    require_tensor(input, "pow", numbers=True)
    return Pow.apply(*promote(input, exponent, "pow", other="exponent"))


@accepts_out
def floor_divide(input, other):
    """:math:`y = \\lfloor a / b \\rfloor`.

    >>> import ourdl
    >>> ourdl.floor_divide(ourdl.tensor([7, -7]), 2)
    tensor([ 3, -4])
    """
    require_tensor(input, "floor_divide", numbers=True)
    return FloorDivide.apply(*promote(input, other, "floor_divide"))


@accepts_out
def remainder(input, other):
    """:math:`y = a - b \\lfloor a / b \\rfloor` (the sign of ``b``, like Python's ``%``).

    >>> import ourdl
    >>> ourdl.remainder(ourdl.tensor([-3, 3]), 2)
    tensor([1, 1])
    """
    require_tensor(input, "remainder", numbers=True)
    return Remainder.apply(*promote(input, other, "remainder"))


@accepts_out
def maximum(input, other):
    """Elementwise :math:`\\max(a, b)`; NaN propagates; ties split the gradient.

    >>> import ourdl
    >>> ourdl.maximum(ourdl.tensor([1.0, 5.0]), ourdl.tensor([3.0, 2.0]))
    tensor([3., 5.])
    """
    require_tensor(input, "maximum")
    return Maximum.apply(*promote(input, other, "maximum", numbers=False))


@accepts_out
def minimum(input, other):
    """Elementwise :math:`\\min(a, b)`; NaN propagates; ties split the gradient.

    >>> import ourdl
    >>> ourdl.minimum(ourdl.tensor([1.0, 5.0]), ourdl.tensor([3.0, 2.0]))
    tensor([1., 2.])
    """
    require_tensor(input, "minimum")
    return Minimum.apply(*promote(input, other, "minimum", numbers=False))


def _ufunc_extreme(function):
    """NumPy's ``maximum``/``minimum`` on tensors: a number is taken on either side, as NumPy takes it (the
    backward formulas written with ufuncs use ``np.maximum(x, 1e-12)``), where PyTorch's functions want tensors."""
    def of(a, b):
        return function.apply(*promote(a, b, function.__name__.lower()))

    return of


BINARY_UFUNCS = {
    np.add: add, np.subtract: sub, np.multiply: mul, np.true_divide: div, np.power: pow,
    np.floor_divide: floor_divide, np.remainder: remainder, np.maximum: _ufunc_extreme(Maximum),
    np.minimum: _ufunc_extreme(Minimum),
}


# every public function here is also a Tensor method (x.add(y), x.pow(2), ...)
METHODS = __all__ = ["add", "sub", "mul", "div", "pow", "floor_divide", "remainder", "maximum", "minimum"]
