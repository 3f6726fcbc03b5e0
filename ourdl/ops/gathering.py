"""Gathering and scattering: values picked along a dimension (gather, index_select, take_along_dim,
masked_select) or written there (scatter, scatter_add), with their gradients; and one_hot.

Every pick is one advanced index into the input (:class:`~ourdl.ops.indexing.Index`), so the
gradient of a pick is the incoming gradient added back at the picked positions (repeats add
up), and that gradient is itself differentiable: higher derivatives work throughout.
:mod:`~ourdl.ops.sorting` and the order statistics pick with :func:`picker` and :func:`coordinates` too.

>>> import ourdl
>>> x = ourdl.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> y = ourdl.gather(x, 1, ourdl.tensor([[1, 1], [0, 1]]))
>>> y
tensor([[2., 2.],
        [3., 4.]], grad_fn=<GatherBackward0>)
>>> y.sum().backward(); x.grad
tensor([[0., 2.],
        [1., 1.]])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dims import check_dim
from ..tensor import Tensor
from .indexing import Index, IndexPut
from .promotion import as_operand
from .tensor_argument import require_tensor

# one_hot is not here: it is torch.nn.functional's, and ourdl.nn.functional takes it from this module
__all__: list[str] = ["gather", "scatter", "scatter_add", "index_select", "take_along_dim", "masked_select"]
METHODS: list = list(__all__)


def picker(name: str, what: str) -> type:
    """An :class:`Index` under the name PyTorch gives its node (``grad_fn`` reads ``<SortBackward0>``)."""
    return type(name, (Index,), {"__doc__": what, "__module__": __name__})


Gather = picker("Gather", "``gather`` and ``take_along_dim``: the input at one index array per dimension.")
IndexSelect = picker("IndexSelect", "``index_select``: whole slices along a dimension.")
MaskedSelect = picker("MaskedSelect", "``masked_select``: the elements under a mask, flattened.")
class Scatter(IndexPut):
    """``src`` (or a number) written at the index positions; the input's gradient is zero where overwritten."""


class ScatterAdd(ArrayFunction):
    """``src`` added at the index positions (repeats add up); ``src``'s gradient is the gradient gathered back."""

    @staticmethod
    def forward(ctx, x, src, index):
        ctx.index = index
        out = x.copy()
        np.add.at(out, index, src)
        return out

    @staticmethod
    def backward(ctx, g):
        return g, g[ctx.index], None


class ScatterReduce(ArrayFunction):
    """``scatter`` with ``reduce='add'`` or ``'multiply'``: like PyTorch, forward only."""

    @staticmethod
    def forward(ctx, x, src, index, reduce):
        out = x.copy()
        (np.add if reduce == "add" else np.multiply).at(out, index, src)
        return out

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError("the derivative of scatter with reduce is not implemented, as in PyTorch; use scatter_add "
                           "(or scatter without reduce) where a gradient is needed")


# -- checks ---------------------------------------------------------------------------------------

def _index_array(op: str, index, allowed=(np.int32, np.int64), name: str = "index", position: int = 3) -> np.ndarray:
    require_tensor(index, op, name, position)
    data = index._data
    if data.dtype.type not in allowed:
        names = "/".join(np.dtype(t).name for t in allowed)
        raise RuntimeError(f"{op}(): Expected dtype {names} for index, got {index.dtype.name}")
    return data


def _check_bounds(op: str, index: np.ndarray, dim: int, size: int) -> None:
    if index.size and (index.min() < 0 or index.max() >= size):
        bad = index.min() if index.min() < 0 else index.max()
        raise RuntimeError(f"{op}(): index {bad} is out of bounds for dimension {dim} with size {size}")


def _shape1(shape) -> tuple:
    """A 0-d shape read as one element, as PyTorch's gather/scatter do."""
    return tuple(shape) or (1,)


