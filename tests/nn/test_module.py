"""Module semantics against PyTorch: names and order of parameters, state_dict keys, load_state_dict errors,
hooks, train/eval, repr, dtype conversion, containers."""

import copy
from collections import OrderedDict

import numpy as np
import pytest

import ourdl
from ourdl import nn
from tests.oracle import torch


def _architecture(lib):
    """The same nested model built with ourdl.nn or torch.nn."""

    class Block(lib.Module):
        def __init__(self):
            super().__init__()
            self.norm = lib.LayerNorm(6)
            self.layers = lib.ModuleList([lib.Linear(6, 6), lib.Linear(6, 6, bias=False)])
            self.register_buffer("scale", (ourdl if lib is nn else torch).ones(6))
            self.register_buffer("cache", (ourdl if lib is nn else torch).zeros(1), persistent=False)
            self.gain = lib.Parameter((ourdl if lib is nn else torch).ones(1))

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return self.norm(x) * self.scale * self.gain

    return lib.Sequential(
        lib.Linear(4, 6), lib.ReLU(), lib.Dropout(0.25), Block(), lib.BatchNorm1d(6),
        lib.ModuleDict({"head": lib.Linear(6, 3), "aux": lib.Identity()}), lib.Flatten(), lib.Unflatten(1, (3, 1)),
        lib.MSELoss(), lib.CrossEntropyLoss(weight=(ourdl if lib is nn else torch).ones(3)),
    )


@pytest.fixture
def models():
    return _architecture(nn), _architecture(torch.nn)


