"""Special functions against PyTorch: values and gradients in float32/float64, broadcasting (hypothesis),
special values (±0, ±inf, NaN, domain edges), integer inputs, second derivatives and errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ourdl
from tests.oracle import assert_same, both, check, check_double, torch

DTYPES = [np.float32, np.float64]
LOOSE = {np.float32: dict(rtol=1e-4, atol=1e-5), np.float64: dict(rtol=1e-9, atol=1e-11)}

# name -> domain (low, high) of the inputs on which values and derivatives are compared
UNARY = {"lgamma": (0.1, 6), "digamma": (0.1, 6), "erfinv": (-0.95, 0.95), "exp2": (-5, 5), "sinc": (-3, 3),
         "logit": (0.05, 0.95), "frac": (-5, 5), "deg2rad": (-400, 400), "rad2deg": (-7, 7)}
BINARY = {"atan2": ((-3, 3), (-3, 3)), "hypot": ((-3, 3), (-3, 3)), "fmod": ((-5, 5), (0.5, 3)),
          "logaddexp": ((-5, 5), (-5, 5)), "copysign": ((-3, 3), (-3, 3)), "xlogy": ((-3, 3), (0.1, 4)),
          "float_power": ((0.2, 3), (-2, 2))}
SMOOTH_BINARY = ["atan2", "hypot", "logaddexp", "xlogy", "float_power"]


def _uniform(domain, shape, dtype, seed):
    return np.random.default_rng(seed).uniform(*domain, shape).astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_matches_torch(name, dtype):
    x = _uniform(UNARY[name], (3, 4), dtype, 0)
    check(getattr(ourdl, name), getattr(torch, name), x, **LOOSE[dtype])
    assert_same(getattr(ourdl.tensor(x), name)(), getattr(torch.tensor(x), name)(), **LOOSE[dtype])


@pytest.mark.parametrize("name", sorted(set(UNARY) - {"frac", "deg2rad", "rad2deg"}))
def test_unary_second_derivative_and_gradgradcheck(name):
    x = _uniform(UNARY[name], (5,), np.float64, 1)
    check_double(getattr(ourdl, name), getattr(torch, name), x, rtol=1e-7, atol=1e-9)
    t = ourdl.tensor(x, requires_grad=True)
    assert ourdl.autograd.gradcheck(getattr(ourdl, name), (t,))
    assert ourdl.autograd.gradgradcheck(getattr(ourdl, name), (t,))


def test_polygamma_orders_and_third_derivative_of_lgamma():
    x = _uniform((0.3, 5), (6,), np.float64, 2)
    for n in range(4):
        check(lambda t: ourdl.polygamma(n, t), lambda t: torch.polygamma(n, t), x, rtol=1e-8, atol=1e-10)
    check_double(lambda t: ourdl.polygamma(1, t), lambda t: torch.polygamma(1, t), x, rtol=1e-8, atol=1e-9)
    ours, theirs = both(x)
    (g1,) = ourdl.autograd.grad(ourdl.lgamma(ours).sum(), [ours], create_graph=True)
    (g2,) = ourdl.autograd.grad(g1.sum(), [ours], create_graph=True)
    (g3,) = ourdl.autograd.grad(g2.sum(), [ours])
    np.testing.assert_allclose(g3.numpy(), torch.polygamma(2, theirs).detach().numpy(), rtol=1e-9)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_matches_torch(name, dtype):
    a = _uniform(BINARY[name][0], (3, 4), dtype, 3)
    b = _uniform(BINARY[name][1], (3, 4), dtype, 4)
    check(getattr(ourdl, name), getattr(torch, name), a, b, **LOOSE[dtype])
    assert_same(getattr(ourdl.tensor(a), name)(ourdl.tensor(b)), getattr(torch.tensor(a), name)(torch.tensor(b)),
                **LOOSE[dtype])


@pytest.mark.parametrize("name", SMOOTH_BINARY)
def test_binary_second_derivatives(name):
    a = _uniform(BINARY[name][0], (4,), np.float64, 5)
    b = _uniform(BINARY[name][1], (4,), np.float64, 6)
    check_double(getattr(ourdl, name), getattr(torch, name), a, b, rtol=1e-8, atol=1e-9)
    ta, tb = ourdl.tensor(a, requires_grad=True), ourdl.tensor(b, requires_grad=True)
    assert ourdl.autograd.gradgradcheck(getattr(ourdl, name), (ta, tb))


@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=20, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3),
       dtype=st.sampled_from(DTYPES))
def test_binary_broadcasting(name, shapes, dtype):
    a = _uniform(BINARY[name][0], shapes.input_shapes[0], dtype, 7)
    b = _uniform(BINARY[name][1], shapes.input_shapes[1], dtype, 8)
    check(getattr(ourdl, name), getattr(torch, name), a, b, **LOOSE[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
def test_special_points_of_binary_functions(dtype):
    z = np.array([0.0, -0.0, 0.0, -0.0, 1.0, np.inf, -np.inf, np.nan, 2.0], dtype=dtype)
    w = np.array([0.0, 0.0, -0.0, -0.0, np.inf, np.inf, 1.0, 1.0, -np.inf], dtype=dtype)
    for name in ["atan2", "hypot", "copysign", "logaddexp"]:
        check(getattr(ourdl, name), getattr(torch, name), z, w, signed_zeros=True)
    check(ourdl.fmod, torch.fmod, z, np.array([1, 1, -1, -1, 0, 2, 2, 1, np.inf], dtype=dtype), signed_zeros=True)
    x = np.array([0.0, 0.0, 0.0, 1.0, -1.0, 2.0], dtype=dtype)
    y = np.array([0.0, np.nan, 1.0, 0.0, 2.0, np.inf], dtype=dtype)
    check(ourdl.xlogy, torch.xlogy, x, y)


@pytest.mark.parametrize("dtype", DTYPES)
def test_special_points_of_unary_functions(dtype):
    inf, nan = np.inf, np.nan
    values = {
        "lgamma": [0.0, -0.0, -1.0, -2.5, 1.0, 2.0, inf, -inf, nan],
        "digamma": [0.0, -0.0, -2.5, 1.0, inf, nan],  # at -1 (a pole), torch's trigamma is a rounding artifact
        "erfinv": [-1.0, 1.0, 0.0, -0.0, 1.5, nan],
        "exp2": [-inf, inf, 0.0, 200.0, -200.0, nan],
        "sinc": [0.0, -0.0, 1.0, -2.0, 0.5, inf, nan],
        "logit": [0.0, 1.0, 0.5, -0.5, 1.5, nan],
        "frac": [-1.5, 2.0, -0.0, inf, -inf, nan],
        "deg2rad": [-0.0, 0.0, inf, nan],
        "rad2deg": [-0.0, 0.0, -inf, nan],
    }
    for name, xs in values.items():
        x = np.array(xs, dtype=dtype)
        _, theirs = check(getattr(ourdl, name), getattr(torch, name), x, grad=False, **LOOSE[dtype])
        ours, t = both(x)
        getattr(ourdl, name)(ours).backward(ourdl.ones_like(ours))
        getattr(torch, name)(t).backward(torch.ones_like(t))
        finite = np.isfinite(x) & (np.abs(x) < 100)  # exp2's derivative at ±200 overflows alike, compared below
        assert_same(ours.grad, t.grad, what=f"{name} gradient", **LOOSE[dtype]) if finite.all() else \
            np.testing.assert_allclose(ours.grad.numpy()[finite], t.grad.numpy()[finite], equal_nan=True,
                                       **LOOSE[dtype])


def test_digamma_at_negative_integers_is_nan():
    x = np.array([-1.0, -2.0, -3.0])
    check(ourdl.digamma, torch.digamma, x, grad=False)
    assert np.isnan(ourdl.digamma(ourdl.tensor(x)).numpy()).all()


def test_gradients_at_kinks_and_edges():
    x = np.array([0.0, 1.0, -0.0, 0.5])
    y = np.array([0.0, 1.0, 0.0, 0.5])
    check(ourdl.atan2, torch.atan2, x, y)  # 0 at the origin
    check(ourdl.hypot, torch.hypot, x, y)  # NaN at the origin
    check(ourdl.copysign, torch.copysign, np.array([0.0, -0.0, 2.0, -3.0]), np.array([-1.0, 1.0, -1.0, -0.0]))
    check(ourdl.xlogy, torch.xlogy, np.array([0.0, 0.0, 1.0]), np.array([0.0, 2.0, 0.0]))
    check(lambda t: ourdl.logit(t), lambda t: torch.logit(t), np.array([-0.5, 0.0, 0.5, 1.0, 1.5]))
    check(lambda t: ourdl.logit(t, eps=0.2), lambda t: torch.logit(t, eps=0.2), np.array([-0.5, 0.1, 0.5, 0.8, 1.5]))
    check(ourdl.sinc, torch.sinc, np.array([0.0, 1.0, -1.0, 2.5]))
    check(ourdl.erfinv, torch.erfinv, np.array([1.0, -1.0, 0.0]))


def test_logit_eps_second_derivative():
    x = np.array([0.1, 0.3, 0.6, 0.95])
    check_double(lambda t: ourdl.logit(t, 0.2), lambda t: torch.logit(t, 0.2), x)
    check_double(lambda t: t.logit(), lambda t: t.logit(), x)


@pytest.mark.parametrize("name", ["atan2", "copysign", "xlogy", "fmod", "float_power"])
def test_integer_inputs_promote_like_torch(name):
    a = np.array([1, 2, -3, 0])
    b = np.array([2, 1, 4, 3])
    ours, theirs = getattr(ourdl, name)(ourdl.tensor(a), ourdl.tensor(b)), getattr(torch, name)(torch.tensor(a),
                                                                                                torch.tensor(b))
    assert_same(ours, theirs)


@pytest.mark.parametrize("name", ["lgamma", "digamma", "erfinv", "exp2", "sinc", "logit", "deg2rad", "rad2deg",
                                  "signbit"])
def test_integer_and_bool_inputs_of_unary_functions(name):
    for x in (np.array([1, 2, -3, 0]), np.array([1, 2], dtype=np.int32), np.array([True, False])):
        assert_same(getattr(ourdl, name)(ourdl.tensor(x)), getattr(torch, name)(torch.tensor(x)), **LOOSE[np.float32])


def test_scalars_where_torch_takes_them():
    x = np.array([0.0, -0.0, 1.5, -2.0], dtype=np.float32)
    ours, theirs = both(x, requires_grad=False)
    for fn in (lambda lib, t: lib.xlogy(2, t), lambda lib, t: lib.xlogy(t, 3.0), lambda lib, t: lib.fmod(t, 2),
               lambda lib, t: lib.fmod(t, -1.5), lambda lib, t: lib.copysign(t, -1), lambda lib, t: lib.float_power(t, 2),
               lambda lib, t: lib.float_power(2, t), lambda lib, t: lib.fmod(t.long(), 2.5)):
        assert_same(fn(ourdl, ours), fn(torch, theirs), signed_zeros=True)


def test_fmod_integers():
    a, b = np.array([-7, 7, -7, 7, 0]), np.array([2, -2, -2, 2, 3])
    assert_same(ourdl.fmod(ourdl.tensor(a), ourdl.tensor(b)), torch.fmod(torch.tensor(a), torch.tensor(b)))
    assert_same(ourdl.tensor(a).fmod(3), torch.tensor(a).fmod(3))


def test_heaviside():
    x = np.array([-1.5, -0.0, 0.0, 2.0, np.nan, np.inf], dtype=np.float32)
    for values in (np.array([0.5], dtype=np.float32), np.linspace(-1, 1, 6).astype(np.float32)):
        assert_same(ourdl.heaviside(ourdl.tensor(x), ourdl.tensor(values)),
                    torch.heaviside(torch.tensor(x), torch.tensor(values)))
    i = np.array([-2, 0, 3])
    assert_same(ourdl.tensor(i).heaviside(ourdl.tensor(i)), torch.tensor(i).heaviside(torch.tensor(i)))
    t = ourdl.tensor([1.0, 0.0], requires_grad=True)
    y = ourdl.heaviside(t, ourdl.tensor([0.5]))
    with pytest.raises(RuntimeError, match="heaviside"):
        y.sum().backward()


@pytest.mark.parametrize("dtype", DTYPES)
def test_signbit(dtype):
    x = np.array([-1.0, -0.0, 0.0, 2.0, -np.inf, np.inf, np.nan, -np.nan], dtype=dtype)
    assert_same(ourdl.signbit(ourdl.tensor(x)), torch.signbit(torch.tensor(x)))
    assert ourdl.tensor(x).signbit().dtype == ourdl.bool


def test_float_power_is_float64_with_float32_gradients():
    a = np.array([1.5, 2.0, 0.5], dtype=np.float32)
    b = np.array([2.0, -1.0, 0.5], dtype=np.float32)
    check(ourdl.float_power, torch.float_power, a, b)
    check(lambda t: t.float_power(3), lambda t: t.float_power(3), a)
    check(lambda t: ourdl.float_power(t, 0), lambda t: torch.float_power(t, 0), np.array([0.0, 2.0]))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
@pytest.mark.parametrize("value", [1, 0.5, -2])
def test_addcmul_addcdiv(name, value, dtype):
    rng = np.random.default_rng(9)
    a, b = rng.standard_normal((2, 3)).astype(dtype), rng.standard_normal((3,)).astype(dtype)
    c = rng.uniform(0.5, 2, (2, 1)).astype(dtype)
    check(lambda x, y, z: getattr(ourdl, name)(x, y, z, value=value),
          lambda x, y, z: getattr(torch, name)(x, y, z, value=value), a, b, c, **LOOSE[dtype])
    check(lambda x, y, z: getattr(x, name)(y, z, value=value), lambda x, y, z: getattr(x, name)(y, z, value=value),
          a, b, c, **LOOSE[dtype])
    check_double(lambda x, y, z: getattr(ourdl, name)(x, y, z, value=value),
                 lambda x, y, z: getattr(torch, name)(x, y, z, value=value), a, b, c)


def test_addcmul_integers_and_mixed_dtypes():
    i = np.array([1, 2, -3])
    f = np.array([0.5, 1.5, 2.0], dtype=np.float32)
    assert_same(ourdl.addcmul(ourdl.tensor(i), ourdl.tensor(i), ourdl.tensor(i), value=2),
                torch.addcmul(torch.tensor(i), torch.tensor(i), torch.tensor(i), value=2))
    assert_same(ourdl.addcmul(ourdl.tensor(i), ourdl.tensor(f), ourdl.tensor(i)),
                torch.addcmul(torch.tensor(i), torch.tensor(f), torch.tensor(i)))
    assert_same(ourdl.addcdiv(ourdl.tensor(i), ourdl.tensor(f), ourdl.tensor(i)),
                torch.addcdiv(torch.tensor(i), torch.tensor(f), torch.tensor(i)))
    with pytest.raises(RuntimeError, match="addcmul.*floating point"):
        ourdl.addcmul(ourdl.tensor(i), ourdl.tensor(i), ourdl.tensor(i), value=0.5)
    with pytest.raises(RuntimeError, match="addcdiv.*int64"):
        ourdl.addcdiv(ourdl.tensor(f), ourdl.tensor(i), ourdl.tensor(i))


def test_errors_name_the_op():
    f, i = ourdl.tensor([1.0, 2.0]), ourdl.tensor([1, 2])
    with pytest.raises(TypeError, match="atan2.*other.*float"):
        ourdl.atan2(f, 2.0)
    with pytest.raises(TypeError, match="hypot"):
        ourdl.hypot(f, 2.0)
    with pytest.raises(NotImplementedError, match="hypot.*int64"):
        ourdl.hypot(i, i)
    with pytest.raises(NotImplementedError, match="logaddexp.*int64"):
        ourdl.logaddexp(i, i)
    with pytest.raises(NotImplementedError, match="frac.*int64"):
        ourdl.frac(i)
    with pytest.raises(RuntimeError, match="fmod.*ZeroDivision"):
        ourdl.fmod(i, ourdl.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="heaviside.*float32.*float64"):
        ourdl.heaviside(f, ourdl.tensor([1.0], dtype=ourdl.float64))
    with pytest.raises(RuntimeError, match=r"atan2.*\[2\].*\[3\]"):
        ourdl.atan2(f, ourdl.ones(3))
    with pytest.raises(RuntimeError, match="polygamma.*negative"):
        ourdl.polygamma(-1, f)


def test_no_numpy_warnings_at_special_points(recwarn):
    x = ourdl.tensor([0.0, -1.0, 1.0, 2.0, np.inf, np.nan], requires_grad=True)
    for fn in (ourdl.lgamma, ourdl.digamma, ourdl.erfinv, ourdl.logit, ourdl.sinc, ourdl.exp2,
               lambda t: ourdl.atan2(t, t), lambda t: ourdl.hypot(t, t), lambda t: ourdl.xlogy(t, t),
               lambda t: ourdl.fmod(t, t), lambda t: ourdl.copysign(t, t), lambda t: ourdl.logaddexp(t, t)):
        fn(x).backward(ourdl.ones_like(x))
    assert not [w for w in recwarn.list if issubclass(w.category, RuntimeWarning)]
