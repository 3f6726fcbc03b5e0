"""Gathering, scattering and sorting against PyTorch: values, indices, gradients of every order, edge cases, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ourdl
import ourdl.nn.functional as F
from tests.oracle import assert_same, both, check, check_double, torch

DTYPES = [np.float32, np.float64]
RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4, 5))
DISTINCT = RNG.permutation(60).reshape(3, 4, 5) / 7.0 - 4.0  # no ties: every sort and top-k is unambiguous


def index(lib, values):
    return lib.tensor(np.asarray(values, dtype=np.int64))


# -- gather, scatter, scatter_add -----------------------------------------------------------------

GATHER_INDEX = {
    0: RNG.integers(0, 3, size=(2, 4, 5)),
    1: RNG.integers(0, 4, size=(3, 6, 2)),  # larger than the input along dim, smaller elsewhere
    -1: RNG.integers(0, 5, size=(1, 2, 9)),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dim", sorted(GATHER_INDEX))
def test_gather_values_and_gradients(dim, dtype):
    idx = GATHER_INDEX[dim]
    out, _ = check(lambda t: ourdl.gather(t, dim, index(ourdl, idx)), lambda t: torch.gather(t, dim, index(torch, idx)),
                   X.astype(dtype))
    assert out.grad_fn.name() == "GatherBackward0"


@st.composite
def gather_case(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    axis = dim % len(shape)
    index_shape = tuple(draw(st.integers(0, 5)) if d == axis else draw(st.integers(0, s)) for d, s in enumerate(shape))
    idx = draw(hnp.arrays(np.int64, index_shape, elements=st.integers(0, shape[axis] - 1)))
    return shape, dim, idx


@settings(max_examples=40, deadline=None)
@given(case=gather_case(), dtype=st.sampled_from(DTYPES))
def test_gather_scatter_add_any_shape(case, dtype):
    shape, dim, idx = case
    x = np.random.default_rng(1).standard_normal(shape).astype(dtype)
    src = np.random.default_rng(2).standard_normal(np.maximum(idx.shape, 1)).astype(dtype)
    check(lambda t: t.gather(dim, index(ourdl, idx)), lambda t: t.gather(dim, index(torch, idx)), x)
    check(lambda t, s: t.scatter_add(dim, index(ourdl, idx), s), lambda t, s: t.scatter_add(dim, index(torch, idx), s),
          x, src)


def unique_positions(shape, dim, rng):
    """An index whose positions are all different along ``dim`` (scatter with repeats has no defined winner)."""
    moved = np.moveaxis(np.empty(shape), dim, -1)
    rows = [rng.permutation(moved.shape[-1])[: moved.shape[-1] - 1] for _ in range(int(np.prod(moved.shape[:-1])))]
    return np.moveaxis(np.array(rows).reshape(moved.shape[:-1] + (-1,)), -1, dim)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_scatter_src_and_value(dim, dtype):
    idx = unique_positions(X.shape, dim, np.random.default_rng(3))
    src = np.random.default_rng(4).standard_normal((4, 5, 6)).astype(dtype)
    out, _ = check(lambda t, s: t.scatter(dim, index(ourdl, idx), s),
                   lambda t, s: t.scatter(dim, index(torch, idx), s), X.astype(dtype), src[tuple(map(slice, idx.shape))])
    assert out.grad_fn.name() == "ScatterBackward0"
    # A src larger than the index is cut to it (torch's own gradient for that case has the wrong shape: see
    # test_gradient_of_the_source_of_scatter for ours).
    check(lambda t, s: t.scatter(dim, index(ourdl, idx), s), lambda t, s: t.scatter(dim, index(torch, idx), s),
          X.astype(dtype), src, grad=False)
    check(lambda t: ourdl.scatter(t, dim, index(ourdl, idx), 2.5), lambda t: torch.scatter(t, dim, index(torch, idx), 2.5),
          X.astype(dtype))
    check(lambda t: t.scatter(dim, index(ourdl, idx), value=-1.0),
          lambda t: t.scatter(dim, index(torch, idx), value=-1.0), X.astype(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_scatter_add_repeats_add_up(dtype):
    idx = np.array([[0, 0, 2, 0], [1, 1, 1, 1]])
    src = np.arange(8.0).reshape(2, 4).astype(dtype)
    out, _ = check(lambda t, s: ourdl.scatter_add(t, 1, index(ourdl, idx), s),
                   lambda t, s: torch.scatter_add(t, 1, index(torch, idx), s), X[0, :2, :3].astype(dtype), src)
    assert out.grad_fn.name() == "ScatterAddBackward0"


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter:UserWarning")
@pytest.mark.parametrize("reduce", ["add", "multiply"])
def test_scatter_reduce_forward_and_no_derivative(reduce):
    idx = np.array([[0, 0, 2], [1, 1, 1]])
    src = np.arange(1.0, 7.0).reshape(2, 3)
    ours, theirs = both(X[0, :2, :3])
    s_ours, s_theirs = both(src, requires_grad=False)
    out = ours.scatter(1, index(ourdl, idx), s_ours, reduce=reduce)
    assert_same(out, theirs.scatter(1, index(torch, idx), s_theirs, reduce=reduce))
    assert_same(ourdl.scatter(ours, 1, index(ourdl, idx), 3.0, reduce=reduce),
                torch.scatter(theirs, 1, index(torch, idx), 3.0, reduce=reduce))
    with pytest.raises(RuntimeError, match="derivative of scatter with reduce"):
        out.sum().backward()


@pytest.mark.parametrize("dtype", [np.int64, np.int32])
def test_integer_inputs(dtype):
    x = np.arange(12).reshape(3, 4).astype(dtype)
    idx = np.array([[2, 0, 1, 1]])
    for fn in [lambda lib, t: t.gather(0, index(lib, idx)),
               lambda lib, t: t.scatter_add(0, index(lib, idx), t),
               lambda lib, t: t.scatter(0, index(lib, [[2, 0, 1, 0]]), 7),
               lambda lib, t: t.scatter(0, index(lib, [[2, 0, 1, 0]]), 2.7),  # the value takes the input's dtype
               lambda lib, t: t.index_select(1, index(lib, [3, 3, 0])),
               lambda lib, t: t.take_along_dim(index(lib, idx), 0),
               lambda lib, t: t.masked_select(t > 4),
               lambda lib, t: t.sort(1, descending=True).values,
               lambda lib, t: t.topk(2, 0).values,
               lambda lib, t: t.kthvalue(2, 1).values]:
        ours, theirs = both(x)
        assert_same(fn(ourdl, ours), fn(torch, theirs))


def test_int32_index_is_accepted_where_pytorch_accepts_it():
    idx = np.array([[1, 0], [2, 2]], dtype=np.int32)
    for fn in [lambda lib, t: t.gather(1, lib.tensor(idx)), lambda lib, t: t.scatter_add(1, lib.tensor(idx), t),
               lambda lib, t: t.scatter(1, lib.tensor(idx), 0.5), lambda lib, t: t.index_select(1, lib.tensor(idx[0]))]:
        ours, theirs = both(X[0, :2, :3])
        assert_same(fn(ourdl, ours), fn(torch, theirs))


# -- index_select, take_along_dim, masked_select --------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dim", [0, 1, 2, -2])
def test_index_select(dim, dtype):
    idx = [1, 0, 1, 1, 2]
    out, _ = check(lambda t: ourdl.index_select(t, dim, index(ourdl, idx)),
                   lambda t: torch.index_select(t, dim, index(torch, idx)), X.astype(dtype))
    assert out.grad_fn.name() == "IndexSelectBackward0"
    check(lambda t: t.index_select(dim, index(ourdl, 2)), lambda t: t.index_select(dim, index(torch, 2)),
          X.astype(dtype))  # a 0-d index keeps the dimension, with size 1


TAKE_ALONG = {
    "same shape": (RNG.integers(0, 4, size=(3, 4, 5)), 1),
    "broadcast index": (RNG.integers(0, 5, size=(1, 1, 7)), 2),
    "broadcast both": (RNG.integers(0, 3, size=(2, 4, 1)), 0),
    "argsort": (np.argsort(X, axis=-1), -1),
    "flattened": (RNG.integers(0, 60, size=(4, 2)), None),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", sorted(TAKE_ALONG))
def test_take_along_dim(case, dtype):
    idx, dim = TAKE_ALONG[case]
    x = X[:, :1, :] if case == "broadcast both" else X  # input size 1 against the index's 4, index 1 against 5
    check(lambda t: ourdl.take_along_dim(t, index(ourdl, idx), dim),
          lambda t: torch.take_along_dim(t, index(torch, idx), dim), x.astype(dtype))


MASKS = {
    "same shape": (X > 0, X),
    "mask broadcast": (X[0, :, :1] > 0, X),
    "input broadcast": (X > 0, X[:, :1, :]),
    "both broadcast": (X[:, :1, :] > 0, X[:1, :, :]),
    "nothing selected": (np.zeros((3, 4, 5), bool), X),
    "0-d": (np.array(True), np.array(1.5)),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", sorted(MASKS))
def test_masked_select(case, dtype):
    mask, x = MASKS[case]
    out, _ = check(lambda t: ourdl.masked_select(t, ourdl.tensor(mask)),
                   lambda t: torch.masked_select(t, torch.tensor(mask)), x.astype(dtype))
    assert out.ndim == 1


# -- sort, argsort, topk, kthvalue ----------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("descending", [False, True])
def test_sort_values_indices_and_gradients(dim, descending, dtype):
    pairs = [both(DISTINCT.astype(dtype)) for _ in range(1)]
    (ours, theirs), = pairs
    out_o, out_t = ourdl.sort(ours, dim, descending), torch.sort(theirs, dim, descending)
    assert isinstance(out_o, tuple) and out_o._fields == ("values", "indices")
    assert_same(out_o.indices, out_t.indices, what="indices")
    assert_same(ourdl.argsort(ours, dim, descending), torch.argsort(theirs, dim, descending), what="argsort")
    out, _ = check(lambda t: t.sort(dim=dim, descending=descending).values,
                   lambda t: t.sort(dim=dim, descending=descending).values, DISTINCT.astype(dtype))
    assert out.grad_fn.name() == "SortBackward0"


@pytest.mark.parametrize("descending", [False, True])
def test_stable_sort_keeps_ties_in_order_like_pytorch(descending):
    x = np.array([[1.0, 0.0, 1.0, -0.0, 2.0, 0.0, 1.0, 2.0], [3.0, 3.0, 3.0, 1.0, 1.0, 3.0, 1.0, 3.0]])
    ours, theirs = both(x)
    for dim in (0, 1):
        out_o = ours.sort(dim, descending, stable=True)
        out_t = theirs.sort(dim=dim, descending=descending, stable=True)
        assert_same(out_o.values, out_t.values, signed_zeros=True)
        assert_same(out_o.indices, out_t.indices, what="indices")
        assert_same(ours.argsort(dim, descending, stable=True),
                    theirs.argsort(dim=dim, descending=descending, stable=True), what="argsort")


@pytest.mark.parametrize("descending", [False, True])
def test_nan_sorts_as_largest(descending):
    nan, inf = float("nan"), float("inf")
    x = np.array([[3.0, nan, 1.0, -inf, inf], [nan, 0.0, -1.0, 5.0, 2.0]])
    ours, theirs = both(x)
    assert_same(ours.sort(descending=descending).values, theirs.sort(descending=descending).values)
    assert_same(ours.sort(descending=descending).indices, theirs.sort(descending=descending).indices)
    for k in (1, 2, 4):
        for largest in (True, False):
            assert_same(ours.topk(k, largest=largest).indices, theirs.topk(k, largest=largest).indices)
            assert_same(ours.topk(k, largest=largest).values, theirs.topk(k, largest=largest).values)
        assert_same(ours.kthvalue(k).values, theirs.kthvalue(k).values)
        assert_same(ours.kthvalue(k).indices, theirs.kthvalue(k).indices)


def test_sort_bool_and_argsort_of_integers():
    x = np.array([True, False, True, False])
    ours, theirs = both(x)
    assert_same(ourdl.sort(ours, stable=True).values, torch.sort(theirs, stable=True).values)
    assert_same(ourdl.sort(ours, stable=True).indices, torch.sort(theirs, stable=True).indices)
    i_ours, i_theirs = both(np.array([[2, 0, 1], [0, 5, 5]]))
    assert_same(ourdl.argsort(i_ours, 1, True, stable=True), torch.argsort(i_theirs, dim=1, descending=True, stable=True))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dim", [0, 1, -1])
@pytest.mark.parametrize("largest", [True, False])
def test_topk(dim, largest, dtype):
    for k in (0, 1, 3):
        out, _ = check(lambda t: ourdl.topk(t, k, dim, largest).values, lambda t: torch.topk(t, k, dim, largest).values,
                       DISTINCT.astype(dtype))
        ours, theirs = both(DISTINCT.astype(dtype))
        assert_same(ours.topk(k, dim=dim, largest=largest).indices, theirs.topk(k, dim=dim, largest=largest).indices)
    assert out.grad_fn.name() == "TopkBackward0"


def test_topk_unsorted_holds_the_same_elements():
    ours, theirs = both(DISTINCT)
    got, want = ours.topk(3, sorted=False), theirs.topk(3, sorted=False)
    assert_same(got.values.sort().values, want.values.sort().values)
    assert_same(got.indices.sort().values, want.indices.sort().values)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dim", [0, 2, -2])
@pytest.mark.parametrize("keepdim", [False, True])
def test_kthvalue(dim, keepdim, dtype):
    for k in (1, 3):
        out, _ = check(lambda t: ourdl.kthvalue(t, k, dim, keepdim).values,
                       lambda t: torch.kthvalue(t, k, dim, keepdim).values, DISTINCT.astype(dtype))
        ours, theirs = both(DISTINCT.astype(dtype))
        assert_same(ours.kthvalue(k, dim, keepdim).indices, theirs.kthvalue(k, dim, keepdim).indices)
    assert out.grad_fn.name() == "KthvalueBackward0"


@st.composite
def distinct_and_dim(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    seed = draw(st.integers(0, 2 ** 16))
    return np.random.default_rng(seed).permutation(int(np.prod(shape))).reshape(shape) / 3.0, dim


SORTING = {
    "sort": lambda lib, t, dim, k: lib.sort(t, dim, descending=k % 2 == 0),
    "topk": lambda lib, t, dim, k: lib.topk(t, k, dim, largest=k % 2 == 1),
    "kthvalue": lambda lib, t, dim, k: lib.kthvalue(t, k, dim, keepdim=k % 2 == 0),
}


@pytest.mark.parametrize("name", sorted(SORTING))
@settings(max_examples=30, deadline=None)
@given(case=distinct_and_dim(), k=st.integers(1, 5), dtype=st.sampled_from(DTYPES))
def test_sorting_any_shape(name, case, k, dtype):
    data, dim = case
    k = min(k, data.shape[dim])
    fn = SORTING[name]
    check(lambda t: fn(ourdl, t, dim, k).values, lambda t: fn(torch, t, dim, k).values, data.astype(dtype))
    ours, theirs = both(data.astype(dtype))
    assert_same(fn(ourdl, ours, dim, k).indices, fn(torch, theirs, dim, k).indices, what="indices")


def test_result_types_and_methods():
    x = ourdl.tensor([[1.0, 5.0], [3.0, 2.0]])
    result = x.sort()
    values, indices = result
    assert type(result).__name__ == "sort" and values is result.values and indices is result.indices
    assert repr(x.topk(1)).startswith("ourdl.return_types.topk(values=tensor(")
    assert repr(x.kthvalue(1)).startswith("ourdl.return_types.kthvalue(values=tensor(")
    assert indices.dtype == ourdl.int64 and x.argsort().dtype == ourdl.int64
    for name in ["gather", "scatter", "scatter_add", "index_select", "take_along_dim", "masked_select", "sort",
                 "argsort", "topk", "kthvalue"]:
        assert getattr(ourdl.Tensor, name) is getattr(ourdl, name)
    assert not hasattr(ourdl, "one_hot")


# -- second derivatives ---------------------------------------------------------------------------

IDX = np.array([[0, 2, 2, 1], [1, 1, 0, 0]])
BASE = DISTINCT[0, :2, :4]

DIFFERENTIABLE = {
    "gather": lambda lib, t: t.gather(1, index(lib, IDX)),
    "scatter src": lambda lib, t: t.scatter(1, index(lib, [[1, 0], [2, 1]]), t[:, :2] * 3),
    "scatter value": lambda lib, t: lib.scatter(t, 0, index(lib, [[1, 0, 1, 0]]), 0.5),
    "scatter_add": lambda lib, t: t.scatter_add(1, index(lib, IDX), t.exp()),
    "index_select": lambda lib, t: t.index_select(1, index(lib, [3, 0, 3])),
    "take_along_dim": lambda lib, t: t.take_along_dim(index(lib, [[2], [0]]), 1),
    "take_along_dim flat": lambda lib, t: lib.take_along_dim(t, index(lib, [7, 0, 7])),
    "masked_select": lambda lib, t: t.masked_select(lib.tensor(BASE > 0)),
    "sort": lambda lib, t: t.sort(descending=True).values,
    "topk": lambda lib, t: t.topk(2, dim=0).values,
    "kthvalue": lambda lib, t: t.kthvalue(3).values,
}


@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE))
def test_second_derivatives(name):
    fn = DIFFERENTIABLE[name]
    check_double(lambda t: fn(ourdl, t) ** 3, lambda t: fn(torch, t) ** 3, BASE)


@pytest.mark.parametrize("name", sorted(DIFFERENTIABLE))
def test_gradcheck_and_gradgradcheck(name):
    fn = DIFFERENTIABLE[name]
    x = ourdl.tensor(BASE, requires_grad=True)
    assert ourdl.autograd.gradcheck(lambda t: fn(ourdl, t), (x,))
    assert ourdl.autograd.gradgradcheck(lambda t: fn(ourdl, t) ** 2, (x,))


def test_gradient_of_the_source_of_scatter():
    src = ourdl.tensor(np.random.default_rng(5).standard_normal((2, 3)), requires_grad=True)
    base = ourdl.tensor(BASE, requires_grad=True)
    idx = index(ourdl, [[1, 3], [0, 2]])
    assert ourdl.autograd.gradcheck(lambda b, s: b.scatter(1, idx, s), (base, src))
    assert ourdl.autograd.gradgradcheck(lambda b, s: b.scatter_add(1, idx, s) ** 2, (base, src))


# -- 0-d and empty --------------------------------------------------------------------------------

EDGE = {
    "gather 0-d": (np.array(2.0), lambda lib, t: t.gather(0, index(lib, 0))),
    "gather 0-d input, 1-d index": (np.array(2.0), lambda lib, t: t.gather(0, index(lib, [0, 0]))),
    "gather 1-d input, 0-d index": (np.arange(3.0), lambda lib, t: t.gather(0, index(lib, 2))),
    "gather empty index": (X, lambda lib, t: t.gather(1, lib.zeros(3, 0, 5, dtype=lib.int64))),
    "scatter 0-d": (np.array(2.0), lambda lib, t: t.scatter(0, index(lib, 0), t * 4)),
    "scatter_add 0-d repeats": (np.array(2.0), lambda lib, t: t.scatter_add(0, index(lib, [0, 0]), t.expand(2) * 3)),
    "scatter empty index": (X, lambda lib, t: t.scatter(1, lib.zeros(3, 0, 5, dtype=lib.int64), 1.0)),
    "index_select 0-d": (np.array(2.0), lambda lib, t: t.index_select(0, index(lib, [0]))),
    "index_select 0-d index": (np.array(2.0), lambda lib, t: t.index_select(0, index(lib, 0))),
    "index_select empty": (X, lambda lib, t: t.index_select(2, lib.zeros(0, dtype=lib.int64))),
    "take_along_dim 0-d flat": (np.array(2.0), lambda lib, t: lib.take_along_dim(t, index(lib, 0))),
    "take_along_dim empty": (X, lambda lib, t: lib.take_along_dim(t, lib.zeros(3, 0, 5, dtype=lib.int64), 1)),
    "sort 0-d": (np.array(2.0), lambda lib, t: t.sort().values),
    "sort 0-d indices": (np.array(2.0), lambda lib, t: t.sort(descending=True).indices),
    "argsort 0-d": (np.array(2.0), lambda lib, t: t.argsort()),
    "sort empty": (np.zeros((0, 3)), lambda lib, t: t.sort(0).values),
    "topk 0-d": (np.array(2.0), lambda lib, t: t.topk(1).values),
    "topk 0-d k=0": (np.array(2.0), lambda lib, t: t.topk(0).values),
    "topk empty": (np.zeros((0, 3)), lambda lib, t: t.topk(2).indices),
    "topk k=0 of empty dim": (np.zeros((3, 0)), lambda lib, t: t.topk(0).values),
    "kthvalue 0-d keepdim": (np.array(2.0), lambda lib, t: t.kthvalue(1, keepdim=True).values),
    "kthvalue empty elsewhere": (np.zeros((0, 3)), lambda lib, t: t.kthvalue(2).indices),
}


@pytest.mark.parametrize("case", sorted(EDGE))
def test_zero_dimensional_and_empty(case):
    x, fn = EDGE[case]
    check(lambda t: fn(ourdl, t), lambda t: fn(torch, t), x)


# -- one_hot --------------------------------------------------------------------------------------

@pytest.mark.parametrize("values, num_classes", [([0, 2, 1, 2], -1), ([[0, 3], [1, 1]], 5), (1, 3), ([], 4),
                                                 (np.zeros((2, 0)), 2)])
def test_one_hot(values, num_classes):
    data = np.asarray(values, dtype=np.int64)
    assert_same(F.one_hot(ourdl.tensor(data), num_classes), torch.nn.functional.one_hot(torch.tensor(data), num_classes))


# -- errors ---------------------------------------------------------------------------------------

M = np.arange(6.0).reshape(2, 3)

ERRORS = {
    "gather index out of range": (lambda lib, t: t.gather(1, index(lib, [[5]])), RuntimeError,
                                  ["gather", "index 5", "dimension 1", "size 3"]),
    "gather negative index": (lambda lib, t: t.gather(1, index(lib, [[-1]])), RuntimeError, ["index -1", "size 3"]),
    "gather float index": (lambda lib, t: t.gather(1, lib.tensor([[0.0]])), RuntimeError, ["gather", "int64"]),
    "gather int16 index": (lambda lib, t: t.gather(1, lib.tensor([[0]], dtype=lib.int16)), RuntimeError, ["int64"]),
    "gather dim": (lambda lib, t: t.gather(2, index(lib, [[0]])), IndexError, ["range of [-2, 1]", "got 2"]),
    "gather ndim": (lambda lib, t: t.gather(1, index(lib, [0, 1])), RuntimeError, ["same number of dimensions"]),
    "gather too large": (lambda lib, t: t.gather(0, index(lib, [[0, 1, 1, 0]])), RuntimeError,
                         ["[1, 4]", "[2, 3]", "dimension 0"]),
    "scatter out of range": (lambda lib, t: t.scatter(1, index(lib, [[3]]), 1.0), RuntimeError,
                             ["scatter", "index 3", "dimension 1"]),
    "scatter dtype": (lambda lib, t: t.scatter(1, index(lib, [[0]]), t.float()[:1, :1]), RuntimeError,
                      ["scatter", "dtype"]),
    "scatter src too small": (lambda lib, t: t.scatter(1, index(lib, [[0, 1]]), t[:1, :1]), RuntimeError,
                              ["[1, 2]", "src [1, 1]"]),
    "scatter src ndim": (lambda lib, t: t.scatter(1, index(lib, [[0]]), lib.tensor(1.0)), RuntimeError,
                         ["same number of dimensions", "src"]),
    "scatter reduce": (lambda lib, t: t.scatter(1, index(lib, [[0]]), t, reduce="mean"), RuntimeError,
                       ["add or multiply"]),
    "scatter_add float index": (lambda lib, t: t.scatter_add(1, lib.tensor([[0.0]]), t), RuntimeError,
                                ["scatter", "int64"]),
    "scatter_add number": (lambda lib, t: t.scatter_add(1, index(lib, [[0]]), 1.0), TypeError, ["scatter_add"]),
    "index_select matrix index": (lambda lib, t: t.index_select(1, index(lib, [[0]])), IndexError, ["vector"]),
    "index_select out of range": (lambda lib, t: t.index_select(1, index(lib, [3])), RuntimeError, ["index_select"]),
    "index_select float": (lambda lib, t: t.index_select(1, lib.tensor([1.0])), RuntimeError, ["int64"]),
    "index_select 0-d": (lambda lib, t: t.sum().index_select(0, index(lib, [0, 0])), RuntimeError, ["only 1 value"]),
    "index_select 0-d range": (lambda lib, t: t.sum().index_select(0, index(lib, [1])), IndexError, ["index"]),
    "take_along_dim int32": (lambda lib, t: t.take_along_dim(lib.tensor([[0]], dtype=lib.int32), 1), RuntimeError,
                             ["take_along_dim"]),
    "take_along_dim ndim": (lambda lib, t: t.take_along_dim(index(lib, [0]), 1), RuntimeError,
                            ["same number of dimensions", "2 dimensions for input", "1 dimensions for indices"]),
    "take_along_dim broadcast": (lambda lib, t: t.take_along_dim(index(lib, [[0], [1], [0]]), 1), RuntimeError,
                                 ["size", "dimension 0"]),
    "take_along_dim flat range": (lambda lib, t: lib.take_along_dim(t, index(lib, [0, 7])), RuntimeError,
                                  ["index 7", "size 6"]),
    "take_along_dim 0-d dim": (lambda lib, t: lib.take_along_dim(t.sum(), index(lib, 0), 0), IndexError,
                               ["no dimensions"]),
    "masked_select int mask": (lambda lib, t: t.masked_select(index(lib, [1, 0, 1])), RuntimeError,
                               ["masked_select", "bool"]),
    "masked_select broadcast": (lambda lib, t: t.masked_select(lib.tensor([True, False])), RuntimeError,
                                ["[2, 3]", "[2]"]),
    "sort dim": (lambda lib, t: t.sort(dim=2), IndexError, ["range of [-2, 1]"]),
    "topk k too large": (lambda lib, t: t.topk(4), RuntimeError, ["k", "out of range"]),
    "topk negative k": (lambda lib, t: t.topk(-1), RuntimeError, ["k", "out of range"]),
    "topk bool": (lambda lib, t: (t > 1).topk(1), RuntimeError, ["bool"]),
    "topk dim": (lambda lib, t: t.topk(1, dim=-3), IndexError, ["range of [-2, 1]"]),
    "kthvalue k too large": (lambda lib, t: t.kthvalue(4), RuntimeError, ["k", "out of range", "dimension 1"]),
    "kthvalue k zero": (lambda lib, t: t.kthvalue(0), RuntimeError, ["k", "out of range"]),
    "kthvalue empty dim": (lambda lib, t: t[:0].kthvalue(1, 0), IndexError, ["non-zero size"]),
    "kthvalue bool": (lambda lib, t: (t > 1).kthvalue(1), NotImplementedError, []),
    "one_hot float": (lambda lib, t: _one_hot(lib)(t), RuntimeError, ["one_hot", "LongTensor"]),
    "one_hot int32": (lambda lib, t: _one_hot(lib)(t.int()), RuntimeError, ["LongTensor"]),
    "one_hot negative": (lambda lib, t: _one_hot(lib)(index(lib, [0, -1])), RuntimeError, ["non-negative"]),
    "one_hot too few classes": (lambda lib, t: _one_hot(lib)(index(lib, [0, 2]), 2), RuntimeError,
                                ["smaller than num_classes"]),
    "one_hot empty": (lambda lib, t: _one_hot(lib)(lib.zeros(0, dtype=lib.int64)), RuntimeError, ["empty tensor"]),
}


def _one_hot(lib):
    return F.one_hot if lib is ourdl else torch.nn.functional.one_hot


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter:UserWarning")
@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_match_pytorch_and_say_what_is_wrong(case):
    fn, error, words = ERRORS[case]
    with pytest.raises(error):
        fn(torch, torch.tensor(M))
    with pytest.raises(error) as raised:
        fn(ourdl, ourdl.tensor(M))
    for word in words:
        assert word in str(raised.value), f"{word!r} missing from: {raised.value}"
