"""An LSTM layer's recurrence on arrays, forward and backpropagation through time, with every buffer allocated once.

The fast path of :class:`~ourdl.nn.recurrence.Recurrence` for ``Cell.LSTM``: a sequence of 100 steps of batch 32
and hidden size 128 is one small product and some thirty small array operations per step, so what costs is the
number of passes, of Python calls and of fresh arrays, not the arithmetic. Here the steps write into arrays made for
the whole sequence, the gates' activations kept, not their pre-activations (the backward needs only the former),
and each chunk of steps the input's share of the gates is ready for (:mod:`~ourdl.nn.recurrence_products`) is one
compiled call that releases the GIL (:mod:`~ourdl.nn.recurrence_kernels`). The formulas are those of
``recurrence.py``, which computes them on tensors under ``create_graph``; the tests compare the two and both with
PyTorch.

>>> import numpy as np
>>> xw = np.zeros((3, 1, 4))  # 3 steps, batch 1, one hidden unit: the gates i, f, g, o
>>> states, kept = lstm_forward(xw, np.ones((1, 1)), np.ones((1, 1)), np.zeros((4, 1)), False)
>>> states[:, 0, 0].round(4)  # h of each step, then the last c: with zero gates, c halves each step
array([0.2311, 0.1225, 0.0622, 0.125 ])
"""

from __future__ import annotations

import numpy as np

from .recurrence_kernels import EXPM1, lstm_backward_steps, lstm_forward_steps
from .recurrence_products import Projection, spans


def lstm_forward(xw, h0, c0, w_hh, reverse: bool):
    """Run the LSTM over ``xw`` ``(T, B, 4H)`` (the input's share of the gates i, f, g, o: an array or a
    :class:`~ourdl.nn.recurrence_products.Projection`, read chunk by chunk as it is ready) from ``h0``, ``c0``
    ``(B, H)``: :math:`a = xw_t + h_{t-1} W_{hh}^T`, :math:`i, f, o = \\sigma(a)`, :math:`g = \\tanh a`,
    :math:`c_t = f c_{t-1} + i g`, :math:`h_t = o \\tanh c_t`.

    Return ``states`` ``(T + 1, B, H)``: :math:`h_t` of every step in time order, then the last :math:`c`; and what
    the backward needs: the gates' activations ``(T, B, 4H)``, :math:`c_t` and :math:`\\tanh c_t` ``(T, B, H)``.

    >>> import numpy as np
    >>> states, (gates, c, tc) = lstm_forward(np.zeros((2, 3, 8)), np.zeros((3, 2)), np.zeros((3, 2)),
    ...                                       np.zeros((8, 2)), True)
    >>> states.shape, gates.shape, float(gates[0, 0, 0])  # sigma(0) = 0.5
    ((3, 3, 2), (2, 3, 8), 0.5)
    """
    length, batch, width = xw.shape
    n = width // 4
    dtype = np.dtype(xw.dtype)
    w_blocks = np.ascontiguousarray(w_hh.reshape(4, n, n).transpose(0, 2, 1))  # each gate's block of W_hh^T
    gates = np.empty((length, batch, width), dtype)  # the gates' activations
    states = np.empty((length + 1, batch, n), dtype)
    c_all, tc = np.empty((length, batch, n), dtype), np.empty((length, batch, n), dtype)
    pre, scratch = np.empty((4, batch, n), dtype), np.empty(2 * width, dtype)
    bits = scratch.view(np.int32 if dtype.itemsize == 4 else np.int64)
    h0, c0 = np.ascontiguousarray(h0), np.ascontiguousarray(c0)
    for span in spans(length, reverse):
        rows = xw.ready(span) if isinstance(xw, Projection) else xw
        lstm_forward_steps(rows, w_blocks, h0, c0, gates, states, c_all, tc, pre, scratch, bits, span.start,
                           span.stop, reverse, EXPM1[dtype])
    states[length] = c_all[0 if reverse else length - 1] if length else c0
    return states, (gates, c_all, tc)


def lstm_backward(g, kept, h0, c0, w_hh, reverse: bool, chunk_done=None):
    """Backpropagation through time from ``g`` ``(T + 1, B, H)``, the gradient of ``states`` (the last row that of
    the last :math:`c`): the gates' gradients :math:`\\partial a_t` ``(T, B, 4H)`` (also those of ``xw`` and, summed,
    of :math:`b_{hh}`; :math:`\\partial W_{hh} = \\sum_t \\partial a_t^T h_{t-1}`), and the gradients of ``h0`` and
    ``c0``. Per step, one compiled pass and one product :math:`\\partial a_t W_{hh}`, a chunk of steps per call;
    then ``chunk_done(d, d, t)`` if given, with ``t`` the chunk's last step (the input side's gradients of the
    steps done so far can start).

    >>> import numpy as np
    >>> zeros = np.zeros((1, 1))
    >>> states, kept = lstm_forward(np.zeros((1, 1, 4)), zeros, zeros, np.zeros((4, 1)), False)
    >>> d, d_h0, d_c0 = lstm_backward(np.array([[[0.0]], [[1.0]]]), kept, zeros, zeros, np.zeros((4, 1)), False)
    >>> d[0, 0], d_c0  # the gradient of c_1 = f c_0 + i g reaches g through i = 0.5, and c_0 through f = 0.5
    (array([0. , 0. , 0.5, 0. ]), array([[0.5]]))
    """
    gates, c_all, tc = kept
    length = gates.shape[0]
    d = np.empty_like(gates)
    dh, dc = np.zeros(h0.shape, gates.dtype), np.array(g[length], order="C")
    batch, n = h0.shape
    w_blocks, c0 = np.ascontiguousarray(w_hh.reshape(4, n, n)), np.ascontiguousarray(c0)  # each gate's rows of W_hh
    d_blocks, part = np.empty((4, batch, n), d.dtype), np.empty((batch, n), d.dtype)
    for span in spans(length, not reverse):
        lstm_backward_steps(gates, tc, c_all, c0, g, dh, dc, d, w_blocks, d_blocks, part, span.start, span.stop,
                            reverse, d.dtype.type(1))
        if chunk_done is not None:
            chunk_done(d, d, span.start if not reverse else span.stop - 1)
    return d, dh, dc
