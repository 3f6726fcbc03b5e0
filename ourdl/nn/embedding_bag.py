"""Bags of embeddings reduced to one vector each: ``F.embedding_bag`` and ``nn.EmbeddingBag``.

Bag :math:`b` holds the indices from ``offsets[b]`` to the next offset; its output is the sum
:math:`\\sum_{j \\in b} w_j W[\\text{index}_j]` (``per_sample_weights`` :math:`w`, else 1), their mean, or their
elementwise max. Built from recorded ops (a lookup, a scatter-add per bag, a gather for ``max``), so gradients
of every order flow, to the weight and to ``per_sample_weights``.

>>> import ourdl
>>> from ourdl import nn
>>> bag = nn.EmbeddingBag(10, 3, mode="sum")
>>> bag(ourdl.tensor([1, 2, 4, 5, 4, 3, 2, 9]), ourdl.tensor([0, 4])).shape
ourdl.Size([2, 3])
"""

from __future__ import annotations

import numpy as np

from ..ops.creation import tensor, zeros
from ..ops.gathering import gather
from ..ops.indexing import index_add
from ..ops.tensor_argument import require_tensor
from ..tensor import Tensor
from .embedding import LookupTable, check_indices, lookup, padding_row, pretrained_shape

MODES = ("sum", "mean", "max")


def _bags(where, input, offsets, include_last_offset: bool) -> tuple:
    """``(flat indices array, start of each bag, end of the last bag)`` after PyTorch's checks."""
    require_tensor(input, "embedding_bag")
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError(f"{where}: if input is 2D, then offsets has to be None, as input is treated is a "
                             "mini-batch of fixed length sequences. However, found offsets of type "
                             f"{type(offsets).__name__}")
        bags, length = input.shape
        return input._data.reshape(-1), np.arange(bags) * length, bags * length
    if input.ndim != 1:
        raise ValueError(f"{where}: input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}")
    if not isinstance(offsets, Tensor) or offsets.ndim != 1:
        got = "None" if offsets is None else f"shape {list(getattr(offsets, 'shape', ()))}"
        raise ValueError(f"{where}: offsets has to be a 1D Tensor but got {got} (the start of each bag in the 1-D input)")
    starts = offsets._data
    if starts.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{where}: offsets must be int64 or int32, got {offsets.dtype}")
    if starts.size and starts[0] != 0:
        raise RuntimeError(f"{where}: offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start "
                           f"from position 0. However, got {starts[0]}")
    if starts.size and starts[-1] > input.shape[0]:
        raise RuntimeError(f"{where}: offsets[-1] can not be greater than input's length {input.shape[0]} but got "
                           f"offsets[-1] of {starts[-1]}")
    if np.any(np.diff(starts) < 0):
        raise RuntimeError(f"{where}: offsets must be non-decreasing, got {starts.tolist()}")
    if include_last_offset:
        return input._data, starts[:-1], int(starts[-1]) if starts.size else 0
    return input._data, starts, input.shape[0]


