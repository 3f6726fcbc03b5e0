"""The activations PyTorch does not have: values against their published formulas, gradients by gradcheck."""

import numpy as np
import pytest

import ourdl
import ourdl.activations as A
import ourdl.activations.functional as F
from tests.activations.cases import REFERENCE

X = np.concatenate([np.linspace(-5, 5, 41), [-1.0, 1.0, -3.0, 3.0, 30.0, -30.0]])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_values_match_the_published_formula(name, dtype):
    formula, params = REFERENCE[name]
    for p in ({}, params):
        out = getattr(F, name)(ourdl.tensor(X.astype(dtype)), **p)
        assert out.dtype == ourdl.tensor(X.astype(dtype)).dtype
        tol = 1e-12 if dtype == np.float64 else 1e-5
        np.testing.assert_allclose(out.numpy(), formula(X, **p), rtol=tol, atol=tol)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_gradients_pass_gradcheck_away_from_kinks(name):
    params = REFERENCE[name][1]
    kinks = A.get(name).kinks
    x = np.random.default_rng(0).uniform(-4, 4, 12)
    x = x[np.all(np.abs(x[:, None] - np.array(kinks + (1e9,))[None, :]) > 1e-3, axis=1)]
    t = ourdl.tensor(x, dtype=ourdl.float64, requires_grad=True)
    assert ourdl.autograd.gradcheck(lambda v: getattr(F, name)(v, **params), (t,))
    if A.get(name).properties["smooth"]:
        assert ourdl.autograd.gradgradcheck(lambda v: getattr(F, name)(v, **params), (t,))


def test_step_has_zero_gradient_or_the_straight_through_one():
    x = ourdl.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    F.step(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]
    x.grad = None
    F.step(x, straight_through=True).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 1.0]


def test_swish_with_a_learnable_beta_gets_a_gradient():
    beta = ourdl.tensor([1.5], dtype=ourdl.float64, requires_grad=True)
    x = ourdl.tensor(np.linspace(-3, 3, 7), dtype=ourdl.float64, requires_grad=True)
    assert ourdl.autograd.gradcheck(lambda a, b: F.swish(a, b), (x, beta))
    np.testing.assert_allclose(F.swish(x, beta).detach().numpy(), F.swish(x, 1.5).detach().numpy(), rtol=1e-15)


def test_swish_at_beta_one_is_silu_and_hard_silu_is_hardswish():
    x = ourdl.tensor(np.linspace(-6, 6, 25))
    np.testing.assert_allclose(F.swish(x).numpy(), F.silu(x).numpy(), rtol=1e-15)
    assert F.hard_silu is F.hardswish


@pytest.mark.parametrize("dim", [0, -1])
def test_sparsemax_is_a_sparse_probability_distribution(dim):
    z = ourdl.tensor(np.random.default_rng(1).standard_normal((5, 6)) * 3, dtype=ourdl.float64)
    p = F.sparsemax(z, dim=dim).numpy()
    np.testing.assert_allclose(p.sum(axis=dim), 1.0, rtol=1e-12)
    assert (p >= 0).all() and (p == 0).any()
    np.testing.assert_allclose(F.sparsemax(ourdl.tensor([1.0, 2.0, 3.5])).numpy(), [0.0, 0.0, 1.0])
    np.testing.assert_allclose(F.sparsemax(ourdl.tensor([0.1, 0.2, 0.3]), dim=0).numpy(), [0.2333333, 0.3333333,
                                                                                         0.4333333], rtol=1e-6)


def test_sparsemax_gradient_by_gradcheck():
    z = ourdl.tensor(np.random.default_rng(2).standard_normal((3, 5)), dtype=ourdl.float64, requires_grad=True)
    assert ourdl.autograd.gradcheck(lambda t: F.sparsemax(t, dim=1), (z,))
    assert ourdl.autograd.gradgradcheck(lambda t: F.sparsemax(t, dim=1), (z,))
