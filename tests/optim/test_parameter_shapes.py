"""Every optimiser and option on 0-d, 1-d and broadcast parameters against PyTorch, step by step.

A 0-d parameter whose gradient comes back through broadcasting once got a NumPy scalar as ``.grad``: SGD's
momentum buffer then never updated in place, and ``zero_grad(set_to_none=False)`` / ``p.grad.zero_()`` raised.
"""

import numpy as np
import pytest

import ourdl
from ourdl import optim
from tests.oracle import assert_same, torch
from tests.optim.test_optimizers import CASES

rng = np.random.default_rng(1)
SCALAR, ROW, BROADCAST = np.float64(0.7), rng.standard_normal(3), rng.standard_normal((1, 3))
X = rng.standard_normal((4, 3))
STEPS = 6


def _run(lib, name: str, options: dict, zeroing: str):
    params = [lib.tensor(np.array(a), dtype=lib.float64, requires_grad=True) for a in (SCALAR, ROW, BROADCAST)]
    scalar, row, broadcast = params
    x = lib.tensor(X)
    opt = getattr(lib.optim, name)(params, **options)
    history = []
    for step in range(STEPS):
        if zeroing == "zero_grad" or step == 0:
            opt.zero_grad(set_to_none=False)
        else:
            for p in params:
                p.grad.zero_()
        loss = (((x * scalar + row).tanh() * broadcast) ** 2).sum() + (scalar - 0.3) ** 2 * step
        loss.backward()
        opt.step()
        history.append([p.detach().clone() for p in params])
    return history, opt


@pytest.mark.parametrize("zeroing", ["zero_grad", "grad.zero_"])
@pytest.mark.parametrize("name,options", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_every_step_matches_torch_on_0d_1d_and_broadcast_parameters(name, options, zeroing):
    ours, ours_opt = _run(ourdl, name, options, zeroing)
    theirs, theirs_opt = _run(torch, name, options, zeroing)
    for step, (a, b) in enumerate(zip(ours, theirs)):
        for shape_name, p, q in zip(("0-d", "1-d", "broadcast"), a, b):
            assert_same(p, q, what=f"{shape_name} parameter after step {step + 1}")
    our_state, their_state = ours_opt.state_dict()["state"], theirs_opt.state_dict()["state"]
    for index in range(3):
        for key, value in their_state.get(index, {}).items():
            if isinstance(value, torch.Tensor) and key != "step":
                assert_same(our_state[index][key], value, what=f"state {key!r} of parameter {index}")


def test_the_gradient_of_a_broadcast_0d_parameter_is_an_owned_writeable_array():
    w = ourdl.tensor(1.0, requires_grad=True)
    (w * ourdl.ones(3)).sum().backward()
    data = w.grad.numpy()
    assert type(data) is np.ndarray and data.shape == () and data.flags.owndata and data.flags.writeable
    w.grad.zero_()
    assert w.grad.item() == 0.0


def test_momentum_buffer_of_a_0d_parameter_is_updated_in_place():
    w = ourdl.tensor(1.0, requires_grad=True)
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    for _ in range(2):
        opt.zero_grad(set_to_none=False)
        (w * ourdl.ones(2)).sum().backward()
        opt.step()
    assert opt.state[w]["momentum_buffer"].item() == pytest.approx(2 * 0.9 + 2)
