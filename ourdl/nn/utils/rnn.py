"""Sequences of different lengths in one batch, as ``torch.nn.utils.rnn``: padded tensors and ``PackedSequence``.

A :class:`PackedSequence` holds the steps of every sequence, time step by time step, the sequences sorted from
the longest: ``data`` ``(sum of lengths, *)`` holds step 0 of every sequence, then step 1 of those that have
one, and so on; ``batch_sizes[t]`` is how many sequences have a step ``t``. The recurrent layers take it and run
each sequence for its own length. Every function is one gather of rows (an index computed with NumPy), so its
gradient is that of indexing.

>>> import ourdl
>>> from ourdl.nn.utils.rnn import pack_sequence, pad_packed_sequence
>>> packed = pack_sequence([ourdl.tensor([1.0, 2.0, 3.0]), ourdl.tensor([4.0, 5.0])])
>>> packed.data, packed.batch_sizes
(tensor([1., 4., 2., 5., 3.]), tensor([2, 2, 1]))
>>> padded, lengths = pad_packed_sequence(packed, batch_first=True)
>>> padded, lengths
(tensor([[1., 2., 3.],
        [4., 5., 0.]]), tensor([3, 2]))
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...dtypes import float32, float64
from ...ops.creation import full, tensor
from ...ops.joining import cat
from ...tensor import Tensor

__all__ = ["PackedSequence", "pack_padded_sequence", "pad_packed_sequence", "pad_sequence", "pack_sequence",
           "unpad_sequence", "unpack_sequence"]


class _Fields(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


class PackedSequence(_Fields):
    """Sequences packed step by step (see the module): ``data``, ``batch_sizes`` (int64, one per time step),
    ``sorted_indices`` (the batch order by decreasing length; None when the batch came sorted) and
    ``unsorted_indices`` (its inverse). Made by :func:`pack_padded_sequence` or :func:`pack_sequence`.

    >>> import ourdl
    >>> p = PackedSequence(ourdl.tensor([1.0, 2.0]), ourdl.tensor([2]), ourdl.tensor([1, 0]))
    >>> p.unsorted_indices
    tensor([1, 0])
    >>> p.double().data.dtype
    ourdl.float64
    """

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None and sorted_indices is not None:
            unsorted_indices = _as_indices(np.argsort(_numpy(sorted_indices), kind="stable"))
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs) -> PackedSequence:
        """The same sequences with ``data`` converted by ``Tensor.to`` (dtype or device); the indices unchanged."""
        data = self.data.to(*args, **kwargs)
        return self if data is self.data else type(self)(data, self.batch_sizes, self.sorted_indices,
                                                         self.unsorted_indices)

    def cpu(self) -> PackedSequence:
        return self.to("cpu")

    def float(self) -> PackedSequence:
        return self.to(dtype=float32)

    def double(self) -> PackedSequence:
        return self.to(dtype=float64)

    @property
    def is_cuda(self) -> bool:
        return False


def _numpy(indices) -> np.ndarray:
    return np.asarray(indices.numpy() if isinstance(indices, Tensor) else indices)


def _as_indices(values) -> Tensor:
    return tensor(np.asarray(values, dtype=np.int64))


def _rows(x: Tensor, index: np.ndarray) -> Tensor:
    """``x``'s rows (along dimension 0) at ``index`` (any shape), one gather: the result ``index.shape + x.shape[1:]``."""
    return x[index.ravel()].reshape(tuple(index.shape) + tuple(x.shape[1:]))


def _check_lengths(lengths, batch: int, steps: int) -> np.ndarray:
    values = _numpy(lengths)
    if values.ndim != 1:
        raise RuntimeError(f"pack_padded_sequence: lengths must be a 1-D list or tensor, got shape {values.shape}")
    values = values.astype(np.int64)
    if len(values) != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got {len(values)} "
                           f"(batch_size={batch})")
    if (values <= 0).any():
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' that "
                           "is <= 0")
    if (values > steps).any():
        raise RuntimeError(f"pack_padded_sequence: a length ({values.max()}) exceeds the input's {steps} time steps")
    return values


