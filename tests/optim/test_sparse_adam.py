"""SparseAdam on an nn.Embedding(sparse=True) against PyTorch's (whose gradient is a sparse tensor, ours dense):
the same weights step after step, rows not looked up left alone, float32 and float64, maximize; SGD on the same
embedding; PyTorch's argument errors."""

import numpy as np
import pytest

import ourdl
from ourdl import nn, optim
from tests.oracle import assert_same, torch

BATCHES = [[0, 2, 2], [1], [4, 0], [3, 3, 1], [2]]


def train(lib, dtype, make_optimizer, seed=0):
    rng = np.random.default_rng(seed)
    weights = rng.standard_normal((5, 3)).astype(dtype)
    table = lib.nn.Embedding(5, 3, sparse=True)
    with lib.no_grad():
        table.weight.copy_(lib.tensor(weights))
    opt = make_optimizer(lib)(table.parameters())
    history = []
    for batch in BATCHES:
        opt.zero_grad()
        target = lib.tensor(rng.standard_normal((len(batch), 3)).astype(dtype))
        ((table(lib.tensor(batch)) - target) ** 2).sum().backward()
        opt.step()
        history.append(table.weight.detach().clone())
    return history


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("options", [dict(lr=0.1), dict(lr=0.05, betas=(0.5, 0.9), eps=1e-3, maximize=True)])
def test_sparse_adam_matches_pytorch(dtype, options):
    ours = train(ourdl, dtype, lambda lib: lambda p: optim.SparseAdam(p, **options))
    theirs = train(torch, dtype, lambda lib: lambda p: torch.optim.SparseAdam(p, **options))
    for step, (a, b) in enumerate(zip(ours, theirs)):
        assert_same(a, b, what=f"weights after step {step}")


def test_rows_not_looked_up_keep_their_weights_and_moments():
    table = nn.Embedding(4, 2, sparse=True)
    before = table.weight.detach().clone().numpy()
    opt = optim.SparseAdam(table.parameters(), lr=0.1)
    table(ourdl.tensor([1, 1])).sum().backward()
    opt.step()
    after = table.weight.detach().numpy()
    assert np.array_equal(after[[0, 2, 3]], before[[0, 2, 3]]) and not np.array_equal(after[1], before[1])
    state = opt.state[table.weight]
    assert not state["exp_avg"][[0, 2, 3]].any() and state["exp_avg"][1].all()


def test_sgd_on_a_sparse_embedding_matches_pytorch():
    for momentum in (0.0, 0.9):
        ours = train(ourdl, np.float64, lambda lib: lambda p: optim.SGD(p, lr=0.1, momentum=momentum))
        theirs = train(torch, np.float64, lambda lib: lambda p: torch.optim.SGD(p, lr=0.1, momentum=momentum))
        for a, b in zip(ours, theirs):
            assert_same(a, b)


@pytest.mark.parametrize("options", [dict(lr=0.0), dict(eps=0.0), dict(betas=(1.0, 0.9)), dict(betas=(0.9, -0.1))])
def test_bad_arguments_raise_pytorchs_value_error(options):
    with pytest.raises(ValueError) as theirs:
        torch.optim.SparseAdam([torch.zeros(1, requires_grad=True)], **options)
    with pytest.raises(ValueError, match=str(theirs.value).replace("(", r"\(").replace(")", r"\)")):
        optim.SparseAdam([nn.Parameter(ourdl.zeros(1))], **options)
