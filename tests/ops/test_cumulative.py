"""Running ops (ops/cumulative.py) in half precision, against PyTorch and the exact values."""

import numpy as np
import pytest

import ourdl
from tests.oracle import torch


@pytest.mark.parametrize("name, size", [("cumsum", 20000), ("cumprod", 300), ("logcumsumexp", 2000)])
def test_float16_running_ops_accumulate_in_float32_at_least_as_exactly_as_torch(name, size):
    """Half precision accumulates in float32 and rounds each result once, as PyTorch's: a float16 running sum of
    values near 1 stalled at 2048 (cumsum was off by 749 at the end of 20,000 terms) and logcumsumexp by a third."""
    x = (np.random.default_rng(0).random(size) * 0.1 + 0.95).astype(np.float16)
    results = []
    for lib, dtype in ((ourdl, np.float16), (torch, np.float16), (torch, np.float64)):
        t = lib.tensor(x.astype(dtype), requires_grad=True)
        y = getattr(t, name)(0)
        y.backward(lib.ones_like(y))
        results.append([a.detach().numpy().astype(np.float64) for a in (y, t.grad)])
        assert lib is torch or (y.dtype == t.grad.dtype == ourdl.float16)
    ours, theirs, exact = results
    for a, b, e in zip(ours, theirs, exact):
        assert np.max(np.abs(a - e) / np.abs(e)) <= np.max(np.abs(b - e) / np.abs(e)) * 1.001


def test_logcumsumexp_backward_is_linear_in_the_length_and_torchs():
    """100,000 values: the gradient is two reversed running log-sums, not a sum over all pairs (which would need
    40 GB here); values with -inf, inf and a NaN in the upstream gradient as PyTorch's."""
    import tracemalloc

    rng = np.random.default_rng(1)
    x = rng.standard_normal(100_000) * 5
    x[[0, 10, 99_999]] = [-np.inf, -np.inf, np.inf]
    g = rng.standard_normal(100_000)
    g[50_000] = np.nan
    grads = []
    for lib in (ourdl, torch):
        t = lib.tensor(x, requires_grad=True)
        y = lib.logcumsumexp(t, 0)
        tracemalloc.start()
        y.backward(lib.tensor(g))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        grads.append(t.grad.numpy())
        assert lib is torch or peak < 50 * x.nbytes
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-10, atol=1e-12, equal_nan=True)
