"""fit and evaluate: accuracy on real data, exact resume, clear stops on bad input."""

import numpy as np
import pytest

import ourdl
from ourdl import nn
from ourdl.data import DataLoader, Digits, TensorDataset, moons
from ourdl.io import load, save_checkpoint
from ourdl.train import History, TrainingDiverged, evaluate, fit

pytest.importorskip("sklearn")


def _digits_loaders():
    train, test = Digits(normalize="standard"), Digits(train=False, normalize="standard")
    return DataLoader(train, batch_size=32, shuffle=True), DataLoader(test, batch_size=128)


@pytest.mark.parametrize("hidden, epochs, lr, goal", [([128], 20, 1e-3, 0.97), ([], 40, 1e-2, 0.93)],
                         ids=["mlp-64-128-10", "softmax-regression"])
def test_digits_reach_their_accuracy(hidden, epochs, lr, goal):
    ourdl.manual_seed(0)
    model = nn.MLP([64, *hidden, 10], activation=nn.ReLU)
    train, test = _digits_loaders()
    history = fit(model, nn.CrossEntropyLoss(), ourdl.optim.Adam(model.parameters(), lr=lr), train,
                  epochs=epochs, val_loader=test, progress=False)
    assert evaluate(model, test)["accuracy"] >= goal
    assert history["val_accuracy"][-1] == evaluate(model, test)["accuracy"]
    assert history["train_loss"][-1] < history["train_loss"][0]


def _moons_run(tmp_path, epochs, resume=False, stop_after=None, generator=None):
    ourdl.manual_seed(5)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 2))
    loader = DataLoader(moons(n=200, noise=0.2), batch_size=16, shuffle=True, generator=generator)
    optimizer = ourdl.optim.Adam(model.parameters(), lr=0.01)
    scheduler = ourdl.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)

    def kill(epoch, record):
        if epoch == stop_after:
            raise KeyboardInterrupt("killed")

    history = fit(model, nn.CrossEntropyLoss(), optimizer, loader, epochs=epochs, val_loader=loader,
                  scheduler=scheduler, checkpoint_dir=tmp_path, resume=resume, progress=False, seed=123, callbacks=[kill])
    return model, history


