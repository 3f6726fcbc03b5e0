"""Every PyTorch activation against PyTorch 2.13.0: values and gradients, float32 and float64, at kinks,
boundaries, large values, ±inf and NaN; second derivatives; dtype rules."""

import numpy as np
import pytest

import ourdl
import ourdl.activations as A
import ourdl.activations.functional as F
from tests.activations.cases import ALONG_DIM, TORCH_CASES, special_values
from tests.oracle import assert_same, both, check, check_double, torch

TF = torch.nn.functional
SMOOTH = [(n, p) for n, p in TORCH_CASES if A.get(n).properties["smooth"] or n in ("softplus", "softsign")]


def _ids(cases):
    return [f"{n}-{'-'.join(f'{k}={v}' for k, v in p.items())}" if p else n for n, p in cases]


def _torch_fn(name, params):
    return lambda x: getattr(TF, name)(x, **params)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, params", TORCH_CASES, ids=_ids(TORCH_CASES))
def test_values_and_gradients_match_torch(name, params, dtype):
    x = special_values(name, params).astype(dtype)
    if name == "gelu" and not params and dtype == np.float32:
        # PyTorch's float32 exact GELU of +inf is inf on its scalar path and NaN on its vector path
        # (F.gelu(torch.tensor([inf])) is inf, F.gelu(torch.tensor([inf] * 20)) is NaN): skip only that value
        x = x[x != np.inf]
    # signs of zeros as torch's for the piecewise ones; not for the smooth ones (torch's float32 zeros there are
    # underflows where ours are tiny numbers) nor softshrink, whose zeros inside the band are +0.0 on torch's vector
    # path and -0.0 on its scalar tail (F.softshrink(torch.full((9,), -0.2), 0.5): eight +0.0 then one -0.0)
    signed = not A.get(name).properties["smooth"] and name != "softshrink"
    check(lambda t: getattr(F, name)(t, **params), _torch_fn(name, params), x, signed_zeros=signed)


@pytest.mark.parametrize("name, params", TORCH_CASES, ids=_ids(TORCH_CASES))
def test_strided_and_0d_inputs(name, params):
    x = np.random.default_rng(9).standard_normal((6, 8)).astype(np.float32) * 4
    check(lambda t: getattr(F, name)(t.t()[::2], **params), lambda t: getattr(TF, name)(t.t()[::2], **params), x)
    check(lambda t: getattr(F, name)(t, **params), _torch_fn(name, params), np.float32(-1.5))


@pytest.mark.parametrize("name, params", TORCH_CASES, ids=_ids(TORCH_CASES))
def test_second_derivatives_match_torch_double_backward(name, params):
    """Every activation: smooth ones everywhere, piecewise ones away from their kinks (ELU's, hardswish's
    second derivatives are not zero)."""
    x = np.concatenate([np.random.default_rng(1).standard_normal(24) * 3, [0.7, -0.7, 4.0, -4.0, 15.0, -15.0]])
    if name == "hardsigmoid":  # torch: "derivative for aten::hardsigmoid_backward is not implemented"; it is 0
        np.testing.assert_array_equal(A.get(name).derivative(x, order=2), np.zeros_like(x))
        return
    check_double(lambda t: getattr(F, name)(t, **params), _torch_fn(name, params), x)


@pytest.mark.parametrize("name, params", [("elu", {}), ("elu", {"alpha": 0.5}), ("selu", {}), ("celu", {"alpha": 2.0})])
def test_elu_family_second_derivative_at_zero_is_torchs(name, params):
    """f'(0) takes the exponential branch, yet PyTorch's double backward gives f''(±0) = 0."""
    check_double(lambda t: getattr(F, name)(t, **params), _torch_fn(name, params), np.array([0.0, -0.0, -0.5, 0.5]))


