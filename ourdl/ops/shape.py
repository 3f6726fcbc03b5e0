"""Shape ops: reshape/view, transpose/permute/movedim, squeeze/unsqueeze, flatten, expand, narrow/select,
cat/stack and the h/v/d stacks, split/chunk/tensor_split, flip, repeat/tile/repeat_interleave.

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
from ..dims import check_dim
from ..tensor import Tensor
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
        axes = {check_dim(d, input.ndim, "squeeze") for d in dims} if input.ndim else set()
        new = tuple(s for i, s in enumerate(shape) if not (i in axes and s == 1))
    return Reshape.apply(input, new)


def unsqueeze(input, dim: int):
    """Insert a dimension of size 1 at ``dim``.

    >>> import ourdl
    >>> ourdl.zeros(3).unsqueeze(0).shape
    ourdl.Size([1, 3])
    """
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
    axis = check_dim(dim, input.ndim, "unflatten")
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
    axis = check_dim(dim, ndim, "cat")
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
    axis = check_dim(dim, tensors[0].ndim + 1, "stack")
    return cat([unsqueeze(t, axis) for t in tensors], dim=axis)


def split(input, split_size_or_sections, dim: int = 0):
    """Split into pieces of ``split_size`` (the last may be smaller) or of the given sizes.

    >>> import ourdl
    >>> [p.shape[0] for p in ourdl.arange(5).split(2)]
    [2, 2, 1]
    """
    axis = check_dim(dim, input.ndim, "split")
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
    n = input.shape[check_dim(dim, input.ndim, "chunk")]
    return split(input, max(-(-n // chunks), 1), dim)


def unbind(input, dim: int = 0):
    """The slices along ``dim``, as a tuple.

    >>> import ourdl
    >>> ourdl.unbind(ourdl.tensor([[1, 2], [3, 4]]))
    (tensor([1, 2]), tensor([3, 4]))
    """
    axis = check_dim(dim, input.ndim, "unbind")
    lead = (slice(None),) * axis
    return tuple(input[lead + (i,)] for i in range(input.shape[axis]))


class Flip(Function):
    @staticmethod
    def forward(ctx, x, axes):
        ctx.axes = axes
        return np.flip(x, axes).copy()  # a copy, as PyTorch's flip: np.flip's view would share memory

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
    return Flip.apply(input, tuple(check_dim(d, input.ndim, "flip") for d in dims))


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
    out = spread.reshape(*[s * d for s, d in zip(sizes, x.shape)])
    if out._base is not None:  # repeats of 1 can leave a broadcast view: PyTorch's repeat always copies
        from .conversion import clone

        out = clone(out)
    return out


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
    return Reshape.apply(input, (-1,))


def _index_along(input, axis: int, index):
    return input[(slice(None),) * axis + (index,)]


def narrow(input, dim: int, start, length: int):
    """A view of ``length`` elements of dimension ``dim`` from ``start`` on (a negative ``start`` counts from the end).

    >>> import ourdl
    >>> x = ourdl.arange(6).reshape(2, 3)
    >>> ourdl.narrow(x, 1, 1, 2)
    tensor([[1, 2],
            [4, 5]])
    """
    axis = check_dim(dim, input.ndim, "narrow")
    size = input.shape[axis]
    start = int(start.item() if isinstance(start, Tensor) else start)
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    start += size if start < 0 else 0
    if length < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return _index_along(input, axis, slice(start, start + length))


def select(input, dim: int, index: int):
    """A view of the slice ``index`` of dimension ``dim`` (that dimension removed): ``x.select(0, i)`` is ``x[i]``.

    >>> import ourdl
    >>> ourdl.arange(6).reshape(2, 3).select(1, -1)
    tensor([2, 5])
    """
    axis = check_dim(dim, input.ndim, "select")
    size = input.shape[axis]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} at dimension {axis}")
    return _index_along(input, axis, int(index))


def movedim(input, source, destination):
    """A view with dimensions ``source`` moved to positions ``destination`` (ints or sequences); the others keep
    their order.

    >>> import ourdl
    >>> ourdl.zeros(2, 3, 4).movedim(0, -1).shape
    ourdl.Size([3, 4, 2])
    """
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


def tile(input, dims):
    """``input`` repeated ``dims[i]`` times along each dimension; ``dims`` shorter than ``input.ndim`` is padded
    with ones on the left (unlike :func:`repeat`). A copy.

    >>> import ourdl
    >>> ourdl.tile(ourdl.tensor([[1, 2]]), (2,))
    tensor([[1, 2, 1, 2]])
    """
    dims = _sizes((dims,) if isinstance(dims, int) else dims)
    return repeat(input, *((1,) * (input.ndim - len(dims)) + dims))


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each element repeated ``repeats`` times (an int, or a tensor of one count per element along ``dim``),
    next to each other; without ``dim`` the input is flattened first. A copy.

    ``repeat_interleave(counts)`` with one tensor gives ``arange(len(counts))`` repeated by ``counts``.

    >>> import ourdl
    >>> ourdl.tensor([1, 2]).repeat_interleave(2)
    tensor([1, 1, 2, 2])
    >>> ourdl.repeat_interleave(ourdl.tensor([[1, 2], [3, 4]]), ourdl.tensor([1, 2]), dim=0)
    tensor([[1, 2],
            [3, 4],
            [3, 4]])
    """
    if repeats is None:
        from .creation import arange

        counts = input
        if counts.ndim != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        input, dim = arange(counts.shape[0]), 0
        repeats = counts
    if dim is None:
        input, dim = reshape(input, -1), 0
    axis = check_dim(dim, input.ndim, "repeat_interleave")
    size = input.shape[axis] if input.ndim else 1
    if isinstance(repeats, Tensor):
        if repeats.dtype.is_floating_point or repeats.ndim > 1:
            raise RuntimeError("repeats has to be Long or Int tensor of dimension 0 or 1")
        counts = np.broadcast_to(repeats._data, (size,)) if repeats.ndim == 0 or repeats.shape[0] == 1 else repeats._data
        if counts.shape[0] != size:
            raise RuntimeError(
                f"repeats must have the same size as input along dim, but got repeats.size(0) = {counts.shape[0]} "
                f"and input.size(0) = {size}")
    else:
        counts = np.full(size, int(repeats))
    if (counts < 0).any():
        raise RuntimeError("repeats can not be negative")
    index = np.repeat(np.arange(size), counts)
    if output_size is not None and output_size != index.size:
        raise RuntimeError(f"repeat_interleave: output_size {output_size} does not match the sum of repeats {index.size}")
    if input.ndim == 0:
        input = reshape(input, 1)
    return _index_along(input, axis, index)