def _check_gather_shapes(op: str, shape, dim: int, index: np.ndarray, src_shape=None) -> None:
    """PyTorch's rule: index no larger than the input except along ``dim`` (and no larger than ``src`` anywhere)."""
    shape, ishape = _shape1(shape), _shape1(index.shape)
    if len(ishape) != len(shape):
        raise RuntimeError(f"{op}(): Index tensor must have the same number of dimensions as input tensor "
                           f"(index {list(index.shape)}, input {list(shape)})")
    if src_shape is not None and len(_shape1(src_shape)) != len(ishape):
        raise RuntimeError(f"{op}(): Index tensor must have the same number of dimensions as src tensor "
                           f"(index {list(index.shape)}, src {list(src_shape)})")
    too_big = [d for d in range(len(shape)) if d != dim and ishape[d] > shape[d]]
    if src_shape is not None:
        too_big += [d for d, (i, s) in enumerate(zip(ishape, _shape1(src_shape))) if i > s]
    if too_big:
        also = f" and to be no larger size than src {list(src_shape)}" if src_shape is not None else ""
        raise RuntimeError(f"{op}(): Size does not match at dimension {too_big[0]}: expected index {list(index.shape)} "
                           f"to be no larger than self {list(shape)} apart from dimension {dim}{also}")


def coordinates(shape, dim: int, index: np.ndarray) -> tuple:
    """The advanced index that reads ``index`` along ``dim`` and position ``i`` along every other dimension ``i``
    (``shape`` gives those ranges; size-1 ranges broadcast against ``index``)."""
    n = len(shape)
    return tuple(index if d == dim else np.arange(s).reshape((s,) + (1,) * (n - 1 - d)) for d, s in enumerate(shape))


# -- gather and scatter ---------------------------------------------------------------------------

def gather(input, dim, index, *, sparse_grad: bool = False):
    """:math:`out[i][j][k] = input[index[i][j][k]][j][k]` for ``dim=0`` (likewise along any ``dim``).

    ``index`` (int64 or int32) has the input's number of dimensions and is no larger than the input
    apart from ``dim``; the output has ``index``'s shape. The gradient adds the incoming gradient back
    at the gathered positions (repeats add up). ``sparse_grad`` is accepted; the gradient is always dense.

    >>> import ourdl
    >>> t = ourdl.tensor([[1, 2], [3, 4]])
    >>> ourdl.gather(t, 1, ourdl.tensor([[0, 0], [1, 0]]))
    tensor([[1, 1],
            [4, 3]])
    """
    require_tensor(input, "gather")
    axis = check_dim(dim, input.ndim, "gather")
    index_data = _index_array("gather", index)
    _check_gather_shapes("gather", input.shape, axis, index_data)
    _check_bounds("gather", index_data, axis, _shape1(input.shape)[axis])
    x = input.reshape(1) if input.ndim == 0 else input
    flat = index_data.reshape(_shape1(index_data.shape))
    out = Gather.apply(x, coordinates(flat.shape, axis, flat))
    return out.reshape(()) if index_data.ndim == 0 else out


def _scatter_into(op: str, input, dim, index, src, make):
    """Check ``scatter``-style arguments and run ``make(x, src_part, coords)`` on 1-d-or-more views."""
    axis = check_dim(dim, input.ndim, op)
    index_data = _index_array(op, index)
    src_shape = src.shape if isinstance(src, Tensor) else None
    _check_gather_shapes(op, input.shape, axis, index_data, src_shape)
    _check_bounds(op, index_data, axis, _shape1(input.shape)[axis])
    if isinstance(src, Tensor):
        if src.dtype != input.dtype:
            raise RuntimeError(f"{op}(): Expected self.dtype to be equal to src.dtype (self {input.dtype.name}, src "
                               f"{src.dtype.name}); convert one with .to()")
        src = src.reshape(1) if src.ndim == 0 else src
        if tuple(src.shape) != _shape1(index_data.shape):
            src = src[tuple(slice(0, n) for n in _shape1(index_data.shape))]
    x = input.reshape(1) if input.ndim == 0 else input
    flat = index_data.reshape(_shape1(index_data.shape))
    out = make(x, src, coordinates(flat.shape, axis, flat))
    return out.reshape(()) if input.ndim == 0 else out


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """Out-of-place ``scatter_``: a copy of ``input`` with ``src[i][j][k]`` written at
    :math:`out[index[i][j][k]][j][k]` for ``dim=0`` (likewise along any ``dim``).

    ``src`` is a tensor of the input's dtype (no smaller than ``index``) or a number (also ``value=``).
    ``reduce='add'`` or ``'multiply'`` combines with what is there instead of overwriting (no gradient,
    as in PyTorch). Where ``index`` repeats a position the last write wins. Gradients: the input's is zero
    where overwritten, ``src``'s is the incoming gradient gathered at ``index``.

    >>> import ourdl
    >>> ourdl.scatter(ourdl.zeros(2, 3), 1, ourdl.tensor([[2], [0]]), ourdl.tensor([[5.0], [6.0]]))
    tensor([[0., 0., 5.],
            [6., 0., 0.]])
    >>> ourdl.zeros(3).scatter(0, ourdl.tensor([0, 2]), 1.5)
    tensor([1.5000, 0.0000, 1.5000])
    """
    require_tensor(input, "scatter")
    if (src is None) == (value is None):
        raise TypeError("scatter(): give exactly one of src (a tensor or a number) and value (a number)")
    src = as_operand(value if src is None else src, "scatter", "src", 4)
    if reduce is None:
        return _scatter_into("scatter", input, dim, index, src, lambda x, s, c: Scatter.apply(x, s, c))
    if reduce not in ("add", "multiply"):
        raise RuntimeError(f"scatter(): reduce argument must be either add or multiply, got {reduce!r}")
    return _scatter_into("scatter", input, dim, index, src, lambda x, s, c: ScatterReduce.apply(x, s, c, reduce))