def test_names_and_shapes_equal_torch(models):
    ours, theirs = models
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
           [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert "3.cache" not in ours.state_dict()


def test_repr_equals_torch(models):
    ours, theirs = models
    assert repr(ours) == repr(theirs)
    many = [nn.ModuleList([nn.Linear(2, 2)] * 3 + [nn.ReLU(), nn.Linear(2, 3)]),
            torch.nn.ModuleList([torch.nn.Linear(2, 2)] * 3 + [torch.nn.ReLU(), torch.nn.Linear(2, 3)])]
    assert repr(many[0]) == repr(many[1])
    assert repr(nn.ModuleList()) == repr(torch.nn.ModuleList())
    for ours_layer, their_layer in [(nn.BatchNorm1d(3, momentum=None, affine=False), torch.nn.BatchNorm1d(3, momentum=None, affine=False)),
                                    (nn.LayerNorm((2, 3), elementwise_affine=False), torch.nn.LayerNorm((2, 3), elementwise_affine=False)),
                                    (nn.Dropout(0.1, inplace=True), torch.nn.Dropout(0.1, inplace=True)),
                                    (nn.Linear(3, 2, bias=False), torch.nn.Linear(3, 2, bias=False))]:
        assert repr(ours_layer) == repr(their_layer)


def test_state_dict_moves_between_ourdl_and_torch(models):
    ours, theirs = models
    ours.load_state_dict(theirs.state_dict())
    for (name, a), b in zip(ours.state_dict().items(), theirs.state_dict().values()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
    ours[0].weight.data.mul_(2.0)
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    np.testing.assert_array_equal(theirs[0].weight.detach().numpy(), ours[0].weight.detach().numpy())


def test_forward_equals_torch_after_loading(models):
    ours, theirs = models
    ours.load_state_dict(theirs.state_dict())
    ours.eval(), theirs.eval()
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    body_ours, body_theirs = ours[:6], theirs[:6]
    got = body_ours[5]["head"](body_ours[:5](ourdl.tensor(x)))
    want = body_theirs[5]["head"](body_theirs[:5](torch.tensor(x)))
    np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_load_state_dict_names_every_problem():
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    state = model.state_dict()
    state["0.weight"] = ourdl.zeros(4, 2)
    del state["1.bias"]
    state["extra"] = ourdl.zeros(1)
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict(state)
    message = str(error.value)
    assert "Error(s) in loading state_dict for Sequential" in message
    assert 'Missing key(s) in state_dict: "1.bias"' in message
    assert 'Unexpected key(s) in state_dict: "extra"' in message
    assert "size mismatch for 0.weight: copying a param with shape ourdl.Size([4, 2]) from checkpoint, " \
           "the shape in current model is ourdl.Size([3, 2])" in message
    before = model[0].weight.detach().numpy().copy()
    np.testing.assert_array_equal(model[0].weight.detach().numpy(), before)   # nothing half-loaded


def test_load_state_dict_non_strict_reports_keys_and_copies_in_place():
    model = nn.Linear(2, 2)
    weight = model.weight
    result = model.load_state_dict({"weight": np.ones((2, 2)), "other": np.zeros(1)}, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["other"]
    assert model.weight is weight and model.weight.tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert model.weight.dtype == ourdl.float32
    assert repr(model.load_state_dict(model.state_dict())) == "<All keys matched successfully>"


def test_forward_hooks_and_pre_hooks():
    layer = nn.Linear(3, 2)
    seen = []
    handle = layer.register_forward_hook(lambda m, inputs, out: seen.append((m, inputs[0].shape, out.shape)))
    pre = layer.register_forward_pre_hook(lambda m, inputs: (inputs[0] * 0,))
    out = layer(ourdl.ones(5, 3))
    assert seen == [(layer, ourdl.Size([5, 3]), ourdl.Size([5, 2]))]
    np.testing.assert_allclose(out.detach().numpy(), np.broadcast_to(layer.bias.detach().numpy(), (5, 2)))
    replace = layer.register_forward_hook(lambda m, inputs, out: out + 1)
    np.testing.assert_allclose((layer(ourdl.ones(1, 3)) - layer.bias).detach().numpy(), [[1.0, 1.0]], rtol=1e-6)
    for h in (handle, pre, replace):
        h.remove()
    layer(ourdl.ones(1, 3))
    assert len(seen) == 2
    with layer.register_forward_hook(lambda m, i, o: seen.append(1)):
        layer(ourdl.ones(1, 3))
    layer(ourdl.ones(1, 3))
    assert seen[-1] == 1 and len(seen) == 3


def test_hooks_inspect_every_activation_of_a_model():
    model = nn.MLP([4, 8, 8, 2], activation="tanh")
    captured = {}
    for name, module in model.named_modules():
        if isinstance(module, nn.Tanh):
            module.register_forward_hook(lambda m, i, o, name=name: captured.__setitem__(name, o.shape))
    model(ourdl.ones(3, 4))
    assert captured == {"1": ourdl.Size([3, 8]), "3": ourdl.Size([3, 8])}


def test_train_eval_recursive():
    model = _architecture(nn)
    assert all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_setattr_registers_and_getattr_delattr():
    m = nn.Module()
    m.w = nn.Parameter(ourdl.ones(2))
    m.sub = nn.Linear(2, 2)
    m.plain = 3
    assert [n for n, _ in m.named_parameters()] == ["w", "sub.weight", "sub.bias"]
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'w'"):
        m.w = ourdl.ones(2)
    m.w = None
    assert [n for n, _ in m.named_parameters()] == ["sub.weight", "sub.bias"]
    del m.sub
    assert list(m.named_parameters()) == []
    with pytest.raises(AttributeError, match="'Module' object has no attribute 'missing'"):
        m.missing
    m.register_buffer("running", ourdl.zeros(1))
    m.running = ourdl.ones(1)
    assert m.state_dict()["running"].tolist() == [1.0]
    with pytest.raises(KeyError, match="attribute 'plain' already exists"):
        m.register_buffer("plain", ourdl.zeros(1))
    with pytest.raises(KeyError, match='contain "\\."'):
        m.register_parameter("a.b", None)


def test_shared_parameters_listed_once_like_torch():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    tshared = torch.nn.Linear(2, 2)
    tmodel = torch.nn.Sequential(tshared, torch.nn.ReLU(), tshared)
    assert [n for n, _ in model.named_parameters()] == [n for n, _ in tmodel.named_parameters()]
    assert list(model.state_dict()) == list(tmodel.state_dict())


def test_zero_grad_requires_grad_apply():
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    model(ourdl.ones(4, 2)).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all(not p.grad.numpy().any() for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    model.requires_grad_(False)
    assert not any(p.requires_grad for p in model.parameters())
    visited = []
    model.apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "Linear", "Sequential"]


def test_to_double_keeps_parameter_objects():
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    weight = model[0].weight
    model.double()
    assert model[0].weight is weight and weight.dtype == ourdl.float64
    assert model[1].running_mean.dtype == ourdl.float64
    assert model[1].num_batches_tracked.dtype == ourdl.int64
    assert model(ourdl.ones(4, 2, dtype=ourdl.float64)).dtype == ourdl.float64
    model.to(ourdl.float32)
    assert weight.dtype == ourdl.float32


def test_deepcopy_is_independent():
    model = nn.Sequential(nn.Linear(2, 2))
    clone = copy.deepcopy(model)
    clone[0].weight.data.add_(1.0)
    assert not np.allclose(clone[0].weight.detach().numpy(), model[0].weight.detach().numpy())
    assert isinstance(clone[0].weight, nn.Parameter)


def test_parameter_repr_and_defaults():
    p = nn.Parameter(ourdl.tensor([1.0, 2.0]))
    assert repr(p) == repr(torch.nn.Parameter(torch.tensor([1.0, 2.0])))
    assert p.requires_grad and p.is_leaf
    assert not nn.Parameter(ourdl.ones(1), requires_grad=False).requires_grad
    assert type(p * 2) is ourdl.Tensor


def test_sequential_indexing_slicing_append():
    model = nn.Sequential(OrderedDict([("a", nn.Linear(2, 3)), ("b", nn.ReLU()), ("c", nn.Linear(3, 1))]))
    assert isinstance(model[-1], nn.Linear) and model[1] is model.b
    assert list(model[1:]._modules) == ["b", "c"]
    model.append(nn.Sigmoid())
    assert len(model) == 4 and list(model._modules)[-1] == "3"
    with pytest.raises(IndexError, match="index 9 is out of range for 4 modules"):
        model[9]
    layers = nn.ModuleList([nn.Linear(1, 1)])
    layers.extend([nn.ReLU(), nn.Linear(1, 1)])
    del layers[0]
    assert list(layers._modules) == ["0", "1"] and isinstance(layers[1], nn.Linear)
    heads = nn.ModuleDict()
    heads["x"] = nn.Linear(1, 2)
    assert "x" in heads and len(heads) == 1 and list(heads.keys()) == ["x"]
    assert [n for n, _ in heads.named_parameters()] == ["x.weight", "x.bias"]


def test_forward_missing_is_a_clear_error():
    with pytest.raises(NotImplementedError, match='missing the required "forward" function'):
        nn.Module()(ourdl.ones(1))


def test_get_submodule_get_parameter_register_module(models):
    ours, theirs = models
    assert ours.get_submodule("3.layers.1") is ours[3].layers[1]
    assert ours.get_parameter("3.layers.0.bias") is ours[3].layers[0].bias
    with pytest.raises(AttributeError, match="has no attribute `nope`"):
        ours.get_submodule("3.nope")
    m = nn.Module()
    m.register_module("child", nn.Linear(1, 1))
    assert [n for n, _ in m.named_children()] == ["child"]
    assert len(list(ours.parameters())) == len(list(theirs.parameters()))
    assert len(list(ours.parameters(recurse=False))) == 0
    assert [n for n, _ in ours[3].named_parameters(recurse=False)] == ["gain"]
