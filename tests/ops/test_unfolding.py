"""F.unfold / F.fold against PyTorch: values, gradients (float32/float64) over drawn shapes, double backward,
gradgradcheck, and PyTorch's errors."""

import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ourdl
import ourdl.nn.functional as F
from ourdl import nn
from ourdl.autograd import gradcheck, gradgradcheck
from tests.oracle import check, check_double, torch

TF = torch.nn.functional


@st.composite
def block_case(draw):
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    reach = [v * (k - 1) + 1 for v, k in zip(dilation, kernel)]
    size = tuple(draw(st.integers(max(1, r - 2 * p), r - 2 * p + 5)) for r, p in zip(reach, padding))
    shape = (draw(st.integers(1, 3)), draw(st.integers(1, 3))) + size
    return shape, dict(kernel_size=kernel, dilation=dilation, padding=padding, stride=stride)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@settings(max_examples=20, deadline=None)
@given(case=block_case(), seed=st.integers(0, 1000))
def test_unfold_and_fold_match_torch(case, seed, dtype):
    shape, kwargs = case
    x = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    _, blocks = check(lambda t: F.unfold(t, **kwargs), lambda t: TF.unfold(t, **kwargs), x)
    cols = np.random.default_rng(seed + 1).standard_normal(tuple(blocks.shape)).astype(dtype)
    check(lambda t: F.fold(t, shape[2:], **kwargs), lambda t: TF.fold(t, shape[2:], **kwargs), cols)


def test_double_backward_and_gradgradcheck():
    x = np.random.default_rng(0).standard_normal((2, 3, 5, 6))
    kwargs = dict(kernel_size=(2, 3), dilation=(2, 1), padding=1, stride=(1, 2))
    check_double(lambda t: F.unfold(t, **kwargs) ** 2, lambda t: TF.unfold(t, **kwargs) ** 2, x)
    t = ourdl.tensor(x, requires_grad=True)
    assert gradgradcheck(lambda a: F.unfold(a, **kwargs) ** 2, (t,))
    cols = ourdl.tensor(np.random.default_rng(1).standard_normal(tuple(F.unfold(t, **kwargs).shape)),
                        requires_grad=True)
    assert gradcheck(lambda a: F.fold(a, (5, 6), **kwargs) ** 2, (cols,))
    assert gradgradcheck(lambda a: F.fold(a, (5, 6), **kwargs) ** 2, (cols,))


def test_unbatched_and_modules():
    assert F.unfold(ourdl.ones(2, 4, 5), 2).shape == (8, 12)
    assert F.fold(ourdl.ones(8, 12), (4, 5), 2).shape == (2, 4, 5)
    assert repr(nn.Unfold(2, padding=1, stride=2)) == repr(torch.nn.Unfold(2, padding=1, stride=2))
    assert repr(nn.Fold((4, 5), 2)) == repr(torch.nn.Fold((4, 5), 2))


BAD = [
    ("unfold 5-D", lambda m: m.nn.functional.unfold(m.randn(1, 2, 3, 4, 5), 2)),
    ("kernel too large", lambda m: m.nn.functional.unfold(m.randn(1, 2, 4, 5), 6)),
    ("zero stride", lambda m: m.nn.functional.unfold(m.randn(1, 2, 4, 5), 2, stride=0)),
    ("negative padding", lambda m: m.nn.functional.unfold(m.randn(1, 2, 4, 5), 2, padding=-1)),
    ("zero dilation", lambda m: m.nn.functional.unfold(m.randn(1, 2, 4, 5), 2, dilation=0)),
    ("zero kernel", lambda m: m.nn.functional.unfold(m.randn(1, 2, 4, 5), 0)),
    ("fold rows", lambda m: m.nn.functional.fold(m.randn(1, 7, 12), (4, 5), 2)),
    ("fold blocks", lambda m: m.nn.functional.fold(m.randn(1, 8, 10), (4, 5), 2)),
    ("fold 4-D", lambda m: m.nn.functional.fold(m.randn(1, 8, 10, 1), (4, 5), 2)),
    ("fold output too small", lambda m: m.nn.functional.fold(m.randn(1, 8, 12), (1, 1), 2)),
    ("fold output_size length", lambda m: m.nn.functional.fold(m.randn(1, 8, 12), (4, 5, 3), 2)),
]


@pytest.mark.parametrize("name, call", BAD, ids=[b[0] for b in BAD])
def test_bad_input_raises_torchs_exception(name, call):
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value), match=re.escape(str(theirs.value).split(",")[0][:30])):
        call(ourdl)
