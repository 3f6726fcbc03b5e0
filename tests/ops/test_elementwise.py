"""Unary elementwise ops against PyTorch: values and gradients (float32/float64), kinks and extremes, gradcheck."""

import numpy as np
import pytest

import ourdl
from tests.oracle import check, check_double, torch

# name -> a domain of inputs where the function is defined (low, high)
UNARY = {
    "neg": (-5, 5), "abs": (-5, 5), "exp": (-5, 5), "log": (0.1, 5), "log2": (0.1, 5), "log10": (0.1, 5),
    "log1p": (-0.9, 5), "expm1": (-5, 5), "sqrt": (0.1, 5), "rsqrt": (0.1, 5), "square": (-5, 5),
    "sin": (-5, 5), "cos": (-5, 5), "tan": (-1.4, 1.4), "tanh": (-5, 5), "sigmoid": (-8, 8), "relu": (-5, 5),
    "erf": (-3, 3), "erfc": (-3, 3), "atan": (-5, 5), "asin": (-0.9, 0.9), "acos": (-0.9, 0.9),
    "sinh": (-3, 3), "cosh": (-3, 3), "reciprocal": (0.2, 5), "asinh": (-5, 5), "acosh": (1.1, 5),
    "atanh": (-0.9, 0.9),
}
ROUNDING = ["floor", "ceil", "round", "trunc", "sign"]
DTYPES = [np.float32, np.float64]


def _sample(name, dtype, shape=(3, 4), seed=0):
    low, high = UNARY.get(name, (-5, 5))
    return np.random.default_rng(seed).uniform(low, high, shape).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_matches_torch(name, dtype):
    check(getattr(ourdl, name), getattr(torch, name), _sample(name, dtype))


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_method_is_function(name):
    x = ourdl.tensor(_sample(name, np.float32))
    np.testing.assert_array_equal(getattr(x, name)().numpy(), getattr(ourdl, name)(x).numpy())


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_gradcheck_and_gradgradcheck(name):
    x = ourdl.tensor(_sample(name, np.float64, (2, 3), seed=1), requires_grad=True)
    fn = getattr(ourdl, name)
    assert ourdl.autograd.gradcheck(fn, (x,))
    assert ourdl.autograd.gradgradcheck(fn, (x,))


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_second_derivative_matches_torch(name):
    check_double(getattr(ourdl, name), getattr(torch, name), _sample(name, np.float64, (5,), seed=2))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["relu", "abs", "sign"])
def test_kinks_at_zero(name, dtype):
    """The gradient at the kink is PyTorch's: relu'(0) = 0, |x|'(0) = 0, sign' = 0; signed zeros kept."""
    x = np.array([-0.0, 0.0, -1.0, 1.0], dtype=dtype)
    check(getattr(ourdl, name), getattr(torch, name), x, signed_zeros=True)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["exp", "expm1", "tanh", "sigmoid", "relu", "abs", "erf", "atan", "log1p", "sqrt"])
def test_extremes_inf_nan(name, dtype):
    x = np.array([-np.inf, -1e30, -100.0, -0.0, 0.0, 100.0, 1e30, np.inf, np.nan], dtype=dtype)
    with np.errstate(all="ignore"):
        check(getattr(ourdl, name), getattr(torch, name), x)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_is_stable_far_out(dtype):
    x = np.array([-1000.0, -88.0, 88.0, 1000.0], dtype=dtype)
    check(ourdl.sigmoid, torch.sigmoid, x)


@pytest.mark.parametrize("name", ROUNDING)
@pytest.mark.parametrize("dtype", DTYPES)
def test_rounding_has_zero_gradient(name, dtype):
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.3, -0.7], dtype=dtype)
    check(getattr(ourdl, name), getattr(torch, name), x)


@pytest.mark.parametrize("name", ["exp", "sqrt", "sin", "sigmoid", "tanh", "log"])
def test_integer_input_gives_default_float(name):
    ours, theirs = getattr(ourdl, name)(ourdl.tensor([1, 2, 3])), getattr(torch, name)(torch.tensor([1, 2, 3]))
    assert ours.dtype == ourdl.float32 and str(theirs.dtype) == "torch.float32"
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


