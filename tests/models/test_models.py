"""ourdl.models: LeNet5 and ResNet compute what the same networks built from PyTorch's layers compute."""

import numpy as np
import pytest
import torch

import ourdl
from ourdl import activations, models, nn


def torch_lenet():
    tn = torch.nn
    return tn.Sequential(tn.Conv2d(1, 6, 5, padding=2), tn.ReLU(), tn.MaxPool2d(2), tn.Conv2d(6, 16, 5), tn.ReLU(),
                         tn.MaxPool2d(2), tn.Flatten(), tn.Linear(400, 120), tn.ReLU(), tn.Linear(120, 84), tn.ReLU(),
                         tn.Linear(84, 10))


class TorchBlock(torch.nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        tn = torch.nn
        self.conv1 = tn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1, self.act1 = tn.BatchNorm2d(cout), tn.ReLU()
        self.conv2 = tn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2, self.act2 = tn.BatchNorm2d(cout), tn.ReLU()
        self.shortcut = tn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = tn.Sequential(tn.Conv2d(cin, cout, 1, stride=stride, bias=False), tn.BatchNorm2d(cout))

    def forward(self, x):
        return self.act2(self.bn2(self.conv2(self.act1(self.bn1(self.conv1(x))))) + self.shortcut(x))


class TorchResNet(torch.nn.Module):
    def __init__(self, widths, blocks):
        super().__init__()
        tn = torch.nn
        self.stem = tn.Sequential(tn.Conv2d(1, widths[0], 3, padding=1, bias=False), tn.BatchNorm2d(widths[0]), tn.ReLU())
        stages, previous = [], widths[0]
        for index, width in enumerate(widths):
            for block in range(blocks):
                stages.append(TorchBlock(previous, width, 2 if index > 0 and block == 0 else 1))
                previous = width
        self.stages = tn.Sequential(*stages)
        self.head = tn.Sequential(tn.AdaptiveAvgPool2d(1), tn.Flatten(), tn.Linear(previous, 10))

    def forward(self, x):
        return self.head(self.stages(self.stem(x)))


def transfer(ours, theirs):
    """Copy ourdl's parameters and buffers into the PyTorch twin; the names and shapes must agree."""
    state = {k: v.numpy() for k, v in ours.state_dict().items()}
    target = theirs.state_dict()
    assert set(state) == set(target)
    for key, value in state.items():
        assert tuple(target[key].shape) == value.shape, key
    theirs.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in state.items()})


@pytest.mark.parametrize("make_ours, make_theirs", [
    (lambda: models.LeNet5(), torch_lenet),
    (lambda: models.ResNet(widths=(4, 8), blocks=2), lambda: TorchResNet((4, 8), 2)),
    (lambda: models.ResNet(), lambda: TorchResNet((16, 32, 64), 2)),
], ids=["lenet", "resnet-small", "resnet-default"])
def test_models_equal_their_pytorch_twins_forward_and_backward(make_ours, make_theirs):
    ourdl.manual_seed(0)
    ours, theirs = make_ours(), make_theirs()
    transfer(ours, theirs)
    x = np.random.default_rng(0).standard_normal((3, 1, 28, 28)).astype(np.float32)
    for mode in ("train", "eval"):
        getattr(ours, mode)(), getattr(theirs, mode)()
        xo, xt = ourdl.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        yo, yt = ours(xo), theirs(xt)
        np.testing.assert_allclose(yo.detach().numpy(), yt.detach().numpy(), rtol=1e-4, atol=1e-5)
        (yo * yo).sum().backward()
        (yt * yt).sum().backward()
        np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-3, atol=1e-5)
        for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
            np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-3, atol=1e-4, err_msg=name)
        ours.zero_grad(), theirs.zero_grad()
    # Training mode updated BatchNorm's running statistics alike on both sides.
    for key, value in ours.state_dict().items():
        np.testing.assert_allclose(value.numpy(), theirs.state_dict()[key].numpy(), rtol=1e-4, atol=1e-6, err_msg=key)


def test_parameter_counts_match_the_docstrings():
    count = lambda model: sum(p.numel() for p in model.parameters())  # noqa: E731
    assert count(models.LeNet5()) == count(torch_lenet()) == 61706
    assert count(models.ResNet()) == sum(p.numel() for p in TorchResNet((16, 32, 64), 2).parameters())


@pytest.mark.parametrize("name", ["tanh", "gelu", "prelu", "elu", "softplus", "sigmoid", "mish", "rrelu"])
def test_any_catalog_activation_and_a_separate_module_at_each_place(name):
    ourdl.manual_seed(0)
    net = models.LeNet5(activation=name)
    acts = [m for m in net if not isinstance(m, (nn.Conv2d, nn.Linear, nn.MaxPool2d, nn.Flatten))]
    assert len(acts) == 4 and len({id(a) for a in acts}) == 4
    assert all(type(a) is type(activations.get(name).module()) for a in acts)
    out = net(ourdl.randn(2, 1, 28, 28))
    out.sum().backward()
    assert out.shape == (2, 10) and all(p.grad is not None for p in net.parameters())
    assert models.ResNet(activation=name, widths=(4,), blocks=1)(ourdl.randn(2, 1, 28, 28)).shape == (2, 10)


def test_three_channel_inputs_and_other_class_counts():
    assert models.LeNet5(classes=3, channels=3)(ourdl.zeros(1, 3, 28, 28)).shape == (1, 3)
    assert models.ResNet(classes=5, channels=3, widths=(4, 8), blocks=1)(ourdl.zeros(1, 3, 32, 32)).shape == (1, 5)


@pytest.mark.parametrize("call, message", [
    (lambda: models.LeNet5(pool="median"), "pool must be 'max' or 'avg'"),
    (lambda: models.LeNet5(classes=0), "classes must be a positive integer"),
    (lambda: models.LeNet5(activation="nope"), "nope"),
    (lambda: models.ResNet(widths=()), "widths must be positive integers"),
    (lambda: models.ResNet(blocks=0), "blocks must be a positive integer"),
])
def test_bad_arguments_are_refused_with_the_reason(call, message):
    with pytest.raises((ValueError, KeyError)) as error:
        call()
    assert message in str(error.value)
