"""Indexing: ``x[...]`` with ints, slices, ``None``, ``...``, integer tensors or lists, ``range`` and bool masks.

Basic indexing (ints, slices, None, ...) gives a view; the gradient of any
index is a zero tensor with the incoming gradient added at the indexed
positions (repeated positions add up).

>>> import ourdl
>>> x = ourdl.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> x[[0, 0, 1], [1, 1, 0]].sum().backward(); x.grad
tensor([[0., 2.],
        [1., 0.]])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dims import check_dim
from ..tensor import Tensor
from . import array_or_tensor
from .tensor_argument import require_tensor

__all__: list[str] = ["index_add"]
METHODS: list = ["index_add"]


def convert_index(index):
    """An index with tensors, lists and ranges turned into what NumPy reads the way PyTorch does."""
    if isinstance(index, tuple):
        return tuple(_convert_one(i) for i in index)
    return _convert_one(index)


def _convert_one(i):
    if isinstance(i, Tensor):
        data = i._data
        if data.dtype.kind == "f":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return data
    if isinstance(i, range):
        return np.arange(i.start, i.stop, i.step)
    if isinstance(i, list):
        converted = [x._data if isinstance(x, Tensor) else x for x in i]
        array = np.asarray(converted)
        if array.dtype.kind == "f":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return array
    return i


def is_basic(index) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (slice, int, np.integer)) and not isinstance(p, bool) for p in parts)


def scatter_add_array(shape, index, g):
    """Zeros of ``shape`` with ``g`` added at ``index``."""
    out = np.zeros(shape, dtype=g.dtype)
    if is_basic(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


class Index(ArrayFunction):
    is_view = True

    @staticmethod
    def forward(ctx, x, index):
        ctx.shape, ctx.index = x.shape, index
        out = x[index]
        if type(out) is not np.ndarray and is_basic(index):  # a single element: a 0-d view, as PyTorch's
            out = x[(*(index if isinstance(index, tuple) else (index,)), Ellipsis)]
        return out

    @staticmethod
    def backward(ctx, g):
        return index_add_into(ctx.shape, ctx.index, g), None


class IndexAddInto(ArrayFunction):
    """The gradient of indexing as an op of its own, so that it too can be differentiated."""

    @staticmethod
    def forward(ctx, g, shape, index):
        ctx.index = index
        return scatter_add_array(shape, index, g)

    @staticmethod
    def backward(ctx, gg):
        return gg[ctx.index]


def index_add_into(shape: tuple, index, g):
    """A zero array of ``shape`` with ``g`` added at ``index`` (duplicates summed): the gradient of indexing, on
    arrays or (recorded) on tensors."""
    if isinstance(g, Tensor):
        return IndexAddInto.apply(g, shape=shape, index=index)
    return scatter_add_array(shape, index, g)


def getitem(input, index):
    """``input[index]`` with PyTorch's indexing rules (NumPy's, which they share)."""
    index = convert_index(index)
    try:
        return Index.apply(input, index)
    except IndexError as error:
        raise IndexError(f"index {_describe(index)} is out of range for a tensor of shape {list(input.shape)}: {error}") from None


def _describe(index):
    parts = index if isinstance(index, tuple) else (index,)
    return ", ".join(f"array{list(np.shape(p))}" if isinstance(p, np.ndarray) else repr(p) for p in parts)


class IndexPut(ArrayFunction):
    """``x[index] = value`` out of place: the new tensor and the gradients to the old one and to ``value``."""

    @staticmethod
    def forward(ctx, x, value, index):
        ctx.index = index
        out = x.copy()
        out[index] = value
        return out

    @staticmethod
    def backward(ctx, g):
        index = ctx.index
        mask = np.ones(g.shape, dtype=bool)
        mask[index] = False
        return array_or_tensor.where(mask, g, 0.0), g[index], None


class IndexAdd(ArrayFunction):
    """``input`` with ``alpha * source`` added at ``where`` (an index along one dimension; repeats add up)."""

    @staticmethod
    def forward(ctx, x, source, where, alpha):
        ctx.where, ctx.alpha = where, alpha
        out = x.copy()
        np.add.at(out, where, (source * alpha).astype(x.dtype, copy=False))
        return out

    @staticmethod
    def backward(ctx, g):
        return g, g[ctx.where] * ctx.alpha, None, None


def index_add(input, dim: int, index, source, *, alpha=1):
    """A copy of ``input`` with ``alpha * source[..., i, ...]`` added to ``input[..., index[i], ...]`` along ``dim``
    (repeated indices add up). ``index`` is a 1-D integer tensor; ``source`` has ``input``'s shape except
    ``len(index)`` along ``dim``. Gradients: the incoming one to ``input``, and it gathered at ``index`` (times
    ``alpha``) to ``source``.

    >>> import ourdl
    >>> ourdl.zeros(3).index_add(0, ourdl.tensor([0, 2, 0]), ourdl.tensor([1.0, 2.0, 3.0]))
    tensor([4., 0., 2.])
    """

    require_tensor(input, "index_add")
    axis = check_dim(dim, input.ndim, "index_add")
    require_tensor(index, "index_add", "index", 3)
    require_tensor(source, "index_add", "source", 4)
    if index.dtype.name not in ("int64", "int32") or index.ndim > 1:
        raise RuntimeError("index_add_(): Expected a 1-D (or 0-d) long or int tensor for index")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"index_add_(): self ({input.dtype.name}) and source ({source.dtype.name}) must have the "
                           "same scalar type")
    positions = index._data.reshape(-1)
    size = input.shape[axis] if input.ndim else 1
    expected = list(input.shape)
    if input.ndim:
        expected[axis] = positions.size
    if list(source.shape) != expected and not (input.ndim <= 1 and source.numel() == positions.size):
        raise RuntimeError(f"index_add_(): source of shape {list(source.shape)} does not match the input's shape "
                           f"{list(input.shape)} with {positions.size} elements along dimension {axis}")
    if positions.size and (positions.min() < -size or positions.max() >= size):
        raise IndexError("index out of range in self")
    x = input.reshape(1) if input.ndim == 0 else input
    src = source.reshape(*x.shape[:axis], positions.size, *x.shape[axis + 1:])
    out = IndexAdd.apply(x, src, (slice(None),) * axis + (positions,), alpha)
    return out.reshape(()) if input.ndim == 0 else out