def scatter_add(input, dim, index, src):
    """Out-of-place ``scatter_add_``: a copy of ``input`` with :math:`out[index[i][j][k]][j][k] \\mathrel{+}= src[i][j][k]`
    for ``dim=0`` (likewise along any ``dim``); repeated positions add up.

    The input's gradient is the incoming gradient; ``src``'s is that gradient gathered at ``index``.

    >>> import ourdl
    >>> ourdl.scatter_add(ourdl.zeros(3), 0, ourdl.tensor([0, 2, 0]), ourdl.tensor([1.0, 2.0, 3.0]))
    tensor([4., 0., 2.])
    """
    require_tensor(input, "scatter_add")
    require_tensor(src, "scatter_add", "src", 4)
    return _scatter_into("scatter_add", input, dim, index, src, lambda x, s, c: ScatterAdd.apply(x, s, c))


def index_select(input, dim, index):
    """The slices of ``input`` at positions ``index`` (a 1-d or 0-d int64/int32 tensor) along ``dim``:
    :math:`out[\\ldots, i, \\ldots] = input[\\ldots, index[i], \\ldots]`; repeats allowed, their gradients add up.

    >>> import ourdl
    >>> x = ourdl.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    >>> ourdl.index_select(x, 1, ourdl.tensor([2, 0, 2]))
    tensor([[3., 1., 3.],
            [6., 4., 6.]])
    """
    require_tensor(input, "index_select")
    axis = check_dim(dim, input.ndim, "index_select")
    index_data = _index_array("index_select", index)
    if index_data.ndim > 1:
        raise IndexError(f"index_select(): Index is supposed to be a vector, got shape {list(index_data.shape)}")
    flat = index_data.reshape(-1)
    if input.ndim == 0:
        if flat.size != 1:
            raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {flat.size} value(s)")
        if flat[0] != 0:
            raise IndexError(f"index_select(): index {flat[0]} is out of range for a 0-d tensor")
        return IndexSelect.apply(input.reshape(1), (flat,)).reshape(())
    size = input.shape[axis]
    if flat.size and (flat.min() < 0 or flat.max() >= size):
        bad = flat.min() if flat.min() < 0 else flat.max()
        # PyTorch's types: IndexError along dimension 0, RuntimeError along the others
        error = IndexError if axis == 0 else RuntimeError
        raise error(f"index_select(): index {bad} is out of range for dimension {axis} of size {size}")
    return IndexSelect.apply(input, (slice(None),) * axis + (flat,))


