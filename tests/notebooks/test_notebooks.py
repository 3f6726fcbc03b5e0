"""The example notebooks run in a real Jupyter kernel (nbclient) and show their results inline."""

import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
IMAGE_TYPES = ("image/png", "image/svg+xml")


def execute(cells, tmp_path, timeout=300):
    """Run ``cells`` (a notebook or a list of code strings) in a fresh kernel; returns the executed notebook."""
    book = cells if not isinstance(cells, list) else nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(book, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    return book


def shown(cell) -> dict:
    """Every MIME type a cell displayed (merged over its outputs), with the stream texts under their names."""
    merged = {}
    for output in cell.outputs:
        if output.output_type == "stream":
            merged[output.name] = merged.get(output.name, "") + output.text
        else:
            merged.update(output.get("data", {}))
    return merged


def test_notebooks_are_valid_and_committed_without_outputs():
    assert {"tour.ipynb", "01_tensors_and_gradients.ipynb", "05_the_lab.ipynb"} <= {p.name for p in NOTEBOOKS}
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        nbformat.validate(book)
        code = [c for c in book.cells if c.cell_type == "code"]
        assert code and all(not c.outputs and c.execution_count is None for c in code), path.name


def test_in_a_kernel_without_ipywidgets_import_is_silent_and_the_bar_is_text(tmp_path):
    book = execute(["import sys; sys.modules['ipywidgets'] = None  # as if it were not installed",
                    "import ourdl\nfrom ourdl import viz, lab",
                    "from ourdl import nn, optim\nfrom ourdl.data import DataLoader, moons\nfrom ourdl.train import fit\n"
                    "model = nn.Sequential(nn.Linear(2, 4), nn.Tanh(), nn.Linear(4, 2))\n"
                    "h = fit(model, nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=0.1),\n"
                    "        DataLoader(moons(n=64), batch_size=16), epochs=1)"], tmp_path)
    assert book.cells[1].outputs == []                     # no tqdm/ipywidgets warning, nothing at all
    training = shown(book.cells[2])
    assert "epoch 1/1" in training["stderr"] and "application/vnd.jupyter.widget-view+json" not in training


@pytest.mark.slow
def test_tour_shows_tensors_model_training_plot_animation_and_lab_result_inline(tmp_path):
    book = execute(nbformat.read(EXAMPLES / "tour.ipynb", as_version=4), tmp_path)
    by_source = {cell.source.splitlines()[-1]: shown(cell) for cell in book.cells if cell.cell_type == "code"}
    assert "<b>Tensor</b> shape (2, 2) · float32" in by_source["x.grad"]["text/html"]
    assert "Sequential: 82 parameters" in by_source["model"]["text/html"]
    training = by_source["history"]
    assert "application/vnd.jupyter.widget-view+json" in training        # the notebook progress bar
    assert "<svg" in training["text/html"] and "History: 5 epochs" in training["text/html"]
    assert "image/png" in by_source['viz.plot_decision_boundary(model, moons(n=256, noise=0.1), title="after 5 epochs")']
    entry = by_source['ourdl.activations.get("gelu")']
    assert "$$f(x) = x \\, \\Phi(x)" in entry["text/markdown"] and "data:image/svg+xml" in entry["text/markdown"]
    assert "image/png" in by_source['viz.plot_activations(["relu", "gelu", "silu"])']
    animation = by_source['viz.animate_fit(activation="relu", epochs=150, frames=12)']["text/html"]
    assert "<video" in animation or "data:image/gif" in animation
    result = by_source['lab.get("initialisation").run(quick=True)']["text/html"]
    assert "<b>Claim.</b>" in result and "data:image/png;base64" in result


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_every_figure_it_makes_is_an_image(path, tmp_path):
    book = execute(nbformat.read(path, as_version=4), tmp_path)
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        last = cell.source.splitlines()[-1]
        data = shown(cell)
        assert "stderr" not in data or "%|" in data["stderr"], f"{path.name}: {last!r} wrote {data['stderr']!r}"
        graph = last.startswith(("viz.draw_graph", "drawing"))
        if last.startswith("viz.plot") or graph and shutil.which("dot"):  # without Graphviz a graph is DOT text
            assert any(t in data for t in IMAGE_TYPES), f"{path.name}: {last!r} showed {sorted(data)}"
        if "animate_fit(" in last:
            assert "<video" in data["text/html"] or "data:image/gif" in data["text/html"], path.name
        if ".run(quick=True)" in last:
            assert "data:image/png" in data["text/html"], path.name
