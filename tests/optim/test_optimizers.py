"""Every optimiser and option against PyTorch: the same parameters after 20 steps, float64, to 1e-10."""

import numpy as np
import pytest

import ourdl
import ourdl.nn.functional as F
from ourdl import nn, optim
from tests.oracle import torch

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.5, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)),
    ("SGD", dict(lr=0.01, momentum=0.5, maximize=True)),
    ("Adam", dict(lr=0.05)),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("Adam", dict(lr=0.05, amsgrad=True)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.05, maximize=True)),
    ("AdamW", dict(lr=0.05)),
    ("AdamW", dict(lr=0.05, weight_decay=0.3, amsgrad=True)),
    ("AdamW", dict(lr=0.01, maximize=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, centered=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.9, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True, maximize=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.05, initial_accumulator_value=0.3)),
    ("Adagrad", dict(lr=0.1, weight_decay=0.2, eps=1e-6, maximize=True)),
]

rng = np.random.default_rng(0)
W0, B0, V0 = rng.standard_normal((4, 3)), rng.standard_normal(4), rng.standard_normal((2, 4))
X, Y = rng.standard_normal((16, 3)), rng.standard_normal((16, 2))


def _ours():
    w, b, v = (nn.Parameter(ourdl.tensor(a.copy())) for a in (W0, B0, V0))
    return [w, b, v], lambda: F.mse_loss(F.linear(F.linear(ourdl.tensor(X), w, b).tanh(), v), ourdl.tensor(Y))


def _theirs():
    w, b, v = (torch.nn.Parameter(torch.tensor(a.copy())) for a in (W0, B0, V0))
    TF = torch.nn.functional
    return [w, b, v], lambda: TF.mse_loss(TF.linear(TF.linear(torch.tensor(X), w, b).tanh(), v), torch.tensor(Y))


def _groups(params, options):
    """Two groups: the second with half the learning rate."""
    return [{"params": params[:2]}, {"params": params[2:], "lr": options["lr"] / 2}]


def _run(opt, params, loss_fn, steps):
    for _ in range(steps):
        opt.zero_grad()
        loss_fn().backward()
        opt.step()
    return [p.detach().numpy().copy() for p in params]


@pytest.mark.parametrize("name, options", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_twenty_steps_equal_torch(name, options):
    ours, loss_ours = _ours()
    theirs, loss_theirs = _theirs()
    got = _run(getattr(optim, name)(_groups(ours, options), **options), ours, loss_ours, 20)
    want = _run(getattr(torch.optim, name)(_groups(theirs, options), **options), theirs, loss_theirs, 20)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)
    assert not np.allclose(got[0], W0), "the parameters did not move"


@pytest.mark.parametrize("name, options", CASES[1::3], ids=[n for n, _ in CASES[1::3]])
def test_state_dict_round_trip_continues_exactly(name, options):
    ours, loss_ours = _ours()
    opt = getattr(optim, name)(ours, **options)
    _run(opt, ours, loss_ours, 10)
    saved = opt.state_dict()
    resumed = getattr(optim, name)(ours, **options)
    resumed.load_state_dict(saved)
    got = _run(resumed, ours, loss_ours, 10)
    fresh, loss_fresh = _ours()
    want = _run(getattr(optim, name)(fresh, **options), fresh, loss_fresh, 20)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("name, options", CASES[1::3], ids=[n for n, _ in CASES[1::3]])
def test_state_dict_layout_matches_torch_and_loads_torch_state(name, options):
    ours, loss_ours = _ours()
    theirs, loss_theirs = _theirs()
    opt = getattr(optim, name)(_groups(ours, options), **options)
    topt = getattr(torch.optim, name)(_groups(theirs, options), **options)
    _run(opt, ours, loss_ours, 5)
    _run(topt, theirs, loss_theirs, 5)
    mine, torch_state = opt.state_dict(), topt.state_dict()
    assert list(mine["state"]) == list(torch_state["state"])
    for index, entry in torch_state["state"].items():
        assert set(mine["state"][index]) == set(entry)
    for group, torch_group in zip(mine["param_groups"], torch_state["param_groups"]):
        assert group["params"] == torch_group["params"]
        assert set(group) <= set(torch_group)
        assert all(group[k] == torch_group[k] for k in group)
    # PyTorch's state (torch tensors) loads into ourdl and the runs continue together.
    opt.load_state_dict(torch_state)
    got = _run(opt, ours, loss_ours, 5)
    want = _run(topt, theirs, loss_theirs, 5)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