def fliplr(input):
    """The columns (dimension 1) in reverse order; needs at least 2 dimensions. A copy.

    >>> import ourdl
    >>> ourdl.fliplr(ourdl.tensor([[1, 2, 3]]))
    tensor([[3, 2, 1]])
    """
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, 1)


def flipud(input):
    """The rows (dimension 0) in reverse order; needs at least 1 dimension. A copy.

    >>> import ourdl
    >>> ourdl.flipud(ourdl.tensor([1, 2, 3]))
    tensor([3, 2, 1])
    """
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, 0)


def _at_least(t, ndim: int):
    """``t`` with leading (and, to reach 3, trailing) dimensions of size 1 as NumPy's ``atleast_*d``."""
    shape = tuple(t.shape)
    if len(shape) >= ndim:
        return t
    if ndim == 3:
        shape = {0: (1, 1, 1), 1: (1, *shape, 1), 2: (*shape, 1)}[len(shape)]
    else:
        shape = (1,) * (ndim - len(shape)) + shape
    return Reshape.apply(t, shape)


def _stacked(tensors, op: str, ndim: int, dim):
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError(f"{op} expects a non-empty TensorList")
    tensors = [_at_least(t, ndim) for t in tensors]
    return cat(tensors, dim=dim(tensors[0]) if callable(dim) else dim)


def hstack(tensors):
    """Tensors joined column-wise: along dimension 1, or 0 for 1-D tensors (0-d ones count as 1-D).

    >>> import ourdl
    >>> ourdl.hstack([ourdl.tensor([1, 2]), ourdl.tensor([3])])
    tensor([1, 2, 3])
    """
    return _stacked(tensors, "hstack", 1, lambda t: 0 if t.ndim == 1 else 1)