@pytest.mark.parametrize("name, params", SMOOTH, ids=_ids(SMOOTH))
def test_gradgradcheck(name, params):
    x = ourdl.tensor(np.random.default_rng(2).standard_normal(6) * 2 + 0.1, dtype=ourdl.float64, requires_grad=True)
    assert ourdl.autograd.gradgradcheck(lambda t: getattr(F, name)(t, **params), (x,))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ALONG_DIM)
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_softmax_family_matches_torch(name, dim, dtype):
    x = np.random.default_rng(3).standard_normal((4, 5, 3)) * 10
    x[0, 0, :] = [1000.0, -1000.0, 0.0]
    x[1, 1, :] = [-np.inf, 0.0, 1.0]
    x[2, 2, :] = [88.0, 89.0, 100.0]
    check(lambda t: getattr(F, name)(t, dim=dim), lambda t: getattr(TF, name)(t, dim=dim), x.astype(dtype))
    check_double(lambda t: getattr(F, name)(t, dim=dim), lambda t: getattr(TF, name)(t, dim=dim),
                 np.random.default_rng(4).standard_normal((3, 4, 2)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ALONG_DIM)
def test_softmax_family_on_rows_split_into_blocks_and_threads_matches_torch(name, dtype):
    """300,000 values: the rows go through the fused kernels in cache-sized blocks on both threads. In float32 the
    reference is PyTorch's float64 result for the same inputs: PyTorch's float32 gradient sums in float32 and is
    the less exact one (log_softmax: 1.6e-5 from the exact value where ours is 4e-6)."""
    x = np.random.default_rng(5).standard_normal((300, 1000)) * 10
    x[0, 5], x[1, :], x[2, 7], x[3, :3] = np.nan, -np.inf, np.inf, [1e30, -1e30, 0.0]
    x = x.astype(dtype)
    upstream = np.random.default_rng(0).standard_normal(x.shape).astype(dtype)
    ours = ourdl.tensor(x, requires_grad=True)
    exact = torch.tensor(x.astype(np.float64), requires_grad=True)
    y, y_exact = getattr(F, name)(ours, dim=-1), getattr(TF, name)(exact, dim=-1)
    y.backward(ourdl.tensor(upstream))
    y_exact.backward(torch.tensor(upstream.astype(np.float64)))
    for a, b in ((y, y_exact), (ours.grad, exact.grad)):
        assert a.dtype == getattr(ourdl, np.dtype(dtype).name)
        assert_same(a, torch.tensor(b.detach().numpy().astype(dtype)))


@pytest.mark.parametrize("dim", [-1, 0])
@pytest.mark.parametrize("name", ALONG_DIM)
def test_softmax_family_in_float16_computes_in_float32_as_torch(name, dim):
    """Half precision goes through float32 and is rounded once, forward and backward, as PyTorch's (its rows used
    to reach a compiled loop that has no float16 and raised NotImplementedError): against the exact values (PyTorch
    in float64 on the same inputs) ours are as near as PyTorch's, worst case and on average. log_softmax's gradient
    is nearer: ours reads the float32 softmax, PyTorch's the exponential of its half precision output."""
    x = (np.random.default_rng(6).standard_normal((300, 1000)) * 3).astype(np.float16)
    upstream = np.random.default_rng(7).standard_normal(x.shape).astype(np.float16)
    results = []
    for lib, dtype in ((ourdl, np.float16), (torch, np.float16), (torch, np.float64)):
        t = lib.tensor(x.astype(dtype), requires_grad=True)
        y = getattr(lib.nn.functional, name)(t, dim=dim)
        y.backward(lib.tensor(upstream.astype(dtype)))
        results.append([a.detach().numpy() for a in (y, t.grad)])
    (ours, theirs, exact) = results
    for a, b, e in zip(ours, theirs, exact):
        assert a.dtype == b.dtype == np.float16
        ours_error, theirs_error = np.abs(a - e), np.abs(b - e)
        assert ours_error.max() <= theirs_error.max() and ours_error.mean() <= theirs_error.mean() * 1.05


@pytest.mark.parametrize("name", ALONG_DIM)
@pytest.mark.parametrize("shape", [(5,), (2, 3), (2, 3, 4), (2, 3, 4, 5)])
def test_softmax_without_dim_warns_and_picks_torchs_dim(name, shape):
    x = np.random.default_rng(5).standard_normal(shape).astype(np.float32)
    ours, theirs = both(x, requires_grad=False)
    with pytest.warns(UserWarning, match="Implicit dimension"):
        out = getattr(F, name)(ours)
    with pytest.warns(UserWarning):
        expected = getattr(TF, name)(theirs)
    assert_same(out, expected)


def test_softmax_dtype_argument_casts_first():
    ours, theirs = both(np.arange(6.0, dtype=np.float32).reshape(2, 3), requires_grad=False)
    assert_same(F.softmax(ours, dim=1, dtype=ourdl.float64), TF.softmax(theirs, dim=1, dtype=torch.float64))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_glu_matches_torch(dim, dtype):
    x = np.random.default_rng(6).standard_normal((4, 6, 2)) * 5
    check(lambda t: F.glu(t, dim), lambda t: TF.glu(t, dim), x.astype(dtype))
    check_double(lambda t: F.glu(t, dim), lambda t: TF.glu(t, dim), x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("channels", [1, 3])
def test_prelu_matches_torch_for_input_and_weight(channels, dtype):
    x = np.random.default_rng(7).standard_normal((2, 3, 4)).astype(dtype)
    x[0, 0, :2] = [0.0, np.nan]
    w = np.linspace(0.1, 0.4, channels).astype(dtype)
    check(F.prelu, TF.prelu, x, w)


@pytest.mark.parametrize("name, params", TORCH_CASES, ids=_ids(TORCH_CASES))
@pytest.mark.parametrize("dtype", [np.int64, np.int32])
def test_integer_input_as_torch(name, params, dtype):
    x = np.array([-3, -1, 0, 1, 2, 7], dtype=dtype)
    ours, theirs = both(x, requires_grad=False)
    try:
        expected = getattr(TF, name)(theirs, **params)
    except (RuntimeError, NotImplementedError) as error:
        with pytest.raises(type(error)):
            getattr(F, name)(ours, **params)
        return
    assert_same(getattr(F, name)(ours, **params), expected)


@pytest.mark.parametrize("name, params", [c for c in TORCH_CASES if A.get(c[0]).inplace], ids=_ids(
    [c for c in TORCH_CASES if A.get(c[0]).inplace]))
def test_inplace_variants_change_the_input_like_torch(name, params):
    x = special_values(name, params).astype(np.float32)
    ours, theirs = both(x, requires_grad=False)
    result = getattr(F, name + "_")(ours, **params)
    getattr(TF, name)(theirs, inplace=True, **params)
    assert result is ours
    assert_same(ours, theirs)


def test_inplace_in_a_graph_gives_torchs_gradient():
    x = np.random.default_rng(8).standard_normal(10).astype(np.float32)
    check(lambda t: F.elu(t * 1, inplace=True), lambda t: TF.elu(t * 1, inplace=True), x)
    check(lambda t: F.relu_(t * 2), lambda t: TF.relu_(t * 2), x)


@pytest.mark.parametrize("call, torch_call", [
    (lambda x: F.glu(x, 0), lambda x: TF.glu(x, 0)),
    (lambda x: F.softshrink(x, -1.0), lambda x: TF.softshrink(x, -1.0)),
    (lambda x: F.hardtanh(x, 2.0, 1.0), lambda x: TF.hardtanh(x, 2.0, 1.0)),
    (lambda x: F.gelu(x, approximate="fast"), lambda x: TF.gelu(x, approximate="fast")),
    (lambda x: F.prelu(x.reshape(1, 3), ourdl.ones(2)), lambda x: TF.prelu(x.reshape(1, 3), torch.ones(2))),
    (lambda x: F.softmax(x, dim=3), lambda x: TF.softmax(x, dim=3)),
])
def test_bad_arguments_raise_torchs_kind_of_error(call, torch_call):
    ours, theirs = both(np.ones(3, dtype=np.float32), requires_grad=False)
    with pytest.raises(Exception) as expected:
        torch_call(theirs)
    with pytest.raises((type(expected.value), ValueError, RuntimeError, IndexError)):
        call(ours)


def test_celu_alpha_zero_is_an_error():
    with pytest.raises(RuntimeError):
        TF.celu(torch.ones(2), alpha=0.0)
    with pytest.raises(RuntimeError, match="celu"):
        F.celu(ourdl.ones(2), alpha=0.0)


def test_non_tensor_input_is_a_type_error():
    with pytest.raises(TypeError, match="relu"):
        F.relu([1.0, 2.0])


def test_rrelu_in_training_draws_slopes_between_lower_and_upper():
    x = ourdl.tensor(-np.ones(10000, dtype=np.float32), requires_grad=True)
    y = F.rrelu(x, 0.1, 0.3, training=True)
    slopes = -y.detach().numpy()
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and abs(slopes.mean() - 0.2) < 0.01
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), slopes)
    assert F.rrelu(ourdl.tensor([2.0]), training=True).item() == 2.0


