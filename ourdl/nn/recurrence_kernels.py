"""Compiled kernels of the LSTM's and GRU's steps on arrays: the LSTM's steps over a span of the sequence, forward
and backward, and one step of backpropagation through time of a GRU.

An LSTM step is one product :math:`h_{t-1} W_{hh}^T` and some thirty elementwise operations on small
``(batch, hidden)`` arrays; as NumPy calls each is a pass over memory and a Python call. Here a whole span of
steps is one compiled call: the product through BLAS (``np.dot`` into the step's row of the gates), the rest in one
pass, and the GIL released throughout, so that the products over all steps run on a second thread unhindered
(:mod:`~ourdl.nn.recurrence_products`). The forward's five transcendental functions per unit,
:math:`\\sigma(a) = 1 / (2 + \\operatorname{expm1}(-a))` and :math:`\\tanh a = E / (E + 2)` with
:math:`E = \\operatorname{expm1}(2a)`, are written as arithmetic LLVM vectorises: :math:`e^y - 1 = 2^m q + (2^m - 1)`
with :math:`m = \\lfloor y / \\ln 2 + 1/2 \\rfloor`, :math:`r = y - m \\ln 2` (:math:`\\ln 2` in two parts, so that
:math:`r` is exact), :math:`q = e^r - 1` its Taylor series to :math:`r^{13}` (below one unit in the last place of
float64 for :math:`|r| \\le \\ln 2 / 2`), and :math:`2^m` made from its bits; numba's ``math.exp`` would call the
scalar libm, several times slower than these. Within three units in the last place of the exact values in float32
and float64 (tested). The backward needs no transcendental function: every derivative is written with the
activations the forward kept. Each kernel takes ``one``, the number 1 in the arrays' dtype (or constants in it): a
literal ``1`` is an integer to numba, which would compute a float32 step in float64 (measured twice as slow). These
are the first-order fast path of :class:`~ourdl.nn.recurrence.Recurrence`; the same formulas, written with
operators in ``recurrence.py``, run on tensors under ``create_graph`` (the tests compare the two). Compiled on first
use and cached on disk (:func:`ourdl.kernels.loop`).
"""

from __future__ import annotations

import math

import numpy as np

from ..kernels import loop


def _expm1_constants(dtype, ln2_parts, clamp, exponent_bias, mantissa_bits):
    """What :func:`lstm_forward_steps` computes :math:`e^y - 1` with, in ``dtype``: :math:`\\log_2 e`, :math:`\\ln 2`
    in two parts (the first with trailing zero bits, so that :math:`m \\ln 2_{hi}` is exact), the range of
    :math:`y` kept finite, 1, 1/2, 2, the Taylor coefficients :math:`1/k!` for :math:`k = 3..13`, the exponent's
    bias and :math:`2^{\\text{mantissa bits}}` (the bits of :math:`2^m` are :math:`(m + bias) 2^{bits}`)."""
    values = [1 / math.log(2), *ln2_parts, *clamp, 1.0, 0.5, 2.0] + [1 / math.factorial(k) for k in range(3, 14)]
    return tuple(dtype(v) for v in values) + (np.int64(exponent_bias), np.int64(mantissa_bits))


EXPM1 = {np.dtype(np.float32): _expm1_constants(np.float32, (0.693145751953125, 1.428606765330187e-06),
                                                (-87.0, 88.0), 127, 23),
         np.dtype(np.float64): _expm1_constants(np.float64, (6.93147180369123816490e-01, 1.90821492927058770002e-10),
                                                (-708.0, 709.0), 1023, 52)}
"""The constants of :func:`lstm_forward_steps` for each dtype it runs in."""


