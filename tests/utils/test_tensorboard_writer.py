"""ourdl.utils.tensorboard.SummaryWriter: what it writes, read back with TensorBoard's own reader."""

import numpy as np
import pytest

import ourdl
from ourdl import nn
from ourdl.models import ResNet
from ourdl.utils.tensorboard import SummaryWriter

event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")


def read(folder):
    acc = event_accumulator.EventAccumulator(str(folder), size_guidance={"histograms": 0, "scalars": 0, "images": 0})
    acc.Reload()
    return acc


def test_scalars_histograms_and_images_from_ourdl_tensors(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        for step in range(3):
            writer.add_scalar("loss", ourdl.tensor(1.0 / (step + 1)), step)
        writer.add_histogram("weights", ourdl.arange(100.0), 0)
        writer.add_image("digit", ourdl.rand(1, 8, 8), 0)
        writer.add_images("batch", ourdl.rand(4, 3, 8, 8), 0)
        writer.add_text("note", "hello", 0)
    acc = read(tmp_path)
    assert [round(e.value, 6) for e in acc.Scalars("loss")] == [1.0, 0.5, round(1 / 3, 6)]
    histogram = acc.Histograms("weights")[0].histogram_value
    assert histogram.num == 100 and histogram.min == 0 and histogram.max == 99 and histogram.sum == 4950
    assert acc.Images("digit")[0].width == 8 and acc.Images("batch")[0].width == 4 * 8  # the batch side by side


def test_add_scalars_writes_one_run_per_key(tmp_path):
    with SummaryWriter(tmp_path) as writer:
        writer.add_scalars("Training vs. Validation Loss", {"Training": ourdl.tensor(0.5), "Validation": 0.75}, 1)
    group = tmp_path / "Training vs. Validation Loss"
    assert sorted(p.name for p in group.iterdir()) == ["Training", "Validation"]
    validation = read(group / "Validation")
    (tag,) = validation.Tags()["scalars"]  # the tag as TensorBoard allows it: Training_vs._Validation_Loss
    assert validation.Scalars(tag)[0].value == 0.75


def test_add_graph_draws_the_modules_and_their_operations(tmp_path):
    model = ResNet(widths=(4, 8), blocks=1)
    model.train()
    before = model.stem[1].running_mean.clone()
    with SummaryWriter(tmp_path) as writer:
        writer.add_graph(model, ourdl.zeros(2, 1, 28, 28))
    graph = read(tmp_path).Graph()
    names = {node.name: node for node in graph.node}
    assert "input/input.0" in names and "output/output.0" in names
    assert names["stem/0/Convolution_0"].input == ["input/input.0", "stem/0/weight"]
    assert list(names["stages/1/Add_0"].input) == ["stages/1/bn2/BatchNormFunction_0",
                                                   "stages/1/shortcut/1/BatchNormFunction_0"]
    assert len([n for n in graph.node if n.op == "Parameter"]) == len(list(model.parameters()))
    assert model.training and np.array_equal(model.stem[1].running_mean.numpy(), before.numpy())  # traced in eval


def test_the_training_tutorial_pattern(tmp_path):
    """torch's "Training with PyTorch" logs per-epoch losses with add_scalars and flushes."""
    model = nn.Linear(4, 2)
    writer = SummaryWriter(str(tmp_path / "fashion_trainer"))
    for epoch in range(2):
        loss = nn.functional.mse_loss(model(ourdl.ones(3, 4)), ourdl.zeros(3, 2))
        writer.add_scalars("Training vs. Validation Loss", {"Training": loss.item(), "Validation": loss}, epoch + 1)
        writer.flush()
    writer.close()
    runs = read(tmp_path / "fashion_trainer" / "Training vs. Validation Loss" / "Training")
    assert [e.step for e in runs.Scalars(runs.Tags()["scalars"][0])] == [1, 2]