@pytest.mark.parametrize("name", ["neg", "abs", "relu", "square"])
def test_integer_input_keeps_integer_dtype(name):
    ours, theirs = getattr(ourdl, name)(ourdl.tensor([-2, 3])), getattr(torch, name)(torch.tensor([-2, 3]))
    assert ours.dtype == ourdl.int64 and theirs.dtype == torch.int64
    assert ours.tolist() == theirs.tolist()


@pytest.mark.parametrize("name", ["isnan", "isinf", "isfinite"])
def test_predicates(name):
    x = np.array([1.0, np.nan, np.inf, -np.inf], dtype=np.float32)
    assert getattr(ourdl, name)(ourdl.tensor(x)).tolist() == getattr(torch, name)(torch.tensor(x)).tolist()


def test_numpy_ufunc_on_tensor_is_recorded():
    x = ourdl.tensor([0.5, 1.0], requires_grad=True)
    y = np.exp(x)
    assert isinstance(y, ourdl.Tensor) and y.grad_fn is not None
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([0.5, 1.0]), rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("decimals", [-3, -1, 0, 1, 2, 4])
def test_round_with_decimals_like_torch(decimals, dtype):
    x = np.concatenate([np.random.default_rng(decimals + 3).standard_normal(200) * 10 ** (1 - decimals),
                        [0.125, 0.135, 2.5, -2.5, 1234.5, 0.0, -0.0, np.inf, -np.inf, np.nan]]).astype(dtype)
    check(lambda t: ourdl.round(t, decimals=decimals), lambda t: torch.round(t, decimals=decimals), x,
          signed_zeros=True)
    check(lambda t: t.round(decimals=decimals), lambda t: t.round(decimals=decimals), x)


def test_round_decimals_on_integers_is_refused_like_torch():
    with pytest.raises(NotImplementedError, match="decimals"):
        ourdl.round(ourdl.tensor([15, 25]), decimals=-1)
    with pytest.raises(NotImplementedError):
        torch.round(torch.tensor([15, 25]), decimals=-1)


def test_aliases_are_the_ops_themselves_as_in_torch():
    from ourdl.ops.aliases import ALIASES

    for name, (op, method) in ALIASES.items():
        assert getattr(ourdl, name) is op and hasattr(torch, name)
        method_form = getattr(op, "without_out", op)  # a method takes no out=, as PyTorch's
        assert (getattr(ourdl.Tensor, name, None) is method_form) == method == hasattr(torch.Tensor, name)
    x = np.array([-2.0, 0.5, 3.0])
    check(lambda t: ourdl.clamp_min(t, 0.0), lambda t: torch.clamp_min(t, 0.0), x)
    check(lambda t: t.clamp_max(1.0), lambda t: t.clamp_max(1.0), x)
    ours, theirs = ourdl.tensor(x), torch.tensor(x)
    assert ourdl.positive(ours) is ours and torch.positive(theirs) is theirs
    with pytest.raises(RuntimeError, match="bool"):
        ourdl.positive(ourdl.tensor([True]))


@pytest.mark.parametrize("dtype", DTYPES)
def test_inverse_hyperbolic_at_domain_edges_like_torch(dtype):
    check(ourdl.atanh, torch.atanh, np.array([-1.0, 1.0, 0.0, -0.0, 2.0, np.nan], dtype=dtype), signed_zeros=True)
    check(ourdl.acosh, torch.acosh, np.array([1.0, 0.5, np.inf, np.nan], dtype=dtype))
    check(ourdl.asinh, torch.asinh, np.array([-np.inf, -0.0, 0.0, np.inf, 1e30], dtype=dtype), signed_zeros=True)


ZERO_D_TESTS = {
    "isnan": lambda lib, x: lib.isnan(x), "isinf": lambda lib, x: lib.isinf(x),
    "isfinite": lambda lib, x: lib.isfinite(x), "isclose": lambda lib, x: lib.isclose(x, x),
    "logical_not": lambda lib, x: lib.logical_not(x), "bitwise_not": lambda lib, x: ~(x > 0),
}


@pytest.mark.parametrize("name", sorted(ZERO_D_TESTS))
def test_a_0d_input_gives_a_0d_array_not_a_numpy_scalar(name):
    ours, theirs = (ZERO_D_TESTS[name](lib, lib.tensor(1.5)) for lib in (ourdl, torch))
    assert type(ours.numpy()) is np.ndarray and ours.tolist() == theirs.tolist()
    ours.logical_not_()  # in place, as on any tensor
    assert ours.tolist() == (not theirs.item())
