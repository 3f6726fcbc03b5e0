"""TensorBoard logs of the lab's runs (written by fit), read back with TensorBoard's own reader."""

import functools

import numpy as np
import pytest

from ourdl.cli import main
from ourdl.lab.experiments import dead_relus
from ourdl.lab.sweep import run_folder, spawn_seeds, sweep

pytest.importorskip("tensorboardX")
event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")


def _read(folder):
    reader = event_accumulator.EventAccumulator(str(folder), size_guidance={"scalars": 0, "histograms": 0})
    reader.Reload()
    return reader


def test_each_run_logs_steps_epochs_gradients_dead_units_and_histograms(tmp_path):
    rows = sweep(functools.partial(dead_relus.trial, quick=True), {"activation": ["relu"], "lr": [0.1]}, seeds=1,
                 log_dir=tmp_path)
    reader = _read(run_folder(tmp_path, {"activation": "relu", "lr": 0.1}, spawn_seeds(1)[0]))
    tags = reader.Tags()
    epochs = 5  # the quick run's
    for tag in ("epoch/train_loss", "epoch/val_accuracy", "epoch/lr", "epoch/dead_share"):
        assert [e.step for e in reader.Scalars(tag)] == list(range(1, epochs + 1)), tag
    steps = reader.Scalars("step/train_loss")
    assert len(steps) == epochs * 13 and all(np.isfinite(e.value) for e in steps)  # 400 samples in batches of 32
    assert [e.value for e in reader.Scalars("epoch/val_accuracy")][-1] == pytest.approx(rows[0]["metrics"]["accuracy"])
    grads = [t for t in tags["scalars"] if t.startswith("step/grad_norm/")]
    assert "step/grad_norm/layers.0.weight" in grads or len(grads) == 8    # 4 Linear layers, weight and bias
    assert len(grads) == 8 and all(e.value >= 0 for e in reader.Scalars(grads[0]))
    dead = [e.value for e in reader.Scalars("epoch/dead_share")]
    assert all(0 <= d <= 1 for d in dead)
    assert any(t.startswith("weights/") for t in tags["histograms"])
    assert any(t.startswith("preactivations/") for t in tags["histograms"])
    histogram = reader.Histograms(next(t for t in tags["histograms"] if t.startswith("preactivations/")))
    assert len(histogram) == epochs and histogram[0].histogram_value.num == (400 % 32) * 32  # the last batch's


def test_the_command_line_writes_logs_and_refuses_them_where_runs_do_not_train(tmp_path, capsys):
    assert main(["lab", "run", "dead_relus", "--quick", "--seeds", "1", "--grid", "lr=0.1", "--grid",
                 "activation=gelu", "--no-progress", "--log-dir", str(tmp_path / "logs"),
                 "-o", str(tmp_path / "out")]) == 0
    assert list((tmp_path / "logs").glob("activation=gelu,lr=0.1/seed-*/events.out.tfevents.*"))
    assert main(["lab", "run", "initialisation", "--quick", "--seeds", "1", "--log-dir", str(tmp_path / "x"),
                 "-o", str(tmp_path / "out2")]) == 2
    assert "write no logs" in capsys.readouterr().err
