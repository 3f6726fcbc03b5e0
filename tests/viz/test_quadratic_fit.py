"""fit_quadratic and animate_fit: the drawn unit lines add up to the network's output; the animation has its frames."""

import numpy as np
import pytest
from PIL import Image

import ourdl
from ourdl.viz import animate_fit, explain_fit, fit_quadratic
from ourdl.viz import animated as animated_module


@pytest.fixture(scope="module")
def record():
    return fit_quadratic("leaky_relu", hidden=3, epochs=60, frames=5, seed=1)


def test_snapshots_and_losses(record):
    assert [frame[0] for frame in record.frames] == [0, 15, 30, 45, 60]
    assert len(record.losses) == 60
    assert record.losses[-1] < record.losses[0] / 2


def test_units_add_up_to_the_models_output(record):
    epoch, loss, units, bias, output = record.frames[-1]
    assert units.shape == (3, len(record.grid))
    with ourdl.no_grad():
        expected = record.model(ourdl.tensor(record.grid[:, None], dtype=ourdl.float32)).numpy()[:, 0]
    np.testing.assert_allclose(output, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(units.sum(axis=0) + bias, output, rtol=1e-12)
    assert loss == record.losses[-1]


def test_gif_has_one_frame_per_snapshot(record, tmp_path):
    fig = animate_fit(tmp_path / "fit.gif", record=record)
    gif = Image.open(tmp_path / "fit.gif")
    assert gif.n_frames == 5
    assert "epoch 60" in fig.axes[0].get_title()
    assert len(fig.axes[0].get_lines()) == 1 + 3 + 1 + 1  # target, 3 units, output, zero line


def test_last_frame_as_png(record, tmp_path):
    animate_fit(tmp_path / "fit.png", record=record)
    assert Image.open(tmp_path / "fit.png").format == "PNG"


def test_mp4_needs_ffmpeg(record, tmp_path, monkeypatch):
    monkeypatch.setattr(animated_module.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="apt-get install ffmpeg"):
        animate_fit(tmp_path / "fit.mp4", record=record)
    with pytest.raises(ValueError, match="use .gif or .mp4"):
        animate_fit(tmp_path / "fit.avi", record=record)


@pytest.mark.skipif(animated_module.shutil.which("ffmpeg") is None or animated_module.shutil.which("ffprobe") is None,
                    reason="ffmpeg is not installed (apt-get install ffmpeg); GIFs need only Pillow")
def test_mp4_with_ffmpeg(record, tmp_path):
    import subprocess

    animate_fit(tmp_path / "fit.mp4", record=record)
    probe = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                            "stream=nb_read_frames", "-of", "csv=p=0", str(tmp_path / "fit.mp4")],
                           capture_output=True, text=True, check=True)
    assert int(probe.stdout.strip()) == 5


def test_explanation_names_dead_units_or_folds():
    dead = fit_quadratic("relu", hidden=2, epochs=30, frames=2, seed=0)  # seed 0: both ReLU units start dead
    assert explain_fit(dead).startswith("Here units 1 and 2 died")
    alive = fit_quadratic("leaky_relu", hidden=2, epochs=600, frames=2, seed=8)
    w = alive.model[0].weight.detach().numpy()[:, 0]
    b = alive.model[0].bias.detach().numpy()
    folds = sorted(x for x in -b / w if 0 < x < 2)
    assert len(folds) == 2
    assert f"2 folds fall inside [0, 2] (at x = {folds[0]:.2f}, {folds[1]:.2f})" in explain_fit(alive)
    assert "polyline of 3 pieces" in explain_fit(alive)
