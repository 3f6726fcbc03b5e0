"""Every `ourdl` command, run with small settings, produces what it promises; bad input says what is valid."""

import json
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
from PIL import Image

import ourdl
from ourdl.cli import build_parser
from ourdl.data.idx import write_idx


def subcommands(parser, prefix=()):
    """(command words, parser) for every command and subcommand."""
    for action in parser._actions:
        if action.__class__.__name__ == "_SubParsersAction":
            for name, sub in action.choices.items():
                yield (*prefix, name), sub
                yield from subcommands(sub, (*prefix, name))


def all_commands():
    return [words for words, _ in subcommands(build_parser())]


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args([*command, "--help"])
    assert exit_.value.code == 0
    assert "usage: ourdl " + " ".join(command) in capsys.readouterr().out


def test_every_command_that_computes_takes_a_seed():
    mine = {"activations", "fit", "train", "graph", "demo"}
    for words, parser in subcommands(build_parser()):
        leaf = not any(a.__class__.__name__ == "_SubParsersAction" for a in parser._actions)
        if leaf and words[0] in mine:
            assert "--seed" in parser._option_string_actions, words


def test_activations_list_is_a_table_of_the_catalog(ourdl_cli):
    status, out, _ = ourdl_cli("activations", "list")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["name", "formula", "range", "properties"]
    names = {line.split()[0] for line in lines[2:]}
    assert names == {entry.name for entry in ourdl.activations.catalog()}
    relu = next(line for line in lines if line.startswith("relu "))
    assert "[0, ∞)" in relu and "monotonic" in relu
    assert "\\" not in out and "…" not in out  # formulas in Unicode, never cut
    assert "x if x ≥ 0 else a x, a ~ U(lower, upper)" in out


def test_activations_show_prints_the_entry_and_plots(ourdl_cli, tmp_path):
    status, out, _ = ourdl_cli("activations", "show", "gelu", "-o", tmp_path / "gelu.png")
    assert status == 0
    assert "approximate='none'" in out and "x Φ(x) = x/2 · (1 + erf(x / √2))" in out and "\\" not in out
    assert Image.open(tmp_path / "gelu.png").size[0] > 200


def test_activations_plot_writes_svg(ourdl_cli, tmp_path):
    status, _, _ = ourdl_cli("activations", "plot", "relu", "elu", "--derivatives", "0,1", "-o", tmp_path / "a.svg")
    assert status == 0
    assert ElementTree.parse(tmp_path / "a.svg").getroot().tag.endswith("svg")


@pytest.mark.parametrize("argv", [
    ("activations", "show", "rellu"),
    ("activations", "plot", "relu", "nope"),
    ("fit", "quadratic", "--activation", "nope", "--epochs", "1"),
])
def test_unknown_activation_lists_the_valid_ones(ourdl_cli, argv):
    status, _, err = ourdl_cli(*argv)
    assert status == 2
    assert "unknown activation" in err and "gelu" in err and "leaky_relu" in err
    if "rellu" in argv:
        assert "Did you mean 'relu'?" in err


def test_fit_quadratic_writes_the_fit_and_the_animation(ourdl_cli, tmp_path):
    status, out, _ = ourdl_cli("fit", "quadratic", "--activation", "leaky_relu", "--epochs", "15", "--frames", "3",
                               "-o", tmp_path / "fit.png", "--animate", tmp_path / "fit.gif")
    assert status == 0
    assert "final loss" in out
    assert Image.open(tmp_path / "fit.png").format == "PNG"
    gif = Image.open(tmp_path / "fit.gif")
    assert gif.format == "GIF" and gif.n_frames == 3


def test_fit_quadratic_node_by_node_with_the_graph_engine(ourdl_cli, tmp_path):
    status, out, _ = ourdl_cli("fit", "quadratic", "--engine", "graph", "--frames", "3", "-o", tmp_path / "fit.png",
                               "--animate", tmp_path / "fit.gif")
    assert status == 0
    assert "leaky_relu, 2 hidden units, 300 epochs (graph engine): final loss 0.00" in out
    assert "polyline of 3 pieces" in out
    assert Image.open(tmp_path / "fit.gif").n_frames == 3


