"""The one check that an op's tensor argument is a tensor, worded as PyTorch words it.

PyTorch's argument parser refuses a list, a tuple, a NumPy array or None where a tensor goes, with a TypeError
that names the op, the argument, its position and the type it got (a C type by its full name,
``numpy.ndarray``); ops that also take a Python number there (``add(2, x)``) say so with ``numbers=True``.
Every tensor argument goes through here, the first and the later ones (directly, or through
``promotion.as_operand``, which takes a number where PyTorch's schema says Scalar); layers name their function.

>>> import ourdl
>>> ourdl.exp([1.0])
Traceback (most recent call last):
...
TypeError: exp(): argument 'input' (position 1) must be Tensor, not list
>>> ourdl.mm(ourdl.ones(1, 1), 2)
Traceback (most recent call last):
...
TypeError: mm(): argument 'mat2' (position 2) must be Tensor, not int
"""

from __future__ import annotations

import numbers as _numbers

from ..tensor import Tensor

__all__: list[str] = ["require_tensor", "tensor_list", "type_name"]

_HEAP_TYPE = 1 << 9  # CPython's Py_TPFLAGS_HEAPTYPE: a class made by a class statement, not written in C


def type_name(value) -> str:
    """The name PyTorch's messages give ``value``'s type: a C type's full name (``numpy.ndarray``), a Python
    class's own name.

    >>> import numpy as np
    >>> type_name([1]), type_name(np.zeros(1)), type_name(None)
    ('list', 'numpy.ndarray', 'NoneType')
    """
    kind = type(value)
    if kind.__module__ == "builtins" or kind.__flags__ & _HEAP_TYPE:
        return kind.__name__
    return f"{kind.__module__}.{kind.__qualname__}"


def require_tensor(value, op: str, name: str = "input", position: int = 1, numbers: bool = False) -> None:
    """Refuse a non-tensor ``value`` (a Python or NumPy number too, unless ``numbers``) with PyTorch's TypeError
    naming the op, the argument and its type.

    >>> require_tensor(2, "sum")
    Traceback (most recent call last):
    ...
    TypeError: sum(): argument 'input' (position 1) must be Tensor, not int
    >>> require_tensor(2, "add", numbers=True)
    """
    if not isinstance(value, Tensor) and not (numbers and isinstance(value, _numbers.Number)):
        raise TypeError(f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type_name(value)}")


def tensor_list(tensors, op: str) -> list:
    """``tensors`` as a list, each a Tensor: a list or array among them is PyTorch's TypeError, not joined as if
    it were one (``cat([[1.0], [2.0]])``).

    >>> tensor_list([[1.0]], "cat")
    Traceback (most recent call last):
    ...
    TypeError: cat(): expected Tensor as element 0 in argument 0 (tensors), but got list
    """
    if isinstance(tensors, Tensor):
        raise TypeError(f"{op}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    tensors = list(tensors)
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"{op}(): expected Tensor as element {i} in argument 0 (tensors), but got {type_name(t)}")
    return tensors
