"""Compiled kernels of the LSTM's and GRU's steps on arrays: the arithmetic between an LSTM step's transcendental
functions, and one step of backpropagation through time for each cell.

A step's gate gradients are some twenty elementwise products of small ``(batch, hidden)`` arrays; as NumPy
calls each is a pass over memory and a Python call, as one compiled loop they are one pass (3-4x faster for the
whole backward of a long sequence). No transcendental function is needed: every derivative is written with the
activations the forward kept (``exp`` and ``tanh`` stay in NumPy, whose SIMD forms are several times faster than
numba's scalar calls). Each kernel takes ``one``, the number 1 in the arrays' dtype: a literal ``1`` is an integer
to numba, which would compute a float32 step in float64 (measured twice as slow). These are the first-order fast
path of :class:`~ourdl.nn.recurrence.Recurrence`; the same formulas, written with operators in ``recurrence.py``,
run on tensors under ``create_graph`` (the tests compare the two). Compiled on first use and cached on disk
(:func:`ourdl.kernels.loop`).
"""

from __future__ import annotations

from ..kernels import loop


@loop
def lstm_gates_step(e, a, c_prev, c, one):
    """The arithmetic of one LSTM step between its transcendental functions: ``a`` ``(B, 4H)`` holds the gates
    (i, f, g, o) with g already :math:`\\tanh`; its i, f and o blocks become :math:`\\sigma = 1 / (1 + e)` from
    ``e`` :math:`= \\exp(-a)`, and ``c`` :math:`= f \\odot c_{t-1} + i \\odot g`."""
    rows, n = c.shape
    for b in range(rows):
        for j in range(n):
            i = one / (one + e[b, j])
            f = one / (one + e[b, n + j])
            a[b, j] = i
            a[b, n + j] = f
            a[b, 3 * n + j] = one / (one + e[b, 3 * n + j])
            c[b, j] = f * c_prev[b, j] + i * a[b, 2 * n + j]


@loop
def lstm_backward_step(a, tc, c_prev, gh, dh, dc, d, one):
    """Gate gradients ``d`` ``(B, 4H)`` (i, f, g, o) of one LSTM step from the gradients reaching :math:`h_t`
    (``gh + dh``) and :math:`c_t` (``dc``, replaced by :math:`\\partial c_{t-1}`); ``a`` holds the gates' activations
    (i, f, g, o), ``tc`` :math:`\\tanh c_t`."""
    rows, n = tc.shape
    for b in range(rows):
        for j in range(n):
            i, f, gg, o, t = a[b, j], a[b, n + j], a[b, 2 * n + j], a[b, 3 * n + j], tc[b, j]
            h_grad = gh[b, j] + dh[b, j]
            c_grad = dc[b, j] + h_grad * o * (one - t * t)
            d[b, j] = c_grad * gg * i * (one - i)
            d[b, n + j] = c_grad * c_prev[b, j] * f * (one - f)
            d[b, 2 * n + j] = c_grad * i * (one - gg * gg)
            d[b, 3 * n + j] = h_grad * t * o * (one - o)
            dc[b, j] = c_grad * f


@loop
def gru_backward_step(rz, new, hn, h_prev, g, dh, d_x, d_hw, dh_out, one):
    """Gradients of one GRU step from the gradient reaching :math:`h_t` (``g + dh``): of the input's share of the
    gates ``d_x`` ``(B, 3H)`` (r, z, n), of the hidden share ``d_hw`` (its n block times r), and the direct part of
    :math:`\\partial h_{t-1}` ``dh_out`` (:math:`z \\odot \\partial h_t`; the rest is ``d_hw @ W_hh``)."""
    rows, n = new.shape
    for b in range(rows):
        for j in range(n):
            r, z, nw = rz[b, j], rz[b, n + j], new[b, j]
            h_grad = g[b, j] + dh[b, j]
            dn = h_grad * (one - z) * (one - nw * nw)
            dr = dn * hn[b, j] * r * (one - r)
            dz = h_grad * (h_prev[b, j] - nw) * z * (one - z)
            d_x[b, j] = dr
            d_x[b, n + j] = dz
            d_x[b, 2 * n + j] = dn
            d_hw[b, j] = dr
            d_hw[b, n + j] = dz
            d_hw[b, 2 * n + j] = dn * r
            dh_out[b, j] = h_grad * z
