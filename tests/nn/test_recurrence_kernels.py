"""The LSTM's compiled steps: their sigmoid and tanh, written as arithmetic that vectorises, within three units in
the last place (float32 against NumPy in float64, float64 against PyTorch's float64), with PyTorch's answers at the
edges (±0, ±inf, NaN, where exp overflows); and the steps over chunks against NumPy's formulas, forward and
backward, in both directions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ourdl.nn.lstm_arrays import lstm_backward, lstm_forward
from tests.oracle import torch

EDGES = [0.0, -0.0, 1e-30, -1e-30, 1e-8, -1e-8, 0.3465, -0.3466, 1.0, -1.0, 9.0, -9.0, 20.0, -20.0, 43.5, -44.0,
         87.9, -88.1, 89.0, -104.0, 354.0, -355.0, 709.5, -745.2, 1e30, -1e30, np.inf, -np.inf, np.nan]


def gates_of(values, dtype):
    """One step from zero states with W_hh = 0: the gates' activations are those of ``values`` themselves (each
    value in all four blocks), and c = i g, tanh c, h = o tanh c follow."""
    v = np.asarray(values, dtype)
    batch = len(v)
    xw = np.repeat(v[None, :, None], 4, axis=2)  # (1, batch, 4): hidden size 1
    zeros = np.zeros((batch, 1), dtype)
    states, (gates, c, tc) = lstm_forward(xw, zeros, zeros, np.zeros((4, 1), dtype), False)
    return gates[0], c[0, :, 0], tc[0, :, 0], states[0, :, 0]


def ulps(ours, exact, dtype):
    """Units in the last place between ``ours`` and ``exact``, counted as normal numbers': a sigmoid below the
    smallest normal number stops at 1/exp(88) (float32) where the exact value goes on into subnormals."""
    exact = np.asarray(exact, np.float64)
    unit = np.maximum(np.spacing(np.abs(exact).astype(dtype)), np.spacing(np.finfo(dtype).tiny) * 2 ** 24)
    return np.abs(ours.astype(np.float64) - exact) / unit.astype(np.float64)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_edges_are_pytorchs(dtype):
    gates, c, tc, h = gates_of(EDGES, dtype)
    x = torch.tensor(np.asarray(EDGES, dtype))
    sig, tanh = torch.sigmoid(x).numpy(), torch.tanh(x).numpy()
    tiny = np.finfo(dtype).tiny  # below it our sigmoid stops at exp's largest finite value: 1/exp(88) ~ 6e-39
    for k, expected in enumerate([sig, sig, tanh, sig]):
        np.testing.assert_allclose(gates[:, k], expected, rtol=4 * np.finfo(dtype).eps, atol=tiny, equal_nan=True)
    c_expected = sig * tanh
    np.testing.assert_allclose(c, c_expected.astype(dtype), rtol=4 * np.finfo(dtype).eps, atol=tiny, equal_nan=True)
    np.testing.assert_allclose(tc, torch.tanh(torch.tensor(c)).numpy(), rtol=4 * np.finfo(dtype).eps, equal_nan=True)
    assert np.isnan(gates[-1]).all() and np.isnan(h[-1])


@settings(max_examples=30, deadline=None)
@given(st.sampled_from([np.float32, np.float64]), st.floats(-60, 60), st.integers(0, 2 ** 32 - 1))
def test_sigmoid_and_tanh_within_three_units_in_the_last_place(dtype, scale, seed):
    v = (np.random.default_rng(seed).standard_normal(257) * scale).astype(dtype)
    gates, c, tc, h = gates_of(v, dtype)
    exact = v.astype(np.float64)
    if dtype == np.float64:  # references in float64 are as exact as ours: compare with PyTorch's within 3 units
        sig, tanh = torch.sigmoid(torch.tensor(v)).numpy(), torch.tanh(torch.tensor(v)).numpy()
        tanh_c = torch.tanh(torch.tensor(c)).numpy()
    else:
        sig, tanh, tanh_c = 1 / (1 + np.exp(-exact)), np.tanh(exact), np.tanh(c.astype(np.float64))
    assert ulps(gates[:, 0], sig, dtype).max() <= 3
    assert ulps(gates[:, 2], tanh, dtype).max() <= 3
    assert ulps(tc, tanh_c, dtype).max() <= 3


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("length", [1, 10, 23])
def test_the_chunked_steps_compute_numpys_formulas(reverse, length):
    rng = np.random.default_rng(length)
    batch, n = 3, 5
    xw, w_hh = rng.standard_normal((length, batch, 4 * n)), rng.standard_normal((4 * n, n)) * 0.5
    h0, c0, g = rng.standard_normal((batch, n)), rng.standard_normal((batch, n)), rng.standard_normal((length + 1, batch, n))
    states, kept = lstm_forward(xw, h0, c0, w_hh, reverse)
    d, d_h0, d_c0 = lstm_backward(g, kept, h0, c0, w_hh, reverse)
    sigmoid = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731
    h, c, hs, acts, cs = h0, c0, {}, {}, {}
    for t in (range(length - 1, -1, -1) if reverse else range(length)):
        a = xw[t] + h @ w_hh.T
        i, f, gg, o = sigmoid(a[:, :n]), sigmoid(a[:, n:2 * n]), np.tanh(a[:, 2 * n:3 * n]), sigmoid(a[:, 3 * n:])
        acts[t], cs[t] = (i, f, gg, o, c), None
        c = f * c + i * gg
        h = o * np.tanh(c)
        hs[t], cs[t] = h, c
    np.testing.assert_allclose(states[:length], np.stack([hs[t] for t in range(length)]), rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(states[length], c, rtol=1e-13, atol=1e-14)
    dh, dc = np.zeros_like(h0), g[length]
    for t in (range(length) if reverse else range(length - 1, -1, -1)):
        i, f, gg, o, c_prev = acts[t]
        tc = np.tanh(cs[t])
        dh = g[t] + dh
        dc = dc + dh * o * (1 - tc * tc)
        da = np.concatenate([dc * gg * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - gg * gg),
                             dh * tc * o * (1 - o)], 1)
        np.testing.assert_allclose(d[t], da, rtol=1e-12, atol=1e-13)
        dh, dc = da @ w_hh, dc * f
    np.testing.assert_allclose(d_h0, dh, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(d_c0, dc, rtol=1e-12, atol=1e-13)
