"""Statistics against PyTorch: cumulative ops (zeros in cumprod), order statistics and their indices
(tie-free data where PyTorch's choice is undocumented), quantiles, NaN-aware reductions, counting, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ourdl
from tests.oracle import assert_same, both, check, check_double, torch

DTYPES = [np.float32, np.float64]
LOOSE = {np.float32: dict(rtol=1e-4, atol=1e-5), np.float64: dict(rtol=1e-9, atol=1e-11)}


def _distinct(shape, dtype, seed=0):
    """Tie-free values (a permutation), so that every pick is determined."""
    n = int(np.prod(shape))
    return (np.random.default_rng(seed).permutation(n) * 0.37 - n * 0.15).reshape(shape).astype(dtype)


@st.composite
def shape_and_axis(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    return shape, draw(st.integers(-len(shape), len(shape) - 1))


@pytest.mark.parametrize("name", ["cumprod", "logcumsumexp", "cummax", "cummin"])
@settings(max_examples=20, deadline=None)
@given(sa=shape_and_axis(), dtype=st.sampled_from(DTYPES))
def test_cumulative_any_dim(name, sa, dtype):
    shape, axis = sa
    x = _distinct(shape, dtype, seed=1) / max(1, np.prod(shape) * 0.2)
    pick = (lambda r: r[0]) if name in ("cummax", "cummin") else (lambda r: r)
    check(lambda t: pick(getattr(ourdl, name)(t, axis)), lambda t: pick(getattr(torch, name)(t, axis)), x,
          **LOOSE[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
def test_cumprod_gradient_with_zeros(dtype):
    for row in ([2.0, 0.0, 3.0, 4.0], [0.0, 0.0, 2.0, 5.0], [1.5, 2.0, 3.0, 0.0], [0.0, 1.0, 1.0, 1.0]):
        x = np.array([row, row[::-1]], dtype=dtype)
        check(lambda t: ourdl.cumprod(t, 1), lambda t: torch.cumprod(t, 1), x)
        check(lambda t: t.cumprod(0), lambda t: t.cumprod(0), x)
    check_double(lambda t: ourdl.cumprod(t, 1), lambda t: torch.cumprod(t, 1), np.array([[2.0, 0.0, 3.0, 4.0]]))


def test_cumulative_second_derivatives():
    x = np.random.default_rng(2).uniform(0.5, 2, (3, 4))
    for name in ("cumprod", "logcumsumexp"):
        check_double(lambda t: getattr(ourdl, name)(t, 1), lambda t: getattr(torch, name)(t, 1), x)
        assert ourdl.autograd.gradgradcheck(lambda t: getattr(ourdl, name)(t, 0), (ourdl.tensor(x, requires_grad=True),))


def test_cumprod_and_cummax_of_integers():
    x = np.array([[3, 1, 2], [0, 5, 5]])
    assert_same(ourdl.cumprod(ourdl.tensor(x), 1), torch.cumprod(torch.tensor(x), 1))
    assert_same(ourdl.cumprod(ourdl.tensor(x > 1), 1), torch.cumprod(torch.tensor(x > 1), 1))
    for name in ("cummax", "cummin"):
        o, t = getattr(ourdl, name)(ourdl.tensor(x), 1), getattr(torch, name)(torch.tensor(x), 1)
        assert_same(o.values, t.values)
        assert_same(o.indices, t.indices)


@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_cummax_cummin_ties_and_nan(name):
    x = np.array([[1.0, 3.0, 3.0, np.nan, 5.0, np.nan], [2.0, 2.0, 1.0, 1.0, 2.0, 0.0]])
    o, t = getattr(ourdl, name)(ourdl.tensor(x), 1), getattr(torch, name)(torch.tensor(x), 1)
    assert_same(o.values, t.values)
    assert_same(o.indices, t.indices)
    check(lambda a: getattr(a, name)(1).values, lambda a: getattr(a, name)(1).values, x)


def test_logcumsumexp_extremes():
    x = np.array([[0.0, 0.0, 1000.0, -1000.0], [-np.inf, 1.0, -np.inf, 2.0]])
    check(lambda t: ourdl.logcumsumexp(t, 1), lambda t: torch.logcumsumexp(t, 1), x)
    with pytest.raises(RuntimeError, match="logcumsumexp.*int64"):
        ourdl.logcumsumexp(ourdl.tensor([1, 2]), 0)


@pytest.mark.parametrize("n", [0, 1, 2, 3])
@pytest.mark.parametrize("dim", [0, -1])
def test_diff(n, dim):
    x = np.random.default_rng(3).standard_normal((4, 5))
    check(lambda t: ourdl.diff(t, n, dim), lambda t: torch.diff(t, n, dim), x)
    pre, app = np.ones((4, 5)), np.full((4, 5), 2.0)
    pre, app = (a[:1] if dim == 0 else a[:, :2] for a in (pre, app))
    check(lambda t, p, a: t.diff(n, dim, prepend=p, append=a), lambda t, p, a: t.diff(n, dim, prepend=p, append=a),
          x, pre, app)
    b = np.array([[True, False, False], [True, True, False]])
    assert_same(ourdl.diff(ourdl.tensor(b), n), torch.diff(torch.tensor(b), n))
    assert_same(ourdl.diff(ourdl.tensor(b.astype(np.int64)), n), torch.diff(torch.tensor(b.astype(np.int64)), n))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["median", "nanmedian"])
@pytest.mark.parametrize("keepdim", [False, True])
def test_median_along_dim(name, keepdim, dtype):
    x = _distinct((4, 6), dtype)
    x_odd = _distinct((3, 5), dtype, seed=4)
    for data in (x, x_odd):
        for dim in (0, 1, -1):
            o = getattr(ourdl, name)(ourdl.tensor(data), dim, keepdim)
            t = getattr(torch, name)(torch.tensor(data), dim, keepdim)
            assert_same(o.values, t.values)
            assert_same(o.indices, t.indices)
            check(lambda a: getattr(a, name)(dim, keepdim)[0], lambda a: getattr(a, name)(dim, keepdim)[0], data)


@pytest.mark.parametrize("dtype", DTYPES)
def test_median_whole_tensor_shares_ties(dtype):
    for x in ([3.0, 1.0, 2.0, 2.0], [[5.0, 2.0], [2.0, 2.0]], [1.0, 2.0, 3.0, 4.0], [7.0]):
        for name in ("median", "nanmedian"):
            check(getattr(ourdl, name), getattr(torch, name), np.array(x, dtype=dtype))
    x = np.array([1.0, np.nan, 3.0, np.nan, 0.5], dtype=dtype)
    check(ourdl.median, torch.median, x)
    check(ourdl.nanmedian, torch.nanmedian, x)


def test_median_nan_rows():
    x = np.array([[1.0, np.nan, 3.0, 0.0], [4.0, 2.0, 5.0, 1.0], [np.nan, 2.0, 6.0, 1.0]])
    o, t = ourdl.median(ourdl.tensor(x), 1), torch.median(torch.tensor(x), 1)
    assert_same(o.values, t.values)
    assert_same(o.indices, t.indices)
    o, t = ourdl.nanmedian(ourdl.tensor(x), 1), torch.nanmedian(torch.tensor(x), 1)
    assert_same(o.values, t.values)
    assert_same(o.indices, t.indices)
    assert np.isnan(ourdl.nanmedian(ourdl.tensor([np.nan, np.nan])).item())


def test_median_integers():
    x = np.array([[4, 1, 3, 2], [9, 7, 8, 6]])
    assert_same(ourdl.median(ourdl.tensor(x)), torch.median(torch.tensor(x)))
    assert_same(ourdl.tensor(x).median(1).values, torch.tensor(x).median(1).values)


@pytest.mark.parametrize("keepdim", [False, True])
def test_mode(keepdim):
    x = np.array([[3.0, 1.0, 3.0, 1.0, 2.0], [5.0, 5.0, 4.0, 4.0, 4.0], [1.0, 2.0, 3.0, 4.0, 2.0]])
    for data in (x, x.astype(np.int64)):
        o, t = ourdl.mode(ourdl.tensor(data), 1, keepdim), torch.mode(torch.tensor(data), 1, keepdim)
        assert_same(o.values, t.values)
        assert_same(o.indices, t.indices)
    check(lambda a: a.mode(0, keepdim)[0], lambda a: a.mode(0, keepdim)[0], _distinct((3, 4), np.float64))
    check(lambda a: a.mode(keepdim=keepdim)[0], lambda a: a.mode(keepdim=keepdim)[0], x)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile(interpolation, dtype):
    x = _distinct((4, 7), dtype, seed=5)
    for q in (0.0, 0.3, 0.5, 1.0, np.array([0.1, 0.25, 0.9], dtype=dtype)):
        for dim, keepdim in ((None, False), (None, True), (0, False), (1, True), (-1, False)):
            def run(lib, t, q=q, dim=dim, keepdim=keepdim):
                qq = lib.tensor(q) if isinstance(q, np.ndarray) else q
                return lib.quantile(t, qq, dim=dim, keepdim=keepdim, interpolation=interpolation)

            check(lambda t: run(ourdl, t), lambda t: run(torch, t), x, **LOOSE[dtype])


def test_quantile_nan_and_errors():
    x = np.array([[1.0, np.nan, 3.0], [1.0, 2.0, 3.0]])
    check(lambda t: t.quantile(0.5, dim=1), lambda t: t.quantile(0.5, dim=1), x)
    t = ourdl.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match="quantile.*range"):
        t.quantile(1.5)
    with pytest.raises(RuntimeError, match="quantile.*float"):
        ourdl.tensor([1, 2]).quantile(0.5)
    with pytest.raises(RuntimeError, match="quantile.*same dtype"):
        t.quantile(ourdl.tensor([0.5], dtype=ourdl.float64))
    with pytest.raises(ValueError, match="interpolation"):
        t.quantile(0.5, interpolation="cubic")


@pytest.mark.parametrize("dtype", DTYPES)
def test_nansum_nanmean(dtype):
    x = np.array([[1.0, np.nan, 2.0], [np.nan, np.nan, np.nan], [3.0, -1.0, 0.5]], dtype=dtype)
    for dim, keepdim in ((None, False), (0, False), (1, True), ((0, 1), False)):
        check(lambda t: ourdl.nansum(t, dim, keepdim), lambda t: torch.nansum(t, dim, keepdim), x)
        check(lambda t: t.nanmean(dim, keepdim), lambda t: t.nanmean(dim, keepdim), x)
    assert_same(ourdl.nansum(ourdl.tensor([1, 2])), torch.nansum(torch.tensor([1, 2])))
    with pytest.raises(RuntimeError, match="nanmean.*int64"):
        ourdl.nanmean(ourdl.tensor([1, 2]))


@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
@pytest.mark.parametrize("correction", [0, 1, 2])
def test_var_mean_std_mean(name, correction):
    x = np.random.default_rng(6).standard_normal((4, 5))
    for dim, keepdim in ((None, False), (1, False), (0, True), ((0, 1), False)):
        for i in (0, 1):
            check(lambda t: getattr(ourdl, name)(t, dim, correction=correction, keepdim=keepdim)[i],
                  lambda t: getattr(torch, name)(t, dim, correction=correction, keepdim=keepdim)[i], x)
        if dim in (1, 0):  # std's second derivative over all elements is reductions.std's, compared there
            check_double(lambda t: getattr(ourdl, name)(t, dim, correction=correction, keepdim=keepdim)[0],
                         lambda t: getattr(torch, name)(t, dim, correction=correction, keepdim=keepdim)[0], x)
    o, t = getattr(ourdl, name)(ourdl.tensor(x), True), getattr(torch, name)(torch.tensor(x), True)
    assert_same(o[0], t[0])


def test_aminmax():
    x = np.array([[1.0, 5.0, 5.0], [-2.0, 3.0, -2.0]])
    for kwargs in ({}, {"dim": 1}, {"dim": 0, "keepdim": True}, {"keepdim": True}):
        o, t = ourdl.aminmax(ourdl.tensor(x), **kwargs), torch.aminmax(torch.tensor(x), **kwargs)
        assert_same(o.min, t.min)
        assert_same(o.max, t.max)
    check(lambda a: a.aminmax(dim=1).max, lambda a: a.aminmax(dim=1).max, _distinct((3, 4), np.float64))
    with pytest.raises(RuntimeError, match="aminmax.*empty"):
        ourdl.aminmax(ourdl.zeros(0))


def test_count_nonzero():
    x = np.array([[0.0, 1.0, -0.0], [np.nan, 0.0, 2.0]])
    for dim in (None, 0, 1, (0, 1)):
        assert_same(ourdl.count_nonzero(ourdl.tensor(x), dim), torch.count_nonzero(torch.tensor(x), dim))
    assert_same(ourdl.tensor([True, False]).count_nonzero(), torch.tensor([True, False]).count_nonzero())


def test_bincount():
    x = np.array([0, 2, 2, 5, 1])
    assert_same(ourdl.bincount(ourdl.tensor(x)), torch.bincount(torch.tensor(x)))
    assert_same(ourdl.tensor(x).bincount(minlength=9), torch.tensor(x).bincount(minlength=9))
    for w in (np.array([0.5, 1, 2, 3, 4], dtype=np.float32), np.arange(5.0), np.arange(5)):
        assert_same(ourdl.bincount(ourdl.tensor(x), ourdl.tensor(w)), torch.bincount(torch.tensor(x), torch.tensor(w)))
    assert_same(ourdl.bincount(ourdl.tensor(np.zeros(0, dtype=np.int64))), torch.bincount(torch.tensor([], dtype=torch.int64)))
    with pytest.raises(RuntimeError, match="bincount.*non-negative"):
        ourdl.bincount(ourdl.tensor([1, -1]))
    with pytest.raises(RuntimeError, match="bincount.*float32"):
        ourdl.bincount(ourdl.tensor([1.0]))


@pytest.mark.parametrize("dtype", DTYPES)
def test_histc(dtype):
    x = np.array([1.0, 2.0, 1.0, 4.0, 5.0, -3.0, 2.5, 7.0], dtype=dtype)
    for bins, lo, hi in ((4, 0, 0), (4, 0, 4), (3, 1, 5), (10, -5, 10), (1, 0, 0)):
        assert_same(ourdl.histc(ourdl.tensor(x), bins, lo, hi), torch.histc(torch.tensor(x), bins, lo, hi))
    assert_same(ourdl.tensor(np.full(3, 2.0, dtype=dtype)).histc(4), torch.tensor(np.full(3, 2.0, dtype=dtype)).histc(4))
    with pytest.raises(RuntimeError, match="histc.*int64"):
        ourdl.histc(ourdl.tensor([1, 2]))


@pytest.mark.parametrize("right", [False, True])
def test_searchsorted_and_bucketize(right):
    seq = np.array([1.0, 3.0, 3.0, 5.0, 7.0])
    values = np.array([[0.0, 3.0, 6.0], [7.0, 8.0, 1.0]])
    assert_same(ourdl.searchsorted(ourdl.tensor(seq), ourdl.tensor(values), right=right),
                torch.searchsorted(torch.tensor(seq), torch.tensor(values), right=right))
    assert_same(ourdl.searchsorted(ourdl.tensor(seq), ourdl.tensor(values), side="right" if right else "left",
                                   out_int32=True),
                torch.searchsorted(torch.tensor(seq), torch.tensor(values), side="right" if right else "left",
                                   out_int32=True))
    seq2 = np.sort(np.random.default_rng(7).integers(0, 10, (2, 4)), axis=1)
    vals2 = np.array([[0, 5, 9], [3, 3, 10]])
    assert_same(ourdl.searchsorted(ourdl.tensor(seq2), ourdl.tensor(vals2), right=right),
                torch.searchsorted(torch.tensor(seq2), torch.tensor(vals2), right=right))
    unsorted = np.array([5.0, 1.0, 3.0])
    sorter = np.argsort(unsorted)
    assert_same(ourdl.searchsorted(ourdl.tensor(unsorted), ourdl.tensor([2.0, 4.0]), sorter=ourdl.tensor(sorter)),
                torch.searchsorted(torch.tensor(unsorted), torch.tensor([2.0, 4.0]), sorter=torch.tensor(sorter)))
    assert_same(ourdl.bucketize(ourdl.tensor(values), ourdl.tensor(seq), right=right),
                torch.bucketize(torch.tensor(values), torch.tensor(seq), right=right))
    with pytest.raises(RuntimeError, match="searchsorted.*boundaries"):
        ourdl.searchsorted(ourdl.tensor(seq2), ourdl.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="bucketize.*1 dimension"):
        ourdl.bucketize(ourdl.tensor(values), ourdl.tensor(seq2))


def test_methods_exist_where_torch_has_them():
    for name in ourdl.ops.statistics.METHODS:
        assert hasattr(torch.Tensor, name) and hasattr(ourdl.Tensor, name), name


def test_errors_name_the_op():
    x = ourdl.ones(2, 3)
    with pytest.raises(IndexError, match="cumprod"):
        ourdl.cumprod(x, 2)
    with pytest.raises(IndexError, match="median.*non-zero"):
        ourdl.median(ourdl.zeros(2, 0), 1)
    with pytest.raises(RuntimeError, match="diff.*one-dimensional"):
        ourdl.diff(ourdl.tensor(1.0))
    with pytest.raises(RuntimeError, match=r"diff.*prepend \[3\]"):
        ourdl.diff(x, prepend=ourdl.ones(3))