@loop(reassociate=False)
def lstm_forward_steps(xw, w_blocks, h0, c0, gates, states, c_all, tc, pre, scratch, bits, start, stop, reverse, k):
    """The LSTM's steps ``start..stop - 1`` (in reverse order when ``reverse``): :math:`a = xw_t + h_{t-1} W_{hh}^T`,
    its activations (i, f, o :math:`\\sigma`, g :math:`\\tanh`) written to ``gates[t]`` ``(B, 4H)``,
    :math:`c_t = f c_{t-1} + i g` to ``c_all[t]``, :math:`\\tanh c_t` to ``tc[t]``, :math:`h_t = o \\tanh c_t` to
    ``states[t]``; the steps before come from ``h0``, ``c0`` or the rows of the step before. ``w_blocks``
    ``(4, H, H)`` holds each gate's block of :math:`W_{hh}^T` (contiguous): four products of ``(B, H)`` by
    ``(H, H)`` into ``pre`` ``(4, B, H)`` take three quarters of the time of one by ``(H, 4H)`` (OpenBLAS's kernel
    for small products, without packing); ``scratch`` ``(8H,)`` and ``bits`` (the same memory as integers of the
    dtype's width) hold each row's reduced arguments and the bits of :math:`2^m`; ``k`` is :data:`EXPM1` of the
    dtype."""
    length, rows, width = gates.shape
    n = width // 4
    log2e, ln2_hi, ln2_lo, low, high, one, half, two = k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]
    c3, c4, c5, c6, c7, c8 = k[8], k[9], k[10], k[11], k[12], k[13]
    c9, c10, c11, c12, c13 = k[14], k[15], k[16], k[17], k[18]
    exponent_bias, mantissa_bits = k[19], k[20]

    def reduced(y):  # e^y - 1 = 2^m q + (2^m - 1): q and the bits of 2^m (NaN stays NaN: y < low is false for it)
        y = low if y < low else y
        y = high if y > high else y
        m = np.floor(y * log2e + half)
        r = y - m * ln2_hi - m * ln2_lo
        # r plus a correction: r itself is exact, so small arguments keep their last bits (r (1 + ...) lost one)
        q = r + r * r * (half + r * (c3 + r * (c4 + r * (c5 + r * (c6 + r * (c7 + r * (c8 + r * (
            c9 + r * (c10 + r * (c11 + r * (c12 + r * c13)))))))))))
        return q, (np.int64(m) + exponent_bias) << mantissa_bits

    step = -1 if reverse else 1
    t = stop - 1 if reverse else start
    for _ in range(stop - start):
        first = t == (length - 1 if reverse else 0)
        h = h0 if first else states[t - step]
        c_prev = c0 if first else c_all[t - step]
        a, x = gates[t], xw[t]
        for gate in range(4):
            np.dot(h, w_blocks[gate], pre[gate])
        for b in range(rows):
            for gate in range(4):  # e^y - 1 of y = -a (i, f, o) and y = 2a (g), in two passes that vectorise
                for j in range(n):
                    v = pre[gate, b, j] + x[b, gate * n + j]
                    q, e = reduced(two * v if gate == 2 else -v)
                    scratch[gate * n + j] = q
                    bits[width + gate * n + j] = e
            for j in range(width):
                s = scratch[width + j]
                e = s * scratch[j] + (s - one)
                a[b, j] = e / (e + two) if 2 * n <= j < 3 * n else one / (two + e)
            for j in range(n):
                c = a[b, n + j] * c_prev[b, j] + a[b, j] * a[b, 2 * n + j]
                c_all[t, b, j] = c
                q, e = reduced(two * c)
                scratch[j] = q
                bits[width + j] = e
            for j in range(n):
                s = scratch[width + j]
                e = s * scratch[j] + (s - one)
                tanh_c = e / (e + two)
                tc[t, b, j] = tanh_c
                states[t, b, j] = a[b, 3 * n + j] * tanh_c
        t += step


@loop
def lstm_backward_steps(gates, tc, c_all, c0, g, dh, dc, d, w_blocks, d_blocks, part, start, stop, reverse, one):
    """Backpropagation through the LSTM's steps ``start..stop - 1`` (in the order opposite to the forward's): the
    gate gradients ``d[t]`` ``(B, 4H)`` (i, f, g, o) from the gradients reaching :math:`h_t` (``g[t] + dh``) and
    :math:`c_t` (``dc``); then ``dc`` becomes :math:`\\partial c_{t-1} = \\partial c_t f` and ``dh``
    :math:`\\partial h_{t-1} = \\partial a_t W_{hh}`, summed over the gates: each gate's gradient, also written to
    ``d_blocks`` ``(4, B, H)``, times its block of rows of :math:`W_{hh}` in ``w_blocks`` ``(4, H, H)``, the parts
    added through ``part`` ``(B, H)`` (four small products take two thirds of the time of one of ``(B, 4H)`` by
    ``(4H, H)``: OpenBLAS's kernel for small products, without packing). ``gates`` holds the activations, ``tc``
    :math:`\\tanh c_t`."""
    length, rows, width = gates.shape
    n = width // 4
    step = -1 if reverse else 1
    t = start if reverse else stop - 1
    for _ in range(stop - start):
        c_prev = c0 if t == (length - 1 if reverse else 0) else c_all[t - step]
        a, th, gh, dt = gates[t], tc[t], g[t], d[t]
        for b in range(rows):
            for j in range(n):
                i, f, gg, o, tanh_c = a[b, j], a[b, n + j], a[b, 2 * n + j], a[b, 3 * n + j], th[b, j]
                h_grad = gh[b, j] + dh[b, j]
                c_grad = dc[b, j] + h_grad * o * (one - tanh_c * tanh_c)
                d_i, d_f = c_grad * gg * i * (one - i), c_grad * c_prev[b, j] * f * (one - f)
                d_g, d_o = c_grad * i * (one - gg * gg), h_grad * tanh_c * o * (one - o)
                dt[b, j], dt[b, n + j], dt[b, 2 * n + j], dt[b, 3 * n + j] = d_i, d_f, d_g, d_o
                d_blocks[0, b, j], d_blocks[1, b, j], d_blocks[2, b, j], d_blocks[3, b, j] = d_i, d_f, d_g, d_o
                dc[b, j] = c_grad * f
        np.dot(d_blocks[0], w_blocks[0], dh)
        for gate in range(1, 4):
            np.dot(d_blocks[gate], w_blocks[gate], part)
            for b in range(rows):
                for j in range(n):
                    dh[b, j] += part[b, j]
        t -= step


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
