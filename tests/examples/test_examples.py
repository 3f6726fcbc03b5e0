"""Each example script runs (quick mode) and prints what its lesson promises."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run_example(name, *args, cwd):
    result = subprocess.run([sys.executable, str(EXAMPLES / name), *map(str, args)], cwd=cwd, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "MPLBACKEND": "Agg"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_example_is_tested():
    tested = {"activation_plots.py", "fit_quadratic.py", "softmax_regression.py", "mlp_digits.py", "graph_by_hand.py",
              "cnn_fashion_mnist.py"}
    assert {p.name for p in EXAMPLES.glob("*.py")} == tested


def test_activation_plots(tmp_path):
    out = run_example("activation_plots.py", "--quick", "-o", tmp_path, cwd=tmp_path)
    assert "relu(-1.5) = 0.0" in out
    assert Image.open(tmp_path / "activations.png").format == "PNG"


def test_fit_quadratic(tmp_path):
    out = run_example("fit_quadratic.py", "--quick", "--activation", "leaky_relu", "-o", tmp_path, cwd=tmp_path)
    losses = [float(line.split()[-1]) for line in out.splitlines() if line.startswith("epoch")]
    assert losses[-1] < losses[0]
    assert out.count("* leaky_relu(") == 2
    assert Image.open(tmp_path / "fit.gif").n_frames == 4


def test_graph_by_hand(tmp_path):
    out = run_example("graph_by_hand.py", "--quick", "-o", tmp_path, cwd=tmp_path)
    assert "MyLeakyRelu(-2) = -0.2, slope 0.1;  built-in LeakyRelu: -0.2" in out
    assert "adaline learned y = 3.000 x -1.000" in out and "polyline of 3 pieces" in out
    assert (tmp_path / "graph.dot").read_text().startswith("digraph")
    assert Image.open(tmp_path / "fit.gif").n_frames == 4


def test_softmax_regression_from_scratch(tmp_path):
    out = run_example("softmax_regression.py", "--quick", cwd=tmp_path)
    accuracy = float(out.split("test accuracy ")[1].rstrip("%\n"))
    assert accuracy > 70


@pytest.mark.parametrize("activation", ["relu", "gelu"])
def test_mlp_digits(tmp_path, activation):
    out = run_example("mlp_digits.py", "--quick", "--activation", activation, cwd=tmp_path)
    accuracies = [float(line.split("test accuracy ")[1].rstrip("%")) for line in out.splitlines() if "accuracy" in line]
    assert len(accuracies) == 2 and accuracies[-1] > 75


@pytest.mark.parametrize("model", ["lenet", "resnet"])
def test_cnn_fashion_mnist_on_real_images(tmp_path, model):
    out = run_example("cnn_fashion_mnist.py", "--quick", "--model", model, cwd=tmp_path)
    assert f"{model} (" in out and "2,000 training images" in out
    accuracy = float(out.split("test accuracy ")[1].split("%")[0])
    assert accuracy > 30  # one epoch over 2,000 images: well above chance (10%)
