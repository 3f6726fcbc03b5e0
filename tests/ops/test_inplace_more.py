"""The in-place twins (abs_, exp_, tril_, scatter_, index_add_, ...), fill_diagonal_ and index_add against PyTorch:
values, gradients through non-leaves and their views, the leaf error."""

import numpy as np
import pytest

import ourdl
from tests.oracle import assert_same, both, check, torch


def _lib(t):
    return ourdl if isinstance(t, ourdl.Tensor) else torch


POSITIVE = {"log_", "sqrt_", "reciprocal_"}
CASES = {
    "abs_": lambda t: t.abs_(),
    "neg_": lambda t: t.neg_(),
    "exp_": lambda t: t.exp_(),
    "log_": lambda t: t.log_(),
    "sqrt_": lambda t: t.sqrt_(),
    "sin_": lambda t: t.sin_(),
    "cos_": lambda t: t.cos_(),
    "tanh_": lambda t: t.tanh_(),
    "sigmoid_": lambda t: t.sigmoid_(),
    "relu_": lambda t: t.relu_(),
    "clamp_": lambda t: t.clamp_(-0.5, 0.5),
    "clip_": lambda t: t.clip_(min=-0.2),
    "floor_": lambda t: t.floor_(),
    "round_": lambda t: t.round_(),
    "reciprocal_": lambda t: t.reciprocal_(),
    "square_": lambda t: t.square_(),
    "tril_": lambda t: t.tril_(),
    "triu_": lambda t: t.triu_(1),
    "nan_to_num_": lambda t: t.nan_to_num_(nan=1.0),
    "lerp_": lambda t: t.lerp_(t.detach() * 2 + 1, 0.3),
    "addmm_": lambda t: t.addmm_(t.detach()[:, :3].clone(), t.detach()[:3].clone(), beta=0.5, alpha=2),
    "scatter_": lambda t: t.scatter_(1, _lib(t).tensor([[0, 2], [1, 3], [3, 0]]), 2.5),
    "scatter_ src": lambda t: t.scatter_(0, _lib(t).tensor([[2, 0, 1, 1]]), t.detach()[:1] * 3),
    "scatter_add_": lambda t: t.scatter_add_(1, _lib(t).tensor([[0, 0], [1, 3], [3, 3]]), t.detach()[:, :2] + 1),
    "index_add_": lambda t: t.index_add_(0, _lib(t).tensor([2, 0, 2]), t.detach() * 0.5, alpha=2),
    "index_add_ dim 1": lambda t: t.index_add_(1, _lib(t).tensor([3]), t.detach()[:, :1] - 1),
    "fill_diagonal_": lambda t: t.fill_diagonal_(7.0),
    "fill_diagonal_ wrap": lambda t: t.fill_diagonal_(-1.0, wrap=True),
    **{f"{name}_": (lambda name: lambda t: getattr(t, f"{name}_")())(name) for name in [
        "acos", "asin", "atan", "cosh", "sinh", "tan", "erf", "erfc", "erfinv", "expm1", "log10", "log1p", "log2",
        "rsqrt", "trunc", "ceil", "sign", "frac", "lgamma", "digamma", "exp2", "sinc", "logit", "deg2rad",
        "rad2deg", "negative", "absolute", "logical_not"]},
    **{f"{name}_": (lambda name: lambda t: getattr(t, f"{name}_")(t.detach() * 0.5 + 0.75))(name) for name in [
        "atan2", "hypot", "fmod", "remainder", "copysign", "xlogy", "divide", "multiply", "subtract",
        "true_divide", "floor_divide", "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or",
        "logical_xor"]},
    "cumsum_": lambda t: t.cumsum_(1),
    "cumprod_": lambda t: t.cumprod_(0),
    "clamp_min_": lambda t: t.clamp_min_(0.1),
    "clamp_max_": lambda t: t.clamp_max_(0.1),
    "addcmul_": lambda t: t.addcmul_(t.detach() + 1, t.detach() - 2, value=0.5),
    "addcdiv_": lambda t: t.addcdiv_(t.detach() + 1, t.detach() * 0 + 4, value=2),
}
POSITIVE |= {"log10_", "log1p_", "log2_", "rsqrt_", "lgamma_", "digamma_", "xlogy_"}
INSIDE_UNIT = {"acos_", "asin_", "erfinv_"}  # the domain (-1, 1)
# PyTorch has no derivative for floor_divide_, and cuts the graph oddly for in-place logical ops: values only
NO_GRADIENT = {"floor_divide_", "logical_and_", "logical_or_", "logical_xor_", "logical_not_"}
GRADIENT_CASES = sorted(set(CASES) - NO_GRADIENT)
# PyTorch's trigamma (digamma's derivative) is accurate to about 1e-9 in float64; SciPy's, which ours uses, to 1e-15
TOLERANCE = {"digamma_": dict(rtol=1e-8)}
PROBABILITIES = {"logit_"}  # the domain (0, 1)


