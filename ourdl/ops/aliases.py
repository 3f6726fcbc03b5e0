"""PyTorch's second names for ops (NumPy's spellings and older ones): one table, each name bound to the op itself.

>>> import ourdl
>>> ourdl.arccos is ourdl.acos, ourdl.tensor([0.5]).multiply(4)
(True, tensor([2.]))
"""

from __future__ import annotations

from . import arithmetic, comparison, elementwise, selection, special

# alias -> (the op, whether PyTorch also has it as a Tensor method)
ALIASES = {
    "multiply": (arithmetic.mul, True), "divide": (arithmetic.div, True), "true_divide": (arithmetic.div, True),
    "subtract": (arithmetic.sub, True), "negative": (elementwise.neg, True), "absolute": (elementwise.abs, True),
    "arccos": (elementwise.acos, True), "arcsin": (elementwise.asin, True), "arctan": (elementwise.atan, True),
    "arccosh": (elementwise.acosh, True), "arcsinh": (elementwise.asinh, True), "arctanh": (elementwise.atanh, True),
    "arctan2": (special.atan2, True), "fix": (elementwise.trunc, True), "sgn": (elementwise.sign, True),
    "greater": (comparison.gt, True), "greater_equal": (comparison.ge, True), "less": (comparison.lt, True),
    "less_equal": (comparison.le, True), "not_equal": (comparison.ne, True),
}


def clamp_min(input, min):
    """:math:`\\max(x, \\text{min})`: ``clamp(input, min=min)``.

    >>> import ourdl
    >>> ourdl.clamp_min(ourdl.tensor([-1.0, 2.0]), 0.5)
    tensor([0.5000, 2.0000])
    """
    return selection.clamp(input, min=min)


def clamp_max(input, max):
    """:math:`\\min(x, \\text{max})`: ``clamp(input, max=max)``.

    >>> import ourdl
    >>> ourdl.clamp_max(ourdl.tensor([-1.0, 2.0]), 0.5)
    tensor([-1.0000,  0.5000])
    """
    return selection.clamp(input, max=max)


def positive(input):
    """``input`` itself, as PyTorch's ``positive`` returns it (for non-bool tensors).

    >>> import ourdl
    >>> x = ourdl.tensor([-1.0]); ourdl.positive(x) is x
    True
    """
    if input.dtype.name == "bool":
        raise RuntimeError("positive: the positive operator does not support bool tensors")
    return input


globals().update({name: op for name, (op, _) in ALIASES.items()})
__all__ = sorted([*ALIASES, "clamp_min", "clamp_max", "positive"])
METHODS = sorted([name for name, (_, method) in ALIASES.items() if method] + ["clamp_min", "clamp_max", "positive"])