def take_along_dim(input, indices, dim=None):
    """``input`` picked at ``indices`` along ``dim``, the two broadcast against each other apart from ``dim``
    (NumPy's ``take_along_axis``); without ``dim``, both are flattened first.

    ``indices`` is int64 with as many dimensions as ``input``.

    >>> import ourdl
    >>> x = ourdl.tensor([[10.0, 30.0, 20.0], [60.0, 40.0, 50.0]])
    >>> ourdl.take_along_dim(x, x.argsort(dim=1), dim=1)
    tensor([[10., 20., 30.],
            [40., 50., 60.]])
    >>> ourdl.take_along_dim(x, ourdl.tensor([5, 0]))
    tensor([50., 10.])
    """
    require_tensor(input, "take_along_dim")
    op = "take_along_dim"
    index_data = _index_array(op, indices, allowed=(np.int64,), name="indices", position=2)
    if dim is None:
        flat = index_data.reshape(-1)
        _check_bounds(op, flat, 0, input.numel())
        return Gather.apply(input.reshape(-1), (flat,))
    if input.ndim == 0:
        raise IndexError(f"{op}(): Dimension specified as {dim} but tensor has no dimensions")
    axis = check_dim(dim, input.ndim, op)
    if index_data.ndim != input.ndim:
        raise RuntimeError(f"{op}(): input and indices should have the same number of dimensions, but got "
                           f"{input.ndim} dimensions for input, and {index_data.ndim} dimensions for indices")
    for d, (a, b) in enumerate(zip(input.shape, index_data.shape)):
        if d != axis and a != b and 1 not in (a, b):
            raise RuntimeError(f"{op}(): input {list(input.shape)} and indices {list(index_data.shape)} do not "
                               f"broadcast: sizes {a} and {b} at dimension {d}")
    _check_bounds(op, index_data, axis, input.shape[axis])
    return Gather.apply(input, coordinates(input.shape, axis, index_data))


def masked_select(input, mask):
    """The elements of ``input`` where the bool tensor ``mask`` is true, in a 1-d tensor; the two broadcast.

    >>> import ourdl
    >>> x = ourdl.tensor([[1.0, -2.0], [-3.0, 4.0]])
    >>> ourdl.masked_select(x, x > 0)
    tensor([1., 4.])
    """
    require_tensor(input, "masked_select")
    require_tensor(mask, "masked_select", "mask", 2)
    if mask._data.dtype != np.bool_:
        raise RuntimeError(f"masked_select(): expected a bool tensor for mask, got {mask.dtype.name}")
    try:
        shape = np.broadcast_shapes(input.shape, mask.shape)
    except ValueError:
        raise RuntimeError(f"masked_select(): shapes of input {list(input.shape)} and mask {list(mask.shape)} do not "
                           "broadcast together") from None
    x = input if tuple(input.shape) == shape else input.expand(*shape)
    return MaskedSelect.apply(x, np.broadcast_to(mask._data, shape))


# -- sorting --------------------------------------------------------------------------------------

def one_hot(tensor, num_classes: int = -1):
    """Class indices (int64) to one-hot rows: :math:`out[\\ldots, c] = 1` where ``tensor[...] == c``, else 0.

    The output has shape ``(*tensor.shape, num_classes)`` and dtype int64; ``num_classes=-1`` takes
    the largest class plus one.

    >>> import ourdl
    >>> import ourdl.nn.functional as F
    >>> F.one_hot(ourdl.tensor([0, 2, 1]))
    tensor([[1, 0, 0],
            [0, 0, 1],
            [0, 1, 0]])
    """
    if not isinstance(tensor, Tensor) or tensor._data.dtype != np.int64:
        got = tensor.dtype.name if isinstance(tensor, Tensor) else type(tensor).__name__
        raise RuntimeError(f"one_hot is only applicable to index tensor of type LongTensor (int64), got {got}")
    data = tensor._data
    if data.size == 0:
        if num_classes <= 0:
            raise RuntimeError("one_hot: Can not infer total number of classes from empty tensor; give num_classes.")
    else:
        if data.min() < 0:
            raise RuntimeError(f"one_hot: Class values must be non-negative, got {data.min()}.")
        if num_classes == -1:
            num_classes = int(data.max()) + 1
        elif data.max() >= num_classes:
            raise RuntimeError(f"one_hot: Class values must be smaller than num_classes ({num_classes}), got "
                               f"{data.max()}.")
    return Tensor._make((data[..., None] == np.arange(num_classes)).astype(np.int64))
