"""Compiled kernels of one step of backpropagation through time for LSTM and GRU cells, on arrays.

A step's gate gradients are some twenty elementwise products of small ``(batch, hidden)`` arrays; as NumPy
calls each is a pass over memory and a Python call, as one compiled loop they are one pass (3-4x faster for the
whole backward of a long sequence). No transcendental function is needed: every derivative is written with the
activations the forward kept. These are the first-order fast path of :class:`~ourdl.nn.recurrence.Recurrence`;
the same formulas, written with operators in ``recurrence.py``, run on tensors under ``create_graph`` (the tests
compare the two). Compiled on first use and cached on disk (:func:`ourdl.kernels.loop`).
"""

from __future__ import annotations

from ..kernels import loop


@loop
def lstm_backward_step(s, g, tc, c_prev, gh, dh, dc, d, dc_out):
    """Gate gradients ``d`` ``(B, 4H)`` (i, f, g, o) and :math:`\\partial c_{t-1}` ``dc_out`` of one LSTM step, from
    the gradients reaching :math:`h_t` (``gh + dh``) and :math:`c_t` (``dc``); ``s`` holds the sigmoid gates,
    ``g`` the tanh gate, ``tc`` :math:`\\tanh c_t`."""
    rows, n = g.shape
    for b in range(rows):
        for j in range(n):
            i, f, o, gg, t = s[b, j], s[b, n + j], s[b, 3 * n + j], g[b, j], tc[b, j]
            h_grad = gh[b, j] + dh[b, j]
            c_grad = dc[b, j] + h_grad * o * (1 - t * t)
            d[b, j] = c_grad * gg * i * (1 - i)
            d[b, n + j] = c_grad * c_prev[b, j] * f * (1 - f)
            d[b, 2 * n + j] = c_grad * i * (1 - gg * gg)
            d[b, 3 * n + j] = h_grad * t * o * (1 - o)
            dc_out[b, j] = c_grad * f


@loop
def gru_backward_step(rz, new, hn, h_prev, g, dh, d_x, d_hw, dh_out):
    """Gradients of one GRU step from the gradient reaching :math:`h_t` (``g + dh``): of the input's share of the
    gates ``d_x`` ``(B, 3H)`` (r, z, n), of the hidden share ``d_hw`` (its n block times r), and the direct part of
    :math:`\\partial h_{t-1}` ``dh_out`` (:math:`z \\odot \\partial h_t`; the rest is ``d_hw @ W_hh``)."""
    rows, n = new.shape
    for b in range(rows):
        for j in range(n):
            r, z, nw = rz[b, j], rz[b, n + j], new[b, j]
            h_grad = g[b, j] + dh[b, j]
            dn = h_grad * (1 - z) * (1 - nw * nw)
            dr = dn * hn[b, j] * r * (1 - r)
            dz = h_grad * (h_prev[b, j] - nw) * z * (1 - z)
            d_x[b, j] = dr
            d_x[b, n + j] = dz
            d_x[b, 2 * n + j] = dn
            d_hw[b, j] = dr
            d_hw[b, n + j] = dz
            d_hw[b, 2 * n + j] = dn * r
            dh_out[b, j] = h_grad * z