def test_updates_in_place_keep_the_parameter_arrays():
    ours, loss_fn = _ours()
    arrays = [p._data for p in ours]
    for name, options in CASES:
        _run(getattr(optim, name)(ours, **options), ours, loss_fn, 2)
    assert all(p._data is a for p, a in zip(ours, arrays))


def test_parameters_without_gradient_are_skipped_and_zero_grad():
    a, b = nn.Parameter(ourdl.ones(2)), nn.Parameter(ourdl.ones(2))
    opt = optim.SGD([a, b], lr=1.0, momentum=0.9)
    a.grad = ourdl.ones(2)
    opt.step()
    assert a.tolist() == [0.0, 0.0] and b.tolist() == [1.0, 1.0]
    assert list(opt.state_dict()["state"]) == [0]
    opt.zero_grad(set_to_none=False)
    assert a.grad.tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert a.grad is None


def test_closure_returns_loss():
    ours, loss_fn = _ours()
    opt = optim.SGD(ours, lr=0.1)

    def closure():
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        return loss

    assert opt.step(closure).item() == pytest.approx(loss_fn().item(), rel=0.5)


def test_bad_arguments():
    p = nn.Parameter(ourdl.ones(1))
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="Nesterov momentum requires a momentum and zero dampening"):
        optim.SGD([p], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Invalid learning rate"):
        optim.Adam([p], lr=-1)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1"):
        optim.Adam([p], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1)
    with pytest.raises(TypeError, match="ordered collection"):
        optim.SGD({p}, lr=0.1)
    opt = optim.SGD([p], lr=0.1)
    with pytest.raises(ValueError, match="different number of parameter groups"):
        opt.load_state_dict({"state": {}, "param_groups": []})


def test_add_param_group_fills_defaults():
    a, b = nn.Parameter(ourdl.ones(1)), nn.Parameter(ourdl.ones(1))
    opt = optim.Adam([a], lr=0.1)
    opt.add_param_group({"params": b, "lr": 0.5})
    assert opt.param_groups[1]["lr"] == 0.5 and opt.param_groups[1]["betas"] == (0.9, 0.999)


@pytest.mark.parametrize("name, options", [("Adam", {}), ("Adam", {"amsgrad": True, "weight_decay": 0.1}),
                                           ("AdamW", {"maximize": True})])
def test_adam_by_blocks_gives_the_bits_of_one_pass_and_torch_values(name, options, monkeypatch):
    rng = np.random.default_rng(0)
    start = rng.standard_normal((3 * optim.Adam._BLOCK + 5,)).astype(np.float32)  # three blocks and a few more
    grads = [rng.standard_normal(start.shape).astype(np.float32) for _ in range(4)]

    def run(block):
        monkeypatch.setattr(optim.Adam, "_BLOCK", block)
        w = nn.Parameter(ourdl.tensor(start.copy()))
        opt = getattr(optim, name)([w], lr=0.01, **options)
        for g in grads:
            w.grad = ourdl.tensor(g)
            opt.step()
        return w.detach().numpy()

    by_blocks, whole = run(optim.Adam._BLOCK), run(start.size)
    np.testing.assert_array_equal(by_blocks, whole)
    w = torch.nn.Parameter(torch.tensor(start.copy()))
    opt = getattr(torch.optim, name)([w], lr=0.01, **options)
    for g in grads:
        w.grad = torch.tensor(g)
        opt.step()
    np.testing.assert_allclose(by_blocks, w.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_adam_with_a_non_contiguous_gradient_updates_the_whole_parameter():
    w = nn.Parameter(ourdl.zeros(200, 100))
    w.grad = ourdl.ones(100, 200).t()  # a transposed view: no flat blocks of it
    optim.Adam([w], lr=0.1).step()
    np.testing.assert_allclose(w.detach().numpy(), -0.1, rtol=1e-5)