def test_fit_unknown_task(ourdl_cli):
    status, _, err = ourdl_cli("fit", "cubic")
    assert status == 2 and "Valid task names: quadratic" in err


def test_train_digits_softmax(ourdl_cli, tmp_path):
    status, out, _ = ourdl_cli("train", "digits", "--model", "softmax", "--epochs", "2", "--lr", "0.05",
                               "-o", tmp_path)
    assert status == 0
    accuracy = float(out.split("test accuracy ")[1].split("%")[0])
    assert accuracy > 80
    history = json.loads((tmp_path / "digits-softmax-history.json").read_text())
    assert len(history["train_loss"]) == 2
    weights = ourdl.io.load(tmp_path / "digits-softmax.safetensors")
    assert tuple(weights["weight"].shape) == (10, 64)
    for plot in ("curves", "confusion", "samples"):
        assert Image.open(tmp_path / f"digits-softmax-{plot}.png").format == "PNG"


def write_fake_mnist(root, count=40):
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for split in ("train", "t10k"):
        labels = rng.integers(0, 10, count).astype(np.uint8)
        images = (rng.random((count, 28, 28)) * 60 + labels[:, None, None] * 19).astype(np.uint8)
        write_idx(raw / f"{split}-images-idx3-ubyte", images)
        write_idx(raw / f"{split}-labels-idx1-ubyte", labels)


def test_train_mnist_from_idx_files(ourdl_cli, tmp_path):
    write_fake_mnist(tmp_path / "data")
    status, out, _ = ourdl_cli("train", "mnist", "--hidden", "16", "--epochs", "1", "--data-dir", tmp_path / "data",
                               "-o", tmp_path / "run")
    assert status == 0 and "mlp on mnist: test accuracy" in out
    assert (tmp_path / "run" / "mnist-mlp.safetensors").is_file()


@pytest.mark.parametrize("model, kind", [("lenet", "LeNet5"), ("resnet", "ResNet")])
def test_train_a_convolutional_network_on_images(ourdl_cli, tmp_path, model, kind):
    write_fake_mnist(tmp_path / "data")
    status, out, _ = ourdl_cli("train", "mnist", "--model", model, "--activation", "gelu", "--epochs", "1",
                               "--data-dir", tmp_path / "data", "-o", tmp_path / "run")
    assert status == 0 and f"{model} on mnist: test accuracy" in out
    weights = ourdl.load(tmp_path / "run" / f"mnist-{model}.safetensors")
    expected = getattr(ourdl.models, kind)("gelu", **({"blocks": 1} if model == "resnet" else {})).state_dict()
    assert {k: tuple(v.shape) for k, v in weights.items()} == {k: tuple(v.shape) for k, v in expected.items()}
    for plot in ("curves", "confusion", "samples"):
        assert Image.open(tmp_path / "run" / f"mnist-{model}-{plot}.png").format == "PNG"


def test_a_convolutional_network_needs_28x28_images(ourdl_cli):
    status, _, err = ourdl_cli("train", "digits", "--model", "lenet")
    assert status == 2 and "--model lenet takes 28x28 images" in err


def test_train_mnist_missing_folder_says_how_to_get_the_files(ourdl_cli, tmp_path, monkeypatch):
    from ourdl.data import FashionMNIST

    monkeypatch.setattr(FashionMNIST, "system_folders", (str(tmp_path / "not-installed"),))  # as without the package
    status, _, err = ourdl_cli("train", "fashion-mnist", "--data-dir", tmp_path / "empty")
    assert status == 2
    assert "train-images-idx3-ubyte" in err and "--download" in err and "--data-dir" in err
    assert "apt-get install dataset-fashion-mnist" in err


