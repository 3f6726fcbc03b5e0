"""adaptive_avg_pool1d/2d and adaptive_max_pool1d/2d against PyTorch: values, indices and gradients over drawn
input and output sizes (smaller, larger, None entries), ties, infinities and NaN; second derivatives."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
import ourdl.nn.functional as F
from tests.oracle import torch
from tests.ops.pooling_cases import compare, double_backward, images

TF = torch.nn.functional
sizes = st.integers(0, 9)


def output_sizes(spatial: int):
    if spatial == 1:
        return st.one_of(sizes, st.tuples(sizes))
    return st.one_of(sizes, st.tuples(st.one_of(sizes, st.none()), st.one_of(sizes, st.none())))


@settings(max_examples=30, deadline=None)
@given(x=images(2), size=output_sizes(2), with_indices=st.booleans())
def test_adaptive_max_pool2d_matches_torch(x, size, with_indices):
    compare(lambda t: F.adaptive_max_pool2d(t, size, with_indices), lambda t: TF.adaptive_max_pool2d(t, size, with_indices),
            x, indices=with_indices)


@settings(max_examples=20, deadline=None)
@given(x=images(1, max_size=12), size=output_sizes(1))
def test_adaptive_max_pool1d_matches_torch(x, size):
    compare(lambda t: F.adaptive_max_pool1d(t, size, True), lambda t: TF.adaptive_max_pool1d(t, size, True), x,
            indices=True)


@settings(max_examples=30, deadline=None)
@given(x=images(2), size=output_sizes(2))
def test_adaptive_avg_pool2d_matches_torch(x, size):
    compare(lambda t: F.adaptive_avg_pool2d(t, size), lambda t: TF.adaptive_avg_pool2d(t, size), x)


@settings(max_examples=20, deadline=None)
@given(x=images(1, max_size=12), size=output_sizes(1))
def test_adaptive_avg_pool1d_matches_torch(x, size):
    compare(lambda t: F.adaptive_avg_pool1d(t, size), lambda t: TF.adaptive_avg_pool1d(t, size), x)


@settings(max_examples=10, deadline=None)
@given(x=images(2, specials=()), size=output_sizes(2))
def test_second_derivatives_match_torch(x, size):
    x = x + np.arange(x.size).reshape(x.shape) * 1e-3  # no ties
    double_backward(lambda t: F.adaptive_avg_pool2d(t, size), lambda t: TF.adaptive_avg_pool2d(t, size), x)
    double_backward(lambda t: F.adaptive_max_pool2d(t, size), lambda t: TF.adaptive_max_pool2d(t, size), x)


def test_gradcheck_and_gradgradcheck():
    x = ourdl.tensor(np.random.default_rng(0).permutation(60).reshape(2, 5, 6) / 7.0, dtype=ourdl.float64,
                     requires_grad=True)
    for fn in (lambda t: F.adaptive_avg_pool2d(t, (3, 4)), lambda t: F.adaptive_avg_pool2d(t, (7, None)),
               lambda t: F.adaptive_max_pool2d(t, (3, 4)), lambda t: F.adaptive_max_pool1d(t, 4),
               lambda t: F.adaptive_avg_pool1d(t, 4)):
        assert ourdl.autograd.gradcheck(fn, x)
        assert ourdl.autograd.gradgradcheck(fn, x)


def test_integer_input_is_refused_as_pytorch_does():
    with pytest.raises(NotImplementedError, match="adaptive_avg_pool2d.*'Long'"):
        F.adaptive_avg_pool2d(ourdl.ones(1, 4, 4, dtype=ourdl.int64), 2)


def test_global_average_of_a_resnet_feature_map_is_exact():
    x = np.random.default_rng(3).standard_normal((8, 64, 7, 7)).astype(np.float32)
    compare(lambda t: F.adaptive_avg_pool2d(t, 1), lambda t: TF.adaptive_avg_pool2d(t, 1), x)
    compare(lambda t: F.adaptive_avg_pool2d(t, (1, 1)), lambda t: TF.adaptive_avg_pool2d(t, (1, 1)), x)
