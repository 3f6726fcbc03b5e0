"""Tensor methods and operators, bound to :class:`~ourdl.tensor.Tensor` from the op functions.

``x.exp()`` is ``ourdl.exp(x)``, ``a + b`` is ``ourdl.add(a, b)``, and so on:
each method is the function of the same name, so the two never disagree.
NumPy ufuncs applied to tensors (``np.exp(t)``) dispatch here too, which is
what lets one backward formula run on arrays and on tensors.

Every op module declares ``METHODS``: the names of its functions that are Tensor methods, and ``(name, value)``
pairs for a method that is not the function of that name (``Tensor.where``, the ``T`` property). :func:`bind`
attaches them all, then the operators, which are listed here.
"""

from __future__ import annotations

import functools

import numpy as np

from ..autograd import tensor_methods
from ..tensor import Tensor
from . import (aliases, arithmetic, comparison, conversion, counting, creation, cumulative, elementwise, extremes,
               flipping, fused, gathering, indexing, inplace, matrix_functions, matrix_parts, products, random,
               reductions, reshaping, selection, sorting, sparse, special, splitting, statistics, tiling, two_argument)

MODULES = (arithmetic, elementwise, comparison, conversion, creation, random, inplace, indexing, selection,
           reshaping, splitting, tiling, flipping, reductions, extremes, cumulative, statistics, counting, gathering,
           sorting, products, matrix_parts, matrix_functions, fused, special, two_argument, aliases, tensor_methods,
           sparse)

OPERATORS = {
    "__add__": arithmetic.add, "__sub__": arithmetic.sub, "__mul__": arithmetic.mul, "__truediv__": arithmetic.div,
    "__pow__": arithmetic.pow, "__floordiv__": arithmetic.floor_divide, "__mod__": arithmetic.remainder,
    "__matmul__": products.matmul, "__neg__": elementwise.neg, "__abs__": elementwise.abs,
    "__eq__": comparison.eq, "__ne__": comparison.ne, "__lt__": comparison.lt, "__le__": comparison.le,
    "__gt__": comparison.gt, "__ge__": comparison.ge, "__and__": comparison.bitwise_and,
    "__or__": comparison.bitwise_or, "__xor__": comparison.bitwise_xor, "__invert__": comparison.bitwise_not,
    "__getitem__": indexing.getitem, "__setitem__": inplace.setitem,
    "__iadd__": inplace.add_, "__isub__": inplace.sub_, "__imul__": inplace.mul_, "__itruediv__": inplace.div_,
    "__ipow__": inplace.pow_,
}

_NOT_BINARY = frozenset(("__neg__", "__abs__", "__invert__", "__getitem__", "__setitem__"))

# ``2 - x`` calls ``x.__rsub__(2)``: the op with its operands swapped back
REFLECTED = {
    "__radd__": arithmetic.add, "__rsub__": arithmetic.sub, "__rmul__": arithmetic.mul,
    "__rtruediv__": arithmetic.div, "__rpow__": arithmetic.pow, "__rfloordiv__": arithmetic.floor_divide,
    "__rmod__": arithmetic.remainder, "__rmatmul__": products.matmul, "__rand__": comparison.bitwise_and,
    "__ror__": comparison.bitwise_or, "__rxor__": comparison.bitwise_xor,
}


def _operator(fn):
    """``fn`` as a binary operator: an operand the op refuses (a TypeError) gives NotImplemented, as PyTorch's
    operators do, so Python asks the other operand (``t + array`` is NumPy's ``add`` on the tensor) and otherwise
    raises its own TypeError (``t + [1, 2]``), and ``t == [1, 2]`` is False."""
    @functools.wraps(fn)
    def method(self, other):
        try:
            return fn(self, other)
        except TypeError:
            return NotImplemented

    return method


def _reflected(fn):
    def method(self, other):
        try:
            return fn(other, self)
        except TypeError:
            return NotImplemented

    method.__name__ = f"r{fn.__name__}"
    return method


def _array_ufunc(self, ufunc, method, *inputs, **kwargs):
    """Let NumPy ufuncs on tensors run the matching ourdl op (recorded in the graph)."""
    if method != "__call__" or kwargs.get("out") is not None:
        return NotImplemented
    fn = _UFUNCS.get(ufunc)
    if fn is None:
        return NotImplemented
    # ``array + t`` and ``array @ t`` come here with the array first, where the op itself refuses one
    inputs = [creation.as_tensor(x) if isinstance(x, np.ndarray) else x for x in inputs]
    if len(inputs) == 2 and not isinstance(inputs[0], Tensor) and fn in _SWAPPED:  # ``np.float64(1) < t``
        return _SWAPPED[fn](inputs[1], inputs[0])
    return fn(*inputs)


# ops that refuse a number first, and the op that gives the same with the operands swapped
_SWAPPED = {comparison.eq: comparison.eq, comparison.ne: comparison.ne, comparison.lt: comparison.gt,
            comparison.le: comparison.ge, comparison.gt: comparison.lt, comparison.ge: comparison.le,
            **{comparison.COMPARISON_UFUNCS[u]: comparison.COMPARISON_UFUNCS[u]
               for u in (np.logical_and, np.logical_or, np.logical_xor)}}
_UFUNCS = {**elementwise.UNARY_UFUNCS, **arithmetic.BINARY_UFUNCS, **comparison.COMPARISON_UFUNCS,
           np.matmul: products.matmul}


def methods_of(module) -> list:
    """``(name, value)`` for each Tensor method ``module`` declares."""
    entries = module.METHODS
    return [(entry, getattr(module, entry)) if isinstance(entry, str) else entry for entry in entries]


def bind() -> None:
    """Attach every method and operator to ``Tensor``."""
    for module in MODULES:
        for name, value in methods_of(module):
            setattr(Tensor, name, getattr(value, "without_out", value))  # methods take no out=, as PyTorch's
    for name, fn in OPERATORS.items():
        fn = getattr(fn, "without_out", fn)
        setattr(Tensor, name, fn if name in _NOT_BINARY else _operator(fn))
    for name, fn in REFLECTED.items():
        setattr(Tensor, name, _reflected(getattr(fn, "without_out", fn)))
    Tensor.__array_ufunc__ = _array_ufunc
