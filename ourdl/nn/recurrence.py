"""The recurrence of ``RNN``, ``LSTM`` and ``GRU`` over a whole sequence: one graph node, backpropagation through time
written once.

The input's share of every gate, :math:`x_t W_{ih}^T + b_{ih}` for all steps, is computed by chunks of steps
beside the steps (:mod:`~ourdl.nn.recurrence_products`); :class:`Recurrence` runs the cell step by step with one
product :math:`h_{t-1} W_{hh}^T` per step. Its backward walks the steps in reverse (backpropagation through time),
the products over all steps for the gradients of ``x`` and the weights again beside it. The cells, with PyTorch's
gate order:

- ``RNN_TANH``/``RNN_RELU``: :math:`h_t = \\phi(x_t W_{ih}^T + b_{ih} + h_{t-1} W_{hh}^T + b_{hh})`
- ``LSTM`` (gates i, f, g, o): :math:`c_t = f \\odot c_{t-1} + i \\odot g`, :math:`h_t = o \\odot \\tanh c_t`
  with :math:`i, f, o = \\sigma(\\cdot)`, :math:`g = \\tanh(\\cdot)`
- ``GRU`` (gates r, z, n): :math:`n = \\tanh(x_n + r \\odot (h W_{hn}^T + b_{hn}))`,
  :math:`h_t = (h_{t-1} - n) \\odot z + n` with :math:`r, z = \\sigma(\\cdot)`

The forward and backward formulas run on arrays (the fast path; an LSTM's in :mod:`~ourdl.nn.lstm_arrays`) and on
tensors: under ``create_graph`` the
backward recomputes the steps from its inputs as a recorded graph and applies the same formulas to it, so
gradients of every order are exact.

>>> import ourdl
>>> x, w_ih, w_hh = ourdl.zeros(3, 1, 2), ourdl.zeros(4, 2), ourdl.zeros(4, 1)  # 3 steps, batch 1, hidden size 1
>>> states = Recurrence.apply(x, w_ih, None, ourdl.ones(1, 1), ourdl.ones(1, 1), w_hh, None, Cell.LSTM, False)
>>> states.shape  # h of every step, then the last c
ourdl.Size([4, 1, 1])
"""

from __future__ import annotations

import enum

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..ops import array_or_tensor as dual
from ..ops.elementwise import sigmoid_array
from ..ops.joining import stack
from ..tensor import Tensor
from .linear import LinearFunction
from .lstm_arrays import lstm_backward, lstm_forward
from .recurrence_kernels import gru_backward_step
from .recurrence_products import InputSideGrads, Projection, input_side_grads, one_blas_thread


class Cell(enum.Enum):
    """The recurrence a layer runs. ``gates``: how many blocks of ``hidden_size`` rows its weights stack.

    >>> Cell.LSTM.gates, Cell.GRU.gates, Cell.RNN_TANH.gates
    (4, 3, 1)
    """

    RNN_TANH = "RNN_TANH"
    RNN_RELU = "RNN_RELU"
    LSTM = "LSTM"
    GRU = "GRU"

    @property
    def gates(self) -> int:
        return {"LSTM": 4, "GRU": 3}.get(self.value, 1)


def _sigmoid(x):
    return x.sigmoid() if isinstance(x, Tensor) else sigmoid_array(x)


def _relu(x):
    return x.relu() if isinstance(x, Tensor) else np.maximum(x, 0)


class _Steps:
    """Values of every step gathered in time order: written into one array as they come (arrays: 6x faster than
    stacking a list at the end), or stacked at the end (tensors, recorded)."""

    def __init__(self, length: int):
        self.length, self.parts, self.array = length, [None] * length, None

    def put(self, t: int, value) -> None:
        if isinstance(value, Tensor):
            self.parts[t] = value
            return
        if self.array is None:
            self.array = np.empty((self.length,) + value.shape, value.dtype)
        self.array[t] = value

    def stacked(self):
        return stack(self.parts) if self.array is None else self.array


def _linear_step(h, w_t, b):
    hw = h @ w_t
    return hw if b is None else hw + b


# -- forward: one step of each cell, then the whole scan ------------------------------------------