def _reduce(where, input, weight, offsets, max_norm, norm_type, scale_grad_by_freq, mode, per_sample_weights,
            include_last_offset, padding_idx, sparse: bool = False) -> Tensor:
    if mode not in MODES:
        raise ValueError(f"{where}: mode has to be one of sum, mean or max, got {mode!r}")
    if sparse and mode == "max":
        raise ValueError("max mode does not support sparse weights")
    indices, starts, end = _bags(where, input, offsets, include_last_offset)
    if per_sample_weights is not None:
        if mode != "sum":
            raise NotImplementedError(f"{where}: per_sample_weights was not None. per_sample_weights is only "
                                      f"supported for mode='sum' (got mode='{mode}')")
        if tuple(per_sample_weights.shape) != tuple(input.shape):
            raise ValueError(f"{where}: If per_sample_weights ({list(per_sample_weights.shape)}) is not None, then "
                             f"it must have the same shape as the input ({list(input.shape)})")
    check_indices(where, input, weight.shape[0], out_of_range=RuntimeError)
    positions = np.arange(end)
    if padding_idx is not None:
        positions = positions[indices[:end] != padding_idx]
    bag_of = np.searchsorted(starts, positions, side="right") - 1
    rows = lookup(indices[positions], weight, None, max_norm, norm_type, scale_grad_by_freq, sparse)
    out = zeros(len(starts), weight.shape[1], dtype=weight.dtype)
    if mode == "max" and positions.size:  # (no rows at all: the sum below, zeros, still recorded)
        filled, first, group = np.unique(bag_of, return_index=True, return_inverse=True)
        data = rows._data
        at_top = data == np.maximum.reduceat(data, first, axis=0)[group]
        # the first row reaching its bag's maximum, per feature: PyTorch's choice among ties
        count = len(positions)
        pick = np.minimum.reduceat(np.where(at_top, np.arange(count)[:, None], count), first, axis=0)
        return index_add(out, 0, tensor(filled), gather(rows, 0, tensor(pick)))
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.reshape(-1)[tensor(positions)].unsqueeze(1)
    out = index_add(out, 0, tensor(bag_of), rows)
    if mode == "mean":
        counts = np.bincount(bag_of, minlength=len(starts))
        out = out / np.maximum(counts, 1).astype(out._data.dtype)[:, None]
    return out


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """Sums, means or maxima of bags of rows of ``weight`` ``(num_embeddings, embedding_dim)``, without the
    intermediate embeddings: output ``(bags, embedding_dim)``.

    ``input`` 2-D ``(B, N)``: B bags of N indices (``offsets`` None); or 1-D with ``offsets``, the start of each
    bag (``offsets[0] == 0``; with ``include_last_offset`` the last offset ends the last bag). An empty bag gives
    zeros. Indices equal to ``padding_idx`` are left out of their bag (and of its mean's count).
    ``per_sample_weights`` (input's shape) scales each row, for ``mode="sum"`` only. ``max_norm``, ``norm_type``,
    ``scale_grad_by_freq``, ``sparse``: as for :func:`~ourdl.nn.functional.embedding` (``sparse`` refuses
    ``mode="max"``, as PyTorch).

    >>> import ourdl
    >>> weight = ourdl.tensor([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0]])
    >>> embedding_bag(ourdl.tensor([0, 1, 2, 2]), weight, ourdl.tensor([0, 2, 2]), mode="sum")
    tensor([[1., 2.],
            [0., 0.],
            [6., 6.]])
    >>> embedding_bag(ourdl.tensor([[0, 1], [1, 2]]), weight, mode="max")
    tensor([[1., 2.],
            [3., 3.]])
    """
    return _reduce("embedding_bag", input, weight, offsets, max_norm, norm_type, scale_grad_by_freq, mode,
                   per_sample_weights, include_last_offset, padding_row(padding_idx, weight.shape[0]), sparse)


class EmbeddingBag(LookupTable):
    """A lookup table whose output is the sum, mean or max of each bag of looked-up rows (see
    :func:`~ourdl.nn.functional.embedding_bag`): ``weight`` ``(num_embeddings, embedding_dim)`` from
    :math:`\\mathcal N(0, 1)`, the ``padding_idx`` row zero.

    ``forward(input, offsets=None, per_sample_weights=None)``; output ``(bags, embedding_dim)``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> bag = nn.EmbeddingBag(10, 3)  # mode="mean"
    >>> bag(ourdl.tensor([[1, 2], [4, 5], [4, 3]])).shape
    ourdl.Size([3, 3])
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, max_norm: float | None = None,
                 norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                 _weight: Tensor | None = None, include_last_offset: bool = False, padding_idx: int | None = None,
                 device=None, dtype=None):
        super().__init__(num_embeddings, embedding_dim, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse,
                         _weight, False, dtype)
        self.mode, self.include_last_offset = mode, include_last_offset

    def forward(self, input: Tensor, offsets: Tensor | None = None,
                per_sample_weights: Tensor | None = None) -> Tensor:
        return _reduce(self, input, self.weight, offsets, self.max_norm, self.norm_type, self.scale_grad_by_freq,
                       self.mode, per_sample_weights, self.include_last_offset, self.padding_idx, self.sparse)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}{self.options_repr()}, mode='{self.mode}'"
        return s + (f", padding_idx={self.padding_idx}" if self.padding_idx is not None else "")

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, max_norm: float | None = None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean",
                        sparse: bool = False, include_last_offset: bool = False,
                        padding_idx: int | None = None) -> "EmbeddingBag":
        """An ``EmbeddingBag`` whose weight is ``embeddings`` (2-D), not trained when ``freeze``.

        >>> import ourdl
        >>> from ourdl import nn
        >>> bag = nn.EmbeddingBag.from_pretrained(ourdl.tensor([[1.0, 2.0], [3.0, 4.0]]), mode="sum")
        >>> bag(ourdl.tensor([[0, 1]]))
        tensor([[4., 6.]])
        """
        bag = cls(*pretrained_shape(embeddings), max_norm, norm_type, scale_grad_by_freq, mode, sparse,
                  embeddings, include_last_offset, padding_idx)
        bag.weight.requires_grad_(not freeze)
        return bag
