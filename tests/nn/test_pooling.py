"""The pooling Modules: PyTorch's constructor arguments, attributes and repr, and the same output as PyTorch's."""

import numpy as np
import pytest

import ourdl
from ourdl import nn
from tests.oracle import assert_same, torch

LAYERS = [
    ("MaxPool1d", (2,), {}), ("MaxPool1d", (3, 2, 1), dict(dilation=2, ceil_mode=True)),
    ("MaxPool2d", (2,), {}), ("MaxPool2d", ((2, 3), 1), dict(return_indices=True)),
    ("MaxPool2d", (3,), dict(stride=2, padding=1, ceil_mode=True)),
    ("AvgPool1d", (3,), {}), ("AvgPool1d", (2, 1, 1), dict(count_include_pad=False)),
    ("AvgPool2d", (2,), {}), ("AvgPool2d", (3, 2, 1), dict(ceil_mode=True, divisor_override=4)),
    ("AdaptiveAvgPool1d", (3,), {}), ("AdaptiveAvgPool2d", ((None, 3),), {}), ("AdaptiveAvgPool2d", (1,), {}),
    ("AdaptiveMaxPool1d", (2,), {}), ("AdaptiveMaxPool2d", (2, True), {}), ("AdaptiveMaxPool2d", ((3, None),), {}),
]


@pytest.mark.parametrize("name, args, kwargs", LAYERS, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(LAYERS)])
def test_layer_is_pytorchs(name, args, kwargs):
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    public = {k: v for k, v in vars(theirs).items() if not k.startswith("_") and k != "training"}
    assert {k: getattr(ours, k) for k in public} == public
    assert list(ours.state_dict()) == []
    shape = (2, 3, 7, 8) if name.endswith("2d") else (2, 3, 9)
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    got, expected = ours(ourdl.tensor(x)), theirs(torch.tensor(x))
    if isinstance(expected, tuple):
        np.testing.assert_array_equal(got[1].numpy(), expected[1].numpy())
        got, expected = got[0], expected[0]
    assert_same(got, expected)


def test_a_lenet_stack_trains_through_pooling():
    model = nn.Sequential(nn.MaxPool2d(2), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    x = ourdl.randn(4, 3, 8, 8, requires_grad=True)
    model(x).sum().backward()
    assert x.grad.shape == x.shape and float(x.grad.sum()) == pytest.approx(12.0)


@pytest.mark.parametrize("name, args", [("MaxUnpool1d", (3, 2)), ("MaxUnpool2d", (2,)), ("MaxUnpool2d", ((2, 3), 1, 1))])
def test_unpooling_layer_is_pytorchs(name, args):
    ours, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    assert repr(ours) == repr(theirs)
    assert (ours.kernel_size, ours.stride, ours.padding) == (theirs.kernel_size, theirs.stride, theirs.padding)
    pool = getattr(torch.nn, name.replace("Unpool", "Pool"))(*args, return_indices=True)
    shape = (2, 3, 7, 8) if name.endswith("2d") else (2, 3, 9)
    values, indices = pool(torch.tensor(np.random.default_rng(0).standard_normal(shape).astype(np.float32)))
    got = ours(ourdl.tensor(values.numpy()), ourdl.tensor(indices.numpy()), output_size=shape)
    assert_same(got, theirs(values, indices, output_size=shape))