def _rnn_step(activation, xw, h, c, w_t, b):
    return activation(xw + _linear_step(h, w_t, b)), None, ()


def _lstm_step(xw, h, c, w_t, b):
    n = h.shape[-1]
    gates = xw + _linear_step(h, w_t, b)
    s = _sigmoid(gates)  # i, f, o (g's block unused: one call is cheaper than three slices)
    g = np.tanh(gates[..., 2 * n:3 * n])
    c = s[..., n:2 * n] * c + s[..., :n] * g
    tc = np.tanh(c)
    return s[..., 3 * n:] * tc, c, (s, g, tc, c)


def _gru_step(xw, h, c, w_t, b):
    n = h.shape[-1]
    hw = _linear_step(h, w_t, b)
    rz = _sigmoid(xw[..., :2 * n] + hw[..., :2 * n])
    hn = hw[..., 2 * n:]
    new = np.tanh(xw[..., 2 * n:] + rz[..., :n] * hn)
    return (h - new) * rz[..., n:] + new, None, (rz, new, hn)


_STEPS = {Cell.RNN_TANH: lambda *a: _rnn_step(np.tanh, *a), Cell.RNN_RELU: lambda *a: _rnn_step(_relu, *a),
          Cell.LSTM: _lstm_step, Cell.GRU: _gru_step}


def _transposed(w):
    """``w.T``; for an array a contiguous copy (a product with it is 1.5x faster than with the strided view)."""
    return w.T if isinstance(w, Tensor) else np.ascontiguousarray(w.T)


def scan(cell: Cell, xw, h0, c0, w_hh, b_hh, reverse: bool):
    """Run ``cell`` over the steps of ``xw`` ``(T, B, gates * H)`` from ``h0`` (and ``c0``), backwards in time when
    ``reverse``; return the states ``(T, B, H)`` (LSTM: ``(T + 1, B, H)``, the last row :math:`c` after the last
    step) and what the backward needs, each stacked over time in time order."""
    step = _STEPS[cell]
    w_t = _transposed(w_hh)
    h, c = h0, c0
    length = xw.shape[0]
    states, kept = _Steps(length + (c0 is not None)), None
    for t in range(length - 1, -1, -1) if reverse else range(length):
        h, c, values = step(xw[t], h, c, w_t, b_hh)
        states.put(t, h)
        kept = kept or [_Steps(length) for _ in values]
        for k, value in zip(kept, values):
            k.put(t, value)
    if c is not None:
        states.put(length, c)
    return states.stacked(), [k.stacked() for k in kept or ()]


# -- backward: backpropagation through time -------------------------------------------------------

def _previous(states, first, reverse: bool):
    """The state each step started from: ``first`` then the states of the steps before, in time order."""
    if reverse:
        return dual.concatenate([states[1:], first[None]], 0)
    return dual.concatenate([first[None], states[:-1]], 0)


def _order(length: int, reverse: bool):
    return range(length) if reverse else range(length - 1, -1, -1)


def _rnn_back(cell, g, states, kept, h0, c0, w_hh, reverse):
    local = 1 - states * states if cell is Cell.RNN_TANH else states > 0
    dh, parts = None, _Steps(g.shape[0])
    for t in _order(g.shape[0], reverse):
        d = (g[t] if dh is None else g[t] + dh) * local[t]
        parts.put(t, d)
        dh = d @ w_hh
    d = parts.stacked()
    return d, d, dh, None


def _lstm_back(cell, g, states, kept, h0, c0, w_hh, reverse):
    """On tensors (create_graph); on arrays :func:`~ourdl.nn.lstm_arrays.lstm_backward` computes the same."""
    s, gg, tc, c = kept
    length = s.shape[0]
    c_prev = _previous(c, c0, reverse)
    gh = g[:length]
    dh, dc = None, g[length]  # the gradient of the last c
    n = h0.shape[-1]
    parts = _Steps(length)
    for t in _order(length, reverse):
        i, f, o, g_t, tc_t = s[t, ..., :n], s[t, ..., n:2 * n], s[t, ..., 3 * n:], gg[t], tc[t]
        dh = gh[t] if dh is None else gh[t] + dh
        dc = dc + dh * o * (1 - tc_t * tc_t)
        d = dual.concatenate([dc * g_t * i * (1 - i), dc * c_prev[t] * f * (1 - f), dc * i * (1 - g_t * g_t),
                              dh * tc_t * o * (1 - o)], -1)
        parts.put(t, d)
        dh = d @ w_hh
        dc = dc * f
    d = parts.stacked()
    return d, d, dh, dc