def test_train_csv(ourdl_cli, tmp_path):
    rng = np.random.default_rng(0)
    points = rng.normal(size=(120, 2))
    rows = ["a,b,kind"] + [f"{x:.4f},{y:.4f},{'up' if y > x else 'down'}" for x, y in points]
    (tmp_path / "t.csv").write_text("\n".join(rows) + "\n")
    status, out, _ = ourdl_cli("train", "--csv", tmp_path / "t.csv", "--target", "kind", "--hidden", "8",
                               "--epochs", "3", "--lr", "0.02", "-o", tmp_path)
    assert status == 0 and "mlp on csv" in out
    assert not (tmp_path / "csv-mlp-samples.png").exists()  # a table has no images to show


@pytest.mark.parametrize("argv, message", [
    (("train", "cifar"), "Valid dataset names: digits, mnist, fashion-mnist, csv"),
    (("train", "digits", "--model", "cnn"), "Valid model names: softmax, mlp"),
    (("train", "digits", "--activation", "relux"), "unknown activation 'relux'"),
    (("train", "digits", "--hidden", "a,b"), "argument --hidden: must be integers from 1 to 16384"),
    (("train", "csv"), "needs --csv FILE and --target COLUMN"),
    (("graph", "mlp:2"), "at least the input and output sizes"),
    (("graph", "exec('1')"), "not an ourdl function"),
    (("graph", "x.sum()", "-o", "g.jpg"), "use .svg, .png, .pdf, .dot"),
    (("activations", "plot", "relu", "--derivatives", "0,3"), "orders 0 (f), 1 (f') and 2 (f'') can be drawn"),
    (("activations", "show", "relu", "-o", "relu.gif"), "use .png, .svg, .pdf"),
    (("fit", "quadratic", "--animate", "fit.avi"), "--animate fit.avi: cannot write"),
])
def test_bad_input_says_what_is_valid(ourdl_cli, argv, message):
    status, _, err = ourdl_cli(*argv)
    assert status == 2
    assert message in err


def check_dot(path):
    if shutil.which("dot"):
        subprocess.run(["dot", "-Tsvg", str(path), "-o", "/dev/null"], check=True)
    text = path.read_text()
    assert text.startswith("digraph") and text.rstrip().endswith("}") and text.count("{") == text.count("}")


def test_graph_of_an_expression(ourdl_cli, tmp_path):
    status, out, _ = ourdl_cli("graph", "relu(x @ w + b).sum()", "--var", "x=2,3", "-o", tmp_path / "g.dot")
    assert status == 0 and "11 nodes" in out  # x, w, b, x@w, +b, relu, sum and 4 ops
    check_dot(tmp_path / "g.dot")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_graph_of_a_model_renders(ourdl_cli, tmp_path):
    status, _, _ = ourdl_cli("graph", "mlp:2,4,1:tanh", "--direction", "TB", "-o", tmp_path / "g.png")
    assert status == 0
    check_dot(tmp_path / "g.dot")
    assert Image.open(tmp_path / "g.png").format == "PNG"
    dot = (tmp_path / "g.dot").read_text()
    assert "0.weight" in dot and "Tanh" in dot and "label=\"Linear\"" in dot


def test_samples_show_the_mistakes_first(tmp_path, monkeypatch):
    from ourdl.cli import train as train_command

    shown = {}
    monkeypatch.setattr("ourdl.viz.plot_samples", lambda images, labels, predictions, *a: shown.update(
        labels=list(labels), predictions=list(predictions)))
    trained = train_command.Trained(ourdl.nn.Linear(4, 3), {"train_loss": [1.0]}, np.array([0, 1, 2, 1]),
                                    np.array([0, 2, 2, 0]), np.zeros((4, 4)), ["a", "b", "c"])
    train_command.save_results(trained, tmp_path, "t", images=True)
    assert shown == {"labels": [1, 1, 0, 2], "predictions": [2, 0, 0, 2]}
