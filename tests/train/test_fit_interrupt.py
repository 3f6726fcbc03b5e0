"""Ctrl-C inside an epoch of fit with checkpoints: the batch ends, a checkpoint is saved, resume is exact."""

import os
import signal

import numpy as np
import pytest

import ourdl
from ourdl import nn
from ourdl.data import DataLoader, moons
from ourdl.io import load_checkpoint
from ourdl.train import TrainingInterrupted, fit


def run(folder, epochs=4, resume=False, interrupt_at=None, own_generator=False):
    """Train a dropout MLP on shuffled moons; a real SIGINT arrives during the loss of call ``interrupt_at``."""
    ourdl.manual_seed(5)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 2))
    generator = ourdl.Generator().manual_seed(9) if own_generator else None
    loader = DataLoader(moons(n=200, noise=0.2), batch_size=16, shuffle=True, generator=generator)
    optimizer = ourdl.optim.Adam(model.parameters(), lr=0.01)
    scheduler = ourdl.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.05, total_steps=epochs * len(loader))
    calls = [0]
    cross_entropy = nn.CrossEntropyLoss()

    def loss(output, target):
        calls[0] += 1
        if calls[0] == interrupt_at:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C in the middle of a batch
        return cross_entropy(output, target)

    history = fit(model, loss, optimizer, loader, epochs=epochs, scheduler=scheduler, scheduler_interval="step",
                  checkpoint_dir=folder, resume=resume, progress=False, seed=123)
    return model, history


@pytest.mark.parametrize("own_generator", [False, True])
def test_ctrl_c_mid_epoch_saves_after_the_batch_and_resume_is_exact(tmp_path, own_generator):
    reference, reference_history = run(tmp_path / "a", own_generator=own_generator)
    with pytest.raises(TrainingInterrupted) as stopped:
        run(tmp_path / "b", interrupt_at=20, own_generator=own_generator)  # epoch 2 (13 batches an epoch), step 7
    assert (stopped.value.epoch, stopped.value.step) == (2, 7)
    state = load_checkpoint(tmp_path / "b" / "last.safetensors", restore_rng=False)
    assert state["epoch"] == 1 and state["extra"]["partial"]["step"] == 7
    resumed, history = run(tmp_path / "b", resume=True, own_generator=own_generator)
    for (name, a), (_, b) in zip(reference.state_dict().items(), resumed.state_dict().items()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
    assert history["train_loss"] == reference_history["train_loss"]
    assert history["lr"] == reference_history["lr"]


def test_without_checkpoints_ctrl_c_is_left_alone():
    handlers = []

    def loss(output, target):
        handlers.append(signal.getsignal(signal.SIGINT))
        return nn.functional.cross_entropy(output, target)

    model = nn.Linear(2, 2)
    fit(model, loss, ourdl.optim.SGD(model.parameters(), lr=0.1), DataLoader(moons(n=32), batch_size=8), epochs=1,
        progress=False)
    assert handlers and all(handler is signal.default_int_handler for handler in handlers)


def test_the_handler_is_restored_after_training(tmp_path):
    run(tmp_path, epochs=1)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
