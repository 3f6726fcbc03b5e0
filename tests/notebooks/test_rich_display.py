"""What Jupyter shows for ourdl's objects, checked without a kernel: each object's rich display and its content."""

import base64
import importlib.util
import re
import sys
import types
import warnings

import pytest

import ourdl
from ourdl import activations, lab, nn, viz
from ourdl.progress import bar_class, progress_bar
from ourdl.train.history import History

PNG = b"\x89PNG\r\n\x1a\n"


def test_every_viz_figure_has_a_png_display():
    figures = [viz.plot_activations(["relu"], derivatives=(0,), points=11),
               viz.plot_history(History([{"epoch": 1, "train_loss": 1.0}, {"epoch": 2, "train_loss": 0.5}])),
               viz.plot_confusion_matrix([0, 1, 1], [0, 1, 0])]
    for fig in figures:
        assert isinstance(fig, viz.Figure)
        assert fig._repr_png_().startswith(PNG)


def test_lab_plots_are_displayable_figures():
    from ourdl.lab import plots

    assert plots.bar_chart("Share", ["a", "b"], [0.5, 0.9], ylabel="share")._repr_png_().startswith(PNG)


def test_animation_plays_inline_as_video_or_gif(monkeypatch):
    record = viz.fit_quadratic("relu", hidden=2, epochs=4, frames=3)
    fig = viz.animate_fit(record=record)
    assert isinstance(fig, viz.AnimatedFigure) and fig.frames == 3
    page = fig._repr_html_()
    kind, data = re.search(r'src="data:(video/mp4|image/gif);base64,([^"]+)"', page).groups()
    header = base64.b64decode(data)[:12]
    assert (b"ftyp" in header) if kind == "video/mp4" else header.startswith(b"GIF8")
    monkeypatch.setattr(viz.animated.shutil, "which", lambda name: None)  # no ffmpeg: an animated GIF
    assert 'src="data:image/gif;base64,R0lGOD' in fig._repr_html_()


def test_tensor_display_names_shape_dtype_and_grad():
    x = ourdl.tensor([[1.0, -2.0]], requires_grad=True)
    assert "shape (1, 2) · float32 · requires_grad (leaf)" in x._repr_html_()
    page = (x * 2)._repr_html_()
    assert "grad_fn MulBackward0" in page and "&lt;MulBackward0&gt;" in page  # values escaped, not read as tags
    assert "shape () · int64" in ourdl.tensor(3)._repr_html_()


def test_module_display_counts_parameters_per_layer():
    page = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))._repr_html_()
    assert "Sequential: 13 parameters (13 trainable)" in page
    assert "<td>weight (3, 2), bias (3,)</td><td>9</td>" in page


def test_history_display_draws_losses_and_metrics_with_whole_epoch_ticks():
    history = History([{"epoch": e, "train_loss": 1 / e, "train_accuracy": 0.5 + e / 20, "seconds": 0.1}
                       for e in range(1, 5)])
    page = history._repr_html_()
    assert page.count("<svg") == 2 and "<caption>History: 4 epochs</caption>" in page
    ticks = re.findall(r'text-anchor="middle">([^<]+)</text>', page)
    assert {"1", "2", "3", "4"} <= set(ticks) and "1.5" not in ticks
    assert "no epochs" in History()._repr_html_()


@pytest.mark.parametrize("name", [entry.name for entry in activations.catalog()])
def test_catalog_entry_shows_formula_chart_and_properties(name):
    entry = activations.get(name)
    text = entry._repr_markdown_()
    assert f"$$f(x) = {entry.formula}$$" in text
    assert ("data:image/svg+xml;base64," in text) == entry.elementwise
    assert "| range |" in text and "| properties |" in text
    assert entry._repr_latex_().startswith(r"$$\begin{aligned} f(x) &=")


def test_catalog_chart_draws_the_derivatives_autograd_gives():
    svg = activations.display.chart_svg(activations.get("relu"), points=5)
    lines = re.findall(r'points="([^"]+)"', svg)
    assert len(lines) == 3                      # f, f', f''
    f_prime = [float(p.split(",")[1]) for p in lines[1].split()]
    assert f_prime[0] == f_prime[1] > f_prime[3] == f_prime[4]   # 0 left of the kink, 1 right of it (SVG y grows down)


def test_lab_result_shows_claim_tables_and_figures():
    import matplotlib.figure

    fig = matplotlib.figure.Figure(figsize=(2, 1))
    fig.subplots().plot([0, 1], [0, 1])
    result = lab.Result("measured <1>", {"x": 1}, [lab.Table("Loss", ["activation", "loss"], [["relu", 0.25]])],
                        [lab.Figure("line", "y = x", fig)], name="demo", claim="lines are straight", seed=2)
    page = result._repr_html_()
    assert "<b>Claim.</b> lines are straight" in page and "measured &lt;1&gt;" in page
    assert "<caption>Loss</caption>" in page and "<td>relu</td><td>0.25</td>" in page
    assert "ourdl lab run demo --seed 2 --seeds " in page and "-o DIR" in page
    png = base64.b64decode(re.search(r"data:image/png;base64,([^\"]+)", page).group(1))
    assert png.startswith(PNG)


def test_outside_a_kernel_the_progress_bar_is_text():
    assert bar_class().__module__ == "tqdm.std"


def test_inside_a_kernel_the_bar_is_the_widget_only_when_ipywidgets_is_there(monkeypatch):
    pytest.importorskip("IPython")
    kernel = types.SimpleNamespace(config={"IPKernelApp": {}})
    monkeypatch.setattr(sys.modules["IPython"], "get_ipython", lambda: kernel, raising=False)
    if importlib.util.find_spec("ipywidgets") is not None:
        assert bar_class().__module__ == "tqdm.notebook"
    monkeypatch.setitem(sys.modules, "ipywidgets", None)        # ipywidgets absent: text, and no warning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert bar_class().__module__ == "tqdm.std"
    assert not caught


def test_ourdl_progress_forces_text_or_no_bar(monkeypatch):
    kernel = types.SimpleNamespace(config={"IPKernelApp": {}})
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: kernel))
    monkeypatch.setenv("OURDL_PROGRESS", "text")
    assert bar_class().__module__ == "tqdm.std"
    monkeypatch.setenv("OURDL_PROGRESS", "off")
    assert progress_bar(range(2)).disable
