"""Tensor methods and operators, bound to :class:`~ourdl.tensor.Tensor` from the op functions.

``x.exp()`` is ``ourdl.exp(x)``, ``a + b`` is ``ourdl.add(a, b)``, and so on:
each method is the function of the same name, so the two never disagree.
NumPy ufuncs applied to tensors (``np.exp(t)``) dispatch here too, which is
what lets one backward formula run on arrays and on tensors.
"""

from __future__ import annotations

import numpy as np

from ..dtypes import bool_, float16, float32, float64, int32, int64
from ..autograd import tensor_methods
from ..tensor import Tensor
from . import (aliases, arithmetic, comparison, conversion, elementwise, gathering, indexing, inplace, linalg,
               matrices, random, reductions, selection, shape, special, statistics, decompositions)

_SAME_NAME = {
    arithmetic: ["add", "sub", "mul", "div", "pow", "floor_divide", "remainder", "maximum", "minimum"],
    elementwise: ["neg", "abs", "exp", "log", "log2", "log10", "log1p", "expm1", "sqrt", "rsqrt", "square", "sin",
                  "cos", "tan", "tanh", "erf", "erfc", "atan", "asin", "acos", "sinh", "cosh",
                  "asinh", "acosh", "atanh",
                  "reciprocal", "sign", "floor", "ceil", "round", "trunc", "isnan", "isinf", "isfinite"],
    comparison: ["eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "logical_not",
                 "equal", "allclose", "isclose", "bitwise_not"],
    reductions: ["sum", "mean", "prod", "max", "min", "amax", "amin", "argmax", "argmin", "var", "std", "logsumexp",
                 "norm", "all", "any", "cumsum"],
    shape: ["reshape", "view", "permute", "transpose", "t", "squeeze", "unsqueeze", "flatten", "unflatten", "expand",
            "expand_as", "split", "chunk", "unbind", "flip", "repeat", "view_as", "reshape_as", "ravel", "narrow",
            "select", "movedim", "moveaxis", "swapaxes", "swapdims", "tile", "repeat_interleave", "fliplr", "flipud",
            "tensor_split", "hsplit", "vsplit"],
    selection: ["clamp", "clip", "nonzero", "argwhere", "unique"],
    indexing: ["index_add"],
    linalg: ["matmul", "mm", "bmm", "mv", "dot", "outer"],
    conversion: ["to", "clone"],
    inplace: ["add_", "sub_", "mul_", "div_", "pow_", "fill_", "zero_", "copy_", "masked_fill_",
              *inplace.INPLACE_METHODS],
    random: ["uniform_", "normal_", "bernoulli_", "exponential_", "random_"],
    gathering: gathering.METHODS,
    matrices: matrices.METHODS,
    special: special.METHODS,
    aliases: aliases.METHODS,
    statistics: statistics.METHODS,
    decompositions: decompositions.METHODS,
    tensor_methods: tensor_methods.METHODS,
}

_ALIASES = {
    "__add__": arithmetic.add, "__sub__": arithmetic.sub, "__mul__": arithmetic.mul, "__truediv__": arithmetic.div,
    "__pow__": arithmetic.pow, "__floordiv__": arithmetic.floor_divide, "__mod__": arithmetic.remainder,
    "__matmul__": linalg.matmul, "__neg__": elementwise.neg, "__abs__": elementwise.abs,
    "__eq__": comparison.eq, "__ne__": comparison.ne, "__lt__": comparison.lt, "__le__": comparison.le,
    "__gt__": comparison.gt, "__ge__": comparison.ge, "__and__": comparison.bitwise_and,
    "__or__": comparison.bitwise_or, "__xor__": comparison.bitwise_xor, "__invert__": comparison.bitwise_not,
    "__getitem__": indexing.getitem, "__setitem__": inplace.setitem,
    "__iadd__": inplace.add_, "__isub__": inplace.sub_, "__imul__": inplace.mul_, "__itruediv__": inplace.div_,
    "__ipow__": inplace.pow_,
}


def _reflected(fn):
    def method(self, other):
        return fn(other, self)

    method.__name__ = f"r{fn.__name__}"
    return method


def _masked_fill(self, mask, value):
    """``value`` where ``mask`` is true, else ``self`` (out of place)."""
    return selection.where(mask, value, self)


def _new_tensor(self, data, dtype=None, requires_grad=False):
    from .creation import tensor

    return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    """Let NumPy ufuncs on tensors run the matching ourdl op (recorded in the graph)."""
    if method != "__call__" or kwargs.get("out") is not None:
        return NotImplemented
    fn = _UFUNCS.get(ufunc)
    if fn is None:
        return NotImplemented
    return fn(*inputs)


_UFUNCS = {**elementwise.UNARY_UFUNCS, **arithmetic.BINARY_UFUNCS, **comparison.COMPARISON_UFUNCS,
           np.matmul: linalg.matmul}


def bind() -> None:
    """Attach every method and operator to ``Tensor``."""
    for module, names in _SAME_NAME.items():
        for name in names:
            setattr(Tensor, name, getattr(module, name))
    for name, fn in _ALIASES.items():
        setattr(Tensor, name, fn)
    for name, fn in [("__radd__", arithmetic.add), ("__rsub__", arithmetic.sub), ("__rmul__", arithmetic.mul),
                     ("__rtruediv__", arithmetic.div), ("__rpow__", arithmetic.pow),
                     ("__rfloordiv__", arithmetic.floor_divide), ("__rmod__", arithmetic.remainder),
                     ("__rmatmul__", linalg.matmul), ("__rand__", comparison.bitwise_and),
                     ("__ror__", comparison.bitwise_or), ("__rxor__", comparison.bitwise_xor)]:
        setattr(Tensor, name, _reflected(fn))
    Tensor.T = property(lambda self: shape.permute(self, *reversed(range(self.ndim))), doc="All dimensions reversed.")
    Tensor.mT = property(lambda self: shape.transpose(self, -2, -1), doc="The last two dimensions swapped.")
    Tensor.masked_fill = _masked_fill
    Tensor.where = selection.where_method
    Tensor.new_tensor = _new_tensor
    Tensor.__array_ufunc__ = _array_ufunc
    for name, dtype in [("float", float32), ("double", float64), ("half", float16), ("long", int64), ("int", int32),
                        ("bool", bool_)]:
        setattr(Tensor, name, lambda self, _d=dtype: conversion.to(self, _d))
    Tensor.type_as = lambda self, other: conversion.to(self, other.dtype)
    from . import creation

    for name in ("new_full", "new_empty", "new_zeros", "new_ones"):
        setattr(Tensor, name, getattr(creation, name))
