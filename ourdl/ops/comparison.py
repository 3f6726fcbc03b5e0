"""Comparisons and logic, giving bool tensors (not differentiable).

>>> import ourdl
>>> ourdl.tensor([1.0, 2.0]) > 1.5
tensor([False,  True])
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .promotion import promote
from .tensor_argument import require_tensor

__all__: list[str] = ["eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "logical_not",
                      "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "equal", "allclose", "isclose"]
# bitwise_and/or/xor are Tensor operators (&, |, ^), bound with the other operators in methods.py
METHODS: list = [name for name in __all__ if name not in ("bitwise_and", "bitwise_or", "bitwise_xor")]


def _compare(name, ufunc, symbol, numbers=True):
    def function(input, other):
        require_tensor(input, name)
        a, b = promote(input, other, name, numbers=numbers)
        a = a._data if isinstance(a, Tensor) else a
        b = b._data if isinstance(b, Tensor) else b
        try:
            return Tensor._make(np.asarray(ufunc(a, b)))
        except ValueError:
            raise RuntimeError(
                f"{name}: shapes {list(np.shape(a))} and {list(np.shape(b))} do not broadcast together"
            ) from None

    function.__name__ = function.__qualname__ = name
    other = 2 if numbers else np.array([0, 2])  # a logical op takes only a tensor there, as PyTorch's
    shown = repr(Tensor._make(np.asarray(ufunc(np.array([1, 2]), other))))
    written = "2" if numbers else "ourdl.tensor([0, 2])"
    function.__doc__ = (
        f"Elementwise ``input {symbol} other`` as a bool tensor, broadcasting.\n\n"
        f">>> import ourdl\n>>> ourdl.{name}(ourdl.tensor([1, 2]), {written})\n{shown}\n"
    )
    return function


eq = _compare("eq", np.equal, "==")
ne = _compare("ne", np.not_equal, "!=")
lt = _compare("lt", np.less, "<")
le = _compare("le", np.less_equal, "<=")
gt = _compare("gt", np.greater, ">")
ge = _compare("ge", np.greater_equal, ">=")
logical_and = _compare("logical_and", np.logical_and, "and", numbers=False)
logical_or = _compare("logical_or", np.logical_or, "or", numbers=False)
logical_xor = _compare("logical_xor", np.logical_xor, "xor", numbers=False)


def _bitwise(ufunc, name):
    def function(input, other):
        require_tensor(input, name, numbers=True)  # ``2 & x`` runs ``bitwise_and(2, x)``
        a, b = promote(input, other, name)
        a = a._data if isinstance(a, Tensor) else a
        b = b._data if isinstance(b, Tensor) else b
        if np.result_type(a, b).kind == "f":
            raise NotImplementedError(f"{name}: bitwise operations are not implemented for floating-point tensors; "
                                      "use integer or bool tensors")
        return Tensor._make(np.asarray(ufunc(a, b)))

    function.__name__ = name
    shown = repr(Tensor._make(ufunc(np.array([True, False]), np.array([True, True]))))
    function.__doc__ = (
        f"Elementwise bitwise ``{name}`` of bool or integer tensors (``&``, ``|``, ``^``).\n\n"
        f">>> import ourdl\n>>> ourdl.{name}(ourdl.tensor([True, False]), ourdl.tensor([True, True]))\n{shown}\n"
    )
    return function


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")


def logical_not(input):
    """Elementwise ``not``: a bool tensor.

    >>> import ourdl
    >>> ourdl.logical_not(ourdl.tensor([True, False]))
    tensor([False,  True])
    """
    require_tensor(input, "logical_not")
    return Tensor._make(np.asarray(np.logical_not(input._data)))


def bitwise_not(input):
    """``~x``: logical not for bool tensors, bitwise not for integers.

    >>> import ourdl
    >>> ~ourdl.tensor([True, False])
    tensor([False,  True])
    """
    require_tensor(input, "bitwise_not")
    if input._data.dtype.kind == "f":
        raise TypeError("~ (bitwise_not) is only implemented on integer and Boolean-type tensors, not "
                        f"{input.dtype}")
    return Tensor._make(np.asarray(np.invert(input._data)))


def equal(input, other) -> bool:
    """True when both tensors have the same shape and elements.

    >>> import ourdl
    >>> ourdl.equal(ourdl.tensor([1, 2]), ourdl.tensor([1, 2]))
    True
    """
    require_tensor(input, "equal")
    require_tensor(other, "equal", "other", 2)
    return input.shape == other.shape and bool(np.array_equal(input._data, other._data))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    """True when ``|input - other| <= atol + rtol * |other|`` everywhere.

    >>> import ourdl
    >>> ourdl.allclose(ourdl.tensor([1.0, 2.0]), ourdl.tensor([1.0, 2.0 + 1e-9]))
    True
    """
    require_tensor(input, "allclose")
    require_tensor(other, "allclose", "other", 2)
    return bool(np.allclose(input._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise ``|input - other| <= atol + rtol * |other|`` as a bool tensor.

    >>> import ourdl
    >>> ourdl.isclose(ourdl.tensor([1.0, 2.0]), ourdl.tensor([1.0, 2.1]))
    tensor([ True, False])
    """
    require_tensor(input, "isclose")
    require_tensor(other, "isclose", "other", 2)
    close = np.isclose(input._data, getattr(other, "_data", other), rtol=rtol, atol=atol, equal_nan=equal_nan)
    return Tensor._make(np.asarray(close))  # NumPy gives a scalar for 0-d inputs


COMPARISON_UFUNCS = {
    np.equal: eq, np.not_equal: ne, np.less: lt, np.less_equal: le, np.greater: gt, np.greater_equal: ge,
    # NumPy's logical ufuncs on tensors take a number too, as NumPy does (PyTorch's functions want tensors)
    np.logical_and: _compare("logical_and", np.logical_and, "and"),
    np.logical_or: _compare("logical_or", np.logical_or, "or"),
    np.logical_xor: _compare("logical_xor", np.logical_xor, "xor"),
    np.logical_not: logical_not, np.bitwise_and: bitwise_and, np.bitwise_or: bitwise_or,
    np.bitwise_xor: bitwise_xor, np.invert: bitwise_not,
}
