"""Elementwise work split over threads gives the very same numbers as one call; the thread count is PyTorch's API."""

import numpy as np
import pytest
import torch

import ourdl
import ourdl.nn.functional as F
from ourdl.parallel import MIN_PARALLEL, map_chunks

ELEMENTWISE = [a for a in ourdl.activations.catalog() if a.elementwise and a.name not in ("prelu", "rrelu")]


@pytest.fixture
def threads():
    before = ourdl.get_num_threads()
    yield
    ourdl.set_num_threads(before)


def test_map_chunks_puts_blocks_together_in_the_kernels_structure(threads):
    ourdl.set_num_threads(2)
    x = np.random.default_rng(0).standard_normal((3, MIN_PARALLEL)).astype(np.float32)
    y, (e, mask), nothing = map_chunks(lambda a, b: (np.exp(a) * b, (np.exp(-a), a > 0), None), x, 2.0)
    assert y.shape == x.shape and nothing is None
    np.testing.assert_array_equal(y, np.exp(x) * 2.0)
    np.testing.assert_array_equal(e, np.exp(-x))
    np.testing.assert_array_equal(mask, x > 0)


def test_map_chunks_reraises_a_kernels_error(threads):
    ourdl.set_num_threads(2)
    x = np.zeros(4 * MIN_PARALLEL)
    calls = []

    def kernel(a):
        calls.append(len(a))
        if len(calls) > 3:
            raise ValueError("kernel failed")
        return a

    with pytest.raises(ValueError, match="kernel failed"):
        map_chunks(kernel, x)


def test_small_or_strided_arrays_go_in_one_call(threads):
    ourdl.set_num_threads(2)
    seen = []
    x = np.zeros(2 * MIN_PARALLEL)
    map_chunks(lambda a: seen.append(a.size) or a, x[::2])
    map_chunks(lambda a: seen.append(a.size) or a, x[:10])
    assert seen == [MIN_PARALLEL, 10]


@pytest.mark.parametrize("entry", ELEMENTWISE, ids=lambda a: a.name)
def test_every_activation_is_bit_identical_on_one_and_two_threads(entry, threads):
    rng = np.random.default_rng(1)
    data = (rng.standard_normal(MIN_PARALLEL + 1000) * 4).astype(np.float32)
    data[:4] = [0.0, -0.0, np.inf, np.nan]
    grad = rng.standard_normal(data.size).astype(np.float32)
    results = []
    for n in (1, 2):
        ourdl.set_num_threads(n)
        x = ourdl.tensor(data, requires_grad=True)
        y = entry.functional(x, **entry.parameters)
        y.backward(ourdl.tensor(grad))
        results.append((y.detach().numpy(), x.grad.numpy()))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])


def test_hot_ops_are_bit_identical_on_one_and_two_threads(threads):
    data = np.random.default_rng(2).uniform(0.1, 3, MIN_PARALLEL + 7).astype(np.float32)
    for op in (ourdl.exp, ourdl.log, ourdl.tanh, ourdl.sigmoid, ourdl.sqrt, ourdl.sin):
        outs = []
        for n in (1, 2):
            ourdl.set_num_threads(n)
            x = ourdl.tensor(data, requires_grad=True)
            op(x).sum().backward()
            outs.append((op(x).detach().numpy(), x.grad.numpy()))
        np.testing.assert_array_equal(outs[0][0], outs[1][0])
        np.testing.assert_array_equal(outs[0][1], outs[1][1])


@pytest.mark.parametrize("value", [0, -1, 2.5, True, "2"])
def test_set_num_threads_refuses_what_torch_refuses(value, threads):
    with pytest.raises(RuntimeError) as expected:
        torch.set_num_threads(value)
    with pytest.raises(RuntimeError) as got:
        ourdl.set_num_threads(value)
    assert "set_num_threads expects" in str(got.value) and "set_num_threads expects" in str(expected.value)


def test_set_num_threads_governs_blas_too(threads):
    from threadpoolctl import threadpool_info

    ourdl.set_num_threads(1)
    assert ourdl.get_num_threads() == 1
    assert all(pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas")


def test_a_large_gelu_matches_torch_on_two_threads(threads):
    ourdl.set_num_threads(2)
    data = np.random.default_rng(3).standard_normal(MIN_PARALLEL * 2).astype(np.float32) * 3
    x = ourdl.tensor(data, requires_grad=True)
    F.gelu(x).sum().backward()
    t = torch.tensor(data, requires_grad=True)
    torch.nn.functional.gelu(t).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-5, atol=1e-6)
