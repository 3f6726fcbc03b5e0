"""ParameterList and ParameterDict against PyTorch's: registration, names, wrapping, printing, training."""

import numpy as np
import pytest

import ourdl
from ourdl import nn
from tests.oracle import torch


def test_parameter_list_as_torch():
    ours = nn.ParameterList([nn.Parameter(ourdl.ones(2)), ourdl.ones(2, 3)])
    theirs = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2)), torch.ones(2, 3)])
    assert repr(ours) == repr(theirs).replace("torch", "ourdl")
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert isinstance(ours[1], nn.Parameter) and ours[-1] is ours[1] and len(ours) == len(theirs)
    assert repr(nn.ParameterList()) == repr(torch.nn.ParameterList())
    assert len(ours[:1]) == 1
    ours[0] = ourdl.zeros(4)
    assert ours[0].shape == (4,) and isinstance(ours[0], nn.Parameter)
    with pytest.raises(IndexError):
        ours[2]


def test_parameter_dict_as_torch():
    ours = nn.ParameterDict({"a": nn.Parameter(ourdl.ones(2)), "b": ourdl.ones(1)})
    theirs = torch.nn.ParameterDict({"a": torch.nn.Parameter(torch.ones(2)), "b": torch.ones(1)})
    assert repr(ours) == repr(theirs).replace("torch", "ourdl")
    assert list(ours.state_dict()) == list(theirs.state_dict()) and list(ours) == list(theirs)
    assert "a" in ours and ours.get("z") is None and len(ours) == 2
    popped = ours.pop("a")
    assert isinstance(popped, nn.Parameter) and list(ours.keys()) == ["b"]
    ours.update([("c", ourdl.zeros(3))])
    assert [k for k, _ in ours.items()] == ["b", "c"] and [tuple(v.shape) for v in ours.values()] == [(1,), (3,)]


def test_parameters_in_containers_train():
    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.scales = nn.ParameterList([ourdl.ones(3) for _ in range(2)])
            self.shifts = nn.ParameterDict({"first": ourdl.zeros(3)})

        def forward(self, x):
            for s in self.scales:
                x = x * s
            return x + self.shifts["first"]

    model = Model()
    assert len(list(model.parameters())) == 3
    optimizer = ourdl.optim.SGD(model.parameters(), lr=0.1)
    loss = ((model(ourdl.ones(3)) - 2.0) ** 2).sum()
    loss.backward()
    optimizer.step()
    assert not np.allclose(model.scales[0].detach().numpy(), 1.0)
