"""LambdaLR, LinearLR and SequentialLR: the same learning rates as PyTorch's, epoch by epoch."""

import pytest

import ourdl
from ourdl import nn
from tests.oracle import torch


def _pair(lr=1.0, groups=1):
    ours_params = [nn.Linear(1, 1).weight for _ in range(groups)]
    theirs_params = [torch.nn.Linear(1, 1).weight for _ in range(groups)]
    ours = ourdl.optim.SGD([{"params": [p], "lr": lr * (i + 1)} for i, p in enumerate(ours_params)], lr=lr)
    theirs = torch.optim.SGD([{"params": [p], "lr": lr * (i + 1)} for i, p in enumerate(theirs_params)], lr=lr)
    return ours, theirs


def _same_rates(ours, theirs, ours_opt, theirs_opt, steps=12):
    for epoch in range(steps):
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12), f"epoch {epoch}"
        assert [g["lr"] for g in ours_opt.param_groups] == pytest.approx([g["lr"] for g in theirs_opt.param_groups])
        ours_opt.step()
        theirs_opt.step()
        ours.step()
        theirs.step()


def _build(lib, opt, name):
    s = lib.optim.lr_scheduler
    return {
        "lambda": lambda: s.LambdaLR(opt, lambda e: 0.9 ** e + 0.1 * (e % 3)),
        "lambda_per_group": lambda: s.LambdaLR(opt, [lambda e: 1 / (e + 1), lambda e: 0.5 * e]),
        "linear": lambda: s.LinearLR(opt, start_factor=0.1, total_iters=4),
        "linear_down": lambda: s.LinearLR(opt, start_factor=1.0, end_factor=0.25, total_iters=6),
        "warmup_cosine": lambda: s.SequentialLR(opt, [s.LinearLR(opt, 0.2, total_iters=3),
                                                      s.CosineAnnealingLR(opt, T_max=5)], milestones=[3]),
        "three": lambda: s.SequentialLR(opt, [s.ExponentialLR(opt, 0.8), s.StepLR(opt, 2, 0.5),
                                              s.LambdaLR(opt, lambda e: 1.0 / (e + 1))], milestones=[2, 6]),
        "multistep_after": lambda: s.SequentialLR(opt, [s.LinearLR(opt, 0.5, total_iters=2),
                                                        s.MultiStepLR(opt, [1, 3], 0.1)], milestones=[4]),
    }[name]()


@pytest.mark.parametrize("name", ["lambda", "lambda_per_group", "linear", "linear_down", "warmup_cosine", "three",
                                  "multistep_after"])
def test_rates_match_torch(name):
    groups = 2 if name == "lambda_per_group" else 2 if name == "three" else 1
    ours_opt, theirs_opt = _pair(0.5, groups)
    _same_rates(_build(ourdl, ours_opt, name), _build(torch, theirs_opt, name), ours_opt, theirs_opt)


def test_bad_arguments_as_torch():
    ours_opt, theirs_opt = _pair()
    for kwargs in (dict(start_factor=0.0), dict(start_factor=1.5), dict(end_factor=-0.1)):
        with pytest.raises(ValueError) as theirs:
            torch.optim.lr_scheduler.LinearLR(theirs_opt, **kwargs)
        with pytest.raises(ValueError, match=str(theirs.value)[:30]):
            ourdl.optim.lr_scheduler.LinearLR(ours_opt, **kwargs)
    a = ourdl.optim.lr_scheduler.LinearLR(ours_opt)
    with pytest.raises(ValueError, match="one more than the number of milestone points"):
        ourdl.optim.lr_scheduler.SequentialLR(ours_opt, [a], milestones=[1])
    other, _ = _pair()
    with pytest.raises(ValueError, match="same optimizer"):
        ourdl.optim.lr_scheduler.SequentialLR(ours_opt, [a, ourdl.optim.lr_scheduler.LinearLR(other)], milestones=[1])


def test_state_dict_round_trip():
    ours_opt, _ = _pair()
    s = ourdl.optim.lr_scheduler
    sched = s.SequentialLR(ours_opt, [s.LinearLR(ours_opt, 0.2, total_iters=3), s.ExponentialLR(ours_opt, 0.5)], [3])
    for _ in range(4):
        sched.step()
    state = sched.state_dict()
    assert "lr_lambdas" not in s.LambdaLR(ours_opt, lambda e: 1.0).state_dict()
    again_opt, _ = _pair()
    again = s.SequentialLR(again_opt, [s.LinearLR(again_opt, 0.2, total_iters=3), s.ExponentialLR(again_opt, 0.5)], [3])
    again.load_state_dict(state)
    assert again.last_epoch == sched.last_epoch and again._schedulers[1].last_epoch == sched._schedulers[1].last_epoch