def pack_padded_sequence(input: Tensor, lengths, batch_first: bool = False, enforce_sorted: bool = True):
    """Pack a padded batch ``input`` ``(T, B, *)`` (``(B, T, *)`` with ``batch_first``) whose sequence ``b`` has
    ``lengths[b]`` steps. With ``enforce_sorted`` the lengths must decrease; otherwise the batch is sorted here
    and ``sorted_indices`` records how.

    >>> import ourdl
    >>> x = ourdl.tensor([[1.0, 4.0], [2.0, 0.0]])  # (T=2, B=2): sequences [1, 2] and [4]
    >>> pack_padded_sequence(x, [2, 1]).data
    tensor([1., 4., 2.])
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"pack_padded_sequence: expected input to be a Tensor, got {type(input).__name__}")
    if input.ndim < 2:
        raise RuntimeError(f"pack_padded_sequence: input must have a time and a batch dimension, got shape "
                           f"{list(input.shape)}")
    steps, batch = (input.shape[1], input.shape[0]) if batch_first else (input.shape[0], input.shape[1])
    values = _check_lengths(lengths, batch, steps)
    sorted_indices = None
    if enforce_sorted:
        if (np.diff(values) > 0).any():
            raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You "
                               "can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to "
                               "sidestep this requirement if you do not need ONNX exportability.")
        order = np.arange(batch)
    else:
        order = np.argsort(-values, kind="stable")
        sorted_indices = _as_indices(order)
    ordered = values[order]
    t, b = np.nonzero(ordered[None, :] > np.arange(ordered[0])[:, None])  # (step, sorted row), step by step
    source = order[b] * steps + t if batch_first else t * batch + order[b]
    data = _rows(input.reshape((steps * batch,) + tuple(input.shape[2:])), source)
    batch_sizes = _as_indices((ordered[None, :] > np.arange(ordered[0])[:, None]).sum(1))
    return PackedSequence(data, batch_sizes, sorted_indices, None)


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple:
    """Undo :func:`pack_padded_sequence`: ``(padded, lengths)``, ``padded`` ``(T, B, *)`` (``(B, T, *)`` with
    ``batch_first``) in the batch's original order, ``padding_value`` after each sequence's end, ``T`` the longest
    length or ``total_length``; ``lengths`` int64.

    >>> import ourdl
    >>> packed = pack_padded_sequence(ourdl.tensor([[1.0, 4.0], [2.0, 0.0]]), [2, 1])
    >>> pad_packed_sequence(packed, padding_value=-1.0, total_length=3)[0]
    tensor([[ 1.,  4.],
            [ 2., -1.],
            [-1., -1.]])
    """
    if not isinstance(sequence, PackedSequence):
        raise TypeError(f"pad_packed_sequence: expected a PackedSequence, got {type(sequence).__name__}")
    data, batch_sizes, _, unsorted = sequence
    sizes = _numpy(batch_sizes).astype(np.int64)
    batch = int(sizes[0])
    lengths = (sizes[None, :] > np.arange(batch)[:, None]).sum(1)  # per sorted row
    steps = len(sizes) if total_length is None else total_length
    if steps < len(sizes):
        raise ValueError("Expected total_length to be at least the length of the longest sequence in input, but got "
                         f"total_length={total_length} and max sequence length being {len(sizes)}")
    row_of_sorted = np.arange(batch) if unsorted is None else _numpy(unsorted)  # original b -> its sorted row
    t = np.arange(steps)[:, None]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    source = np.where(t < lengths[row_of_sorted][None, :], starts[np.minimum(t, len(sizes) - 1)] + row_of_sorted,
                      len(data))  # (T, B): a packed row, or the padding row appended below
    padding = full((1,) + tuple(data.shape[1:]), padding_value, dtype=data.dtype)
    padded = _rows(cat([data, padding]), source.T if batch_first else source)
    return padded, _as_indices(lengths[row_of_sorted])


def pad_sequence(sequences, batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack ``sequences`` (tensors ``(L_b, *)``) into ``(T, B, *)`` (``(B, T, *)`` with ``batch_first``), ``T``
    the longest, filling with ``padding_value`` on ``padding_side`` (``"right"`` or ``"left"``).

    >>> import ourdl
    >>> pad_sequence([ourdl.tensor([1.0, 2.0]), ourdl.tensor([3.0])], batch_first=True, padding_side="left")
    tensor([[1., 2.],
            [0., 3.]])
    """
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("right", "left"):
        raise ValueError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    trailing = tuple(sequences[0].shape[1:])
    for k, s in enumerate(sequences):
        if not isinstance(s, Tensor):
            raise TypeError(f"pad_sequence: expected a sequence of Tensors, got {type(s).__name__} at {k}")
        if s.ndim == 0 or tuple(s.shape[1:]) != trailing:
            raise RuntimeError(f"pad_sequence: every sequence must have the shape (L, {', '.join(map(str, trailing))})"
                               f" of the first, after its length; sequence {k} has shape {list(s.shape)}")
    lengths = np.array([s.shape[0] for s in sequences], dtype=np.int64)
    steps = int(lengths.max())
    starts = np.concatenate([[0], np.cumsum(lengths)])
    t = np.arange(steps)[:, None]
    shift = steps - lengths if padding_side == "left" else np.zeros_like(lengths)  # where each sequence begins
    inside = (t >= shift) & (t < shift + lengths)
    source = np.where(inside, starts[:-1] + t - shift, starts[-1])
    padding = full((1,) + trailing, padding_value, dtype=sequences[0].dtype)
    return _rows(cat(sequences + [padding]), source.T if batch_first else source)


def pack_sequence(sequences, enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of tensors ``(L_b, *)``: :func:`pad_sequence` then :func:`pack_padded_sequence`.

    >>> import ourdl
    >>> pack_sequence([ourdl.tensor([1.0]), ourdl.tensor([2.0, 3.0])], enforce_sorted=False).sorted_indices
    tensor([1, 0])
    """
    sequences = list(sequences)
    return pack_padded_sequence(pad_sequence(sequences), [s.shape[0] for s in sequences],
                                enforce_sorted=enforce_sorted)


def unpad_sequence(padded_sequences: Tensor, lengths, batch_first: bool = False) -> list:
    """The list of sequences of a padded batch: sequence ``b`` is its first ``lengths[b]`` steps.

    >>> import ourdl
    >>> unpad_sequence(ourdl.tensor([[1.0, 3.0], [2.0, 0.0]]), ourdl.tensor([2, 1]))
    [tensor([1., 2.]), tensor([3.])]
    """
    values = _numpy(lengths).astype(np.int64)
    if batch_first:
        return [padded_sequences[b, :n] for b, n in enumerate(values)]
    return [padded_sequences[:n, b] for b, n in enumerate(values)]


def unpack_sequence(packed_sequences: PackedSequence) -> list:
    """The list of sequences packed in ``packed_sequences``, in their original order.

    >>> import ourdl
    >>> unpack_sequence(pack_sequence([ourdl.tensor([1.0, 2.0]), ourdl.tensor([3.0])]))
    [tensor([1., 2.]), tensor([3.])]
    """
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
