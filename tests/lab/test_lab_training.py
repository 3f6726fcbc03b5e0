"""The experiments' training: a diverging step is skipped and recorded, and the run trains every epoch."""

import numpy as np

import ourdl
from ourdl.lab.data import spirals_split
from ourdl.lab.models import mlp
from ourdl.lab.training import train_classifier


def test_a_diverging_run_records_its_first_nonfinite_step_and_fills_every_epoch():
    train, test = spirals_split(200, seed=0)
    ourdl.manual_seed(0)
    model = mlp([2, 32, 32, 2], "elu")
    calls = []
    history = train_classifier(model, train, test, epochs=4, lr=100.0, after_epoch=calls.append)
    where = history["diverged"]
    assert where is not None and where["epoch"] < 4 and not np.isfinite(where["loss"])
    assert history["nonfinite_steps"] >= 1
    assert calls == [0, 1, 2, 3, 4]
    assert all(len(history[k]) == 4 for k in ("loss", "accuracy", "seconds"))
    assert np.isfinite(history["seconds"]).all()
    assert all(0 <= a <= 1 for a in history["accuracy"])


def test_a_calm_run_trains_every_epoch():
    train, test = spirals_split(200, seed=0)
    ourdl.manual_seed(0)
    history = train_classifier(mlp([2, 32, 2], "relu"), train, test, epochs=3, lr=0.05, optimizer="Adam")
    assert history["diverged"] is None and history["nonfinite_steps"] == 0 and np.isfinite(history["loss"]).all()
    assert history["loss"][-1] < history["loss"][0] and history["accuracy"][-1] > 0.5
