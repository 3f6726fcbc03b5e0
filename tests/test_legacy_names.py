"""Legacy and top-level names PyTorch scripts use: typed constructors, ``type()``, ``Variable``, print options,
``inference_mode``, ``Generator.manual_seed``; each against PyTorch."""

import numpy as np
import pytest

import ourdl
from ourdl.autograd import Variable
from tests.oracle import assert_same, torch

TYPED = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor",
         "ByteTensor", "BoolTensor"]


@pytest.mark.parametrize("name", TYPED)
def test_typed_constructors(name):
    ours, theirs = getattr(ourdl, name), getattr(torch, name)
    assert_same(ours([[1, 0], [1, 1]]), theirs([[1, 0], [1, 1]]))
    assert ours(2, 3).shape == theirs(2, 3).shape and ours(ourdl.Size([4])).shape == theirs(torch.Size([4])).shape
    assert ours().shape == theirs().shape
    x = ourdl.tensor([1, 0]).type(ours)
    assert isinstance(x, ours) and isinstance(torch.tensor([1, 0]).type(theirs), theirs)
    assert x.type() == f"ourdl.{name}" and torch.tensor([1, 0]).type(theirs).type() == f"torch.{name}"
    assert x.type(f"torch.{name}") is x
    assert repr(ours) == repr(theirs).replace("torch", "ourdl")


def test_typed_constructor_refuses_other_dtypes():
    with pytest.raises(TypeError):
        torch.FloatTensor(torch.ones(2, dtype=torch.int64))
    with pytest.raises(TypeError, match="expected a tensor of dtype ourdl.float32"):
        ourdl.FloatTensor(ourdl.ones(2, dtype=ourdl.int64))
    x = ourdl.ones(2)
    assert ourdl.FloatTensor(x) is x
    assert not isinstance(x, ourdl.LongTensor) and not isinstance([1.0], ourdl.FloatTensor)


def test_variable_returns_a_tensor():
    t, tt = ourdl.ones(2), torch.ones(2)
    v, tv = Variable(t, requires_grad=True), torch.autograd.Variable(tt, requires_grad=True)
    assert type(v) is ourdl.Tensor and v is not t and v.requires_grad == tv.requires_grad
    t[0] = 5.0
    tt[0] = 5.0
    assert v.tolist() == tv.tolist()
    y = ourdl.ones(2, requires_grad=True) * 2
    assert Variable(y).grad_fn is None and not Variable(y).requires_grad
    assert isinstance(ourdl.zeros(1), Variable) and isinstance(torch.zeros(1), torch.autograd.Variable)
    with pytest.warns(UserWarning, match="volatile was removed"):
        Variable(ourdl.ones(1), volatile=True)
    with pytest.raises(TypeError, match="Variable data has to be a tensor, but got list"):
        Variable([1.0])
    assert Variable().shape == torch.autograd.Variable().shape


CASES = [np.array([1.23456, 2.0]), np.array([1e-8, 1.0]), np.arange(2000.0), np.array([[1.5, 2.25], [3.0, 100.0]])]


@pytest.mark.parametrize("options", [dict(precision=2), dict(sci_mode=False), dict(sci_mode=True),
                                     dict(threshold=5, edgeitems=1), dict(profile="short"), dict(profile="full"),
                                     dict(linewidth=30)])
def test_set_printoptions_as_torch(options):
    try:
        ourdl.set_printoptions(**options)
        torch.set_printoptions(**options)
        for array in CASES[:3] if options.get("profile") == "full" else CASES:
            assert repr(ourdl.tensor(array, dtype=ourdl.float32)) == repr(torch.tensor(array, dtype=torch.float32))
    finally:
        ourdl.set_printoptions(profile="default")
        torch.set_printoptions(profile="default")


def test_inference_mode():
    w, tw = ourdl.ones(2, requires_grad=True), torch.ones(2, requires_grad=True)
    with ourdl.inference_mode(), torch.inference_mode():
        assert (w * 2).requires_grad == (tw * 2).requires_grad is False
        assert ourdl.is_inference_mode_enabled() == torch.is_inference_mode_enabled() is True
    with ourdl.inference_mode(False):
        assert (w * 2).requires_grad

    @ourdl.inference_mode()
    def predict(x):
        return x * 2

    assert not predict(w).requires_grad and ourdl.is_grad_enabled()


def test_generator_manual_seed_and_device():
    g = ourdl.Generator(device="cpu")
    assert g.manual_seed(3) is g and g.initial_seed() == torch.Generator().manual_seed(3).initial_seed()
    a = ourdl.rand(3, generator=g)
    assert ourdl.equal(a, ourdl.rand(3, generator=ourdl.Generator().manual_seed(3)))
    with pytest.raises(ourdl.devices.BackendUnavailableError):
        ourdl.Generator(device="cuda")


def test_size_prints_as_torchs():
    assert repr(ourdl.ones(2, 3).shape) == repr(torch.ones(2, 3).shape).replace("torch", "ourdl")
    assert ourdl.Size([2, 3]) == torch.Size([2, 3]) and isinstance(ourdl.ones(1).size(), tuple)
    assert str(ourdl.ones(1).dtype) == str(torch.ones(1).dtype).replace("torch", "ourdl")
    assert repr(ourdl.ones(1).device) == repr(torch.ones(1).device)
