"""A recurrent layer over a :class:`~ourdl.nn.utils.rnn.PackedSequence`: each sequence runs for its own length.

The packed steps fall into segments of consecutive time steps with the same batch size (the sorted sequences
that are still running). Each segment is one run of the layer's recurrence (the fused node of
:mod:`~ourdl.nn.recurrence`, or the projected LSTM) on its rows of ``data``, whose time-major order is exactly the
packed order. Forward in time, a segment starts from the first rows of the state the previous one ended with, and
the rows it drops are those sequences' final states; backward in time, the segments run from the last one, and
the rows a segment adds start from ``h_0``. Values and gradients are those of the recurrence and of slicing.

>>> import ourdl
>>> from ourdl import nn
>>> from ourdl.nn.utils.rnn import pack_sequence
>>> packed = pack_sequence([ourdl.randn(5, 2), ourdl.randn(3, 2)])
>>> output, h_n = nn.GRU(2, 4)(packed)
>>> output.data.shape, output.batch_sizes, h_n.shape
(ourdl.Size([8, 4]), tensor([2, 2, 2, 1, 1]), ourdl.Size([1, 2, 4]))
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ..ops.joining import cat
from ..tensor import Tensor
from .recurrence import Cell
from .utils.rnn import PackedSequence


def segments(batch_sizes: np.ndarray) -> list:
    """``(first step, end step, batch size, first row in data)`` of each run of equal batch sizes.

    >>> segments(np.array([3, 3, 2, 1]))
    [(0, 2, 3, 0), (2, 3, 2, 6), (3, 4, 1, 8)]
    """
    starts = [0] + [t for t in range(1, len(batch_sizes)) if batch_sizes[t] != batch_sizes[t - 1]]
    ends = starts[1:] + [len(batch_sizes)]
    rows = np.concatenate([[0], np.cumsum(batch_sizes)])
    return [(s, e, int(batch_sizes[s]), int(rows[s])) for s, e in zip(starts, ends)]


def _run_direction(layer, parts: list, x: Tensor, h0: Tensor, c0, weights: list, reverse: bool) -> tuple:
    """One layer and direction over packed ``x``, segment by segment: ``(output data, h_n, c_n)``."""
    outputs = [None] * len(parts)
    lstm = c0 is not None
    if not reverse:
        h, c, ends_h, ends_c = h0, c0, [], []
        for k, (first, end, batch, row) in enumerate(parts):
            xs = x[row:row + (end - first) * batch].reshape((end - first, batch) + tuple(x.shape[1:]))
            out, h, c = layer.run_direction(xs, h[:batch], c[:batch] if lstm else None, weights, False)
            outputs[k] = out.reshape((-1, out.shape[-1]))
            kept = parts[k + 1][2] if k + 1 < len(parts) else 0  # rows that go on: the others end here
            ends_h.append(h[kept:])
            ends_c.append(c[kept:] if lstm else None)
        h_n = cat(ends_h[::-1]) if len(ends_h) > 1 else ends_h[0]
        c_n = (cat(ends_c[::-1]) if len(ends_c) > 1 else ends_c[0]) if lstm else None
        return cat(outputs) if len(outputs) > 1 else outputs[0], h_n, c_n
    h = c = None
    for k in range(len(parts) - 1, -1, -1):
        first, end, batch, row = parts[k]
        h = h0[:batch] if h is None else cat([h, h0[h.shape[0]:batch]])  # the sequences that start here from h_0
        if lstm:
            c = c0[:batch] if c is None else cat([c, c0[c.shape[0]:batch]])
        xs = x[row:row + (end - first) * batch].reshape((end - first, batch) + tuple(x.shape[1:]))
        out, h, c = layer.run_direction(xs, h, c, weights, True)
        outputs[k] = out.reshape((-1, out.shape[-1]))
    return cat(outputs) if len(outputs) > 1 else outputs[0], h, c


def forward_packed(layer, packed: PackedSequence, hx) -> tuple:
    """``layer`` (an ``RNN``, ``LSTM`` or ``GRU``) over ``packed``: ``(PackedSequence output, h_n)`` (LSTM:
    ``(h_n, c_n)``), the states in the batch's original order, as PyTorch's."""
    data, batch_sizes, sorted_indices, unsorted_indices = packed
    if not isinstance(data, Tensor) or data.ndim != 2:
        raise RuntimeError(f"{layer}: input.dim() must be 2 for a PackedSequence's data (sum of lengths, input_size), "
                           f"got {getattr(data, 'ndim', type(data).__name__)}")
    layer.check_features(data)
    sizes = np.asarray(batch_sizes.numpy(), dtype=np.int64)
    states = layer._initial_states(hx, True, int(sizes[0]), data.dtype)
    if hx is not None and sorted_indices is not None:  # the caller's states are in the batch's original order
        states = tuple(None if s is None else s.index_select(1, sorted_indices) for s in states)
    x, h_n, c_n = layer.run_layers(data, states, partial(_run_direction, layer, segments(sizes)))
    if unsorted_indices is not None:
        h_n, c_n = (None if s is None else s.index_select(1, unsorted_indices) for s in (h_n, c_n))
    output = PackedSequence(x, batch_sizes, sorted_indices, unsorted_indices)
    return output, ((h_n, c_n) if layer.cell is Cell.LSTM else h_n)