def _changed_in_place_after(lib, name, params, x, which):
    """The activation of ``x * 1``, then its input or output doubled in place; ("error", None) when backward
    refuses (a value it needs was changed), else ("ok", the gradient)."""
    a = x * 1
    fn = getattr(F if lib is ourdl else TF, name)
    y = fn(a, dim=0, **params) if name in ALONG_DIM + ["glu"] else fn(a, **params)
    (a if which == "input" else y).mul_(2)
    try:
        (y * lib.linspace(0, 1, y.shape[0], dtype=y.dtype)).sum().backward()
    except RuntimeError as error:
        assert "modified by an inplace operation" in str(error)
        return "error", None
    return "ok", x.grad


SAVED_CASES = [(n, p) for n, p in TORCH_CASES if n != "rrelu"] + [(n, {}) for n in ALONG_DIM + ["glu"]]


@pytest.mark.parametrize("which", ["input", "output"])
@pytest.mark.parametrize("name, params", SAVED_CASES, ids=_ids(SAVED_CASES))
def test_changing_input_or_output_in_place_afterwards_is_allowed_exactly_where_torchs_is(name, params, which):
    # PyTorch keeps the output of relu, sigmoid, tanh and the softmaxes and the input of the others: backward
    # refuses after a change of what was kept, and works (with the same gradient) after a change of the other
    ours, theirs = both(np.linspace(-3, 3, 8))
    (status_ours, grad_ours), (status_theirs, grad_theirs) = (
        _changed_in_place_after(lib, name, params, x, which) for lib, x in ((ourdl, ours), (torch, theirs)))
    assert status_ours == status_theirs
    if status_theirs == "ok":
        assert_same(grad_ours, grad_theirs)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_top_level_and_method_forms_match_torch(name, dim):
    x = np.random.default_rng(dim + 5).standard_normal((3, 4)).astype(np.float32)
    check(lambda t: getattr(ourdl, name)(t, dim), lambda t: getattr(torch, name)(t, dim), x)
    check(lambda t: getattr(t, name)(dim=dim), lambda t: getattr(t, name)(dim=dim), x)
    assert getattr(ourdl, name)(ourdl.tensor(x), dim, dtype=ourdl.float64).dtype == ourdl.float64
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'dim'"):
        getattr(ourdl.tensor(x), name)()


