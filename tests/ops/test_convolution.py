"""Convolutions against PyTorch: conv1d/2d/3d and their transposes, values and gradients in float32/float64 over
drawn shapes, strides, paddings, dilations and groups; double backward; gradcheck/gradgradcheck; bad input."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ourdl
import ourdl.nn.functional as F
from ourdl.autograd import gradcheck, gradgradcheck
from tests.oracle import check, check_double, torch

TF = torch.nn.functional
DTYPES = [np.float32, np.float64]


@st.composite
def conv_case(draw, d: int):
    """Arrays and keyword arguments of a valid ``conv{d}d`` call."""
    groups = draw(st.integers(1, 3))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(d))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(d))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(d))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(d))
    reach = [v * (k - 1) + 1 for v, k in zip(dilation, kernel)]
    size = tuple(draw(st.integers(max(1, r - 2 * p), r - 2 * p + 5)) for r, p in zip(reach, padding))
    batch = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2 ** 16))
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal((batch, c_in) + size), rng.standard_normal((c_out, c_in // groups) + kernel)]
    if draw(st.booleans()):
        arrays.append(rng.standard_normal(c_out))
    if draw(st.booleans()) and all(s == 1 for s in stride):
        fits = all(n >= r for n, r in zip(size, reach))  # 'valid' needs the kernel's reach within the input
        padding = draw(st.sampled_from(["same", "valid"] if fits else ["same"]))
    return arrays, dict(stride=stride, padding=padding, dilation=dilation, groups=groups)


@pytest.mark.parametrize("d", [1, 2, 3])
@pytest.mark.parametrize("dtype", DTYPES)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_conv_values_and_gradients_match_torch(d, dtype, data):
    arrays, kwargs = data.draw(conv_case(d))
    ours, theirs = getattr(F, f"conv{d}d"), getattr(TF, f"conv{d}d")
    check(lambda *a: ours(*a, **kwargs), lambda *a: theirs(*a, **kwargs), *[a.astype(dtype) for a in arrays],
          **(dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else {}))


@st.composite
def transpose_case(draw, d: int):
    groups = draw(st.integers(1, 3))
    c_in, c_out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(d))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(d))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(d))
    output_padding = tuple(draw(st.integers(0, max(s, v) - 1)) for s, v in zip(stride, dilation))
    size = tuple(draw(st.integers(1, 5)) for _ in range(d))
    full = [(n - 1) * s + v * (k - 1) + op + 1 for n, s, v, k, op in zip(size, stride, dilation, kernel, output_padding)]
    padding = tuple(draw(st.integers(0, (f - 1) // 2)) for f in full)
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 16)))
    arrays = [rng.standard_normal((draw(st.integers(1, 2)), c_in) + size),
              rng.standard_normal((c_in, c_out // groups) + kernel)]
    if draw(st.booleans()):
        arrays.append(rng.standard_normal(c_out))
    return arrays, dict(stride=stride, padding=padding, output_padding=output_padding, groups=groups,
                        dilation=dilation)


@pytest.mark.parametrize("d", [1, 2])
@pytest.mark.parametrize("dtype", DTYPES)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_conv_transpose_values_and_gradients_match_torch(d, dtype, data):
    arrays, kwargs = data.draw(transpose_case(d))
    ours, theirs = getattr(F, f"conv_transpose{d}d"), getattr(TF, f"conv_transpose{d}d")
    check(lambda *a: ours(*a, **kwargs), lambda *a: theirs(*a, **kwargs), *[a.astype(dtype) for a in arrays],
          **(dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else {}))


@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_conv2d_double_backward_matches_torch(data):
    arrays, kwargs = data.draw(conv_case(2))
    check_double(lambda *a: F.conv2d(*a, **kwargs), lambda *a: TF.conv2d(*a, **kwargs), *arrays)


@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_conv_transpose2d_double_backward_matches_torch(data):
    arrays, kwargs = data.draw(transpose_case(2))
    check_double(lambda *a: F.conv_transpose2d(*a, **kwargs), lambda *a: TF.conv_transpose2d(*a, **kwargs), *arrays)


def _doubles(*shapes, seed=0):
    rng = np.random.default_rng(seed)
    return tuple(ourdl.tensor(rng.standard_normal(s), dtype=ourdl.float64, requires_grad=True) for s in shapes)


def test_conv2d_gradcheck_and_gradgradcheck():
    args = _doubles((2, 4, 5, 6), (6, 2, 3, 2), (6,))
    fn = lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2)  # noqa: E731
    assert gradcheck(fn, args)
    assert gradgradcheck(fn, args)


def test_conv_transpose2d_gradcheck_and_gradgradcheck():
    args = _doubles((2, 4, 3, 3), (4, 3, 3, 2), (6,))
    fn = lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=(1, 0), groups=2)  # noqa: E731
    assert gradcheck(fn, args)
    assert gradgradcheck(fn, args)


def test_third_derivative_through_conv2d():
    """Each node's backward is made of the others, so derivatives of any order exist: compare the third."""
    x0 = np.random.default_rng(3).standard_normal((1, 2, 5, 5))
    w0 = np.random.default_rng(4).standard_normal((3, 2, 3, 3))
    results = []
    for lib in (ourdl, torch):
        x = lib.tensor(x0, requires_grad=True)
        w = lib.tensor(w0, requires_grad=True)
        y = (lib.conv2d(x, w, padding=1) ** 3).sum()
        (gx,) = lib.autograd.grad(y, x, create_graph=True)
        (gw,) = lib.autograd.grad((gx ** 2).sum(), w, create_graph=True)
        (gx2,) = lib.autograd.grad(gw.sum(), x)
        results.append(gx2.detach().numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-9, atol=1e-9)