def _gru_back(cell, g, states, kept, h0, c0, w_hh, reverse):
    rz, new, hn = kept
    n = h0.shape[-1]
    h_prev = _previous(states, h0, reverse)
    if not isinstance(g, Tensor):  # the compiled step: the same formulas as below, in one pass
        d_x, d_hw = np.empty(rz.shape[:-1] + (3 * n,), rz.dtype), np.empty(rz.shape[:-1] + (3 * n,), rz.dtype)
        dh, direct = np.zeros_like(h0), np.empty_like(h0)
        for t in _order(g.shape[0], reverse):
            gru_backward_step(rz[t], new[t], hn[t], h_prev[t], g[t], dh, d_x[t], d_hw[t], direct, rz.dtype.type(1))
            dh = direct + d_hw[t] @ w_hh
        return d_x, d_hw, dh, None
    dh = None
    parts_x, parts_h = _Steps(g.shape[0]), _Steps(g.shape[0])
    for t in _order(g.shape[0], reverse):
        r, z, new_t = rz[t, ..., :n], rz[t, ..., n:], new[t]
        dh = g[t] if dh is None else g[t] + dh
        dn = dh * (1 - z) * (1 - new_t * new_t)
        dr = dn * hn[t] * r * (1 - r)
        dz = dh * (h_prev[t] - new_t) * z * (1 - z)
        parts_x.put(t, dual.concatenate([dr, dz, dn], -1))
        d_hw = dual.concatenate([dr, dz, dn * r], -1)
        parts_h.put(t, d_hw)
        dh = dh * z + d_hw @ w_hh
    return parts_x.stacked(), parts_h.stacked(), dh, None


_BACKS = {Cell.RNN_TANH: _rnn_back, Cell.RNN_RELU: _rnn_back, Cell.LSTM: _lstm_back, Cell.GRU: _gru_back}


