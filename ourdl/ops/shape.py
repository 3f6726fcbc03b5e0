"""Shape ops: reshape/view, transpose/permute, squeeze/unsqueeze, flatten, expand, cat/stack, split/chunk, flip, repeat.

Results that NumPy can give as views share memory (and the version counter)
with their input, as PyTorch views do.

>>> import ourdl
>>> x = ourdl.arange(6.0).reshape(2, 3)
>>> x.T.shape
ourdl.Size([3, 2])
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor, _check_dim
from . import dual


def _sizes(args) -> tuple:
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    return tuple(int(a) for a in args)


class Reshape(Function):
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
    shape = _sizes(shape)
    known = int(np.prod([s for s in shape if s != -1]))
    if shape.count(-1) > 1 or (-1 not in shape and known != input.numel()) or (
        -1 in shape and (known == 0 or input.numel() % known)
    ):
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {input.numel()}")
    return Reshape.apply(input, shape)


view = reshape


class Permute(Function):
    is_view = True

    @staticmethod
    def forward(ctx, x, axes):
        ctx.inverse = tuple(np.argsort(axes))
        return x.transpose(axes)

    @staticmethod
    def backward(ctx, g):
        return dual.permute(g, ctx.inverse), None


def permute(input, *dims):
    """Reorder dimensions: ``dims[i]`` is the input dimension that becomes dimension i.

    >>> import ourdl
    >>> ourdl.zeros(2, 3, 4).permute(2, 0, 1).shape
    ourdl.Size([4, 2, 3])
    """
    dims = _sizes(dims)
    ndim = input.ndim
    if len(dims) != ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {ndim} is not equal to len(dims) = {len(dims)}")
    axes = tuple(_check_dim(d, ndim, "permute") for d in dims)
    if len(set(axes)) != ndim:
        raise RuntimeError(f"permute(): duplicate dims are not allowed, got {list(dims)}")
    return Permute.apply(input, axes)


def transpose(input, dim0: int, dim1: int):
    """Swap two dimensions.

    >>> import ourdl
    >>> ourdl.transpose(ourdl.zeros(2, 3), 0, 1).shape
    ourdl.Size([3, 2])
    """
    ndim = input.ndim
    if ndim == 0:
        return permute(input)
    axes = list(range(ndim))
    a, b = _check_dim(dim0, ndim, "transpose"), _check_dim(dim1, ndim, "transpose")
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
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return transpose(input, 0, 1) if input.ndim == 2 else input


def squeeze(input, dim=None):
    """Remove dimensions of size 1 (all, or those in ``dim``).

    >>> import ourdl
    >>> ourdl.zeros(1, 3, 1).squeeze().shape
    ourdl.Size([3])
    """
    shape = input._data.shape
    if dim is None:
        new = tuple(s for s in shape if s != 1)
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        axes = {_check_dim(d, input.ndim, "squeeze") for d in dims} if input.ndim else set()
        new = tuple(s for i, s in enumerate(shape) if not (i in axes and s == 1))
    return Reshape.apply(input, new)


def unsqueeze(input, dim: int):
    """Insert a dimension of size 1 at ``dim``.

    >>> import ourdl
    >>> ourdl.zeros(3).unsqueeze(0).shape
    ourdl.Size([1, 3])
    """
    axis = _check_dim(dim, input.ndim + 1, "unsqueeze")
    shape = list(input._data.shape)
    shape.insert(axis, 1)
    return Reshape.apply(input, tuple(shape))


def flatten(input, start_dim: int = 0, end_dim: int = -1):
    """Merge dimensions ``start_dim..end_dim`` into one.

    >>> import ourdl
    >>> ourdl.zeros(2, 3, 4).flatten(1).shape
    ourdl.Size([2, 12])
    """
    if input.ndim == 0:
        return Reshape.apply(input, (1,))
    a = _check_dim(start_dim, input.ndim, "flatten")
    b = _check_dim(end_dim, input.ndim, "flatten")
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
    axis = _check_dim(dim, input.ndim, "unflatten")
    shape = input._data.shape
    return reshape(input, shape[:axis] + tuple(sizes) + shape[axis + 1 :])


class Expand(Function):
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
    sizes = _sizes(sizes)
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
    return expand(input, *other.shape)


def broadcast_to(input, shape):
    """``input`` broadcast to ``shape`` (as :func:`expand`).

    >>> import ourdl
    >>> ourdl.broadcast_to(ourdl.tensor([1.0, 2.0]), (2, 2))
    tensor([[1., 2.],
            [1., 2.]])
    """
    return expand(input, *shape)


class Cat(Function):
    @staticmethod
    def forward(ctx, axis, *xs):
        ctx.axis = axis
        ctx.bounds = np.cumsum([x.shape[axis] for x in xs])[:-1]
        return np.concatenate(xs, axis=axis)

    @staticmethod
    def backward(ctx, g):
        axis, starts = ctx.axis, [0, *ctx.bounds]
        ends = [*ctx.bounds, g.shape[axis]]
        lead = (slice(None),) * axis
        return (None, *(g[lead + (slice(a, b),)] for a, b in zip(starts, ends)))


def cat(tensors, dim: int = 0):
    """Join tensors along an existing dimension.

    >>> import ourdl
    >>> ourdl.cat([ourdl.zeros(1, 2), ourdl.ones(1, 2)]).shape
    ourdl.Size([2, 2])
    """
    from .promotion import as_operand
    from ..dtypes import result_type

    tensors = [as_operand(t, "cat") for t in tensors]
    if not tensors:
        raise RuntimeError("cat(): expected a non-empty list of Tensors")
    dtype = result_type(*tensors) if len({t.dtype for t in tensors}) > 1 else tensors[0].dtype
    tensors = [t if t.dtype is dtype else t.to(dtype) for t in tensors]
    ndim = tensors[0].ndim
    axis = _check_dim(dim, ndim, "cat")
    for i, t in enumerate(tensors):
        if t.ndim != ndim or any(a != b for j, (a, b) in enumerate(zip(t.shape, tensors[0].shape)) if j != axis):
            raise RuntimeError(
                f"cat(): Sizes of tensors must match except in dimension {axis}. Expected size "
                f"{list(tensors[0].shape)} but got size {list(t.shape)} for tensor number {i} in the list."
            )
    return Cat.apply(axis, *tensors)


concat = concatenate = cat


def stack(tensors, dim: int = 0):
    """Join tensors along a new dimension; all must have the same shape.

    >>> import ourdl
    >>> ourdl.stack([ourdl.zeros(2), ourdl.ones(2)], dim=1).shape
    ourdl.Size([2, 2])
    """
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(tensors):
        if t.shape != tensors[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at entry 0 and {list(t.shape)} at entry {i}")
    axis = _check_dim(dim, tensors[0].ndim + 1, "stack")
    return cat([unsqueeze(t, axis) for t in tensors], dim=axis)


def split(input, split_size_or_sections, dim: int = 0):
    """Split into pieces of ``split_size`` (the last may be smaller) or of the given sizes.

    >>> import ourdl
    >>> [p.shape[0] for p in ourdl.arange(5).split(2)]
    [2, 2, 1]
    """
    axis = _check_dim(dim, input.ndim, "split")
    n = input.shape[axis]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size <= 0 and n:
            raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
        sizes = [size] * (n // size) + ([n % size] if n % size else []) if size else [0]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension {axis}), but got split_sizes={sizes}")
    lead = (slice(None),) * axis
    pieces, start = [], 0
    for s in sizes:
        pieces.append(input[lead + (slice(start, start + s),)])
        start += s
    return tuple(pieces)


def chunk(input, chunks: int, dim: int = 0):
    """Split into ``chunks`` pieces of (nearly) equal size.

    >>> import ourdl
    >>> len(ourdl.arange(6).chunk(3))
    3
    """
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    n = input.shape[_check_dim(dim, input.ndim, "chunk")]
    return split(input, max(-(-n // chunks), 1), dim)


def unbind(input, dim: int = 0):
    """The slices along ``dim``, as a tuple.

    >>> import ourdl
    >>> ourdl.unbind(ourdl.tensor([[1, 2], [3, 4]]))
    (tensor([1, 2]), tensor([3, 4]))
    """
    axis = _check_dim(dim, input.ndim, "unbind")
    lead = (slice(None),) * axis
    return tuple(input[lead + (i,)] for i in range(input.shape[axis]))


class Flip(Function):
    @staticmethod
    def forward(ctx, x, axes):
        ctx.axes = axes
        return np.flip(x, axes)

    @staticmethod
    def backward(ctx, g):
        return (g.flip(*ctx.axes) if isinstance(g, Tensor) else np.flip(g, ctx.axes)), None


def flip(input, *dims):
    """Reverse the order of elements along ``dims``.

    >>> import ourdl
    >>> ourdl.arange(3).flip(0)
    tensor([2, 1, 0])
    """
    dims = _sizes(dims)
    return Flip.apply(input, tuple(_check_dim(d, input.ndim, "flip") for d in dims))


def repeat(input, *sizes):
    """Tile the tensor ``sizes[i]`` times along each dimension.

    >>> import ourdl
    >>> ourdl.tensor([1, 2]).repeat(2)
    tensor([1, 2, 1, 2])
    """
    sizes = _sizes(sizes)
    if len(sizes) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    x = input.reshape((1,) * (len(sizes) - input.ndim) + tuple(input.shape))
    interleaved = []
    for s, d in zip(sizes, x.shape):
        interleaved += [s, d]
    spread = x.reshape(*[v for d in x.shape for v in (1, d)]).expand(*interleaved)
    return spread.reshape(*[s * d for s, d in zip(sizes, x.shape)])
