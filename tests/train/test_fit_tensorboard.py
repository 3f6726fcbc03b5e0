"""fit(..., log_dir=...) writes TensorBoard event files that TensorBoard's own reader reads back, without PyTorch."""

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import ourdl
from ourdl import nn
from ourdl.data import DataLoader, Digits, TensorDataset, moons
from ourdl.train import fit

pytest.importorskip("tensorboardX")
event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
ROOT = Path(__file__).resolve().parents[2]


def _read(folder):
    reader = event_accumulator.EventAccumulator(str(folder), size_guidance={"scalars": 0, "histograms": 0})
    reader.Reload()
    return reader


def test_steps_and_epochs_carry_losses_metrics_lr_gradient_norms_dead_units_and_histograms(tmp_path):
    _ = ourdl.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 2))
    data = moons(n=96, noise=0.1, seed=0)
    history = fit(model, nn.CrossEntropyLoss(), ourdl.optim.SGD(model.parameters(), lr=0.1),
                  DataLoader(data, batch_size=32), epochs=3, val_loader=DataLoader(data, batch_size=96),
                  progress=False, log_dir=tmp_path)
    reader = _read(tmp_path)
    scalars, histograms = reader.Tags()["scalars"], reader.Tags()["histograms"]
    for tag in ("step/train_loss", "step/train_accuracy", "step/lr", "step/dead_share"):
        assert [e.step for e in reader.Scalars(tag)] == list(range(1, 10)), tag
    assert [e.value for e in reader.Scalars("step/lr")] == pytest.approx([0.1] * 9)
    steps = np.array([e.value for e in reader.Scalars("step/train_loss")])
    assert steps.reshape(3, 3).mean(axis=1) == pytest.approx(history["train_loss"], rel=1e-5)  # equal batches
    grads = sorted(t.removeprefix("step/grad_norm/") for t in scalars if t.startswith("step/grad_norm/"))
    assert grads == sorted(name for name, _ in model.named_parameters())
    assert all(e.value > 0 for e in reader.Scalars("step/grad_norm/0.weight"))
    for key in ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds"):
        assert [e.value for e in reader.Scalars(f"epoch/{key}")] == pytest.approx(history[key], rel=1e-6), key
    assert [e.step for e in reader.Scalars("epoch/dead_share")] == [1, 2, 3]
    assert all(0 <= e.value <= 1 for e in reader.Scalars("epoch/dead_share"))
    assert sorted(histograms) == sorted([f"weights/{name}" for name, _ in model.named_parameters()]
                                        + ["preactivations/1", "preactivations/3"])
    last = reader.Histograms("preactivations/1")
    assert [h.step for h in last] == [1, 2, 3] and last[0].histogram_value.num == 32 * 16  # the last batch's inputs
    assert reader.Histograms("weights/0.weight")[-1].histogram_value.num == 32


def test_dead_share_counts_channels_of_images_and_only_training_passes(tmp_path):
    """Channel 1 of the convolution has zero weights and bias -1: never active, so half the units are dead."""
    conv = nn.Conv2d(1, 2, 3)
    with ourdl.no_grad():
        conv.weight.copy_(ourdl.tensor(np.stack([np.ones((1, 3, 3)), np.zeros((1, 3, 3))]), dtype=ourdl.float32))
        conv.bias.copy_(ourdl.tensor([0.1, -1.0]))
    model = nn.Sequential(conv, nn.ReLU(), nn.Flatten(), nn.Linear(2 * 4 * 4, 3))
    data = TensorDataset(ourdl.rand(8, 1, 6, 6), ourdl.randint(0, 3, (8,)))
    # The evaluation set would wake channel 1 (inputs of -100): it must not count.
    wake = TensorDataset(ourdl.full((4, 1, 6, 6), -100.0), ourdl.zeros(4, dtype=ourdl.int64))
    fit(model, nn.CrossEntropyLoss(), ourdl.optim.SGD(model.parameters(), lr=0.0), DataLoader(data, batch_size=4),
        epochs=2, val_loader=DataLoader(wake, batch_size=4), progress=False, log_dir=tmp_path)
    reader = _read(tmp_path)
    assert [e.value for e in reader.Scalars("step/dead_share")] == [0.5] * 4
    assert [e.value for e in reader.Scalars("epoch/dead_share")] == [0.5, 0.5]


def test_a_skipped_nonfinite_step_logs_its_loss_as_a_gap(tmp_path):
    x = ourdl.tensor([[1.0], [2.0], [float("inf")], [3.0]])
    model = nn.Linear(1, 1)
    history = fit(model, nn.MSELoss(), ourdl.optim.SGD(model.parameters(), lr=0.01),
                  DataLoader(TensorDataset(x, ourdl.ones(4, 1)), batch_size=2), epochs=2, metrics=(), progress=False,
                  on_divergence="continue", log_dir=tmp_path)
    reader = _read(tmp_path)
    losses = [e.value for e in reader.Scalars("step/train_loss")]
    assert np.isfinite(losses[0::2]).all() and np.isnan(losses[1::2]).all()
    assert [e.value for e in reader.Scalars("epoch/nonfinite_steps")] == [1, 1] == history["nonfinite_steps"]


def test_logs_are_written_and_read_with_pytorch_unimportable(tmp_path):
    script = textwrap.dedent(f"""
        import sys
        sys.modules["torch"] = None  # any import of PyTorch now fails
        import ourdl
        from ourdl import nn
        from ourdl.data import DataLoader, moons
        from ourdl.train import fit
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
        model = nn.Sequential(nn.Linear(2, 4), nn.GELU(), nn.Linear(4, 2))
        fit(model, nn.CrossEntropyLoss(), ourdl.optim.Adam(model.parameters()), DataLoader(moons(n=32), batch_size=16),
            epochs=1, progress=False, log_dir={str(tmp_path)!r})
        reader = EventAccumulator({str(tmp_path)!r}); reader.Reload()
        print(len(reader.Scalars("step/train_loss")), "torch" in sys.modules and sys.modules["torch"] is not None)
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["2", "False"]


@pytest.mark.slow  # trains and plots through the command line: about ten seconds
def test_ourdl_train_writes_logs_with_log_dir(tmp_path, capsys):
    from ourdl.cli import main

    assert main(["train", "digits", "--epochs", "1", "--hidden", "16", "--log-dir", str(tmp_path / "logs"),
                 "-o", str(tmp_path / "out")]) == 0
    reader = _read(tmp_path / "logs")
    assert [e.step for e in reader.Scalars("epoch/val_accuracy")] == [1]
    batches = -(-len(Digits(train=True)) // 64)  # the default batch size
    assert [e.step for e in reader.Scalars("step/train_loss")] == list(range(1, batches + 1))