class Recurrence(ArrayFunction):
    """One layer in one direction over a whole sequence: ``states = scan(x W_{ih}^T + b_{ih}, h0, c0, W_hh, b_hh)``;
    backward: backpropagation through time.

    Arguments: ``x`` ``(T, B, F)``, ``W_ih`` ``(gates * H, F)``, ``b_ih`` or None, ``h0`` ``(B, H)``, ``c0``
    ``(B, H)`` (LSTM; else None), ``W_hh`` ``(gates * H, H)``, ``b_hh`` or None, the :class:`Cell` and
    ``reverse``. Output: :math:`h_t` of every step ``(T, B, H)``; for an LSTM one more row, the last :math:`c`
    (``(T + 1, B, H)``). The input's share of the gates and the gradients of ``x``, the weights and biases are
    products over all steps, computed by chunks beside the steps (:mod:`~ourdl.nn.recurrence_products`).
    Gradients: with :math:`\\partial a_t` the gates' gradients, :math:`\\partial x_t = \\partial a_t W_{ih}`,
    :math:`\\partial W_{ih} = \\sum_t \\partial a_t^T x_t`, :math:`\\partial W_{hh} = \\sum_t \\partial a_t^T
    h_{t-1}`, :math:`\\partial b = \\sum_t \\partial a_t`, and those of ``h0``, ``c0``.

    >>> import ourdl
    >>> x = ourdl.tensor([[[0.5]], [[0.0]]], requires_grad=True)
    >>> one = ourdl.ones(1, 1)
    >>> h = Recurrence.apply(x, one, None, ourdl.zeros(1, 1), None, one, None, Cell.RNN_RELU, False)
    >>> h.flatten()
    tensor([0.5000, 0.5000], grad_fn=<ReshapeBackward0>)
    >>> h.sum().backward(); x.grad.flatten()
    tensor([2., 1.])
    """

    @staticmethod
    def forward(ctx, x, w_ih, b_ih, h0, c0, w_hh, b_hh, cell, reverse):
        # but in a GRU (whose b_hn is inside r * (...)), b_hh adds to the gates as b_ih does: one bias, added once
        folded = cell is not Cell.GRU
        bias = b_ih if not folded or b_hh is None else (b_hh if b_ih is None else b_ih + b_hh)
        with one_blas_thread():
            xw = Projection(x, w_ih, bias, reverse)
            try:
                if cell is Cell.LSTM:
                    states, kept = lstm_forward(xw, h0, c0, w_hh, reverse)
                else:
                    states, kept = scan(cell, xw, h0, c0, w_hh, None if folded else b_hh, reverse)
            finally:
                xw.finish()
        ctx.cell, ctx.reverse = cell, reverse
        ctx.save_for_backward(x, w_ih, b_ih, h0, c0, w_hh, b_hh, states, *kept)
        return states

    @staticmethod
    def backward(ctx, g):
        x, w_ih, b_ih, h0, c0, w_hh, b_hh, states, *kept = ctx.saved_tensors
        cell, reverse, needs = ctx.cell, ctx.reverse, ctx.needs_input_grad
        input_needs = [needs[k] for k in (0, 1, 2, 5, 6)]
        if isinstance(g, Tensor):  # create_graph: the steps again, recorded, so that this backward is differentiable
            length, batch = x.shape[:2]
            xw = LinearFunction.apply(x.reshape(length * batch, x.shape[-1]), w_ih, b_ih)
            states, kept = scan(cell, xw.reshape(length, batch, w_ih.shape[0]), h0, c0, w_hh, b_hh, reverse)
            d_xw, d_hw, d_h0, d_c0 = _BACKS[cell](cell, g, states, kept, h0, c0, w_hh, reverse)
            d_x, d_w_ih, d_b_ih, d_w_hh, d_b_hh = input_side_grads(d_xw, d_hw, x, w_ih, states, h0, reverse,
                                                                   slice(0, length), input_needs)
            return d_x, d_w_ih, d_b_ih, d_h0, d_c0, d_w_hh, d_b_hh, None, None
        with one_blas_thread():
            grads = InputSideGrads(x, w_ih, states, h0, reverse, input_needs)
            try:
                if cell is Cell.LSTM:
                    d, d_h0, d_c0 = lstm_backward(g, kept, h0, c0, w_hh, reverse, grads.step_done)
                else:
                    d_xw, d_hw, d_h0, d_c0 = _BACKS[cell](cell, g, states, kept, h0, c0, w_hh, reverse)
                    grads.all_done(d_xw, d_hw)
            except BaseException:
                grads.finish()  # no chunk may still be writing when the error leaves
                raise
            d_x, d_w_ih, d_b_ih, d_w_hh, d_b_hh = grads.result()
        return d_x, d_w_ih, d_b_ih, d_h0, d_c0, d_w_hh, d_b_hh, None, None


def run(cell: Cell, input: Tensor, h0: Tensor, c0, w_ih: Tensor, w_hh: Tensor, b_ih, b_hh, reverse: bool) -> tuple:
    """One layer in one direction over ``input`` ``(T, B, input_size)``: ``(output (T, B, H), h_n, c_n)``, with
    ``c_n`` None but for an LSTM.

    >>> import ourdl
    >>> w = ourdl.ones(1, 1)
    >>> out, h_n, c_n = run(Cell.RNN_RELU, ourdl.ones(3, 1, 1), ourdl.zeros(1, 1), None, w, w, None, None, False)
    >>> out.flatten().tolist(), h_n.tolist(), c_n
    ([1.0, 2.0, 3.0], [[3.0]], None)
    """
    length = input.shape[0]
    states = Recurrence.apply(input, w_ih, b_ih, h0, c0, w_hh, b_hh, cell, reverse)
    if cell is not Cell.LSTM:
        return states, states[0 if reverse else -1], None
    return states[:length], states[0 if reverse else length - 1], states[length]
