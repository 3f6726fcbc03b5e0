"""Without -o, every command writes into ourdl-out/ in the current folder, and nowhere else."""

import pytest

from ourdl.cli import main
from ourdl.cli.common import OUTPUT_DIR


@pytest.mark.parametrize("argv, written", [
    (("graph", "relu(x @ w + b).sum()"), {"graph.svg", "graph.dot"}),
    (("activations", "show", "relu"), {"relu.png"}),
    (("activations", "plot", "relu", "--derivatives", "0"), {"activations.png"}),
    (("fit", "quadratic", "--epochs", "3", "--frames", "2"), {"fit.png"}),
    (("train", "digits", "--epochs", "1", "--hidden", "8"), {"digits-mlp.safetensors", "digits-mlp-history.json",
                                                             "digits-mlp-curves.png", "digits-mlp-confusion.png",
                                                             "digits-mlp-samples.png", "digits-mlp-checkpoint"}),
])
def test_defaults_go_into_the_one_output_folder(tmp_path, monkeypatch, capsys, argv, written):
    monkeypatch.chdir(tmp_path)
    assert main(list(argv)) == 0
    assert [p.name for p in tmp_path.iterdir()] == [OUTPUT_DIR.name]
    produced = {p.name for p in (tmp_path / OUTPUT_DIR).iterdir()}
    if "graph.svg" in written and "graph.svg" not in produced:  # without Graphviz only the DOT source is written
        written = {"graph.dot"}
    assert produced == written
    assert str(tmp_path / OUTPUT_DIR) in capsys.readouterr().out


def test_the_readme_and_gitignore_name_the_folder():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    assert f"{OUTPUT_DIR.name}/" in (root / ".gitignore").read_text().splitlines()
    assert f"`{OUTPUT_DIR.name}/` to your project's\n`.gitignore`" in (root / "README.md").read_text()