def vstack(tensors):
    """Tensors joined row-wise, along dimension 0, after making each at least 2-D (``(n,)`` becomes ``(1, n)``).

    >>> import ourdl
    >>> ourdl.vstack([ourdl.tensor([1, 2]), ourdl.tensor([3, 4])])
    tensor([[1, 2],
            [3, 4]])
    """
    return _stacked(tensors, "vstack", 2, 0)


def dstack(tensors):
    """Tensors joined depth-wise, along dimension 2, after making each at least 3-D (``(n,)`` becomes
    ``(1, n, 1)``, ``(m, n)`` becomes ``(m, n, 1)``).

    >>> import ourdl
    >>> ourdl.dstack([ourdl.tensor([1, 2]), ourdl.tensor([3, 4])])
    tensor([[[1, 3],
             [2, 4]]])
    """
    return _stacked(tensors, "dstack", 3, 2)


def column_stack(tensors):
    """Tensors joined as columns along dimension 1: 0-d and 1-D tensors (``n`` elements) become ``(n, 1)`` columns.

    >>> import ourdl
    >>> ourdl.column_stack([ourdl.tensor([1, 2]), ourdl.tensor([[3, 4], [5, 6]])])
    tensor([[1, 3, 4],
            [2, 5, 6]])
    """
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("column_stack expects a non-empty TensorList")
    return cat([Reshape.apply(t, (t.numel(), 1)) if t.ndim <= 1 else t for t in tensors], dim=1)


def tensor_split(input, indices_or_sections, dim: int = 0):
    """Views splitting ``input`` along ``dim``: into ``n`` nearly equal parts (the first ``size % n`` one
    longer), or at the given indices (a list, or a 1-D integer tensor; a 0-d tensor is a count).

    >>> import ourdl
    >>> [p.tolist() for p in ourdl.arange(5).tensor_split(3)]
    [[0, 1], [2, 3], [4]]
    >>> [p.tolist() for p in ourdl.arange(5).tensor_split([1, 4])]
    [[0], [1, 2, 3], [4]]
    """
    if isinstance(indices_or_sections, Tensor):
        if indices_or_sections.dtype.is_floating_point or indices_or_sections.dtype.name == "bool" \
                or indices_or_sections.ndim > 1:
            raise RuntimeError(
                "tensor_split expected tensor_indices_or_sections to have integral dtype and to be either a zero "
                f"dimensional or one dimensional tensor, but got a tensor with {indices_or_sections.ndim} dims")
        indices_or_sections = indices_or_sections.tolist()
    if input.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    axis = check_dim(dim, input.ndim, "tensor_split")
    size = input.shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        n = int(indices_or_sections)
        if n <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {n}")
        bounds = [(i * (size // n) + min(i, size % n)) for i in range(1, n)]
    else:
        bounds = [int(i) for i in indices_or_sections]
    return tuple(_index_along(input, axis, slice(a, b)) for a, b in zip([0, *bounds], [*bounds, None]))


def _split_by(input, indices_or_sections, axis: int, op: str):
    if isinstance(indices_or_sections, int):
        size = input.shape[axis]
        if indices_or_sections == 0 or size % indices_or_sections:
            raise RuntimeError(
                f"torch.{op} attempted to split along dimension {axis}, but the size of the dimension {size} is not "
                f"divisible by the split_size {indices_or_sections}!")
    return tensor_split(input, indices_or_sections, axis)


def hsplit(input, indices_or_sections):
    """:func:`tensor_split` along dimension 1 (0 for 1-D input); a count of sections must divide the size.

    >>> import ourdl
    >>> [p.tolist() for p in ourdl.arange(4).reshape(1, 4).hsplit(2)]
    [[[0, 1]], [[2, 3]]]
    """
    if input.ndim < 1:
        raise RuntimeError(
            "torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with 0 dimensions!")
    return _split_by(input, indices_or_sections, 0 if input.ndim == 1 else 1, "hsplit")


def vsplit(input, indices_or_sections):
    """:func:`tensor_split` along dimension 0, for tensors of at least 2 dimensions; a count must divide the size.

    >>> import ourdl
    >>> [p.tolist() for p in ourdl.arange(4).reshape(2, 2).vsplit(2)]
    [[[0, 1]], [[2, 3]]]
    """
    if input.ndim < 2:
        raise RuntimeError(
            f"torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with {input.ndim} dimensions!")
    return _split_by(input, indices_or_sections, 0, "vsplit")
