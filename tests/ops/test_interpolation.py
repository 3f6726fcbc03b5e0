"""interpolate against PyTorch: every mode over drawn sizes and scale factors (up and down, align_corners,
recompute_scale_factor), values and gradients in float32 and float64, infinities and NaN, second derivatives,
and PyTorch's errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
import ourdl.nn.functional as F
from tests.oracle import torch
from tests.ops.pooling_cases import compare, double_backward, images, nonfinite_gradient

TF = torch.nn.functional
# Infinite inputs are left out of the drawn cases: where a linear mode weighs an infinity by zero, PyTorch's CPU
# kernels differ among themselves (by shape and thread count) in whether that gives NaN.


@st.composite
def resize(draw, spatial: int):
    mode = draw(st.sampled_from(["nearest", "nearest-exact", "area", "linear" if spatial == 1 else "bilinear"]))
    arguments = dict(mode=mode)
    if mode in ("linear", "bilinear"):
        arguments["align_corners"] = draw(st.sampled_from([None, False, True]))
    if draw(st.booleans()):
        arguments["size"] = draw(st.one_of(st.integers(1, 12), st.tuples(*[st.integers(1, 12)] * spatial)))
    else:
        factor = st.sampled_from([0.5, 0.75, 1.0, 1.5, 1.7, 2.0, 2.5, 3.0])
        arguments["scale_factor"] = draw(st.one_of(factor, st.tuples(*[factor] * spatial)))
        arguments["recompute_scale_factor"] = draw(st.sampled_from([None, False, True]))
    return arguments


@settings(max_examples=40, deadline=None)
@given(x=images(2, specials=(np.nan,)), arguments=resize(2))
def test_interpolate_2d_matches_torch(x, arguments):
    x = x.reshape((1,) * (4 - x.ndim) + x.shape)
    compare(lambda t: F.interpolate(t, **arguments), lambda t: TF.interpolate(t, **arguments), x)


@settings(max_examples=10, deadline=None)
@given(x=images(1, max_size=12, specials=(np.nan,)), arguments=resize(1))
def test_interpolate_1d_matches_torch(x, arguments):
    x = x.reshape((1,) * (3 - x.ndim) + x.shape)
    compare(lambda t: F.interpolate(t, **arguments), lambda t: TF.interpolate(t, **arguments), x)


@settings(max_examples=10, deadline=None)
@given(x=images(2, specials=()), arguments=resize(2))
def test_second_derivatives_match_torch(x, arguments):
    x = x.reshape((1,) * (4 - x.ndim) + x.shape)
    double_backward(lambda t: F.interpolate(t, **arguments), lambda t: TF.interpolate(t, **arguments), x)


def test_gradcheck_and_gradgradcheck():
    x = ourdl.randn(1, 2, 4, 5, dtype=ourdl.float64, requires_grad=True)
    for arguments in (dict(scale_factor=2), dict(size=(3, 7), mode="bilinear"),
                      dict(size=(6, 3), mode="bilinear", align_corners=True), dict(scale_factor=1.5, mode="nearest-exact")):
        fn = lambda t: F.interpolate(t, **arguments)  # noqa: E731
        assert ourdl.autograd.gradcheck(fn, x)
        assert ourdl.autograd.gradgradcheck(fn, x)


def test_nearest_accepts_bytes_as_pytorch_does():
    x = np.arange(12, dtype=np.uint8).reshape(1, 1, 3, 4)
    compare(lambda t: F.interpolate(t, scale_factor=1.5), lambda t: TF.interpolate(t, scale_factor=1.5), x, grad=False)


def test_the_node_is_named_as_pytorchs():
    x = ourdl.rand(1, 1, 2, 2, requires_grad=True)
    assert F.interpolate(x, scale_factor=2).grad_fn.name() == "UpsampleNearest2DBackward0"
    assert F.interpolate(x, scale_factor=2, mode="bilinear").grad_fn.name() == "UpsampleBilinear2DBackward0"


BAD = [
    (4, dict(size=0)), (4, dict(scale_factor=0.1)), (4, dict()), (4, dict(size=2, scale_factor=2)),
    (4, dict(size=(2, 2, 2))), (4, dict(scale_factor=(2, 2, 2))), (4, dict(size=(2.5, 2))),
    (4, dict(size=2, align_corners=True)), (4, dict(size=2, mode="linear")), (3, dict(size=2, mode="bilinear")),
    (2, dict(size=2)), (4, dict(size=2, mode="foo")), (4, dict(size=2, recompute_scale_factor=True)),
]


@pytest.mark.parametrize("rank, arguments", BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_arguments_raise_what_pytorch_raises(rank, arguments):
    shape = (1, 1, 4, 4)[-rank:]
    with pytest.raises(Exception) as expected:
        TF.interpolate(torch.zeros(shape), **arguments)
    with pytest.raises(expected.type, match="interpolate"):
        F.interpolate(ourdl.zeros(shape), **arguments)


def test_integer_input_is_refused():
    with pytest.raises(NotImplementedError, match="not implemented for 'Long'"):
        F.interpolate(ourdl.zeros(1, 1, 2, 2, dtype=ourdl.int64), scale_factor=2)


@pytest.mark.parametrize("arguments", [dict(scale_factor=2), dict(size=(5, 9), mode="bilinear"),
                                       dict(size=(3, 2), mode="bilinear", align_corners=True)])
def test_an_infinite_or_nan_gradient_spreads_as_in_pytorch(arguments):
    nonfinite_gradient(lambda t: F.interpolate(t, **arguments), lambda t: TF.interpolate(t, **arguments),
                       np.random.default_rng(4).standard_normal((1, 2, 4, 5)))


@pytest.mark.parametrize("name, arguments", [("upsample", dict(scale_factor=2, mode="bilinear")),
                                             ("upsample_nearest", dict(size=(3, 7))),
                                             ("upsample_bilinear", dict(scale_factor=1.5))])
def test_the_deprecated_names_warn_and_interpolate_as_pytorchs(name, arguments):
    x = np.random.default_rng(2).standard_normal((2, 3, 4, 5)).astype(np.float32)
    with pytest.warns(UserWarning, match=f"nn.functional.{name}` is deprecated"):
        got = getattr(F, name)(ourdl.tensor(x), **arguments)
    with pytest.warns(UserWarning):
        expected = getattr(TF, name)(torch.tensor(x), **arguments)
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)
