"""Splitting tensors into views: split, chunk, unbind, tensor_split, hsplit and vsplit.

>>> import ourdl
>>> [p.tolist() for p in ourdl.arange(5).split(2)]
[[0, 1], [2, 3], [4]]
"""

from __future__ import annotations

import numpy as np

from ..dims import check_dim
from ..tensor import Tensor
from .reshaping import index_along
from .tensor_argument import require_tensor

__all__: list[str] = ["split", "chunk", "unbind", "tensor_split", "hsplit", "vsplit"]
METHODS: list = list(__all__)


def split(input, split_size_or_sections, dim: int = 0):
    """Split into pieces of ``split_size`` (the last may be smaller) or of the given sizes.

    >>> import ourdl
    >>> [p.shape[0] for p in ourdl.arange(5).split(2)]
    [2, 2, 1]
    """
    require_tensor(input, "split")
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
    require_tensor(input, "chunk")
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
    require_tensor(input, "unbind")
    axis = check_dim(dim, input.ndim, "unbind")
    lead = (slice(None),) * axis
    return tuple(input[lead + (i,)] for i in range(input.shape[axis]))


def tensor_split(input, indices_or_sections, dim: int = 0):
    """Views splitting ``input`` along ``dim``: into ``n`` nearly equal parts (the first ``size % n`` one
    longer), or at the given indices (a list, or a 1-D integer tensor; a 0-d tensor is a count).

    >>> import ourdl
    >>> [p.tolist() for p in ourdl.arange(5).tensor_split(3)]
    [[0, 1], [2, 3], [4]]
    >>> [p.tolist() for p in ourdl.arange(5).tensor_split([1, 4])]
    [[0], [1, 2, 3], [4]]
    """
    require_tensor(input, "tensor_split")
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
    return tuple(index_along(input, axis, slice(a, b)) for a, b in zip([0, *bounds], [*bounds, None]))


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
    require_tensor(input, "hsplit")
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
    require_tensor(input, "vsplit")
    if input.ndim < 2:
        raise RuntimeError(
            f"torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with {input.ndim} dimensions!")
    return _split_by(input, indices_or_sections, 0, "vsplit")