def test_unbatched_input_and_empty_batch():
    w = ourdl.ones(6, 3, 3, 3)
    assert ourdl.conv2d(ourdl.ones(3, 8, 8), w).shape == (6, 6, 6)
    assert ourdl.conv2d(ourdl.ones(0, 3, 8, 8), w).shape == (0, 6, 6, 6)
    assert ourdl.conv_transpose2d(ourdl.ones(3, 4, 4), ourdl.ones(3, 2, 3, 3)).shape == (2, 6, 6)


def test_top_level_names_are_the_functional_ones():
    assert ourdl.conv2d is F.conv2d and ourdl.conv1d is F.conv1d and ourdl.conv_transpose2d is F.conv_transpose2d


BAD = [
    ("rank", lambda m: m.conv2d(m.randn(2, 3), m.randn(6, 3, 3, 3))),
    ("rank5", lambda m: m.conv2d(m.randn(1, 2, 3, 8, 8), m.randn(6, 3, 3, 3))),
    ("channels", lambda m: m.conv2d(m.randn(2, 4, 8, 8), m.randn(6, 3, 3, 3))),
    ("channels of groups", lambda m: m.conv2d(m.randn(2, 4, 8, 8), m.randn(6, 1, 3, 3), groups=3)),
    ("kernel too large", lambda m: m.conv2d(m.randn(2, 3, 2, 2), m.randn(6, 3, 3, 3))),
    ("dilated kernel too large", lambda m: m.conv2d(m.randn(2, 3, 4, 4), m.randn(6, 3, 3, 3), dilation=2)),
    ("zero stride", lambda m: m.conv2d(m.randn(2, 3, 8, 8), m.randn(6, 3, 3, 3), stride=0)),
    ("negative stride", lambda m: m.conv2d(m.randn(2, 3, 8, 8), m.randn(6, 3, 3, 3), stride=-1)),
    ("negative padding", lambda m: m.conv2d(m.randn(2, 3, 8, 8), m.randn(6, 3, 3, 3), padding=-1)),
    ("zero dilation", lambda m: m.conv2d(m.randn(2, 3, 8, 8), m.randn(6, 3, 3, 3), dilation=0)),
    ("zero groups", lambda m: m.conv2d(m.randn(2, 3, 8, 8), m.randn(6, 3, 3, 3), groups=0)),
    ("groups do not divide", lambda m: m.conv2d(m.randn(2, 3, 8, 8), m.randn(5, 1, 3, 3), groups=3)),
    ("same with stride", lambda m: m.conv2d(m.randn(2, 3, 8, 8), m.randn(6, 3, 3, 3), padding="same", stride=2)),
    ("bad padding string", lambda m: m.conv2d(m.randn(2, 3, 8, 8), m.randn(6, 3, 3, 3), padding="foo")),
    ("bias size", lambda m: m.conv2d(m.randn(2, 3, 8, 8), m.randn(6, 3, 3, 3), m.zeros(5))),
    ("bias dtype", lambda m: m.conv2d(m.randn(2, 3, 8, 8), m.randn(6, 3, 3, 3), m.zeros(6, dtype=m.float64))),
    ("stride length", lambda m: m.conv2d(m.randn(2, 3, 8, 8), m.randn(6, 3, 3, 3), stride=(1, 1, 1))),
    ("transpose output too small", lambda m: m.conv_transpose2d(m.randn(1, 3, 1, 1), m.randn(3, 2, 1, 1), padding=1)),
    ("transpose output padding", lambda m: m.conv_transpose2d(m.randn(1, 3, 4, 4), m.randn(3, 2, 3, 3),
                                                               output_padding=1)),
    ("transpose channels", lambda m: m.conv_transpose2d(m.randn(1, 4, 4, 4), m.randn(3, 2, 3, 3))),
    ("transpose rank", lambda m: m.conv_transpose2d(m.randn(4, 4), m.randn(3, 2, 3, 3))),
    ("transpose same", lambda m: m.conv_transpose2d(m.randn(1, 3, 4, 4), m.randn(3, 2, 3, 3), padding="same")),
    ("transpose groups", lambda m: m.conv_transpose2d(m.randn(1, 3, 4, 4), m.randn(3, 2, 3, 3), groups=2)),
    ("conv1d rank", lambda m: m.conv1d(m.randn(2, 3, 4, 4), m.randn(3, 3, 3))),
]