@pytest.mark.parametrize("own_generator", [False, True])
def test_resume_after_a_kill_ends_with_the_uninterrupted_weights(tmp_path, own_generator):
    generator = (lambda: ourdl.Generator().manual_seed(9)) if own_generator else (lambda: None)
    reference, reference_history = _moons_run(tmp_path / "a", epochs=5, generator=generator())
    with pytest.raises(KeyboardInterrupt):
        _moons_run(tmp_path / "b", epochs=5, stop_after=2, generator=generator())
    assert load(tmp_path / "b" / "last.safetensors")  # the epoch-2 checkpoint is complete
    resumed, history = _moons_run(tmp_path / "b", epochs=5, resume=True, generator=generator())
    for (name, a), (_, b) in zip(reference.state_dict().items(), resumed.state_dict().items()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
    assert len(history) == 5 and history["train_loss"] == reference_history["train_loss"]
    assert history["lr"] == [0.01, 0.01, 0.005, 0.005, 0.0025]
    assert History.load(tmp_path / "b" / "history.json")["val_loss"] == reference_history["val_loss"]


def test_diverging_loss_stops_with_epoch_step_and_value_and_keeps_the_checkpoint(tmp_path):
    x = ourdl.tensor([[1.0], [2.0], [3.0], [float("inf")]])
    loader = DataLoader(TensorDataset(x, ourdl.ones(4, 1)), batch_size=2)
    model = nn.Linear(1, 1)
    fit(model, nn.MSELoss(), ourdl.optim.SGD(model.parameters(), lr=0.01),
        DataLoader(TensorDataset(x[:2], ourdl.ones(2, 1)), batch_size=2), epochs=1, metrics=(),
        checkpoint_dir=tmp_path, progress=False)
    saved = (tmp_path / "last.safetensors").read_bytes()
    weight = model.weight.detach().numpy().copy()
    with pytest.raises(TrainingDiverged, match=r"epoch 1, step 1: the loss is (inf|nan)") as info:
        fit(model, nn.MSELoss(), ourdl.optim.SGD(model.parameters(), lr=0.01), loader, epochs=3, metrics=(),
            checkpoint_dir=tmp_path, progress=False)
    assert info.value.epoch == 1 and info.value.step == 1 and not np.isfinite(info.value.loss)
    assert (tmp_path / "last.safetensors").read_bytes() == saved
    assert np.isfinite(model.weight.detach().numpy()).all()
    assert not np.array_equal(model.weight.detach().numpy(), weight)  # step 0 did train


def test_wrong_shaped_batch_names_the_shapes_and_the_step():
    model = nn.Linear(3, 2)
    loader = DataLoader(TensorDataset(ourdl.randn(4, 5), ourdl.zeros(4, dtype=ourdl.int64)), batch_size=4)
    with pytest.raises(Exception) as info:
        fit(model, nn.CrossEntropyLoss(), ourdl.optim.SGD(model.parameters(), lr=0.1), loader, epochs=1, progress=False)
    assert "[4, 5]" in str(info.value) and "in_features" in str(info.value)
    assert any("epoch 1, step 0" in note and "(4, 5)" in note for note in info.value.__notes__)


def test_labels_out_of_range_are_named():
    model = nn.Linear(3, 2)
    loader = DataLoader(TensorDataset(ourdl.randn(4, 3), ourdl.tensor([0, 1, 5, 1])), batch_size=4)
    with pytest.raises(Exception, match="5") as info:
        fit(model, nn.CrossEntropyLoss(), ourdl.optim.SGD(model.parameters(), lr=0.1), loader, epochs=1, progress=False)
    assert any("targets (4,)" in note for note in info.value.__notes__)


def test_resume_from_another_models_checkpoint_names_the_keys(tmp_path):
    other = nn.Linear(3, 4)
    save_checkpoint(tmp_path / "last.safetensors", model=other, optimizer=ourdl.optim.SGD(other.parameters(), lr=0.1),
                    epoch=1, extra={"history": [], "generators": [None, None]})
    model = nn.Linear(3, 2)
    with pytest.raises(RuntimeError, match=r"size mismatch for weight"):
        fit(model, nn.CrossEntropyLoss(), ourdl.optim.SGD(model.parameters(), lr=0.1), [], epochs=2,
            checkpoint_dir=tmp_path, resume=True, progress=False)


def test_progress_bar_and_summary_show_loss_metric_and_speed(capsys):
    model = nn.Linear(2, 2)
    loader = DataLoader(moons(n=64), batch_size=8)
    fit(model, nn.CrossEntropyLoss(), ourdl.optim.SGD(model.parameters(), lr=0.1), loader, epochs=2, progress=True)
    err = capsys.readouterr()
    text = err.out + err.err
    assert "epoch 1/2" in text and "train_loss" in text and "train_accuracy" in text and "batch" in text


def test_history_metrics_callables_and_evaluate(tmp_path):
    model = nn.Linear(2, 2)
    loader = DataLoader(moons(n=64), batch_size=8)

    def mean_output(output, target):
        return float(output.detach().numpy().mean())

    history = fit(model, nn.CrossEntropyLoss(), ourdl.optim.SGD(model.parameters(), lr=0.1), loader, epochs=3,
                  val_loader=loader, metrics=("accuracy", mean_output), progress=False)
    columns = history.as_dict()
    assert set(columns) >= {"epoch", "train_loss", "train_accuracy", "train_mean_output", "val_loss", "val_accuracy",
                            "val_mean_output", "lr", "seconds"}
    assert columns["epoch"] == [1, 2, 3]
    final = evaluate(model, loader, nn.CrossEntropyLoss(), metrics=("accuracy", mean_output))
    assert final == {"loss": history["val_loss"][-1], "accuracy": history["val_accuracy"][-1],
                     "mean_output": history["val_mean_output"][-1]}
    history.save(tmp_path / "h.json")
    assert History.load(tmp_path / "h.json").as_dict() == columns
    with pytest.raises(ValueError, match="unknown metric 'f1'"):
        fit(model, nn.CrossEntropyLoss(), None, loader, epochs=1, metrics=("f1",))


def test_any_iterable_of_batches_trains():
    model = nn.Linear(2, 2)
    batches = list(DataLoader(moons(n=32), batch_size=8))
    history = fit(model, nn.CrossEntropyLoss(), ourdl.optim.SGD(model.parameters(), lr=0.1), (b for b in batches),
                  epochs=1, progress=True)
    assert len(history) == 1


def test_evaluate_restores_training_mode_and_records_no_graph():
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    evaluate(model, DataLoader(moons(n=8), batch_size=4))
    assert model.training
    assert all(p.grad is None for p in model.parameters())


def test_plateau_scheduler_gets_the_validation_loss_and_step_schedulers_step_per_batch():
    model = nn.Linear(2, 2)
    train, val = DataLoader(moons(n=64), batch_size=16), DataLoader(moons(n=32, seed=1), batch_size=16)
    optimizer = ourdl.optim.SGD(model.parameters(), lr=0.1)
    seen = []
    plateau = ourdl.optim.lr_scheduler.ReduceLROnPlateau(optimizer)
    original = plateau.step
    plateau.step = lambda metrics: (seen.append(metrics), original(metrics))[1]
    history = fit(model, nn.CrossEntropyLoss(), optimizer, train, epochs=2, val_loader=val, scheduler=plateau,
                  progress=False)
    assert seen == history["val_loss"]

    optimizer = ourdl.optim.SGD(model.parameters(), lr=0.1)
    cycle = ourdl.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=8)
    fit(model, nn.CrossEntropyLoss(), optimizer, train, epochs=2, scheduler=cycle, scheduler_interval="step",
        progress=False)
    assert cycle.last_epoch == 8




