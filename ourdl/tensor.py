"""The :class:`Tensor`: one NumPy array, plus what autograd needs to differentiate it.

A tensor made by an operation remembers the node that made it (``grad_fn``);
``loss.backward()`` walks those nodes back to the leaves and accumulates
gradients into their ``.grad``. Operations, operators and the autograd methods
(``backward``, ``register_hook``) are attached by :mod:`ourdl.ops.methods`, which sits
above this module; the generated ``tensor.pyi`` shows them all to IDEs.

>>> import ourdl
>>> x = ourdl.tensor([1.0, 2.0], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad
tensor([2., 4.])
"""

from __future__ import annotations

import numpy as np

from . import dtypes
from .devices import CPU, device
from .dims import check_dim
from .size import Size
from .rich_display import tensor_html
from .tensor_repr import tensor_repr
from .view_tracking import VersionCounter, make_view, sync_view, version_of
from .dtypes import DType, as_dtype, from_numpy_dtype


class Tensor:
    """An n-dimensional array that records the operations applied to it.

    ``.grad`` accumulates across ``backward`` calls until it is zeroed
    (``x.grad = None`` or ``optimizer.zero_grad()``), as in PyTorch.

    >>> import ourdl
    >>> ourdl.Tensor([1, 2])
    tensor([1., 2.])
    """

    __slots__ = ("_data", "_requires_grad", "_grad_fn", "_grad", "_counter", "_retains_grad", "_base", "_view_version",
                 "_hooks", "_post_accumulate_hooks", "__weakref__")
    __array_priority__ = 1000

    def __init__(self, data=(), requires_grad: bool = False):
        if isinstance(data, Tensor):
            array = data._data
        else:
            array = np.array(data, dtype=dtypes.get_default_dtype().numpy)
        _init(self, array, False, None)
        self.requires_grad = requires_grad

    # -- construction used by operations: no conversion, no checks ---------------
    @classmethod
    def _make(cls, array: np.ndarray, requires_grad: bool = False, grad_fn=None, base: "Tensor | None" = None) -> "Tensor":
        t = object.__new__(cls)
        t._data = array
        t._requires_grad = requires_grad
        t._grad_fn = grad_fn
        t._grad = t._counter = t._base = t._hooks = t._post_accumulate_hooks = None
        t._retains_grad = False
        if base is not None:
            make_view(t, base)
        return t

    @property
    def _version(self) -> VersionCounter:
        """The counter of in-place changes, shared with this tensor's views. Made on first use: most tensors are
        never changed in place nor viewed, and one object fewer per op is less work for the garbage collector."""
        counter = self._counter
        if counter is None:
            counter = self._counter = VersionCounter()
        return counter

    @_version.setter
    def _version(self, counter: VersionCounter) -> None:
        self._counter = counter

    # -- autograd attributes ------------------------------------------------------
    @property
    def grad_fn(self):
        """The graph node that made this tensor (None for a leaf).

        A view whose base was changed in place since reads from the base's new value, as in PyTorch:

        >>> import ourdl
        >>> x = ourdl.ones(3, requires_grad=True)
        >>> base = x * 1
        >>> view = base[:2]
        >>> base.mul_(2)
        tensor([2., 2., 2.], grad_fn=<MulBackward0>)
        >>> view.grad_fn
        <AsStridedBackward0>
        """
        if self._base is not None:
            sync_view(self)
        return self._grad_fn

    @property
    def requires_grad(self) -> bool:
        """Whether operations on this tensor are recorded for ``backward``."""
        if self._base is not None:
            sync_view(self)
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        value = bool(value)
        if self.grad_fn is not None and not value:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a computed "
                "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
            )
        if value and not self.dtype.is_floating_point:
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients, got a tensor of dtype {self.dtype}; "
                "convert it first, e.g. x.float()"
            )
        self._requires_grad = value

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Set ``requires_grad`` in place and return ``self``."""
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user rather than by a recorded operation."""
        return self.grad_fn is None

    @property
    def grad(self) -> "Tensor | None":
        """The accumulated gradient of a leaf (or of a tensor that called ``retain_grad``)."""
        return self._grad

    @grad.setter
    def grad(self, value: "Tensor | None") -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError(f"assigned grad has data of shape {tuple(value.shape)} but the tensor has shape {tuple(self.shape)}")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(f"attempting to assign a gradient with dtype {value.dtype} to a tensor of dtype "
                                   f"{self.dtype}; convert it first, e.g. grad.to(tensor.dtype)")
        self._grad = value

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor during ``backward`` (leaves always keep it)."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            self._retains_grad = True
            self.grad_fn.retained_output = self

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    # -- data access -------------------------------------------------------------
    @property
    def data(self) -> "Tensor":
        """A tensor sharing this one's memory, outside the graph (changes to it are not tracked)."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value) -> None:
        array = value._data if isinstance(value, Tensor) else np.asarray(value)
        self._data = array

    def detach(self) -> "Tensor":
        """A tensor sharing this one's memory and version counter, cut from the graph."""
        t = Tensor._make(self._data)
        t._version = self._version
        return t

    def detach_(self) -> "Tensor":
        """Cut this tensor from the graph in place."""
        self._grad_fn = None
        self._requires_grad = False
        return self

    def numpy(self, force: bool = False) -> np.ndarray:
        """The underlying array (shared memory). Fails on a tensor that requires grad, as in PyTorch.

        >>> import ourdl
        >>> ourdl.tensor([1.0]).numpy()
        array([1.], dtype=float32)
        """
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        array = self._data
        if dtype is not None and np.dtype(dtype) != array.dtype:
            return array.astype(dtype)
        return array.copy() if copy else array

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        """Nested Python lists of Python numbers."""
        return self._data.tolist()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {self._data.size} values is ambiguous")
        return bool(self._data.reshape(()).item())

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    __hash__ = object.__hash__

    # -- shape and type ------------------------------------------------------------
    @property
    def shape(self) -> "Size":
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        """The shape, or the length of one dimension."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[check_dim(dim, self._data.ndim, "size")]

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return self._data.size

    def nelement(self) -> int:
        return self._data.size

    @property
    def dtype(self) -> DType:
        return from_numpy_dtype(self._data.dtype)

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def element_size(self) -> int:
        return self._data.itemsize

    @property
    def device(self) -> device:
        """Where the tensor lives: always the CPU.

        >>> import ourdl
        >>> ourdl.ones(1).device
        device(type='cpu')
        """
        return CPU

    @property
    def is_cuda(self) -> bool:
        return False

    def cpu(self, memory_format=None) -> "Tensor":
        """``self``: ourdl's tensors live on the CPU."""
        return self

    def contiguous(self, memory_format=None) -> "Tensor":
        """This tensor when its elements are in row-major order without gaps, else such a copy (in the graph).

        >>> import ourdl
        >>> x = ourdl.ones(2, 3)
        >>> x.contiguous() is x, x.t().contiguous().is_contiguous()
        (True, True)
        """
        return self if self._data.flags.c_contiguous else self.clone()

    def is_contiguous(self, memory_format=None) -> bool:
        """Whether the elements lie in row-major order without gaps: a transposed or strided view's do not.

        >>> import ourdl
        >>> ourdl.ones(2, 3).is_contiguous(), ourdl.ones(2, 3).t().is_contiguous()
        (True, False)
        """
        return self._data.flags.c_contiguous

    def stride(self, dim: int | None = None):
        """Steps, in elements, between neighbours along each dimension (0 along an expanded one).

        >>> import ourdl
        >>> ourdl.ones(2, 3).stride(), ourdl.ones(2, 3).t().stride(0)
        ((3, 1), 1)
        """
        steps = tuple(s // self._data.itemsize for s in self._data.strides)
        return steps if dim is None else steps[check_dim(dim, self._data.ndim, "stride")]

    def storage_offset(self) -> int:
        """Where this view starts in its base's memory, in elements (0 for a tensor that is not a view).

        >>> import ourdl
        >>> ourdl.arange(6.0)[2:].storage_offset()
        2
        """
        if self._base is None:
            return 0
        start = self._data.__array_interface__["data"][0] - self._base._data.__array_interface__["data"][0]
        return start // self._data.itemsize

    def ndimension(self) -> int:
        """The number of dimensions (``dim()``)."""
        return self._data.ndim

    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        """Bytes of all elements."""
        return self._data.nbytes

    def is_signed(self) -> bool:
        """Whether the dtype holds negative numbers (floats and signed integers).

        >>> import ourdl
        >>> ourdl.tensor([1]).is_signed(), ourdl.tensor([1], dtype=ourdl.uint8).is_signed()
        (True, False)
        """
        return self._data.dtype.kind in "fi"

    def is_complex(self) -> bool:
        """Always False: ourdl has no complex dtypes."""
        return False

    def is_nonzero(self) -> bool:
        """The truth of a one-element tensor (an error for any other number of elements).

        >>> import ourdl
        >>> ourdl.tensor([0.5]).is_nonzero()
        True
        """
        if self._data.size != 1:
            amount = "no values" if self._data.size == 0 else "more than one value"
            raise RuntimeError(f"Boolean value of Tensor with {amount} is ambiguous")
        return bool(self._data.reshape(()))

    def is_same_size(self, other: "Tensor") -> bool:
        """Whether ``other`` has this shape."""
        return self._data.shape == other._data.shape

    @property
    def _version_value(self) -> int:
        return version_of(self)

    def __repr__(self) -> str:
        return tensor_repr(self)

    def _repr_html_(self) -> str:
        return tensor_html(self)

    def type(self, dtype=None, non_blocking: bool = False):
        """The legacy type name (``'ourdl.FloatTensor'``), or this tensor as ``dtype``: a dtype, a typed class such
        as ``ourdl.LongTensor``, or its name (``'torch.LongTensor'``).

        >>> import ourdl
        >>> x = ourdl.ones(2)
        >>> x.type(), x.type(ourdl.LongTensor), x.type("torch.IntTensor").dtype
        ('ourdl.FloatTensor', tensor([1, 1]), ourdl.int32)
        """
        if dtype is None:
            return f"ourdl.{dtypes.LEGACY_NAMES[self.dtype]}"
        return self.to(as_dtype(getattr(dtype, "dtype", dtype)))


def _init(t: Tensor, array: np.ndarray, requires_grad: bool, grad_fn) -> None:
    t._data = array
    t._requires_grad = requires_grad
    t._grad_fn = grad_fn
    t._grad = t._counter = t._base = t._hooks = t._post_accumulate_hooks = None
    t._retains_grad = False