@pytest.mark.parametrize("name, call", BAD, ids=[b[0] for b in BAD])
def test_bad_input_raises_torchs_exception(name, call):
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(ourdl)
    assert str(ours.value), name


def test_messages_say_what_was_wrong():
    with pytest.raises(RuntimeError, match=r"expected input\[2, 4, 8, 8\] to have 3 channels, but got 4"):
        ourdl.conv2d(ourdl.randn(2, 4, 8, 8), ourdl.randn(6, 3, 3, 3))
    with pytest.raises(RuntimeError, match=r"padded input size per channel: \(2 x 2\). Kernel size: \(3 x 3\)"):
        ourdl.conv2d(ourdl.randn(2, 3, 2, 2), ourdl.randn(6, 3, 3, 3))
    with pytest.raises(RuntimeError, match=r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got "
                                           r"input of size: \[2, 3\]"):
        ourdl.conv2d(ourdl.randn(2, 3), ourdl.randn(6, 3, 3, 3))


def test_empty_batch_backward_and_non_contiguous_input():
    x = ourdl.randn(0, 3, 8, 8, requires_grad=True)
    w = ourdl.randn(6, 3, 3, 3, requires_grad=True)
    ourdl.conv2d(x, w).sum().backward()
    assert x.grad.shape == (0, 3, 8, 8) and not w.grad.numpy().any()
    a = np.random.default_rng(5).standard_normal((2, 8, 8, 3))
    wa = np.random.default_rng(6).standard_normal((4, 3, 3, 3))
    check(lambda t, u: F.conv2d(t.permute(0, 3, 1, 2), u, padding=1),
          lambda t, u: TF.conv2d(t.permute(0, 3, 1, 2), u, padding=1), a, wa)


def test_nan_and_inf_spread_as_in_torch():
    a = np.random.default_rng(7).standard_normal((2, 3, 8, 8))
    a[0, 1, 4, 4], a[1, 0, 2, 2] = np.nan, np.inf
    w = np.random.default_rng(8).standard_normal((4, 3, 3, 3))
    ours = ourdl.conv2d(ourdl.tensor(a), ourdl.tensor(w), padding=1).numpy()
    theirs = torch.conv2d(torch.tensor(a), torch.tensor(w), padding=1).numpy()
    assert np.array_equal(np.isnan(ours), np.isnan(theirs)) and np.array_equal(np.isinf(ours), np.isinf(theirs))
    finite = np.isfinite(theirs)
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=1e-10, atol=1e-12)
