"""Views that reshape: reshape/view, permute/transpose/movedim, squeeze/unsqueeze, flatten/unflatten,
expand/broadcast_to, and the slices narrow/select.

Results that NumPy can give as views share memory (and the version counter)
with their input, as PyTorch views do.

>>> import ourdl
>>> x = ourdl.arange(6.0).reshape(2, 3)
>>> x.T.shape
ourdl.Size([3, 2])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dims import check_dim, sizes as size_list
from ..tensor import Tensor
from . import array_or_tensor
from .tensor_argument import require_tensor

__all__: list[str] = ["reshape", "view", "permute", "transpose", "t", "squeeze", "unsqueeze", "flatten", "unflatten",
                      "expand", "expand_as", "broadcast_to", "view_as", "reshape_as", "ravel", "narrow", "select",
                      "movedim", "moveaxis", "swapaxes", "swapdims"]




class Reshape(ArrayFunction):
    is_view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape), None


def reshape(input, *shape):
    """The same elements in a new shape (one dimension may be -1).

    >>> import ourdl
    >>> ourdl.arange(4).reshape(2, 2)
    tensor([[0, 1],
            [2, 3]])
    """
    require_tensor(input, "reshape")
    shape = size_list(shape, "reshape", "shape")
    known = int(np.prod([s for s in shape if s != -1]))
    if shape.count(-1) > 1 or (-1 not in shape and known != input.numel()) or (
        -1 in shape and (known == 0 or input.numel() % known)
    ):
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {input.numel()}")
    return Reshape.apply(input, shape)


def view(input, *shape):
    """The same memory seen with a new shape (one dimension may be -1); where the strides do not allow that (a
    transposed tensor merged across its dimensions), an error: :func:`reshape` copies then.

    >>> import ourdl
    >>> ourdl.arange(4).view(2, 2)
    tensor([[0, 1],
            [2, 3]])
    """
    out = reshape(input, *shape)
    if out._base is None and input.numel() > 1:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across "
            "two contiguous subspaces). Use .reshape(...) instead.")
    return out


class Permute(ArrayFunction):
    is_view = True

    @staticmethod
    def forward(ctx, x, axes):
        ctx.inverse = tuple(np.argsort(axes))
        return x.transpose(axes)

    @staticmethod
    def backward(ctx, g):
        return array_or_tensor.permute(g, ctx.inverse), None


def permute(input, *dims):
    """Reorder dimensions: ``dims[i]`` is the input dimension that becomes dimension i.

    >>> import ourdl
    >>> ourdl.zeros(2, 3, 4).permute(2, 0, 1).shape
    ourdl.Size([4, 2, 3])
    """
    require_tensor(input, "permute")
    dims = size_list(dims, "permute", "dims")
    ndim = input.ndim
    if len(dims) != ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {ndim} is not equal to len(dims) = {len(dims)}")
    axes = tuple(check_dim(d, ndim, "permute") for d in dims)
    if len(set(axes)) != ndim:
        raise RuntimeError(f"permute(): duplicate dims are not allowed, got {list(dims)}")
    return Permute.apply(input, axes)


def transpose(input, dim0: int, dim1: int):
    """Swap two dimensions.

    >>> import ourdl
    >>> ourdl.transpose(ourdl.zeros(2, 3), 0, 1).shape
    ourdl.Size([3, 2])
    """
    require_tensor(input, "transpose")
    ndim = input.ndim
    if ndim == 0:
        return permute(input)
    axes = list(range(ndim))
    a, b = check_dim(dim0, ndim, "transpose"), check_dim(dim1, ndim, "transpose")
    axes[a], axes[b] = axes[b], axes[a]
    return Permute.apply(input, tuple(axes))


def t(input):
    """Transpose of a tensor with at most 2 dimensions.

    >>> import ourdl
    >>> ourdl.t(ourdl.tensor([[1, 2, 3]]))
    tensor([[1],
            [2],
            [3]])
    """
    require_tensor(input, "t")
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return transpose(input, 0, 1) if input.ndim == 2 else input


def squeeze(input, dim=None):
    """Remove dimensions of size 1 (all, or those in ``dim``).

    >>> import ourdl
    >>> ourdl.zeros(1, 3, 1).squeeze().shape
    ourdl.Size([3])
    """
    require_tensor(input, "squeeze")
    shape = input._data.shape
    if dim is None:
        new = tuple(s for s in shape if s != 1)
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        axes = {check_dim(d, input.ndim, "squeeze") for d in dims} if input.ndim else set()
        new = tuple(s for i, s in enumerate(shape) if not (i in axes and s == 1))
    return Reshape.apply(input, new)


def unsqueeze(input, dim: int):
    """Insert a dimension of size 1 at ``dim``.

    >>> import ourdl
    >>> ourdl.zeros(3).unsqueeze(0).shape
    ourdl.Size([1, 3])
    """
    require_tensor(input, "unsqueeze")
    axis = check_dim(dim, input.ndim + 1, "unsqueeze")
    shape = list(input._data.shape)
    shape.insert(axis, 1)
    return Reshape.apply(input, tuple(shape))


def flatten(input, start_dim: int = 0, end_dim: int = -1):
    """Merge dimensions ``start_dim..end_dim`` into one.

    >>> import ourdl
    >>> ourdl.zeros(2, 3, 4).flatten(1).shape
    ourdl.Size([2, 12])
    """
    require_tensor(input, "flatten")
    if input.ndim == 0:
        return Reshape.apply(input, (1,))
    a = check_dim(start_dim, input.ndim, "flatten")
    b = check_dim(end_dim, input.ndim, "flatten")
    if a > b:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = input._data.shape
    return Reshape.apply(input, shape[:a] + (int(np.prod(shape[a : b + 1])),) + shape[b + 1 :])


def unflatten(input, dim: int, sizes):
    """Split dimension ``dim`` into ``sizes``.

    >>> import ourdl
    >>> ourdl.unflatten(ourdl.ones(2, 6), 1, (2, 3)).shape
    ourdl.Size([2, 2, 3])
    """
    require_tensor(input, "unflatten")
    axis = check_dim(dim, input.ndim, "unflatten")
    shape = input._data.shape
    return reshape(input, shape[:axis] + tuple(sizes) + shape[axis + 1 :])


class Expand(ArrayFunction):
    is_view = True

    @staticmethod
    def forward(ctx, x, shape):
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, g):
        return g, None  # summed down to the input shape centrally


def expand(input, *sizes):
    """Broadcast to ``sizes`` without copying (-1 keeps a dimension).

    >>> import ourdl
    >>> ourdl.tensor([[1.0], [2.0]]).expand(2, 3)
    tensor([[1., 1., 1.],
            [2., 2., 2.]])
    """
    sizes = size_list(sizes, "expand")
    shape = input._data.shape
    if len(sizes) < len(shape):
        raise RuntimeError(
            f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to the number of "
            f"dimensions in the tensor ({len(shape)})"
        )
    lead = len(sizes) - len(shape)
    target = tuple(s if s != -1 or i < lead else shape[i - lead] for i, s in enumerate(sizes))
    for i, s in enumerate(shape):
        if s != 1 and s != target[lead + i]:
            raise RuntimeError(
                f"The expanded size of the tensor ({target[lead + i]}) must match the existing size ({s}) at "
                f"non-singleton dimension {lead + i}.  Target sizes: {list(sizes)}.  Tensor sizes: {list(shape)}"
            )
    return Expand.apply(input, target)


def expand_as(input, other):
    """``input`` expanded to ``other``'s shape (``input.expand(other.shape)``).

    >>> import ourdl
    >>> ourdl.tensor([1.0, 2.0]).expand_as(ourdl.zeros(2, 2))
    tensor([[1., 2.],
            [1., 2.]])
    """
    return expand(input, *other.shape)


def broadcast_to(input, shape):
    """``input`` broadcast to ``shape`` (as :func:`expand`).

    >>> import ourdl
    >>> ourdl.broadcast_to(ourdl.tensor([1.0, 2.0]), (2, 2))
    tensor([[1., 2.],
            [1., 2.]])
    """
    require_tensor(input, "broadcast_to")
    return expand(input, *shape)


def view_as(input, other):
    """``input`` viewed with ``other``'s shape (``input.view(other.shape)``).

    >>> import ourdl
    >>> ourdl.arange(6).view_as(ourdl.zeros(2, 3))
    tensor([[0, 1, 2],
            [3, 4, 5]])
    """
    return view(input, tuple(other.shape))


def reshape_as(input, other):
    """``input`` reshaped to ``other``'s shape (``input.reshape(other.shape)``: a view where possible).

    >>> import ourdl
    >>> ourdl.arange(4).reshape_as(ourdl.zeros(2, 2)).shape
    ourdl.Size([2, 2])
    """
    return reshape(input, tuple(other.shape))


def ravel(input):
    """The elements as a 1-D tensor, in row-major order: a view when the memory allows, else a copy.

    >>> import ourdl
    >>> ourdl.ravel(ourdl.tensor([[1, 2], [3, 4]]))
    tensor([1, 2, 3, 4])
    """
    require_tensor(input, "ravel")
    return Reshape.apply(input, (-1,))


def index_along(input, axis: int, index):
    """``input`` indexed by ``index`` along dimension ``axis`` (every other dimension whole)."""
    return input[(slice(None),) * axis + (index,)]


def narrow(input, dim: int, start, length: int):
    """A view of ``length`` elements of dimension ``dim`` from ``start`` on (a negative ``start`` counts from the end).

    >>> import ourdl
    >>> x = ourdl.arange(6).reshape(2, 3)
    >>> ourdl.narrow(x, 1, 1, 2)
    tensor([[1, 2],
            [4, 5]])
    """
    require_tensor(input, "narrow")
    axis = check_dim(dim, input.ndim, "narrow")
    size = input.shape[axis]
    start = int(start.item() if isinstance(start, Tensor) else start)
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    start += size if start < 0 else 0
    if length < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return index_along(input, axis, slice(start, start + length))


def select(input, dim: int, index: int):
    """A view of the slice ``index`` of dimension ``dim`` (that dimension removed): ``x.select(0, i)`` is ``x[i]``.

    >>> import ourdl
    >>> ourdl.arange(6).reshape(2, 3).select(1, -1)
    tensor([2, 5])
    """
    require_tensor(input, "select")
    axis = check_dim(dim, input.ndim, "select")
    size = input.shape[axis]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} at dimension {axis}")
    return index_along(input, axis, int(index))


def movedim(input, source, destination):
    """A view with dimensions ``source`` moved to positions ``destination`` (ints or sequences); the others keep
    their order.

    >>> import ourdl
    >>> ourdl.zeros(2, 3, 4).movedim(0, -1).shape
    ourdl.Size([3, 4, 2])
    """
    require_tensor(input, "movedim")
    ndim = input.ndim
    source = [source] if isinstance(source, int) else list(source)
    destination = [destination] if isinstance(destination, int) else list(destination)
    if len(source) != len(destination):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({source} dims) should contain the same number of "
            f"dims as destination ({destination} dims)")
    src = [check_dim(d, ndim, "movedim") for d in source]
    dst = [check_dim(d, ndim, "movedim") for d in destination]
    for name, dims, given in (("source", src, source), ("destination", dst, destination)):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({given})")
    order = [None] * max(ndim, 1)
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(d for d in range(ndim) if d not in src)
    axes = tuple(o if o is not None else next(rest) for o in order[:ndim])
    return Permute.apply(input, axes)


moveaxis = movedim


swapaxes = swapdims = transpose


# Tensor methods: the ops of the same name (broadcast_to is a function only), and the transposing properties
METHODS: list = [*(name for name in __all__ if name != "broadcast_to"),
                 ("T", property(lambda self: permute(self, *reversed(range(self.ndim))), doc="All dimensions reversed.")),
                 ("mT", property(lambda self: transpose(self, -2, -1), doc="The last two dimensions swapped."))]
