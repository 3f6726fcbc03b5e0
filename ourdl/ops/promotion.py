"""Bringing the operands of an elementwise op to PyTorch's result dtype.

NumPy already treats Python scalars as "weak" (float32 + 2.0 stays float32);
what differs from PyTorch is handled here: an integer tensor with a float
scalar gives the default float dtype, 0-d tensors do not upcast dimensioned
ones, and true division of integers gives a float.
"""

from __future__ import annotations

import numbers as _numbers

import numpy as np

from ..dtypes import FLOAT, get_default_dtype, result_type
from ..tensor import Tensor
from .tensor_argument import require_tensor

__all__: list[str] = ["as_operand", "tensor_operand", "float_only", "promote"]


def as_operand(x, op: str, name: str = "other", position: int = 2, numbers: bool = True):
    """A tensor, or a Python number (a NumPy scalar becomes one) where ``numbers`` allows it, as PyTorch's Scalar;
    a list, a tuple, an array or None is refused with PyTorch's TypeError naming ``op``'s argument ``name``.

    >>> import numpy as np
    >>> as_operand(np.int64(2), "add")
    2
    >>> as_operand([1.0], "add")
    Traceback (most recent call last):
    ...
    TypeError: add(): argument 'other' (position 2) must be Tensor, not list
    """
    if isinstance(x, Tensor):
        return x
    if numbers:
        if isinstance(x, (bool, int, float)):
            return x
        if isinstance(x, np.bool_):
            return bool(x)
        if isinstance(x, _numbers.Number):
            return int(x) if isinstance(x, _numbers.Integral) else float(x)
    require_tensor(x, op, name, position)
    return x


def tensor_operand(x, op: str, name: str = "input", position: int = 1) -> Tensor:
    """``x``, a tensor; anything else is PyTorch's TypeError naming ``op``'s argument ``name``.

    >>> tensor_operand(2.0, "kron", "other", 2)
    Traceback (most recent call last):
    ...
    TypeError: kron(): argument 'other' (position 2) must be Tensor, not float
    """
    require_tensor(x, op, name, position)
    return x


def float_only(op: str, *operands) -> None:
    """Refuse integer and bool tensors among ``operands``, for ops PyTorch defines on floating tensors only."""
    for t in operands:
        if isinstance(t, Tensor) and not t.dtype.is_floating_point:
            raise NotImplementedError(f"{op}: not implemented for {t.dtype.name} tensors (as in PyTorch); "
                                      "convert with .float() first")


_PYTHON_NUMBERS = (int, float, bool)  # next to a float tensor, these keep its dtype (NumPy's weak scalars too)


def promote(a, b, op: str, floating: bool = False, other: str = "other", numbers: bool = True):
    """Cast tensor operands to the common dtype; Python scalars stay scalars. ``b`` is ``op``'s argument ``other``
    at position 2, which takes a number where ``numbers`` (PyTorch's Scalar overload), else only a tensor."""
    # Fast paths, the common cases: two tensors of one dtype, a float tensor and a Python number.
    if isinstance(a, Tensor):
        kind = a._data.dtype.kind
        if isinstance(b, Tensor):
            if a._data.dtype == b._data.dtype and (not floating or kind == "f"):
                return a, b
        elif kind == "f" and type(b) in _PYTHON_NUMBERS and numbers:
            return a, b
    elif isinstance(b, Tensor) and b._data.dtype.kind == "f" and type(a) in _PYTHON_NUMBERS:
        return a, b
    a = as_operand(a, op, "input", 1)
    b = as_operand(b, op, other, 2, numbers)
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
