"""Convolution and padding layers against PyTorch: outputs and gradients with copied weights for every padding
mode and padding form, default initialisation (fans, bounds), reprs, output_size, and the layers' errors."""

import math

import numpy as np
import pytest

import ourdl
from ourdl import nn
from tests.oracle import assert_same, torch

rng = np.random.default_rng(0)


def _pair(ours, theirs):
    """``theirs`` given ``ours``' parameters; both in float64."""
    ours.double()
    theirs.double()
    theirs.load_state_dict({k: torch.tensor(v.detach().numpy()) for k, v in ours.state_dict().items()})
    return ours, theirs


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("padding", [1, (2, 1), "same", "valid"])
def test_conv2d_module_matches_torch(mode, padding):
    kwargs = dict(padding=padding, padding_mode=mode, groups=2, dilation=(1, 2))
    ours, theirs = _pair(nn.Conv2d(4, 6, (3, 4), **kwargs), torch.nn.Conv2d(4, 6, (3, 4), **kwargs))
    assert repr(ours) == repr(theirs)
    x = rng.standard_normal((2, 4, 9, 11))
    xo, xt = ourdl.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yo, yt = ours(xo), theirs(xt)
    assert_same(yo, yt)
    g = rng.standard_normal(tuple(yt.shape))
    yo.backward(ourdl.tensor(g))
    yt.backward(torch.tensor(g))
    assert_same(xo.grad, xt.grad)
    assert_same(ours.weight.grad, theirs.weight.grad)
    assert_same(ours.bias.grad, theirs.bias.grad)


@pytest.mark.parametrize("cls, args, shape", [
    ("Conv1d", (3, 4, 3), (2, 3, 10)),
    ("Conv3d", (2, 4, 2), (1, 2, 4, 5, 3)),
    ("ConvTranspose1d", (3, 4, 3), (2, 3, 6)),
    ("ConvTranspose2d", (4, 6, 3), (2, 4, 5, 4)),
])
def test_other_conv_modules_match_torch(cls, args, shape):
    kwargs = dict(stride=2, groups=1) if cls.startswith("ConvTranspose") else dict(padding=1)
    ours, theirs = _pair(getattr(nn, cls)(*args, **kwargs), getattr(torch.nn, cls)(*args, **kwargs))
    assert repr(ours) == repr(theirs)
    x = rng.standard_normal(shape)
    assert_same(ours(ourdl.tensor(x)), theirs(torch.tensor(x)))


def test_conv_transpose2d_output_size():
    ours, theirs = _pair(nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, groups=2),
                         torch.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, groups=2))
    x = rng.standard_normal((2, 4, 5, 6))
    assert_same(ours(ourdl.tensor(x), output_size=[10, 12]), theirs(torch.tensor(x), output_size=[10, 12]))
    with pytest.raises(ValueError, match="valid sizes range from"):
        ours(ourdl.tensor(x), output_size=[20, 20])


@pytest.mark.parametrize("cls, args", [("Conv2d", (3, 6, 5)), ("Conv1d", (4, 8, 3)), ("ConvTranspose2d", (6, 4, 3)),
                                       ("Conv2d", (4, 8, 3))])
def test_default_init_is_torchs(cls, args):
    """kaiming_uniform_(a=sqrt(5)) over the receptive field: weights and biases within 1/sqrt(fan_in), filling it."""
    layer = getattr(nn, cls)(*args)
    fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(layer.weight)
    assert (fan_in, fan_out) == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(tuple(layer.weight.shape)))
    bound = 1 / math.sqrt(fan_in)
    for p in (layer.weight, layer.bias):
        values = p.detach().numpy()
        assert np.abs(values).max() <= bound
    assert np.abs(layer.weight.detach().numpy()).max() > 0.8 * bound


def test_depthwise_and_grouped_shapes():
    assert nn.Conv2d(8, 8, 3, groups=8, padding=1)(ourdl.ones(2, 8, 6, 6)).shape == (2, 8, 6, 6)
    assert nn.Conv2d(8, 16, 3, groups=8).weight.shape == (16, 1, 3, 3)


def test_errors_name_the_layer():
    layer = nn.Conv2d(3, 6, 5)
    with pytest.raises(RuntimeError, match=r"Conv2d\(3, 6.*expected input\[2, 4, 28, 28\] to have 3 channels, "
                                           r"but got 4 channels"):
        layer(ourdl.ones(2, 4, 28, 28))
    with pytest.raises(RuntimeError, match=r"Conv2d\(3, 6.*Expected 3D \(unbatched\) or 4D \(batched\) input to "
                                           r"conv2d, but got input of size: \[4, 8\]"):
        layer(ourdl.ones(4, 8))


BAD = [
    ("in_channels not divisible", lambda m: m.nn.Conv2d(3, 6, 3, groups=2)),
    ("out_channels not divisible", lambda m: m.nn.Conv2d(4, 6, 3, groups=4)),
    ("zero groups", lambda m: m.nn.Conv2d(4, 6, 3, groups=0)),
    ("same with stride", lambda m: m.nn.Conv2d(4, 6, 3, padding="same", stride=2)),
    ("bad padding string", lambda m: m.nn.Conv2d(4, 6, 3, padding="foo")),
    ("bad padding mode", lambda m: m.nn.Conv2d(4, 6, 3, padding_mode="foo")),
    ("transpose with reflect", lambda m: m.nn.ConvTranspose2d(4, 6, 3, padding_mode="reflect")),
    ("zero stride at call", lambda m: m.nn.Conv2d(4, 6, 3, stride=0)(m.ones(1, 4, 8, 8))),
    ("reflect wider than input", lambda m: m.nn.Conv2d(4, 6, 3, padding=5, padding_mode="reflect")(m.ones(1, 4, 3, 3))),
    ("transpose output padding", lambda m: m.nn.ConvTranspose2d(4, 6, 3, output_padding=2, stride=2)(
        m.ones(1, 4, 3, 3))),
    ("circular pad layer rank", lambda m: m.nn.CircularPad2d(2)(m.ones(2, 3, 4, 5, 6))),
]


@pytest.mark.parametrize("name, call", BAD, ids=[b[0] for b in BAD])
def test_bad_arguments_raise_torchs_exception(name, call):
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)):
        call(ourdl)


@pytest.mark.parametrize("name, args", [("ZeroPad2d", (1,)), ("ConstantPad1d", ((1, 2), 3.5)),
                                        ("ReflectionPad2d", (2,)), ("ReplicationPad3d", (1,)),
                                        ("CircularPad1d", (1,)), ("ZeroPad1d", ((1, 2),))])
def test_padding_layers_match_torch(name, args):
    ours, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    assert repr(ours) == repr(theirs)
    d = int(name[-2])
    x = rng.standard_normal((2, 3) + (4,) * d)
    assert_same(ours(ourdl.tensor(x)), theirs(torch.tensor(x)))
