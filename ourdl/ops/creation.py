"""Making tensors: from data, filled, ranges, and ``*_like``.

Python floats give the default dtype (float32), ints int64, bools bool;
NumPy arrays keep their dtype.

>>> import ourdl
>>> ourdl.tensor([1, 2]).dtype, ourdl.tensor([1.0]).dtype
(ourdl.int64, ourdl.float32)
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..devices import check_device
from ..dims import sizes
from ..dtypes import as_dtype, from_numpy_dtype, get_default_dtype, int64
from ..tensor import Tensor
from .tensor_argument import require_tensor, tensor_list

__all__: list[str] = ["tensor", "as_tensor", "from_numpy", "zeros", "ones", "empty", "full", "eye", "arange",
                      "linspace", "zeros_like", "ones_like", "empty_like", "full_like", "is_tensor", "numel", "meshgrid"]
METHODS: list = ["new_tensor", "new_full", "new_empty", "new_zeros", "new_ones"]


def _infer_numpy_dtype(array: np.ndarray, source) -> np.dtype:
    if isinstance(source, np.ndarray) or isinstance(source, np.generic):
        from_numpy_dtype(array.dtype)  # refuses unsupported dtypes with a clear message
        return array.dtype
    kind = array.dtype.kind
    if kind == "f":
        return get_default_dtype().numpy
    if kind in "iu":
        return np.dtype(np.int64)
    if kind == "b":
        return np.dtype(np.bool_)
    raise TypeError(f"tensor(): could not infer a dtype from data of type {type(source).__name__} (NumPy saw {array.dtype})")


def _to_array(data, dtype, copy: bool) -> np.ndarray:
    if isinstance(data, Tensor):
        array = data._data
    else:
        try:
            array = np.array(data, copy=copy) if copy else np.asarray(data)
        except ValueError as error:
            raise ValueError(f"tensor(): the data is not rectangular (ragged nested sequences): {error}") from None
    target = as_dtype(dtype).numpy if dtype is not None else (
        array.dtype if isinstance(data, Tensor) else _infer_numpy_dtype(array, data)
    )
    if array.dtype != target:
        array = array.astype(target)
    return array


def tensor(data, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data`` (a number, nested lists, an array, or a tensor).

    >>> tensor([[1.0, 2.0]], requires_grad=True)
    tensor([[1., 2.]], requires_grad=True)
    """
    check_device(device, "tensor")
    array = _to_array(data, dtype, copy=True)
    if isinstance(data, Tensor) and array is data._data:
        array = array.copy()
    return Tensor._make(array).requires_grad_(requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """A tensor sharing memory with ``data`` where possible (arrays, tensors), converting otherwise.

    >>> import numpy as np
    >>> a = np.zeros(2); t = as_tensor(a); a[0] = 1; t
    tensor([1., 0.], dtype=ourdl.float64)
    """
    check_device(device, "as_tensor")
    if isinstance(data, Tensor) and (dtype is None or as_dtype(dtype) is data.dtype):
        return data
    return Tensor._make(_to_array(data, dtype, copy=False))


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with a NumPy array (changes to one show in the other).

    >>> import numpy as np
    >>> from_numpy(np.arange(3))
    tensor([0, 1, 2])
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray (got {type(array).__name__})")
    from_numpy_dtype(array.dtype)
    return Tensor._make(array)


def _shape(size, op: str) -> tuple:
    shape = sizes(size, op)
    if any(s < 0 for s in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension: {list(shape)}")
    return shape


def _filled(fill, size, dtype, requires_grad, op: str) -> Tensor:
    dtype = get_default_dtype() if dtype is None else as_dtype(dtype)
    return Tensor._make(np.full(_shape(size, op), fill, dtype=dtype.numpy)).requires_grad_(requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros.

    >>> zeros(2)
    tensor([0., 0.])
    """
    check_device(device, "zeros")
    return _filled(0, size, dtype, requires_grad, "zeros")


def ones(*size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones.

    >>> ones(2, dtype=int64)
    tensor([1, 1])
    """
    check_device(device, "ones")
    return _filled(1, size, dtype, requires_grad, "ones")


def empty(*size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor whose values are to be overwritten (ourdl fills it with zeros).

    >>> import ourdl
    >>> ourdl.empty(2, 3).shape
    ourdl.Size([2, 3])
    """
    check_device(device, "empty")
    return _filled(0, size, dtype, requires_grad, "empty")


def full(size, fill_value, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value``; the dtype follows the value (float, int or bool).

    >>> full((2,), 7)
    tensor([7, 7])
    """
    check_device(device, "full")
    if dtype is None:
        dtype = "bool" if isinstance(fill_value, bool) else int64 if isinstance(fill_value, int) else get_default_dtype()
    return _filled(fill_value, (tuple(size),) if isinstance(size, (tuple, list)) else (size,), dtype, requires_grad, "full")


def eye(n: int, m: int | None = None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """The identity matrix (``n`` by ``m``).

    >>> eye(2)
    tensor([[1., 0.],
            [0., 1.]])
    """
    check_device(device, "eye")
    dtype = get_default_dtype() if dtype is None else as_dtype(dtype)
    return Tensor._make(np.eye(n, m, dtype=dtype.numpy)).requires_grad_(requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Values from ``start`` up to (not including) ``end`` in steps of ``step``.

    Integer arguments give int64, any float gives the default float dtype.

    >>> arange(-1.0, 1.0, 0.5)
    tensor([-1.0000, -0.5000,  0.0000,  0.5000])
    """
    check_device(device, "arange")
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if dtype is None:
        dtype = get_default_dtype() if any(isinstance(v, float) for v in values) else int64
    dtype = as_dtype(dtype)
    start, end, step = values
    if (end - start) * step < 0:
        raise RuntimeError(f"arange: upper bound and larger bound inconsistent with step sign (start={start}, end={end}, step={step})")
    count = max(math.ceil((end - start) / step), 0)
    data = (start + step * np.arange(count, dtype=np.float64)) if dtype.is_floating_point or any(
        isinstance(v, float) for v in values) else np.arange(start, end, step)
    return Tensor._make(data.astype(dtype.numpy)).requires_grad_(requires_grad)


def linspace(start, end, steps: int, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive.

    >>> linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    check_device(device, "linspace")
    dtype = get_default_dtype() if dtype is None else as_dtype(dtype)
    if steps < 0:
        raise RuntimeError("linspace: number of steps must be non-negative")
    if steps == 1:
        data = np.array([start], dtype=np.float64)
    else:
        i = np.arange(steps, dtype=np.float64)
        step = (end - start) / (steps - 1)
        half = steps // 2
        data = np.where(i < half, start + step * i, end - step * (steps - i - 1))
    return Tensor._make(data.astype(dtype.numpy)).requires_grad_(requires_grad)


def _like(fn, input, dtype, device, requires_grad, *extra):
    return fn(*extra, *input.shape, dtype=input.dtype if dtype is None else dtype, device=device or input.device,
              requires_grad=requires_grad)


def zeros_like(input, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Zeros with ``input``'s shape and dtype.

    >>> import ourdl
    >>> ourdl.zeros_like(ourdl.tensor([1.0, 2.0]))
    tensor([0., 0.])
    """
    require_tensor(input, "zeros_like")
    return _like(zeros, input, dtype, device, requires_grad)


def ones_like(input, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Ones with ``input``'s shape and dtype.

    >>> ones_like(tensor([1, 2]))
    tensor([1, 1])
    """
    require_tensor(input, "ones_like")
    return _like(ones, input, dtype, device, requires_grad)


def empty_like(input, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Uninitialised values (ourdl: zeros) with ``input``'s shape and dtype.

    >>> import ourdl
    >>> ourdl.empty_like(ourdl.ones(2, 3)).shape
    ourdl.Size([2, 3])
    """
    require_tensor(input, "empty_like")
    return _like(empty, input, dtype, device, requires_grad)


def full_like(input, fill_value, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """``fill_value`` everywhere, with ``input``'s shape and dtype.

    >>> import ourdl
    >>> ourdl.full_like(ourdl.ones(2), 7.0)
    tensor([7., 7.])
    """
    require_tensor(input, "full_like")
    return full(tuple(input.shape), fill_value, dtype=input.dtype if dtype is None else dtype, device=device or input.device,
                requires_grad=requires_grad)


def is_tensor(obj) -> bool:
    """True for an ourdl tensor.

    >>> import ourdl
    >>> ourdl.is_tensor(ourdl.ones(1)), ourdl.is_tensor([1.0])
    (True, False)
    """
    return isinstance(obj, Tensor)


def numel(input) -> int:
    """The number of elements of ``input``.

    >>> import ourdl
    >>> ourdl.numel(ourdl.ones(2, 3))
    6
    """
    require_tensor(input, "numel")
    return input.numel()




def new_tensor(self, data, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """``Tensor.new_tensor``: a copy of ``data`` with this tensor's dtype (unless ``dtype`` is given).

    >>> import ourdl
    >>> ourdl.ones(1, dtype=ourdl.float64).new_tensor([1, 2])
    tensor([1., 2.], dtype=ourdl.float64)
    """
    return tensor(data, dtype=dtype or self.dtype, device=device or self.device, requires_grad=requires_grad)


def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """``Tensor.new_full``: ``fill_value`` everywhere in a tensor of ``size`` with this tensor's dtype (unless
    ``dtype`` is given; the value is converted to it).

    >>> import ourdl
    >>> ourdl.ones(1, dtype=ourdl.int64).new_full((2,), 2.5)
    tensor([2, 2])
    """
    check_device(device or self.device, "new_full")
    return _filled(fill_value, (size,), self.dtype if dtype is None else dtype, requires_grad, "new_full")


def new_empty(self, *size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """``Tensor.new_empty``: a tensor of ``size`` to be overwritten (ourdl: zeros), with this tensor's dtype.

    >>> import ourdl
    >>> ourdl.ones(1, dtype=ourdl.float64).new_empty(2, 3).dtype
    ourdl.float64
    """
    check_device(device or self.device, "new_empty")
    return _filled(0, size, self.dtype if dtype is None else dtype, requires_grad, "new_empty")


def new_zeros(self, *size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """``Tensor.new_zeros``: zeros of ``size`` with this tensor's dtype.

    >>> import ourdl
    >>> ourdl.ones(1, dtype=ourdl.int64).new_zeros(2)
    tensor([0, 0])
    """
    check_device(device or self.device, "new_zeros")
    return _filled(0, size, self.dtype if dtype is None else dtype, requires_grad, "new_zeros")


def new_ones(self, *size, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """``Tensor.new_ones``: ones of ``size`` with this tensor's dtype.

    >>> import ourdl
    >>> ourdl.ones(1, dtype=ourdl.int64).new_ones(2)
    tensor([1, 1])
    """
    check_device(device or self.device, "new_ones")
    return _filled(1, size, self.dtype if dtype is None else dtype, requires_grad, "new_ones")


def meshgrid(*tensors, indexing: str | None = None) -> tuple:
    """Coordinate grids from 1-D (or 0-d) tensors: output ``i`` holds ``tensors[i]`` broadcast along every other
    dimension. ``indexing='ij'`` gives the shape ``(len(t0), len(t1), ...)``; ``'xy'`` swaps the first two
    dimensions (Cartesian, as NumPy's default). Without ``indexing``, ``'ij'`` with a warning, as PyTorch.
    The outputs are broadcast views of the inputs.

    >>> import ourdl
    >>> rows, cols = ourdl.meshgrid(ourdl.tensor([1, 2]), ourdl.tensor([3, 4, 5]), indexing="ij")
    >>> rows
    tensor([[1, 1, 1],
            [2, 2, 2]])
    >>> ourdl.meshgrid(ourdl.tensor([1, 2]), ourdl.tensor([3, 4, 5]), indexing="xy")[0].shape
    ourdl.Size([3, 2])
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    tensors = tensor_list(tensors, "meshgrid")
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    if not tensors:
        raise RuntimeError("torch.meshgrid: Expected at least one tensor")
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t}")
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    positions = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) > 1:
        positions[0], positions[1] = 1, 0
    sizes = [t.numel() for t in tensors]
    shape = [0] * len(tensors)
    for p, s in zip(positions, sizes):
        shape[p] = s
    grids = []
    for t, p in zip(tensors, positions):
        spot = [1] * len(tensors)
        spot[p] = -1
        grids.append(t.reshape(*spot).expand(*shape))
    return tuple(grids)
