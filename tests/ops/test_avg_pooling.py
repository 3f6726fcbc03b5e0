"""avg_pool1d/2d against PyTorch: values and gradients over drawn shapes and arguments (padding counted or not,
ceil_mode, divisor_override), infinities and NaN; second derivatives; integer inputs refused."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
import ourdl.nn.functional as F
from tests.oracle import torch
from tests.ops.pooling_cases import compare, double_backward, images, windows

TF = torch.nn.functional


@st.composite
def avg_arguments(draw, spatial: int):
    arguments = draw(windows(spatial))
    arguments["count_include_pad"] = draw(st.booleans())
    if spatial == 2 and draw(st.booleans()):
        arguments["divisor_override"] = draw(st.integers(1, 5))
    return arguments


@settings(max_examples=40, deadline=None)
@given(x=images(2), arguments=avg_arguments(2))
def test_avg_pool2d_matches_torch(x, arguments):
    compare(lambda t: F.avg_pool2d(t, **arguments), lambda t: TF.avg_pool2d(t, **arguments), x)


@settings(max_examples=25, deadline=None)
@given(x=images(1, max_size=12), arguments=avg_arguments(1))
def test_avg_pool1d_matches_torch(x, arguments):
    compare(lambda t: F.avg_pool1d(t, **arguments), lambda t: TF.avg_pool1d(t, **arguments), x)


@settings(max_examples=10, deadline=None)
@given(x=images(2, specials=()), arguments=avg_arguments(2))
def test_avg_pool2d_second_derivatives_match_torch(x, arguments):
    double_backward(lambda t: F.avg_pool2d(t, **arguments), lambda t: TF.avg_pool2d(t, **arguments), x)


def test_gradcheck_and_gradgradcheck():
    x = ourdl.randn(2, 5, 6, dtype=ourdl.float64, requires_grad=True)
    for fn in (lambda t: F.avg_pool2d(t, 3, 2, 1, ceil_mode=True, count_include_pad=False),
               lambda t: F.avg_pool2d(t, (2, 3), 1, divisor_override=4), lambda t: F.avg_pool1d(t, 3, 2, 1)):
        assert ourdl.autograd.gradcheck(fn, x)
        assert ourdl.autograd.gradgradcheck(fn, x)


def test_integer_input_is_refused_as_pytorch_does():
    for fn in (F.avg_pool2d, F.avg_pool1d):
        with pytest.raises(NotImplementedError, match="avg_pool.d.*'Long'"):
            fn(ourdl.ones(1, 4, 4, dtype=ourdl.int64), 2)


def test_exact_on_a_lenet_sized_batch():
    x = np.random.default_rng(3).standard_normal((16, 6, 28, 28)).astype(np.float32)
    compare(lambda t: F.avg_pool2d(t, 2), lambda t: TF.avg_pool2d(t, 2), x)