def _input(case, dtype, shape=(3, 4)):
    x = np.random.default_rng(0).standard_normal(shape)
    if case in POSITIVE:
        x = np.abs(x) + 0.5
    elif case in INSIDE_UNIT:
        x = np.tanh(x) * 0.9
    elif case in PROBABILITIES:
        x = 0.05 + 0.9 / (1 + np.exp(-x))
    return x.astype(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", sorted(CASES))
def test_values_like_torch(case, dtype):
    ours, theirs = both(_input(case, dtype), requires_grad=False)
    assert CASES[case](ours) is ours
    CASES[case](theirs)
    assert_same(ours, theirs)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", GRADIENT_CASES)
def test_gradients_through_non_leaf_like_torch(case, dtype):
    def fn(t):
        y = t * 1.5
        CASES[case](y)
        return y * t

    check(fn, fn, _input(case, dtype), **(TOLERANCE.get(case, {}) if dtype == np.float64 else {}))


@pytest.mark.parametrize("case", GRADIENT_CASES)
def test_gradients_through_a_view_like_torch(case):
    def fn(t):
        y = t * 1.5
        CASES[case](y[1:4].transpose(0, 1)[:4].transpose(0, 1))
        return y * t

    check(fn, fn, _input(case, np.float64, (5, 4)), **TOLERANCE.get(case, {}))


@pytest.mark.parametrize("case", sorted(CASES))
def test_leaf_requiring_grad_refused(case):
    x = ourdl.ones(3, 4, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        CASES[case](x)
    with ourdl.no_grad():
        CASES[case](x)
    assert x.is_leaf and x.requires_grad


def test_fill_diagonal_shapes_like_torch():
    for shape, wrap in [((5, 2), True), ((5, 2), False), ((2, 5), True), ((3, 3, 3), False)]:
        ours, theirs = both(np.zeros(shape), requires_grad=False)
        assert_same(ours.fill_diagonal_(1.5, wrap=wrap), theirs.fill_diagonal_(1.5, wrap=wrap))


@pytest.mark.parametrize("case", ["3-d unequal", "1-d"])
def test_fill_diagonal_errors(case):
    shape = {"3-d unequal": (2, 3, 2), "1-d": (3,)}[case]
    with pytest.raises(RuntimeError):
        torch.zeros(shape).fill_diagonal_(1)
    with pytest.raises(RuntimeError, match="dimension"):
        ourdl.zeros(*shape).fill_diagonal_(1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_index_add_out_of_place(dtype):
    x = np.random.default_rng(1).standard_normal((4, 3)).astype(dtype)
    s = np.random.default_rng(2).standard_normal((4, 2)).astype(dtype)
    check(lambda a, b: _lib(a).index_add(a, 1, _lib(a).tensor([2, 2]), b, alpha=-1.5),
          lambda a, b: _lib(a).index_add(a, 1, _lib(a).tensor([2, 2]), b, alpha=-1.5), x, s)
    check(lambda a: a.index_add(0, _lib(a).tensor([3, 0, 3, 1]), a * 2),
          lambda a: a.index_add(0, _lib(a).tensor([3, 0, 3, 1]), a * 2), x)


def test_integer_and_dtype_behaviour_like_torch():
    ours, theirs = both(np.array([-3, 2, 5]))
    assert_same(ours.abs_(), theirs.abs_())
    assert_same(ours.neg_(), theirs.neg_())
    with pytest.raises(RuntimeError):
        theirs.exp_()
    with pytest.raises(RuntimeError, match="can't be cast"):
        ours.exp_()
    with pytest.raises(IndexError):
        torch.zeros(3).index_add_(0, torch.tensor([5]), torch.ones(1))
    with pytest.raises(IndexError):
        ourdl.zeros(3).index_add_(0, ourdl.tensor([5]), ourdl.ones(1))
