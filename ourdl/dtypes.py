"""Data types and PyTorch's type-promotion rules.

A :class:`DType` names one NumPy dtype. ``ourdl.float32`` is the default
floating dtype; Python floats become it, Python ints become ``int64``.

>>> import ourdl
>>> ourdl.tensor([1.0]).dtype
ourdl.float32
>>> ourdl.promote_types(ourdl.int64, ourdl.float32)
ourdl.float32
"""

from __future__ import annotations

import numpy as np


class DType:
    """One element type: a name, its NumPy dtype, and its category.

    Categories order promotion: bool < integer < floating.
    """

    __slots__ = ("name", "numpy", "category", "itemsize")

    def __init__(self, name: str, numpy_dtype, category: int):
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.category = category
        self.itemsize = self.numpy.itemsize

    @property
    def is_floating_point(self) -> bool:
        return self.category == FLOAT

    def __repr__(self) -> str:
        return f"ourdl.{self.name}"

    def __reduce__(self):
        return (from_numpy_dtype, (self.numpy,))


BOOL, INT, FLOAT = 0, 1, 2

bool_ = DType("bool", np.bool_, BOOL)
uint8 = DType("uint8", np.uint8, INT)
int8 = DType("int8", np.int8, INT)
int16 = DType("int16", np.int16, INT)
int32 = DType("int32", np.int32, INT)
int64 = DType("int64", np.int64, INT)
float16 = DType("float16", np.float16, FLOAT)
float32 = DType("float32", np.float32, FLOAT)
float64 = DType("float64", np.float64, FLOAT)

ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)
_BY_NUMPY = {d.numpy: d for d in ALL}
_BY_NAME = {d.name: d for d in ALL}
_BY_NAME.update({"float": float32, "double": float64, "long": int64, "int": int32, "half": float16})
# PyTorch's legacy tensor-type names (``x.type()``, ``torch.FloatTensor``), one per dtype
LEGACY_NAMES = {float32: "FloatTensor", float64: "DoubleTensor", float16: "HalfTensor", int64: "LongTensor",
                int32: "IntTensor", int16: "ShortTensor", int8: "CharTensor", uint8: "ByteTensor", bool_: "BoolTensor"}
_BY_NAME.update({f"{lib}.{name}": d for d, name in LEGACY_NAMES.items() for lib in ("ourdl", "torch")})
DTYPE_NAMES = frozenset(_BY_NAME)

_default_float = [float32]


def from_numpy_dtype(numpy_dtype) -> DType:
    """The :class:`DType` of a NumPy dtype, or a ``TypeError`` naming it."""
    try:
        return _BY_NUMPY[np.dtype(numpy_dtype)]
    except (KeyError, TypeError):
        raise TypeError(
            f"ourdl does not support the NumPy dtype {numpy_dtype!r}; supported: "
            + ", ".join(d.name for d in ALL)
        ) from None


def as_dtype(dtype) -> DType:
    """Accept a :class:`DType`, a NumPy dtype, a Python type or a name.

    >>> as_dtype("float64")
    ourdl.float64
    """
    if isinstance(dtype, DType):
        return dtype
    if dtype is float:
        return get_default_dtype()
    if dtype is int:
        return int64
    if dtype is bool:
        return bool_
    if isinstance(dtype, str) and dtype in _BY_NAME:
        return _BY_NAME[dtype]
    return from_numpy_dtype(dtype)


def get_default_dtype() -> DType:
    """The dtype Python floats and ``rand``/``zeros`` produce (float32 unless changed)."""
    return _default_float[0]


def set_default_dtype(dtype) -> None:
    """Set the default floating dtype, as ``torch.set_default_dtype`` does.

    >>> set_default_dtype(float64); set_default_dtype(float32)
    """
    dtype = as_dtype(dtype)
    if not dtype.is_floating_point:
        raise TypeError(f"set_default_dtype: only floating-point types are supported as the default type, got {dtype}")
    _default_float[0] = dtype


def promote_types(a: DType, b: DType) -> DType:
    """The smallest dtype that holds values of both ``a`` and ``b``.

    >>> promote_types(int32, int64)
    ourdl.int64
    >>> promote_types(int64, float32)
    ourdl.float32
    """
    if a is b:
        return a
    if a.category != b.category and FLOAT in (a.category, b.category):
        return a if a.category == FLOAT else b
    return from_numpy_dtype(np.promote_types(a.numpy, b.numpy))


def _combine_categories(higher: DType | None, lower: DType | None) -> DType | None:
    if higher is None:
        return lower
    if lower is None or higher.category == FLOAT:
        return higher
    if higher.category == BOOL or lower.category == FLOAT:
        return promote_types(higher, lower)
    return higher


def result_type(*operands) -> DType:
    """PyTorch's result dtype for an elementwise op over tensors and Python scalars.

    Within each tier (dimensioned tensors, then 0-d tensors, then Python
    scalars) dtypes promote normally; a lower tier only matters when it
    brings a higher category (bool < int < float). Python floats count as
    the default dtype, Python ints as int64.

    >>> import ourdl
    >>> result_type(ourdl.ones(2, dtype=ourdl.int64), 2.5)
    ourdl.float32
    >>> result_type(ourdl.ones(2), ourdl.tensor(1.0, dtype=ourdl.float64))
    ourdl.float32
    """
    tiers = [None, None, None]  # dimensioned tensors, 0-d tensors, Python scalars
    for op in operands:
        dtype = getattr(op, "dtype", None)
        if isinstance(dtype, DType):
            d, tier = dtype, (0 if op.ndim else 1)
        elif isinstance(op, bool):
            d, tier = bool_, 2
        elif isinstance(op, int):
            d, tier = int64, 2
        elif isinstance(op, float):
            d, tier = get_default_dtype(), 2
        else:
            continue
        tiers[tier] = d if tiers[tier] is None else promote_types(tiers[tier], d)
    return _combine_categories(tiers[0], _combine_categories(tiers[1], tiers[2]))


def half_as_float32(a):
    """``a`` as float32 if it is a float16 array, else ``a`` itself (a tensor too): half precision is computed in
    float32 and rounded once at the end, as PyTorch computes it (float16's own ``exp`` overflows from 11.1, its
    running sums stall).

    >>> half_as_float32(np.ones(2, np.float16)).dtype, half_as_float32(np.ones(2)).dtype
    (dtype('float32'), dtype('float64'))
    """
    return a.astype(np.float32) if type(a) is np.ndarray and a.dtype == np.float16 else a
