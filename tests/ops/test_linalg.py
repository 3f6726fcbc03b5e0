"""Matrix products against PyTorch: every rank combination from 1-D to batched n-D, gradients, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ourdl
from tests.oracle import check, check_double, torch

SHAPES = {
    "1-D @ 1-D": ((3,), (3,)),
    "1-D @ 2-D": ((3,), (3, 4)),
    "2-D @ 1-D": ((2, 3), (3,)),
    "2-D @ 2-D": ((2, 3), (3, 4)),
    "1-D @ 3-D": ((3,), (5, 3, 4)),
    "3-D @ 1-D": ((5, 2, 3), (3,)),
    "3-D @ 2-D": ((5, 2, 3), (3, 4)),
    "2-D @ 3-D": ((2, 3), (5, 3, 4)),
    "3-D @ 3-D": ((5, 2, 3), (5, 3, 4)),
    "broadcast batch": ((2, 1, 2, 3), (5, 3, 4)),
    "4-D @ 4-D": ((2, 5, 2, 3), (1, 5, 3, 4)),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", sorted(SHAPES))
def test_matmul_matches_torch(case, dtype):
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal(s).astype(dtype) for s in SHAPES[case])
    rtol = 1e-5 if dtype == np.float32 else None
    check(lambda x, y: x @ y, lambda x, y: x @ y, a, b, rtol=rtol, atol=1e-5 if dtype == np.float32 else None)


@pytest.mark.parametrize("case", sorted(SHAPES))
def test_matmul_gradcheck_and_double(case):
    rng = np.random.default_rng(1)
    a, b = (rng.standard_normal(s) for s in SHAPES[case])
    ta, tb = ourdl.tensor(a, requires_grad=True), ourdl.tensor(b, requires_grad=True)
    assert ourdl.autograd.gradcheck(ourdl.matmul, (ta, tb))
    assert ourdl.autograd.gradgradcheck(ourdl.matmul, (ta, tb))
    check_double(lambda x, y: (x @ y).sin(), lambda x, y: (x @ y).sin(), a, b)


def test_matmul_one_side_requires_grad():
    rng = np.random.default_rng(2)
    w = ourdl.tensor(rng.standard_normal((3, 2)), requires_grad=True)
    x = ourdl.tensor(rng.standard_normal((4, 3)))
    (x @ w).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), x.numpy().sum(0)[:, None].repeat(2, 1))
    assert x.grad is None


@pytest.mark.parametrize("name,shapes", [("mm", ((2, 3), (3, 4))), ("bmm", ((5, 2, 3), (5, 3, 4))),
                                         ("mv", ((2, 3), (3,))), ("dot", ((3,), (3,))), ("outer", ((3,), (4,)))])
def test_named_products(name, shapes):
    rng = np.random.default_rng(3)
    a, b = (rng.standard_normal(s) for s in shapes)
    check(getattr(ourdl, name), getattr(torch, name), a, b)
    check(lambda x, y: getattr(x, name)(y), lambda x, y: getattr(x, name)(y), a, b)


def test_matmul_refuses_mixed_dtypes_like_torch():
    with pytest.raises(RuntimeError):
        torch.tensor([[1, 2]]) @ torch.ones(2, 1, dtype=torch.float64)
    with pytest.raises(RuntimeError, match="matmul.*same dtype.*int64 and float64"):
        ourdl.tensor([[1, 2]]) @ ourdl.ones(2, 1, dtype=ourdl.float64)


def test_numpy_array_on_the_left():
    w = ourdl.ones(3, 2, requires_grad=True)
    y = np.ones((4, 3), dtype=np.float32) @ w
    assert isinstance(y, ourdl.Tensor) and y.shape == (4, 2)


MATMUL_ERRORS = {
    "inner sizes": (lambda: ourdl.ones(2, 3) @ ourdl.ones(4, 5), r"matmul.*\(2x3 and 4x5\).*\(3\).*\(4\)"),
    "vector sizes": (lambda: ourdl.ones(3) @ ourdl.ones(4), r"matmul.*\(3 and 4\)"),
    "0-d": (lambda: ourdl.tensor(2.0) @ ourdl.ones(2), "at least 1D"),
    "batch": (lambda: ourdl.ones(2, 2, 3) @ ourdl.ones(3, 3, 4), r"batch dimensions.*\[2, 2, 3\].*\[3, 3, 4\]"),
    "mm 3-D": (lambda: ourdl.mm(ourdl.ones(2, 2, 3), ourdl.ones(3, 4)), "mm: expected 2-D"),
    "dot 2-D": (lambda: ourdl.dot(ourdl.ones(2, 2), ourdl.ones(2)), "1D tensors expected"),
}


@pytest.mark.parametrize("case", sorted(MATMUL_ERRORS))
def test_matmul_errors_name_shapes(case):
    fn, message = MATMUL_ERRORS[case]
    with pytest.raises(RuntimeError, match=message):
        fn()


@settings(max_examples=30, deadline=None)
@given(batch=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3),
       sizes=st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4)),
       vectors=st.tuples(st.booleans(), st.booleans()))
def test_matmul_any_ranks_and_batch_broadcasting(batch, sizes, vectors):
    n, k, m = sizes
    a_shape = (k,) if vectors[0] else batch.input_shapes[0] + (n, k)
    b_shape = (k,) if vectors[1] else batch.input_shapes[1] + (k, m)
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    check(lambda x, y: x @ y, lambda x, y: x @ y, a, b)
