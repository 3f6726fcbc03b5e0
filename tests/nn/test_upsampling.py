"""The upsampling Modules: PyTorch's constructor arguments, attributes and repr, and the same output."""

import numpy as np
import pytest

import ourdl
from ourdl import nn
from tests.oracle import assert_same, torch

LAYERS = [
    ("Upsample", dict(scale_factor=2)), ("Upsample", dict(size=(5, 3), mode="bilinear")),
    ("Upsample", dict(scale_factor=(1.5, 2), mode="bilinear", align_corners=True)),
    ("Upsample", dict(size=7, mode="nearest-exact")), ("Upsample", dict(scale_factor=1.7, recompute_scale_factor=True)),
    ("UpsamplingNearest2d", dict(scale_factor=3)), ("UpsamplingBilinear2d", dict(size=6)),
]


@pytest.mark.parametrize("name, kwargs", LAYERS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(LAYERS)])
def test_layer_is_pytorchs(name, kwargs):
    ours, theirs = getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
    assert repr(ours) == repr(theirs)
    public = {k: v for k, v in vars(theirs).items() if not k.startswith("_") and k != "training"}
    assert {k: getattr(ours, k) for k in public} == public
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5)).astype(np.float32)
    assert_same(ours(ourdl.tensor(x)), theirs(torch.tensor(x)))


def test_linear_upsampling_of_sequences():
    x = np.random.default_rng(1).standard_normal((2, 3, 6)).astype(np.float32)
    assert_same(nn.Upsample(scale_factor=2, mode="linear")(ourdl.tensor(x)),
                torch.nn.Upsample(scale_factor=2, mode="linear")(torch.tensor(x)))
