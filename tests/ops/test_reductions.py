"""Reductions against PyTorch: every dim/keepdim combination (hypothesis), ties, NaN, gradcheck."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ourdl
from tests.oracle import assert_same, both, check, check_double, torch

DTYPES = [np.float32, np.float64]


@st.composite
def shape_and_dim(draw, min_dims=1):
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=4, min_side=1, max_side=4))
    dims = draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1),
                          st.lists(st.integers(0, len(shape) - 1), min_size=1, max_size=len(shape), unique=True)
                          .map(tuple)))
    return shape, dims


REDUCTIONS = {
    "sum": lambda lib, x, dim, keep: x.sum() if dim is None else lib.sum(x, dim=dim, keepdim=keep),
    "mean": lambda lib, x, dim, keep: x.mean() if dim is None else lib.mean(x, dim=dim, keepdim=keep),
    "amax": lambda lib, x, dim, keep: lib.amax(x, dim=() if dim is None else dim, keepdim=keep),
    "amin": lambda lib, x, dim, keep: lib.amin(x, dim=() if dim is None else dim, keepdim=keep),
    "logsumexp": lambda lib, x, dim, keep: lib.logsumexp(x, dim=tuple(range(x.ndim)) if dim is None else dim,
                                                         keepdim=keep),
    "var": lambda lib, x, dim, keep: lib.var(x, dim=dim, keepdim=keep),
    "std": lambda lib, x, dim, keep: lib.std(x, dim=dim, keepdim=keep),
    "norm": lambda lib, x, dim, keep: lib.norm(x, p=2, dim=dim, keepdim=keep),
}


@pytest.mark.filterwarnings("ignore:.*degrees of freedom:UserWarning")  # torch's, for var of one element
@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@settings(max_examples=25, deadline=None)
@given(sd=shape_and_dim(), keep=st.booleans(), dtype=st.sampled_from(DTYPES))
def test_reduction_any_dims(name, sd, keep, dtype):
    shape, dim = sd
    x = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    fn = REDUCTIONS[name]
    if name in ("var", "std") and x.size <= 1:
        return
    check(lambda t: fn(ourdl, t, dim, keep), lambda t: fn(torch, t, dim, keep), x, rtol=1e-4 if dtype == np.float32 else None)


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reduction_gradcheck_and_gradgradcheck(name):
    x = ourdl.tensor(np.random.default_rng(1).standard_normal((3, 4)), requires_grad=True)
    fn = REDUCTIONS[name]
    assert ourdl.autograd.gradcheck(lambda t: fn(ourdl, t, 1, False), (x,))
    assert ourdl.autograd.gradgradcheck(lambda t: fn(ourdl, t, 1, False), (x,))


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reduction_second_derivative_matches_torch(name):
    x = np.random.default_rng(2).standard_normal((3, 4))
    fn = REDUCTIONS[name]
    check_double(lambda t: fn(ourdl, t, 0, True), lambda t: fn(torch, t, 0, True), x)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["amax", "amin"])
def test_ties_share_gradient(name, dtype):
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], dtype=dtype)
    check(lambda t: getattr(ourdl, name)(t, dim=1), lambda t: getattr(torch, name)(t, dim=1), x)
    check(lambda t: getattr(ourdl, name)(t), lambda t: getattr(torch, name)(t), x)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_all_elements(name, dtype):
    x = np.array([[1.0, 3.0, 3.0], [2.0, -5.0, 2.0]], dtype=dtype)
    check(lambda t: getattr(t, name)(), lambda t: getattr(t, name)(), x)


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_along_dim_values_and_indices(name, dim, keepdim):
    x = np.random.default_rng(3).standard_normal((3, 4)).astype(np.float32)
    ours, theirs = both(x)
    o = getattr(ours, name)(dim=dim, keepdim=keepdim)
    t = getattr(theirs, name)(dim=dim, keepdim=keepdim)
    assert_same(o.values, t.values)
    assert_same(o.indices, t.indices)
    values, indices = o  # unpacks like PyTorch's named tuple
    assert values is o.values and indices is o.indices
    check(lambda a: getattr(a, name)(dim=dim, keepdim=keepdim)[0], lambda a: getattr(a, name)(dim=dim, keepdim=keepdim)[0], x)


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [None, 0, 1])
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin(name, dim, keepdim):
    x = np.random.default_rng(4).standard_normal((3, 4)).astype(np.float32)
    ours, theirs = both(x, requires_grad=False)
    assert_same(getattr(ours, name)(dim=dim, keepdim=keepdim), getattr(theirs, name)(dim=dim, keepdim=keepdim))


def test_max_with_nan_is_nan():
    x = np.array([1.0, np.nan, 3.0], dtype=np.float32)
    check(lambda t: t.max(), lambda t: t.max(), x, grad=False)
    ours, theirs = both(x, requires_grad=False)
    assert ours.argmax().item() == theirs.argmax().item() == 1


@pytest.mark.parametrize("dim", [None, 0, 1])
def test_prod_second_derivative_with_zeros_like_torch(dim):
    x = np.array([[0.0, 2.0, 3.0, -1.0], [0.0, 0.0, 5.0, 2.0], [1.5, -2.0, 0.5, 4.0]])
    reduce = (lambda t: t.prod()) if dim is None else (lambda t: t.prod(dim))
    check_double(reduce, reduce, x)
    assert ourdl.autograd.gradgradcheck(reduce, (ourdl.tensor(x, requires_grad=True),))


@pytest.mark.parametrize("dtype", DTYPES)
def test_prod_gradient_with_zeros(dtype):
    for x in ([2.0, 3.0, 4.0], [2.0, 0.0, 4.0], [0.0, 0.0, 4.0]):
        check(lambda t: t.prod(), lambda t: t.prod(), np.array(x, dtype=dtype))
    x = np.array([[1.0, 0.0, 2.0], [3.0, 4.0, 5.0]], dtype=dtype)
    check(lambda t: t.prod(dim=1), lambda t: t.prod(dim=1), x)
    check(lambda t: t.prod(0, keepdim=True), lambda t: t.prod(0, keepdim=True), x)


@pytest.mark.parametrize("correction", [0, 1, 2])
def test_var_std_correction(correction):
    x = np.random.default_rng(5).standard_normal((4, 5))
    for name in ("var", "std"):
        check(lambda t: getattr(t, name)(dim=1, correction=correction),
              lambda t: getattr(t, name)(dim=1, correction=correction), x)
    check(lambda t: t.var(unbiased=False), lambda t: t.var(unbiased=False), x)


@pytest.mark.parametrize("dtype", DTYPES)
def test_logsumexp_is_stable(dtype):
    x = np.array([[1000.0, 1000.0, -1000.0], [-np.inf, -np.inf, -np.inf], [np.inf, 0.0, 1.0]], dtype=dtype)
    check(lambda t: t.logsumexp(1), lambda t: t.logsumexp(1), x[:1])
    check(lambda t: t.logsumexp(1), lambda t: t.logsumexp(1), x, grad=False)


@pytest.mark.parametrize("p", [1, 2, "fro", float("inf")])
def test_norm_orders(p):
    x = np.random.default_rng(6).standard_normal((3, 4))
    check(lambda t: t.norm(p=p), lambda t: t.norm(p=p), x)
    if p != "fro":
        check(lambda t: t.norm(p=p, dim=1), lambda t: t.norm(p=p, dim=1), x)


def test_norm_gradient_at_zero_is_zero():
    check(lambda t: t.norm(), lambda t: t.norm(), np.zeros(3))


@pytest.mark.parametrize("name", ["sum", "all", "any"])
def test_integer_and_bool_reductions(name):
    for x in (np.array([[1, 2], [3, 4]]), np.array([[True, False], [True, True]])):
        ours, theirs = both(x, requires_grad=False)
        assert_same(getattr(ours, name)(), getattr(theirs, name)())
        assert_same(getattr(ours, name)(dim=1), getattr(theirs, name)(dim=1))


def test_cumsum():
    x = np.random.default_rng(7).standard_normal((3, 4))
    check(lambda t: t.cumsum(1), lambda t: t.cumsum(1), x)
    check(lambda t: t.cumsum(dim=0), lambda t: t.cumsum(dim=0), x.astype(np.float32))


def test_mean_of_integers_is_refused_with_advice():
    with pytest.raises(RuntimeError, match="mean.*float"):
        ourdl.tensor([1, 2]).mean()
    assert ourdl.tensor([1, 2]).float().mean().item() == 1.5


def test_dim_out_of_range_error():
    with pytest.raises(IndexError, match=r"sum.*\[-2, 1\].*5"):
        ourdl.ones(2, 3).sum(5)


def test_zero_d_reductions():
    x = np.float64(2.5)
    check(lambda t: t.sum(), lambda t: t.sum(), np.array(x))
    check(lambda t: t.mean(), lambda t: t.mean(), np.array(x))
    check(lambda t: t.sum(0), lambda t: t.sum(0), np.array(x))


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_along_dim_with_ties_like_torch(name):
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0], [5.0, -1.0, -1.0]], dtype=np.float32)
    ours, theirs = both(x)
    o, t = getattr(ours, name)(dim=1), getattr(theirs, name)(dim=1)
    assert_same(o.indices, t.indices)
    check(lambda a: getattr(a, name)(1)[0], lambda a: getattr(a, name)(1)[0], x)
