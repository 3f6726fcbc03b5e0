"""Hessians through pooling and resampling, as the activation lab takes them through a CNN: the same matrix as
PyTorch's, in float64."""

import numpy as np
import pytest

import ourdl
from tests.oracle import assert_same, torch


def network(lib, x):
    """A small CNN-like function of one image: activations, pooling of each kind, upsampling, a scalar."""
    F = lib.nn.functional
    h = F.max_pool2d(x.tanh(), 2, stride=1)
    h = F.interpolate(h.unsqueeze(0), scale_factor=1.5, mode="bilinear").squeeze(0)
    h = F.avg_pool2d(h * h, 2, padding=1, count_include_pad=False)
    return (F.adaptive_avg_pool2d(h.sigmoid(), 2) ** 2).sum() + F.adaptive_max_pool2d(x * x, 1).sum()


@pytest.mark.slow
def test_hessian_through_pooling_matches_torch():
    x = np.random.default_rng(0).permutation(18).reshape(2, 3, 3) / 9.0 - 1.0  # no ties
    ours = ourdl.autograd.functional.hessian(lambda t: network(ourdl, t), ourdl.tensor(x))
    theirs = torch.autograd.functional.hessian(lambda t: network(torch, t), torch.tensor(x))
    assert_same(ours, theirs, what="hessian")
