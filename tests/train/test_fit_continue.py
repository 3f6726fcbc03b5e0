"""fit(..., on_divergence="continue"): a step whose loss is NaN or infinite is skipped, recorded, and training goes on."""

import numpy as np
import pytest

import ourdl
from ourdl import nn
from ourdl.data import DataLoader, TensorDataset
from ourdl.train import History, fit

X = [[1.0], [2.0], [3.0], [4.0], [5.0], [6.0]]


def _run(rows, epochs=3, **options):
    """A linear model fitted to y = 1 by plain SGD on ``rows`` in batches of 2, in order; the model and history."""
    _ = ourdl.manual_seed(0)
    model = nn.Linear(1, 1)
    x = ourdl.tensor(rows)
    history = fit(model, nn.MSELoss(), ourdl.optim.SGD(model.parameters(), lr=0.01),
                  DataLoader(TensorDataset(x, ourdl.ones(len(rows), 1)), batch_size=2), epochs=epochs, metrics=(),
                  progress=False, on_divergence="continue", **options)
    return model, history


@pytest.mark.parametrize("bad", [float("inf"), float("nan")])
def test_a_nonfinite_batch_is_skipped_in_every_epoch_and_training_equals_training_without_it(bad, tmp_path):
    model, history = _run(X[:2] + [[bad], [3.5]] + X[2:], checkpoint_dir=tmp_path)
    clean, clean_history = _run(X)
    assert [(s["epoch"], s["step"]) for s in history.nonfinite] == [(1, 1), (2, 1), (3, 1)]
    assert all(not np.isfinite(s["loss"]) for s in history.nonfinite)
    assert history["nonfinite_steps"] == [1, 1, 1] and len(history) == 3 and history.diverged is None
    # The skipped step changed nothing: the weights and the means over the finite steps are the clean run's.
    for skipped, plain in zip(model.parameters(), clean.parameters()):
        np.testing.assert_array_equal(skipped.detach().numpy(), plain.detach().numpy())
    assert history["train_loss"] == clean_history["train_loss"]
    saved = History.load(tmp_path / "history.json")
    assert [(s["epoch"], s["step"]) for s in saved.nonfinite] == [(1, 1), (2, 1), (3, 1)]


def test_an_epoch_of_only_nonfinite_steps_has_nan_means_and_unchanged_weights():
    _ = ourdl.manual_seed(0)
    before = nn.Linear(1, 1).weight.detach().numpy().copy()
    model, history = _run([[float("inf")], [float("inf")]], epochs=2)
    assert np.isnan(history["train_loss"]).all() and history["nonfinite_steps"] == [1, 1]
    np.testing.assert_array_equal(model.weight.detach().numpy(), before)


def test_a_resumed_run_keeps_the_skipped_steps_of_its_checkpoint(tmp_path):
    rows = X[:2] + [[float("inf")], [3.5]] + X[2:]
    _run(rows, epochs=2, checkpoint_dir=tmp_path)
    model, history = _run(rows, epochs=3, checkpoint_dir=tmp_path, resume=True)
    straight, reference = _run(rows, epochs=3)
    assert history.nonfinite == reference.nonfinite and history["nonfinite_steps"] == [1, 1, 1]
    np.testing.assert_array_equal(model.weight.detach().numpy(), straight.weight.detach().numpy())
