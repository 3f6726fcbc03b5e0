"""Repeating tensors: repeat and tile (whole copies side by side), repeat_interleave (each element in turn).

All three copy, as PyTorch's do.

>>> import ourdl
>>> ourdl.tensor([1, 2]).repeat(2), ourdl.tensor([1, 2]).repeat_interleave(2)
(tensor([1, 2, 1, 2]), tensor([1, 1, 2, 2]))
"""

from __future__ import annotations

import numpy as np

from ..dims import check_dim, sizes as size_list
from ..tensor import Tensor
from .conversion import clone
from .creation import arange
from .reshaping import index_along, reshape
from .tensor_argument import require_tensor

__all__: list[str] = ["repeat", "tile", "repeat_interleave"]
METHODS: list = list(__all__)


def repeat(input, *sizes):
    """Tile the tensor ``sizes[i]`` times along each dimension.

    >>> import ourdl
    >>> ourdl.tensor([1, 2]).repeat(2)
    tensor([1, 2, 1, 2])
    """
    sizes = size_list(sizes, "repeat")
    if len(sizes) < input.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    x = input.reshape((1,) * (len(sizes) - input.ndim) + tuple(input.shape))
    interleaved = []
    for s, d in zip(sizes, x.shape):
        interleaved += [s, d]
    spread = x.reshape(*[v for d in x.shape for v in (1, d)]).expand(*interleaved)
    out = spread.reshape(*[s * d for s, d in zip(sizes, x.shape)])
    if out._base is not None:  # repeats of 1 can leave a broadcast view: PyTorch's repeat always copies
        out = clone(out)
    return out


def tile(input, dims):
    """``input`` repeated ``dims[i]`` times along each dimension; ``dims`` shorter than ``input.ndim`` is padded
    with ones on the left (unlike :func:`repeat`). A copy.

    >>> import ourdl
    >>> ourdl.tile(ourdl.tensor([[1, 2]]), (2,))
    tensor([[1, 2, 1, 2]])
    """
    require_tensor(input, "tile")
    dims = size_list((dims,) if isinstance(dims, int) else dims, "tile", "dims")
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
    return index_along(input, axis, index)
