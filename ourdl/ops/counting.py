"""Counting and searching: count_nonzero, bincount and histc count values; searchsorted and bucketize find where
values fall in a sorted sequence. None of them is differentiable (integer results, or counts).

>>> import ourdl
>>> ourdl.bincount(ourdl.tensor([0, 1, 1, 3])), ourdl.bucketize(ourdl.tensor([2, 6]), ourdl.tensor([1, 5]))
(tensor([1, 2, 0, 1]), tensor([1, 2]))
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .reductions import normalize_dims
from .promotion import as_operand
from .tensor_argument import require_tensor

__all__: list[str] = ["count_nonzero", "bincount", "histc", "searchsorted", "bucketize"]
METHODS: list = ["count_nonzero", "bincount", "histc"]


def count_nonzero(input, dim=None):
    """The number of nonzero elements over ``dim`` (an int or tuple; all by default), as int64.

    >>> import ourdl
    >>> ourdl.count_nonzero(ourdl.tensor([[0, 1, 7], [0, 0, 2]]), dim=1)
    tensor([2, 1])
    """
    require_tensor(input, "count_nonzero")
    axes = normalize_dims(dim, input.ndim, "count_nonzero")
    return Tensor._make(np.asarray(np.count_nonzero(input._data, axis=axes), dtype=np.int64))


def bincount(input, weights=None, minlength: int = 0):
    """Counts of each value in a 1-d tensor of non-negative integers: :math:`out[v] = \\#\\{i: x_i = v\\}`
    (or the sum of ``weights`` there), of length ``max(x) + 1`` or ``minlength``.

    >>> import ourdl
    >>> ourdl.bincount(ourdl.tensor([0, 2, 2, 5]))
    tensor([1, 0, 2, 0, 0, 1])
    """
    require_tensor(input, "bincount")
    data = input._data
    if input.ndim != 1 or data.dtype.kind not in "biu":
        raise RuntimeError(f"bincount only supports 1-d non-negative integral inputs (got a {input.dtype.name} "
                           f"tensor of shape {list(input.shape)})")
    if minlength < 0:
        raise RuntimeError(f"bincount: minlength should be >= 0, got {minlength}")
    if data.size and data.min() < 0:
        raise RuntimeError(f"bincount only supports 1-d non-negative integral inputs (got the value {data.min()})")
    if weights is None:
        return Tensor._make(np.bincount(data, minlength=minlength).astype(np.int64))
    if tuple(weights.shape) != tuple(input.shape):
        raise RuntimeError(f"bincount: weights {list(weights.shape)} should have the input's shape "
                           f"{list(input.shape)}")
    w = weights._data
    dtype = w.dtype if w.dtype == np.float32 else np.float64
    return Tensor._make(np.bincount(data, weights=w.astype(np.float64), minlength=minlength).astype(dtype))


def histc(input, bins: int = 100, min=0, max=0):
    """A histogram of ``bins`` equal-width bins over ``[min, max]`` (the data's range when both are 0);
    elements outside are ignored, ``max`` itself falls in the last bin. Same dtype as the input.

    >>> import ourdl
    >>> ourdl.histc(ourdl.tensor([1.0, 2.0, 1.0, 4.0]), bins=4, min=0, max=4)
    tensor([0., 2., 1., 1.])
    """
    require_tensor(input, "histc")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"histc: \"histogram_cpu\" not implemented for '{input.dtype.name}'; convert with "
                           ".float() first")
    if bins <= 0:
        raise RuntimeError(f"histc: bins must be > 0, but got {bins}")
    data = input._data.reshape(-1)
    lo, hi = float(min), float(max)
    if lo == hi and data.size:
        lo, hi = float(data.min()), float(data.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi or not np.isfinite(lo) or not np.isfinite(hi):
        raise RuntimeError(f"histc: range of [{lo}, {hi}] is not finite or min > max")
    inside = data[(data >= lo) & (data <= hi)].astype(np.float64)
    position = np.minimum(((inside - lo) * bins / (hi - lo)).astype(np.int64), bins - 1)
    return Tensor._make(np.bincount(position, minlength=bins).astype(data.dtype))


def searchsorted(sorted_sequence, input, *, out_int32: bool = False, right: bool = False, side=None, sorter=None):
    """For each value of ``input``, the index in ``sorted_sequence`` (sorted along its last dimension) where it
    would be inserted to keep the order: the first such index, or the last with ``right=True``/``side='right'``.
    A 1-d ``sorted_sequence`` serves every value; otherwise its leading dimensions match ``input``'s.

    >>> import ourdl
    >>> ourdl.searchsorted(ourdl.tensor([1, 3, 5, 7]), ourdl.tensor([3, 6, 9]))
    tensor([1, 3, 4])
    """
    require_tensor(sorted_sequence, "searchsorted", "sorted_sequence")
    input = as_operand(input, "searchsorted", "input", 2)
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"searchsorted(): side can only be 'left' or 'right' but got {side!r}")
        if right and side == "left":
            raise RuntimeError("searchsorted(): side and right can't be set to opposites, got side of left while "
                               "right was True")
        right = side == "right"
    seq = sorted_sequence._data
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter._data, axis=-1)
    values = input._data if isinstance(input, Tensor) else np.asarray(input)
    how = "right" if right else "left"
    if seq.ndim == 1:
        out = np.searchsorted(seq, values, side=how)
    else:
        if values.ndim != seq.ndim or values.shape[:-1] != seq.shape[:-1]:
            raise RuntimeError(f"searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions "
                               f"of boundaries tensor and input value tensor must match, but we got boundaries "
                               f"tensor {list(seq.shape)} and input value tensor {list(values.shape)}")
        flat_seq, flat_values = seq.reshape(-1, seq.shape[-1]), values.reshape(-1, values.shape[-1])
        out = np.stack([np.searchsorted(s, v, side=how) for s, v in zip(flat_seq, flat_values)]).reshape(values.shape)
    return Tensor._make(np.asarray(out, dtype=np.int32 if out_int32 else np.int64))


def bucketize(input, boundaries, *, out_int32: bool = False, right: bool = False):
    """The bucket of each value among the 1-d sorted ``boundaries``: ``i`` with
    :math:`b_{i-1} < x \\le b_i` (:math:`b_{i-1} \\le x < b_i` with ``right=True``).

    >>> import ourdl
    >>> ourdl.bucketize(ourdl.tensor([1, 5, 9]), ourdl.tensor([1, 3, 5, 7]))
    tensor([0, 2, 4])
    """
    require_tensor(input, "bucketize", numbers=True)
    require_tensor(boundaries, "bucketize", "boundaries", 2)
    if boundaries.ndim != 1:
        raise RuntimeError(f"bucketize(): boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)
