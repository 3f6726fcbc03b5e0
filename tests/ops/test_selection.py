"""where and clamp against PyTorch: broadcasting, scalars, gradients at the bounds."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra import numpy as hnp

import ourdl
from tests.oracle import both, check, check_double, torch

DTYPES = [np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@settings(max_examples=25, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3))
def test_where_broadcasting(shapes, dtype):
    s_cond, s_a, s_b = shapes.input_shapes
    rng = np.random.default_rng(0)
    cond = rng.random(s_cond) > 0.5
    a, b = rng.standard_normal(s_a).astype(dtype), rng.standard_normal(s_b).astype(dtype)
    check(lambda x, y: ourdl.where(ourdl.tensor(cond), x, y), lambda x, y: torch.where(torch.tensor(cond), x, y), a, b)


@pytest.mark.parametrize("dtype", DTYPES)
def test_where_with_scalars(dtype):
    x = np.array([-1.0, 0.0, 2.0], dtype=dtype)
    check(lambda t: ourdl.where(t > 0, t, 0.0), lambda t: torch.where(t > 0, t, 0.0), x)
    check(lambda t: ourdl.where(t > 0, 1.0, t * 2), lambda t: torch.where(t > 0, 1.0, t * 2), x)


def test_where_needs_bool_condition():
    with pytest.raises(RuntimeError, match="where.*bool"):
        ourdl.where(ourdl.tensor([1, 0]), ourdl.ones(2), ourdl.zeros(2))


def test_where_shape_error():
    with pytest.raises(RuntimeError, match=r"where.*\[2\].*\[3\]"):
        ourdl.where(ourdl.tensor([True, False]), ourdl.ones(3), 0.0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("bounds", [(-0.5, 0.5), (None, 0.5), (-0.5, None), (0.5, -0.5), (0.0, 0.0)])
def test_clamp_values_and_gradient_at_bounds(bounds, dtype):
    x = np.array([-1.0, -0.5, -0.1, 0.0, 0.1, 0.5, 1.0, np.nan], dtype=dtype)
    lo, hi = bounds
    check(lambda t: ourdl.clamp(t, lo, hi), lambda t: torch.clamp(t, lo, hi), x)
    check(lambda t: t.clamp(min=lo, max=hi), lambda t: t.clamp(min=lo, max=hi), x)


def test_clamp_with_tensor_bounds():
    rng = np.random.default_rng(1)
    x, lo = rng.standard_normal((3, 4)), rng.standard_normal(4) - 0.5
    check(lambda t: t.clamp(min=ourdl.tensor(lo)), lambda t: t.clamp(min=torch.tensor(lo)), x)


def test_clamp_integer_tensor_keeps_dtype_and_float_bound_promotes():
    ours, theirs = both(np.array([-3, 0, 4]), requires_grad=False)
    assert ours.clamp(-1, 1).tolist() == theirs.clamp(-1, 1).tolist()
    assert ours.clamp(-1, 1).dtype == ourdl.int64
    assert str(theirs.clamp(-0.5, 1.5).dtype).endswith(ours.clamp(-0.5, 1.5).dtype.name)


def test_clamp_needs_a_bound():
    with pytest.raises(RuntimeError, match="clamp.*min.*max"):
        ourdl.ones(2).clamp()


def test_clamp_second_derivative():
    check_double(lambda t: (t.clamp(-0.5, 0.5) * t).sin(), lambda t: (t.clamp(-0.5, 0.5) * t).sin(),
                 np.array([-1.0, -0.2, 0.3, 0.9]))
    x = ourdl.tensor([-1.0, -0.2, 0.3, 0.9], dtype=ourdl.float64, requires_grad=True)
    assert ourdl.autograd.gradgradcheck(lambda t: (t.clamp(-0.5, 0.5) * t).sin(), (x,))


def test_where_gradgradcheck():
    x = ourdl.tensor([-1.0, 0.5, 2.0], dtype=ourdl.float64, requires_grad=True)
    y = ourdl.tensor([3.0, -0.5, 1.0], dtype=ourdl.float64, requires_grad=True)
    fn = lambda a, b: ourdl.where(a > 0, a * a, b.exp())  # noqa: E731
    assert ourdl.autograd.gradcheck(fn, (x, y))
    assert ourdl.autograd.gradgradcheck(fn, (x, y))
