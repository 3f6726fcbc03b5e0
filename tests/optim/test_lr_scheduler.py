"""Every learning-rate schedule's sequence equals PyTorch's, with two parameter groups; state_dict round trips."""

import numpy as np
import pytest

import ourdl
from ourdl import nn, optim
from tests.oracle import torch

SCHEDULES = [
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[2, 5, 5, 9], gamma=0.3)),
    ("ExponentialLR", dict(gamma=0.9)),
    ("CosineAnnealingLR", dict(T_max=7, eta_min=0.01)),
    ("CosineAnnealingLR", dict(T_max=4)),
    ("OneCycleLR", dict(max_lr=[1.0, 0.5], total_steps=30)),
    ("OneCycleLR", dict(max_lr=0.8, epochs=3, steps_per_epoch=10, anneal_strategy="linear", three_phase=True)),
    ("OneCycleLR", dict(max_lr=0.8, total_steps=30, pct_start=0.25, cycle_momentum=False, div_factor=10.0)),
]


def _optimizers(kind="SGD"):
    options = dict(lr=0.1, momentum=0.9) if kind == "SGD" else dict(lr=0.1)
    ours = [nn.Parameter(ourdl.ones(2)), nn.Parameter(ourdl.ones(3))]
    theirs = [torch.nn.Parameter(torch.ones(2)), torch.nn.Parameter(torch.ones(3))]
    groups = lambda ps: [{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.05}]  # noqa: E731
    return getattr(optim, kind)(groups(ours), **options), getattr(torch.optim, kind)(groups(theirs), **options)


def _sequence(scheduler, optimizer, steps, key="lr"):
    seen = []
    for _ in range(steps):
        seen.append([group[key] for group in optimizer.param_groups])
        optimizer.step()
        scheduler.step()
    return seen


@pytest.mark.parametrize("kind", ["SGD", "Adam"])
@pytest.mark.parametrize("name, options", SCHEDULES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(SCHEDULES)])
def test_lr_sequence_equals_torch(name, options, kind):
    opt, topt = _optimizers(kind)
    ours = getattr(optim.lr_scheduler, name)(opt, **options)
    theirs = getattr(torch.optim.lr_scheduler, name)(topt, **options)
    steps = 29 if name == "OneCycleLR" else 25
    assert _sequence(ours, opt, steps) == _sequence(theirs, topt, steps)
    assert ours.get_last_lr() == theirs.get_last_lr()
    momentum = "betas" if kind == "Adam" else "momentum"
    assert [g[momentum] for g in opt.param_groups] == [g[momentum] for g in topt.param_groups]


@pytest.mark.parametrize("options", [dict(patience=2, factor=0.5), dict(mode="max", threshold=0.1, cooldown=2),
                                     dict(threshold_mode="abs", threshold=0.05, patience=0, min_lr=[0.02, 0.01])])
def test_reduce_on_plateau_equals_torch(options):
    opt, topt = _optimizers()
    ours = optim.lr_scheduler.ReduceLROnPlateau(opt, **options)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, **options)
    metrics = np.concatenate([np.linspace(1.0, 0.5, 5), np.full(8, 0.5), np.linspace(0.5, 0.45, 6), np.full(10, 0.6)])
    for value in metrics:
        ours.step(value)
        theirs.step(value)
        assert ours.get_last_lr() == theirs.get_last_lr()
        assert [g["lr"] for g in opt.param_groups] == [g["lr"] for g in topt.param_groups]
    assert ours.get_last_lr() != [0.1, 0.05], "the learning rate never changed"


@pytest.mark.parametrize("name, options", SCHEDULES[:6], ids=[n for n, _ in SCHEDULES[:6]])
def test_state_dict_resumes_the_schedule(name, options):
    opt, _ = _optimizers()
    scheduler = getattr(optim.lr_scheduler, name)(opt, **options)
    first = _sequence(scheduler, opt, 10)
    saved_opt, saved = opt.state_dict(), scheduler.state_dict()
    assert "optimizer" not in saved
    opt2, _ = _optimizers()
    resumed = getattr(optim.lr_scheduler, name)(opt2, **options)
    opt2.load_state_dict(saved_opt)   # after building the scheduler, whose constructor sets the learning rates
    resumed.load_state_dict(saved)
    opt3, _ = _optimizers()
    straight = getattr(optim.lr_scheduler, name)(opt3, **options)
    assert first + _sequence(resumed, opt2, 10) == _sequence(straight, opt3, 20)


def test_one_cycle_refuses_to_step_past_total_steps():
    opt, _ = _optimizers()
    scheduler = optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    for _ in range(3):
        scheduler.step()
    with pytest.raises(ValueError, match="Tried to step 4 times"):
        scheduler.step()
