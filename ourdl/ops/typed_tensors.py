"""PyTorch's legacy typed constructors: ``ourdl.FloatTensor``, ``ourdl.LongTensor``, ... one per dtype.

``LongTensor([1, 2])`` is ``tensor([1, 2], dtype=int64)``; ``FloatTensor(2, 3)`` is a tensor of
that shape to be overwritten (ourdl fills it with zeros); ``FloatTensor()`` is empty. Every tensor
of the dtype is an instance: ``isinstance(ourdl.zeros(2), ourdl.FloatTensor)``.

>>> import ourdl
>>> ourdl.LongTensor([1, 2]), ourdl.FloatTensor(2, 3).shape
(tensor([1, 2]), ourdl.Size([2, 3]))
>>> isinstance(ourdl.ones(1), ourdl.FloatTensor), isinstance(ourdl.ones(1), ourdl.LongTensor)
(True, False)
"""

from __future__ import annotations

from ..dtypes import LEGACY_NAMES
from ..size import Size
from ..tensor import Tensor
from .creation import empty, tensor


class TypedTensor(type):
    """The class of the typed constructors: calling one makes a tensor of its dtype; ``isinstance`` checks the dtype.

    >>> import ourdl
    >>> ourdl.DoubleTensor([1.5])
    tensor([1.5000], dtype=ourdl.float64)
    """

    def __instancecheck__(cls, instance) -> bool:
        return isinstance(instance, Tensor) and instance.dtype is cls.dtype

    def __call__(cls, *args, device=None) -> Tensor:
        if not args or (len(args) == 1 and isinstance(args[0], Size)) or all(
                isinstance(a, int) and not isinstance(a, bool) for a in args):
            return empty(*(args[0] if args and isinstance(args[0], Size) else args or (0,)), dtype=cls.dtype,
                         device=device)
        if len(args) > 1:
            raise TypeError(f"{cls.__name__}(): expected sizes (ints), one sequence of data or one tensor, got "
                            f"{len(args)} arguments of types {', '.join(type(a).__name__ for a in args)}")
        data = args[0]
        if isinstance(data, Tensor):
            if data.dtype is not cls.dtype:
                raise TypeError(f"{cls.__name__}(tensor): expected a tensor of dtype {cls.dtype}, got {data.dtype}; "
                                f"convert it with .to({cls.dtype})")
            return data
        return tensor(data, dtype=cls.dtype, device=device)

    def __repr__(cls) -> str:
        return f"<class 'ourdl.{cls.__name__}'>"


_TYPES = {name: TypedTensor(name, (), {"dtype": dtype, "__module__": "ourdl",
                                        "__doc__": f"Legacy constructor of {dtype} tensors (``ourdl.tensor(data, "
                                                   f"dtype={dtype})``).\n\n    >>> import ourdl\n    >>> ourdl."
                                                   f"{name}(2).dtype\n    {dtype!r}\n    "})
          for dtype, name in LEGACY_NAMES.items()}
FloatTensor, DoubleTensor, HalfTensor = _TYPES["FloatTensor"], _TYPES["DoubleTensor"], _TYPES["HalfTensor"]
LongTensor, IntTensor, ShortTensor = _TYPES["LongTensor"], _TYPES["IntTensor"], _TYPES["ShortTensor"]
CharTensor, ByteTensor, BoolTensor = _TYPES["CharTensor"], _TYPES["ByteTensor"], _TYPES["BoolTensor"]

__all__: list[str] = list(_TYPES)
METHODS: list = []
