"""Changing dtype (differentiable between float types) and copying.

>>> import ourdl
>>> ourdl.tensor([1.5]).to(ourdl.float64)
tensor([1.5000], dtype=ourdl.float64)
"""

from __future__ import annotations

from .. import devices
from ..autograd.array_function import ArrayFunction
from ..dtypes import DTYPE_NAMES, as_dtype, bool_, float16, float32, float64, int32, int64
from ..tensor import Tensor
from .tensor_argument import require_tensor

__all__: list[str] = ["to", "clone"]


class Cast(ArrayFunction):
    @staticmethod
    def forward(ctx, x, dtype):
        return x.astype(dtype)

    @staticmethod
    def backward(ctx, g):
        return g, None  # cast back to the input dtype centrally


class Clone(ArrayFunction):
    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, g):
        return g


def to(input, *args, dtype=None, device=None, copy: bool = False, **kwargs):
    """This tensor as ``dtype`` (a no-op when it already is one); ``'cpu'`` is accepted as a device, any other
    device raises :class:`~ourdl.devices.BackendUnavailableError`.

    ``to(other)`` takes ``other``'s dtype.

    >>> import ourdl
    >>> ourdl.tensor([1.5, 2.5]).to(ourdl.float64)
    tensor([1.5000, 2.5000], dtype=ourdl.float64)
    """
    dtype = parse_to_args(args, dtype, device)
    if dtype is None:
        return clone(input) if copy else input
    numpy_dtype = as_dtype(dtype).numpy
    if input._data.dtype == numpy_dtype and not copy:
        return input
    return Cast.apply(input, numpy_dtype)


def parse_to_args(args: tuple, dtype=None, device=None):
    """The dtype asked for by ``.to(...)``'s arguments (a dtype, a tensor, a device); a device other than the CPU
    raises :class:`~ourdl.devices.BackendUnavailableError`, a string that names neither PyTorch's device error."""
    for a in args:
        if isinstance(a, Tensor):
            dtype = a.dtype
        elif isinstance(a, devices.device) or (isinstance(a, str) and a not in DTYPE_NAMES) or (
                isinstance(a, int) and not isinstance(a, bool)):
            device = a
        elif a is not None:
            dtype = a
    if device is not None:
        devices.check_device(device, "to")
    return dtype


def cuda(self, device=None, non_blocking: bool = False, memory_format=None):
    """``Tensor.cuda``: refused with a clear error, since ourdl has no accelerator backend.

    >>> import ourdl
    >>> ourdl.ones(1).cuda()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ourdl.devices.BackendUnavailableError: cuda: device 'cuda' is not available: ourdl has no accelerator backend ...
    """
    devices.check_device(devices.device("cuda", device) if device is not None else "cuda", "cuda")


def clone(input):
    """A copy with its own memory, still connected to the graph.

    >>> import ourdl
    >>> ourdl.tensor([1.0]).clone()
    tensor([1.])
    """
    require_tensor(input, "clone")
    return Clone.apply(input)


def type_as(input, other):
    """``input`` as ``other``'s dtype (``input.to(other.dtype)``).

    >>> import ourdl
    >>> ourdl.tensor([1, 2]).type_as(ourdl.zeros(1))
    tensor([1., 2.])
    """
    return to(input, other.dtype)


def _cast_to(dtype):
    """The method ``x.float()``, ``x.long()``, ...: ``x.to(dtype)``."""
    def method(self):
        return to(self, dtype)

    method.__doc__ = f"This tensor as {dtype} (a no-op when it already is one)."
    return method


METHODS: list = ["to", "clone", "type_as", "cuda",
                 *((name, _cast_to(dtype)) for name, dtype in (("float", float32), ("double", float64),
                                                                ("half", float16), ("long", int64), ("int", int32),
                                                                ("bool", bool_)))]
