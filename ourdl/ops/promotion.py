"""Bringing the operands of an elementwise op to PyTorch's result dtype.

NumPy already treats Python scalars as "weak" (float32 + 2.0 stays float32);
what differs from PyTorch is handled here: an integer tensor with a float
scalar gives the default float dtype, 0-d tensors do not upcast dimensioned
ones, and true division of integers gives a float.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..dtypes import FLOAT, get_default_dtype, result_type
from ..tensor import Tensor
from .creation import as_tensor

__all__: list[str] = ["as_operand", "tensor_operand", "float_only", "promote"]


def as_operand(x, op: str):
    """A tensor or a Python scalar; lists and arrays become tensors, other types are refused."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (bool, int, float)):
        return x
    if isinstance(x, numbers.Number):
        if isinstance(x, (np.bool_,)):
            return bool(x)
        return int(x) if isinstance(x, numbers.Integral) else float(x)
    if isinstance(x, (np.ndarray, list, tuple)):
        return as_tensor(x)
    raise TypeError(f"{op}: unsupported operand of type {type(x).__name__}; expected a Tensor or a number")


def tensor_operand(x, op: str) -> Tensor:
    """A tensor (lists and arrays become one); numbers and other types are refused."""
    x = as_operand(x, op)
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")
    return x


def float_only(op: str, *operands) -> None:
    """Refuse integer and bool tensors among ``operands``, for ops PyTorch defines on floating tensors only."""
    for t in operands:
        if isinstance(t, Tensor) and not t.dtype.is_floating_point:
            raise NotImplementedError(f"{op}: not implemented for {t.dtype.name} tensors (as in PyTorch); "
                                      "convert with .float() first")


_PYTHON_NUMBERS = (int, float, bool)  # next to a float tensor, these keep its dtype (NumPy's weak scalars too)


def promote(a, b, op: str, floating: bool = False):
    """Cast tensor operands to the common dtype; Python scalars stay scalars."""
    # Fast paths, the common cases: two tensors of one dtype, a float tensor and a Python number.
    if isinstance(a, Tensor):
        kind = a._data.dtype.kind
        if isinstance(b, Tensor):
            if a._data.dtype == b._data.dtype and (not floating or kind == "f"):
                return a, b
        elif kind == "f" and type(b) in _PYTHON_NUMBERS:
            return a, b
    elif isinstance(b, Tensor) and b._data.dtype.kind == "f" and type(a) in _PYTHON_NUMBERS:
        return a, b
    a = as_operand(a, op)
    b = as_operand(b, op)
    dtype = result_type(a, b)
    if floating and dtype.category != FLOAT:
        dtype = get_default_dtype()
    return _cast(a, dtype), _cast(b, dtype)


def _cast(x, dtype):
    if isinstance(x, Tensor):
        return x if x._data.dtype == dtype.numpy else x.to(dtype)
    if dtype.category == FLOAT:
        return float(x)
    return x
