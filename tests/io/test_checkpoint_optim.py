"""Checkpoints of real optimisers and schedulers: training continued from a checkpoint equals training straight on."""

import numpy as np
import pytest

import ourdl
from ourdl import nn, optim
from ourdl.io import load_checkpoint, save_checkpoint

SCHEDULERS = {
    "StepLR": lambda o: optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5),
    "MultiStepLR": lambda o: optim.lr_scheduler.MultiStepLR(o, milestones=[1, 3]),
    "ExponentialLR": lambda o: optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
    "CosineAnnealingLR": lambda o: optim.lr_scheduler.CosineAnnealingLR(o, T_max=5),
    "OneCycleLR": lambda o: optim.lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=20,
                                                          cycle_momentum="momentum" in o.defaults or "betas" in o.defaults),
    "ReduceLROnPlateau": lambda o: optim.lr_scheduler.ReduceLROnPlateau(o, patience=0),
}
OPTIMIZERS = {
    "SGD": lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    "Adam": lambda p: optim.Adam(p, lr=0.01, amsgrad=True),
    "AdamW": lambda p: optim.AdamW(p, lr=0.01),
    "RMSprop": lambda p: optim.RMSprop(p, lr=0.01, momentum=0.5),
    "Adagrad": lambda p: optim.Adagrad(p, lr=0.1),
}


def _setup(make_optimizer, make_scheduler):
    ourdl.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    optimizer = make_optimizer(model.parameters())
    return model, optimizer, make_scheduler(optimizer)


def _train(model, optimizer, scheduler, steps, x, y):
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
        if isinstance(scheduler, optim.lr_scheduler.ReduceLROnPlateau):
            scheduler.step(loss.item())
        else:
            scheduler.step()


@pytest.mark.parametrize("scheduler_name", SCHEDULERS)
@pytest.mark.parametrize("optimizer_name", OPTIMIZERS)
def test_continuing_from_a_checkpoint_equals_training_straight_on(tmp_path, optimizer_name, scheduler_name):
    x, y = ourdl.randn(8, 3, generator=ourdl.Generator().manual_seed(1)), ourdl.randn(8, 1, generator=ourdl.Generator().manual_seed(2))
    straight = _setup(OPTIMIZERS[optimizer_name], SCHEDULERS[scheduler_name])
    _train(*straight, 8, x, y)

    first = _setup(OPTIMIZERS[optimizer_name], SCHEDULERS[scheduler_name])
    _train(*first, 3, x, y)
    save_checkpoint(tmp_path / "c", model=first[0], optimizer=first[1], scheduler=first[2], epoch=3)
    resumed = _setup(OPTIMIZERS[optimizer_name], SCHEDULERS[scheduler_name])
    assert load_checkpoint(tmp_path / "c", *resumed)["epoch"] == 3
    _train(*resumed, 5, x, y)

    for (name, a), (_, b) in zip(straight[0].state_dict().items(), resumed[0].state_dict().items()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
    assert straight[1].param_groups[0]["lr"] == resumed[1].param_groups[0]["lr"]
