"""An LSTM layer's recurrence on arrays, forward and backpropagation through time, with every buffer allocated once.

The fast path of :class:`~ourdl.nn.recurrence.Recurrence` for ``Cell.LSTM``: a sequence of 100 steps of batch 32
and hidden size 128 is some thirty small array operations per step, so what costs is the number of passes and of
fresh arrays, not the arithmetic. Here each step writes into slices of arrays made for the whole sequence, every
NumPy call has its ``out=``, the gates' activations overwrite their pre-activations (the backward needs only the
activations), and the arithmetic around the transcendental functions is one compiled pass
(:mod:`~ourdl.nn.recurrence_kernels`). The formulas are those of ``recurrence.py``, which computes them on tensors
under ``create_graph``; the tests compare the two and both with PyTorch.

>>> import numpy as np
>>> xw = np.zeros((3, 1, 4))  # 3 steps, batch 1, one hidden unit: the gates i, f, g, o
>>> states, kept = lstm_forward(xw, np.ones((1, 1)), np.ones((1, 1)), np.zeros((4, 1)), None, False)
>>> states[:, 0, 0].round(4)  # h of each step, then the last c: with zero gates, c halves each step
array([0.2311, 0.1225, 0.0622, 0.125 ])
"""

from __future__ import annotations

import numpy as np

from .recurrence_kernels import lstm_backward_step, lstm_gates_step


def _steps(length: int, reverse: bool):
    return range(length - 1, -1, -1) if reverse else range(length)


def lstm_forward(xw, h0, c0, w_hh, b_hh, reverse: bool):
    """Run the LSTM over ``xw`` ``(T, B, 4H)`` (the input's share of the gates i, f, g, o) from ``h0``, ``c0``
    ``(B, H)``: :math:`a = xw_t + h_{t-1} W_{hh}^T + b_{hh}`, :math:`i, f, o = \\sigma(a)`, :math:`g = \\tanh a`,
    :math:`c_t = f c_{t-1} + i g`, :math:`h_t = o \\tanh c_t`.

    Return ``states`` ``(T + 1, B, H)``: :math:`h_t` of every step in time order, then the last :math:`c`; and what
    the backward needs: the gates' activations ``(T, B, 4H)``, :math:`c_t` and :math:`\\tanh c_t` ``(T, B, H)``.

    >>> import numpy as np
    >>> states, (gates, c, tc) = lstm_forward(np.zeros((2, 3, 8)), np.zeros((3, 2)), np.zeros((3, 2)),
    ...                                       np.zeros((8, 2)), None, True)
    >>> states.shape, gates.shape, float(gates[0, 0, 0])  # sigma(0) = 0.5
    ((3, 3, 2), (2, 3, 8), 0.5)
    """
    length, batch, width = xw.shape
    n = width // 4
    dtype = xw.dtype
    w_t = np.ascontiguousarray(w_hh.T)  # a product with a contiguous copy is 1.5x faster than with the strided view
    gates = np.empty((length, batch, width), dtype)  # pre-activations, overwritten by the activations
    states = np.empty((length + 1, batch, n), dtype)
    c_all, tc = np.empty((length, batch, n), dtype), np.empty((length, batch, n), dtype)
    e = np.empty((batch, width), dtype)
    one = dtype.type(1)
    h, c = h0, c0
    for t in _steps(length, reverse):
        a = gates[t]
        np.matmul(h, w_t, out=a)
        a += xw[t]
        if b_hh is not None:
            a += b_hh
        np.negative(a, out=e)
        np.exp(e, out=e)  # exp(-a) for sigma; its g block is unused (one call is cheaper than three slices)
        g = a[:, 2 * n:3 * n]
        np.tanh(g, out=g)
        lstm_gates_step(e, a, c, c_all[t], one)  # a's i, f, o blocks become 1 / (1 + e); c_t = f c + i g
        np.tanh(c_all[t], out=tc[t])
        np.multiply(a[:, 3 * n:], tc[t], out=states[t])
        h, c = states[t], c_all[t]
    states[length] = c
    return states, (gates, c_all, tc)


def lstm_backward(g, kept, h0, c0, w_hh, reverse: bool, step_done=None):
    """Backpropagation through time from ``g`` ``(T + 1, B, H)``, the gradient of ``states`` (the last row that of
    the last :math:`c`): the gates' gradients :math:`\\partial a_t` ``(T, B, 4H)`` (also those of ``xw`` and, summed,
    of :math:`b_{hh}`; :math:`\\partial W_{hh} = \\sum_t \\partial a_t^T h_{t-1}`), and the gradients of ``h0`` and
    ``c0``. Per step, one compiled pass and one product :math:`\\partial a_t W_{hh}`; then ``step_done(d, d, t)``
    if given (the input side's gradients of the steps done so far can start).

    >>> import numpy as np
    >>> zeros = np.zeros((1, 1))
    >>> states, kept = lstm_forward(np.zeros((1, 1, 4)), zeros, zeros, np.zeros((4, 1)), None, False)
    >>> d, d_h0, d_c0 = lstm_backward(np.array([[[0.0]], [[1.0]]]), kept, zeros, zeros, np.zeros((4, 1)), False)
    >>> d[0, 0], d_c0  # the gradient of c_1 = f c_0 + i g reaches g through i = 0.5, and c_0 through f = 0.5
    (array([0. , 0. , 0.5, 0. ]), array([[0.5]]))
    """
    gates, c_all, tc = kept
    length = gates.shape[0]
    d = np.empty_like(gates)
    dh, dc = np.zeros_like(h0), g[length].copy()
    one = d.dtype.type(1)
    for t in _steps(length, not reverse):
        first = t == (length - 1 if reverse else 0)
        c_prev = c0 if first else c_all[t + 1 if reverse else t - 1]
        lstm_backward_step(gates[t], tc[t], c_prev, g[t], dh, dc, d[t], one)
        np.matmul(d[t], w_hh, out=dh)
        if step_done is not None:
            step_done(d, d, t)
    return d, dh, dc
