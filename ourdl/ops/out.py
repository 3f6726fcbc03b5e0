"""``out=``: an op's result written into a tensor the caller gives, with PyTorch's rules.

The result is computed as usual, then copied into ``out``: cast to ``out``'s dtype when
PyTorch would (not a float into an integer tensor), ``out`` resized (with PyTorch's
warning when it had elements) when its shape differs, and ``out`` returned. ``out=``
records no graph, so it is refused while any argument requires grad, as in PyTorch.

>>> import ourdl
>>> out = ourdl.empty(2)
>>> ourdl.add(ourdl.ones(2), 1, out=out) is out, out
(True, tensor([2., 2.]))
"""

from __future__ import annotations

import enum
import functools
import inspect
import warnings

import numpy as np

from ..dtypes import LEGACY_NAMES, from_numpy_dtype
from ..grad_mode import state as grad_mode
from ..tensor import Tensor


class OutDtype(enum.Enum):
    """What ``out``'s dtype must be, per op, as PyTorch checks it."""

    CASTABLE = "castable"  # the result casts to it (not a float into an integer tensor): add, exp, outer, ...
    SAME = "same"  # the result's own dtype: ops that keep integers (abs, neg, floor, round, sign, ...)
    SAME_FOR_PRODUCT = "same for product"  # matmul, mm, bmm, mv, with their wording
    SAME_FOR_DOT = "same for dot"
    CASTABLE_FOR_JOIN = "castable for join"  # cat, stack: a TypeError when not


def accepts_out(fn=None, *, dtype: OutDtype = OutDtype.CASTABLE):
    """Decorator: ``fn`` gains PyTorch's keyword ``out=`` (see the module's docstring); ``dtype`` says which dtypes
    ``out`` may have.

    >>> import ourdl
    >>> @accepts_out
    ... def twice(input):
    ...     return input * 2
    >>> twice(ourdl.ones(2), out=ourdl.zeros(2, dtype=ourdl.float64))
    tensor([2., 2.], dtype=ourdl.float64)
    """
    if fn is None:
        return functools.partial(accepts_out, dtype=dtype)
    name = fn.__name__

    @functools.wraps(fn)
    def with_out(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if not isinstance(out, Tensor):
            raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
        if grad_mode.enabled and (out.requires_grad or any(_requires_grad(a) for a in (*args, *kwargs.values()))):
            raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic differentiation, "
                               "but one of the arguments requires grad.")
        return write_out(fn(*args, **kwargs), out, dtype, name)

    signature = inspect.signature(fn)
    out_parameter = inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None)
    parameters = list(signature.parameters.values())
    at = next((i for i, p in enumerate(parameters) if p.kind is inspect.Parameter.VAR_KEYWORD), len(parameters))
    with_out.__signature__ = signature.replace(parameters=[*parameters[:at], out_parameter, *parameters[at:]])
    with_out.without_out = fn  # for the operators, which never take out=: one call layer fewer per ``a * b``
    return with_out


def write_out(result: Tensor, out: Tensor, dtype: OutDtype = OutDtype.CASTABLE, name: str = "op") -> Tensor:
    """Copy ``result`` into ``out`` (cast, resized if needed) and return ``out``.

    >>> import ourdl
    >>> write_out(ourdl.tensor([1.5, 2.5]), ourdl.zeros(2, dtype=ourdl.float64))
    tensor([1.5000, 2.5000], dtype=ourdl.float64)
    """
    source, target = result._data, out._data
    _check_dtype(source.dtype, target.dtype, dtype, name)
    if target.shape != source.shape:
        if target.size:
            warnings.warn(
                f"An output with one or more elements was resized since it had shape {list(target.shape)}, which "
                f"does not match the required output shape {list(source.shape)}. This behavior is deprecated, and in "
                "a future PyTorch release outputs will not be resized unless they have zero elements. You can "
                "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).",
                UserWarning, stacklevel=3)
        out._data = target = np.empty(source.shape, dtype=target.dtype)
    np.copyto(target, source, casting="unsafe")
    out._version.value += 1
    return out


def _check_dtype(result: np.dtype, out: np.dtype, rule: OutDtype, name: str) -> None:
    castable = np.can_cast(result, out, casting="same_kind")
    if rule is OutDtype.CASTABLE and not castable:
        raise RuntimeError(f"result type {_type_name(result)} can't be cast to the desired output type "
                           f"{_type_name(out)}")
    if rule is OutDtype.CASTABLE_FOR_JOIN and not castable:
        raise TypeError(f"{name}(): input types can't be cast to the desired output type {_type_name(out)}")
    if result == out:
        return
    if rule is OutDtype.SAME:
        raise RuntimeError(f"{name}: Found dtype {_type_name(out)} but expected {_type_name(result)}")
    if rule is OutDtype.SAME_FOR_PRODUCT:
        raise RuntimeError(f"{name}: Expected out tensor to have dtype {_C_NAMES.get(result.name, result.name)}, "
                           f"but got {_C_NAMES.get(out.name, out.name)} instead")
    if rule is OutDtype.SAME_FOR_DOT:
        raise RuntimeError(f"{name}: result dtype {_type_name(out)} does not match input dtype {_type_name(result)}")


_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int", "int32": "int",
            "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


def _requires_grad(value) -> bool:
    if isinstance(value, Tensor):
        return value.requires_grad
    if isinstance(value, (list, tuple)):
        return any(_requires_grad(v) for v in value)
    return False


def _type_name(dtype: np.dtype) -> str:
    """PyTorch's scalar-type name (``Float``, ``Long``, ``Bool``) of a NumPy dtype, as its error messages say:
    the legacy constructor's name without ``Tensor``."""
    return LEGACY_NAMES[from_numpy_dtype(dtype)].removesuffix("Tensor")