def _diverging_run(on_divergence, checkpoint_dir=None, resume=False, callbacks=()):
    """A line fit whose SGD steps overshoot more at every step at this rate, until the float32 loss overflows.

    Returns the model and what ``fit`` returned or raised."""
    ourdl.manual_seed(3)
    x = ourdl.linspace(-3, 3, 64).reshape(64, 1)
    model = nn.Linear(1, 1)
    loader = DataLoader(TensorDataset(x, 2 * x + 1), batch_size=8, shuffle=True)
    with np.errstate(all="ignore"):
        try:
            return model, fit(model, nn.MSELoss(), ourdl.optim.SGD(model.parameters(), lr=1.0), loader, epochs=6,
                              val_loader=loader, metrics=(), checkpoint_dir=checkpoint_dir, resume=resume,
                              progress=False, callbacks=callbacks, on_divergence=on_divergence)
        except TrainingDiverged as error:
            return model, error


def test_stop_on_divergence_records_where_keeps_the_last_finite_weights_and_runs_no_later_epoch(tmp_path):
    raised_model, raised = _diverging_run("raise")
    assert isinstance(raised, TrainingDiverged) and raised.epoch < 6     # so that stopping skips epochs
    seen = []
    model, history = _diverging_run("stop", tmp_path, callbacks=[lambda epoch, record: seen.append(epoch)])
    assert history.diverged == {"epoch": raised.epoch, "step": raised.step, "loss": raised.loss}
    assert history["epoch"] == seen == list(range(1, raised.epoch + 1))  # no epoch after the diverging one
    losses = history["train_loss"]
    assert np.isfinite(losses[:-1]).all() and losses[-1] == raised.loss == float("inf")
    assert len(history["val_loss"]) == raised.epoch                     # the diverging epoch is evaluated too
    for stopped, where_raised in zip(model.parameters(), raised_model.parameters()):
        assert np.isfinite(stopped.detach().numpy()).all()                # the diverging step was not applied
        np.testing.assert_array_equal(stopped.detach().numpy(), where_raised.detach().numpy())
    saved = History.load(tmp_path / "history.json")
    assert saved.diverged == history.diverged and saved["train_loss"] == losses
    seen.clear()
    resumed = _diverging_run("stop", tmp_path, resume=True, callbacks=[lambda epoch, record: seen.append(epoch)])[1]
    assert seen == [] and resumed.diverged == history.diverged and len(resumed) == len(history)

def test_on_divergence_takes_raise_stop_or_continue():
    model = nn.Linear(2, 2)
    with pytest.raises(ValueError, match=r"on_divergence must be 'raise' .*, 'stop' .* or 'continue' .*got 'ignore'"):
        fit(model, nn.CrossEntropyLoss(), ourdl.optim.SGD(model.parameters(), lr=0.1), DataLoader(moons(n=8)),
            epochs=1, progress=False, on_divergence="ignore")


def test_gradients_are_cleared_after_each_step_so_evaluation_and_loading_do_not_hold_them():
    seen = []

    class Watched(nn.Linear):
        def forward(self, x):
            if not self.training:  # evaluating: what gradients are held now
                seen.append([p.grad for p in self.parameters()])
            return super().forward(x)

    ourdl.manual_seed(0)
    model, reference = Watched(2, 2), nn.Linear(2, 2)
    reference.load_state_dict(model.state_dict())
    model.weight.grad = ourdl.ones(2, 2)  # left from before: the first step must not add to it
    train, val = DataLoader(moons(n=16), batch_size=8), DataLoader(moons(n=8, seed=1), batch_size=8)
    optimizer = ourdl.optim.SGD(reference.parameters(), lr=0.1)
    for x, y in train:  # the usual loop, zero_grad first
        optimizer.zero_grad()
        nn.CrossEntropyLoss()(reference(x), y).backward()
        optimizer.step()
    fit(model, nn.CrossEntropyLoss(), ourdl.optim.SGD(model.parameters(), lr=0.1), train, epochs=1,
        val_loader=val, progress=False)
    assert seen and all(g is None for grads in seen for g in grads)
    assert all(p.grad is None for p in model.parameters())
    for ours, theirs in zip(model.parameters(), reference.parameters()):
        np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())
