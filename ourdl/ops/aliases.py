"""PyTorch's second names for ops (NumPy's spellings and older ones): one table, each name bound to the op itself.

>>> import ourdl
>>> ourdl.arccos is ourdl.acos, ourdl.tensor([0.5]).multiply(4)
(True, tensor([2.]))
"""

from __future__ import annotations

from . import arithmetic, comparison, elementwise, selection, two_argument
from .promotion import as_operand
from .tensor_argument import require_tensor

multiply = arithmetic.mul
divide = true_divide = arithmetic.div
subtract = arithmetic.sub
negative = elementwise.neg
absolute = elementwise.abs
arccos, arcsin, arctan = elementwise.acos, elementwise.asin, elementwise.atan
arccosh, arcsinh, arctanh = elementwise.acosh, elementwise.asinh, elementwise.atanh
arctan2 = two_argument.atan2
fix = elementwise.trunc
sgn = elementwise.sign
greater, greater_equal, less, less_equal = comparison.gt, comparison.ge, comparison.lt, comparison.le
not_equal = comparison.ne

# alias -> (the op, whether PyTorch also has it as a Tensor method)
ALIASES = {name: (op, True) for name, op in [
    ("multiply", multiply), ("divide", divide), ("true_divide", true_divide), ("subtract", subtract),
    ("negative", negative), ("absolute", absolute), ("arccos", arccos), ("arcsin", arcsin), ("arctan", arctan),
    ("arccosh", arccosh), ("arcsinh", arcsinh), ("arctanh", arctanh), ("arctan2", arctan2), ("fix", fix),
    ("sgn", sgn), ("greater", greater), ("greater_equal", greater_equal), ("less", less),
    ("less_equal", less_equal), ("not_equal", not_equal)]}


def clamp_min(input, min):
    """:math:`\\max(x, \\text{min})`: ``clamp(input, min=min)``.

    >>> import ourdl
    >>> ourdl.clamp_min(ourdl.tensor([-1.0, 2.0]), 0.5)
    tensor([0.5000, 2.0000])
    """
    require_tensor(input, "clamp_min")
    as_operand(min, "clamp_min", "min", 2)
    return selection.clamp(input, min=min)


def clamp_max(input, max):
    """:math:`\\min(x, \\text{max})`: ``clamp(input, max=max)``.

    >>> import ourdl
    >>> ourdl.clamp_max(ourdl.tensor([-1.0, 2.0]), 0.5)
    tensor([-1.0000,  0.5000])
    """
    require_tensor(input, "clamp_max")
    as_operand(max, "clamp_max", "max", 2)
    return selection.clamp(input, max=max)


def positive(input):
    """``input`` itself, as PyTorch's ``positive`` returns it (for non-bool tensors).

    >>> import ourdl
    >>> x = ourdl.tensor([-1.0]); ourdl.positive(x) is x
    True
    """
    require_tensor(input, "positive")
    if input.dtype.name == "bool":
        raise RuntimeError("positive: the positive operator does not support bool tensors")
    return input


__all__: list[str] = sorted([*ALIASES, "clamp_min", "clamp_max", "positive"])
METHODS: list = sorted([name for name, (_, method) in ALIASES.items() if method]
                       + ["clamp_min", "clamp_max", "positive"])