@pytest.mark.parametrize("name", ["elu", "celu", "selu", "softplus", "logsigmoid"])
@pytest.mark.parametrize("value", [-20.0, -40.0, -88.0, -100.0, 20.0])
def test_far_tails_keep_torchs_tiny_values_and_gradients_in_float32(name, value):
    # expm1(x) + 1 is 0 in float32 below -17 and 1 + e^-20 rounds to 1: both once turned 2e-9 into 0 here
    x = ourdl.tensor([value], requires_grad=True)
    t = torch.tensor([value], requires_grad=True)
    y, expected = getattr(F, name)(x), getattr(TF, name)(t)
    y.backward(ourdl.ones(1)), expected.backward(torch.ones(1))
    assert y.item() == pytest.approx(expected.item(), rel=1e-6, abs=0)
    assert x.grad.item() == pytest.approx(t.grad.item(), rel=1e-6, abs=0)


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8"])
@pytest.mark.parametrize("name, args", [("threshold", (0.0, float("inf"))), ("threshold", (float("nan"), 1.0)),
                                        ("threshold", (0.0, 1e20)), ("threshold", (300.0, 1.0)),
                                        ("threshold", (0.5, 2.7)), ("hardtanh", (-float("inf"), float("inf"))),
                                        ("hardtanh", (-1.5, 300.0)), ("hardtanh", (-1.5, 2.5)), ("relu6", ())])
def test_numbers_given_to_integer_inputs_must_fit_their_type_as_in_torch(name, args, dtype):
    """An integer tensor's threshold, value or bounds are converted to its type: inf, NaN and numbers out of its
    range are PyTorch's RuntimeError, word for word (they used to wrap around silently)."""
    outcomes = []
    for lib in (ourdl, torch):
        try:
            outcomes.append(getattr(lib.nn.functional, name)(lib.tensor([-2, 0, 3, 100], dtype=getattr(lib, dtype)),
                                                             *args).tolist())
        except RuntimeError as error:
            outcomes.append(str(error))
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize("name, params", TORCH_CASES, ids=_ids(TORCH_CASES))
def test_float16_is_computed_in_float32_and_at_least_as_exact_as_torchs(name, params):
    """Half precision goes through float32 and is rounded once, as PyTorch computes it: against the exact values
    (PyTorch in float64 on the same inputs) ours are as near as PyTorch's, values and gradients. Computed in float16
    softplus was inf from x = 11.1 (exp overflows there) and sigmoid, SiLU, mish, rrelu were less exact."""
    x = (np.random.default_rng(8).standard_normal((300, 1000)) * 4).astype(np.float16)
    results = []
    for lib, dtype in ((ourdl, np.float16), (torch, np.float16), (torch, np.float64)):
        t = lib.tensor(x.astype(dtype), requires_grad=True)
        y = getattr(lib.nn.functional, name)(t, **params)
        y.backward(lib.ones_like(y))
        results.append([a.detach().numpy().astype(np.float64) for a in (y, t.grad)])
    ours, theirs, exact = results
    for a, b, e in zip(ours, theirs, exact):
        assert np.max(np.abs(a - e)) <= np.max(np.abs(b - e)) * 1.01
