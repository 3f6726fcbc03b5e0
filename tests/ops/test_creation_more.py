"""meshgrid, new_full/new_empty, nonzero, argwhere, unique and Tensor.where against PyTorch."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ourdl
from tests.oracle import assert_same, both, check, torch


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("indexing", ["ij", "xy"])
@pytest.mark.parametrize("sizes", [(3,), (2, 3), (2, 1, 4), (0, 2), (1, 3)])
def test_meshgrid_values_and_gradients(sizes, indexing, dtype):
    arrays = [np.random.default_rng(i).standard_normal(n).astype(dtype) for i, n in enumerate(sizes)]
    for k in range(len(sizes)):
        check(lambda *ts: ourdl.meshgrid(*ts, indexing=indexing)[k] * 1,
              lambda *ts: torch.meshgrid(*ts, indexing=indexing)[k] * 1, *arrays)


def test_meshgrid_list_and_0d_and_views():
    ours = ourdl.meshgrid([ourdl.tensor(1.0), ourdl.arange(3.0)], indexing="xy")
    theirs = torch.meshgrid([torch.tensor(1.0), torch.arange(3.0)], indexing="xy")
    for a, b in zip(ours, theirs):
        assert_same(a, b)
    x = ourdl.arange(3.0)
    grid = ourdl.meshgrid(x, ourdl.arange(2.0), indexing="ij")[0]
    assert grid._base is x
    x[0] = 9.0
    assert grid[0].tolist() == [9.0, 9.0]


def test_meshgrid_warns_without_indexing_as_torch():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rows, _ = ourdl.meshgrid(ourdl.arange(2), ourdl.arange(3))
    assert any("indexing argument" in str(w.message) and w.category is UserWarning for w in caught)
    assert tuple(rows.shape) == (2, 3)


@pytest.mark.parametrize("case", ["2-d", "dtypes", "indexing", "empty"])
def test_meshgrid_errors_like_torch(case):
    def run(L):
        return {"2-d": lambda: L.meshgrid(L.ones(2, 2), indexing="ij"),
                "dtypes": lambda: L.meshgrid(L.ones(2), L.ones(2, dtype=L.int64), indexing="ij"),
                "indexing": lambda: L.meshgrid(L.ones(2), indexing="foo"),
                "empty": lambda: L.meshgrid(indexing="ij")}[case]()

    with pytest.raises(RuntimeError):
        run(torch)
    with pytest.raises(RuntimeError):
        run(ourdl)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_new_full_and_new_empty(dtype):
    ours, theirs = getattr(ourdl, dtype), getattr(torch, dtype)
    a, b = ourdl.ones(1, dtype=ours), torch.ones(1, dtype=theirs)
    assert_same(a.new_full((2, 3), 1), b.new_full((2, 3), 1))
    assert_same(a.new_full([2], 2.5, dtype=ourdl.float64), b.new_full([2], 2.5, dtype=torch.float64))
    assert_same(a.new_zeros(2, 1), b.new_zeros(2, 1))
    assert_same(a.new_ones((3,)), b.new_ones((3,)))
    empty = a.new_empty(2, 3)
    assert empty.shape == (2, 3) and empty.dtype is ours
    assert a.new_empty((4,), requires_grad=dtype.startswith("float")).requires_grad == dtype.startswith("float")


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
                  elements=st.integers(-2, 2)))
def test_nonzero_argwhere_unique_like_torch(array):
    ours, theirs = both(array)
    assert_same(ours.nonzero(), theirs.nonzero())
    assert_same(ourdl.argwhere(ours), torch.argwhere(theirs))
    for a, b in zip(ourdl.nonzero(ours, as_tuple=True), torch.nonzero(theirs, as_tuple=True)):
        assert_same(a, b)
    assert len(ourdl.nonzero(ours, as_tuple=True)) == len(torch.nonzero(theirs, as_tuple=True))
    for flags in [(False, False), (True, False), (False, True), (True, True)]:
        got = ours.unique(return_inverse=flags[0], return_counts=flags[1])
        expected = torch.unique(theirs, return_inverse=flags[0], return_counts=flags[1])
        for a, b in zip(got if isinstance(got, tuple) else (got,), expected if isinstance(expected, tuple) else (expected,)):
            assert_same(a, b)
    if array.ndim:
        for dim in range(-array.ndim, array.ndim):
            if array.shape[dim] == 0 or array.size == 0:
                continue
            for a, b in zip(ourdl.unique(ours, dim=dim, return_inverse=True, return_counts=True),
                            torch.unique(theirs, dim=dim, return_inverse=True, return_counts=True)):
                assert_same(a, b)


def test_unique_floats_and_nan_like_torch():
    ours, theirs = both(np.array([[1.5, np.nan], [np.nan, 1.5]], dtype=np.float32))
    assert_same(ourdl.unique(ours), torch.unique(theirs))
    out = ourdl.unique(ours)
    assert not out.requires_grad and out.dtype is ourdl.float32
    assert_same(ours.nonzero(), theirs.nonzero())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_where_method_values_and_gradients(dtype):
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(dtype)
    y = np.random.default_rng(1).standard_normal((1, 4)).astype(dtype)
    check(lambda a, b: a.where(a > 0, b), lambda a, b: a.where(a > 0, b), x, y)
    check(lambda a: a.where(a < 0, 2.0), lambda a: a.where(a < 0, 2.0), x)
