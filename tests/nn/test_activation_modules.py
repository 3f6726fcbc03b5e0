"""The activation Modules against torch.nn's: constructor arguments, repr, outputs and gradients, parameters."""

import numpy as np
import pytest

import ourdl
from ourdl import nn
from tests.oracle import assert_same, both, check, torch

# (class name, constructor arguments) as one would write them for torch.nn
CASES = [
    ("ReLU", ()), ("ReLU", (True,)), ("ReLU6", ()), ("ReLU6", (True,)), ("LeakyReLU", ()), ("LeakyReLU", (0.2,)),
    ("LeakyReLU", (0.2, True)), ("ELU", ()), ("ELU", (0.5,)), ("ELU", (1.0, True)), ("SELU", ()), ("SELU", (True,)),
    ("CELU", ()), ("CELU", (2.0,)), ("GELU", ()), ("GELU", ("tanh",)), ("SiLU", ()), ("SiLU", (True,)), ("Mish", ()),
    ("Mish", (True,)), ("Softplus", ()), ("Softplus", (2, 10)), ("Softsign", ()), ("Softshrink", ()),
    ("Softshrink", (1,)), ("Hardshrink", ()), ("Hardshrink", (1.5,)), ("Tanhshrink", ()), ("Hardtanh", ()),
    ("Hardtanh", (-2, 2)), ("Hardtanh", (-2.0, 2.0, True)), ("Hardsigmoid", ()), ("Hardsigmoid", (True,)),
    ("Hardswish", ()), ("Hardswish", (True,)), ("LogSigmoid", ()), ("Threshold", (0.1, 20)),
    ("Threshold", (0.1, 20.0, True)), ("GLU", ()), ("GLU", (1,)), ("Sigmoid", ()), ("Tanh", ()), ("Softmax", (1,)),
    ("Softmax", (-1,)), ("LogSoftmax", (1,)), ("Softmin", (0,)), ("Softmax2d", ()), ("PReLU", ()), ("PReLU", (4,)),
    ("PReLU", (4, 0.1)), ("RReLU", ()), ("RReLU", (0.1, 0.3)),
]


def _ids():
    return [f"{name}{args}" for name, args in CASES]


@pytest.mark.parametrize("name, args", CASES, ids=_ids())
def test_repr_is_torchs(name, args):
    assert repr(getattr(nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))


@pytest.mark.parametrize("name, args", CASES, ids=_ids())
def test_module_matches_torch_module(name, args):
    ours, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    ours.eval(), theirs.eval()
    x = np.random.default_rng(0).standard_normal((3, 4, 2, 2)).astype(np.float32) * 3
    x[0, 0, 0, :] = [0.0, 2.0]
    inplace = "True" in str(args)
    check(lambda t: ours(t * 1 if inplace else t), lambda t: theirs(t * 1 if inplace else t), x)


def test_prelu_learns_one_slope_per_channel_like_torch():
    ours, theirs = nn.PReLU(3, 0.2), torch.nn.PReLU(3, 0.2)
    x = np.random.default_rng(1).standard_normal((5, 3, 2)).astype(np.float32)
    a, b = both(x)
    ours(a).square().sum().backward()
    theirs(b).square().sum().backward()
    assert [n for n, _ in ours.named_parameters()] == ["weight"]
    assert_same(ours.weight.grad, theirs.weight.grad)
    assert_same(a.grad, b.grad)
    with pytest.raises(RuntimeError, match="channel size"):
        ours(ourdl.ones(2, 4))


def test_rrelu_is_random_in_training_and_mean_slope_in_eval():
    m = nn.RReLU(0.1, 0.3)
    x = -ourdl.ones(1000)
    assert np.unique(m(x).numpy()).size > 100
    m.eval()
    np.testing.assert_allclose(m(x).numpy(), -0.2, rtol=1e-6)


def test_softmax2d_takes_3d_and_4d_only():
    with pytest.raises(ValueError, match="3D or 4D"):
        nn.Softmax2d()(ourdl.ones(2, 3))


def test_inplace_module_changes_its_input():
    x = ourdl.tensor([-1.0, 2.0])
    assert nn.ReLU(inplace=True)(x) is x and x.tolist() == [0.0, 2.0]


def test_swish_and_snake_with_a_learnable_parameter_train_it():
    for cls, name in ((nn.Swish, "beta"), (nn.Snake, "alpha")):
        m = cls(1.5, learnable=True)
        assert [n for n, _ in m.named_parameters()] == [name]
        m(ourdl.linspace(-2, 2, 5)).sum().backward()
        assert getattr(m, name).grad is not None and getattr(m, name).grad.item() != 0
        assert repr(m) == f"{cls.__name__}({name}=1.5, learnable=True)"
        assert list(cls(0.5).parameters()) == []


def test_beyond_torch_modules_exist():
    assert nn.HardSiLU is nn.Hardswish
    for name in ("Step", "Swish", "LinearActivation", "Exponential", "Squareplus", "SparsePlus", "SparseSigmoid",
                 "LiSHT", "Snake", "Sparsemax"):
        assert issubclass(getattr(nn, name), nn.Module)
    x = ourdl.tensor([-1.0, 0.5, 2.0])
    assert nn.Step()(x).tolist() == [0.0, 1.0, 1.0]
    assert repr(nn.Squareplus(b=1.0)) == "Squareplus(b=1.0)" and repr(nn.Step(True)) == "Step(straight_through=True)"


def test_every_catalog_entry_has_a_module_in_nn():
    import ourdl.activations as A

    for entry in A.catalog():
        cls = getattr(nn, entry.module_name)
        assert issubclass(cls, nn.Module)
        assert entry.formula in (cls.__doc__ or "") or entry.name in ("prelu", "swish", "snake")
