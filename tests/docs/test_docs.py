"""The documentation site: generated pages say what the catalog says, the site builds offline, Chromium finds
every page sound (no console error, no broken link or image, every formula typeset)."""

import functools
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ourdl import activations

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
sys.path.insert(0, str(Path(__file__).parent))
from site_check import check_site  # noqa: E402

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None or importlib.util.find_spec("playwright") is None,
                                    reason="needs Chromium (apt-get install chromium) and playwright (pip)")


@functools.cache
def load_generator():
    spec = importlib.util.spec_from_file_location("docs_generate", DOCS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_activation_page_has_formulas_plot_facts_pytorch_and_a_run_example(tmp_path):
    page = load_generator().activation_page(activations.get("relu"), tmp_path)
    assert "$$\nf(x) = \\max(0, x)\n$$" in page and "$$\nf'(x) = 1 \\text{ if } x > 0" in page
    assert "![relu: f, its first derivative" in page and (tmp_path / "relu.png").read_bytes()[:4] == b"\x89PNG"
    assert "| Range | $[0, \\infty)$ |" in page and "Nair & Hinton" in page
    assert "F.relu(ourdl.tensor([-2.0, 0.0, 2.0]))\n```" in page and "tensor([0., 0., 2.])" in page
    if importlib.util.find_spec("torch"):
        assert "`torch.nn.functional.relu`, `torch.nn.ReLU`; largest difference on [-5, 5] in float64: 0.0e+00" in page
    beyond = load_generator().activation_page(activations.get("squareplus"), tmp_path)
    assert "none: beyond PyTorch" in beyond or "not installed" in beyond


def test_katex_is_vendored_with_its_licence_and_every_font_its_stylesheet_asks_first():
    katex = DOCS / "_static" / "katex"
    assert "MIT" in (katex / "LICENSE").read_text()
    css = (katex / "katex.min.css").read_text()
    first_choices = re.findall(r"src:url\((fonts/[^)]+\.woff2)\)", css)
    assert len(first_choices) >= 15 and all((katex / f).exists() for f in first_choices)


def test_the_built_site_is_not_committed():
    ignored = subprocess.run(["git", "check-ignore", "docs/_build/html/index.html", "docs/generated/api/index.md"],
                             cwd=ROOT, capture_output=True, text=True)
    assert ignored.stdout.split() == ["docs/_build/html/index.html", "docs/generated/api/index.md"]


@needs_chromium
def test_the_site_check_finds_each_kind_of_problem(tmp_path):
    static = tmp_path / "_static"
    shutil.copytree(DOCS / "_static", static)
    scripts = "".join(f'<script defer src="_static/{s}"></script>' for s in
                      ("katex/katex.min.js", "katex/auto-render.min.js", "katex-render.js"))
    head = f'<link rel="stylesheet" href="_static/katex/katex.min.css">{scripts}'
    (tmp_path / "good.html").write_text(f'<!DOCTYPE html><html><head>{head}</head><body><h1 id="top">ok</h1>'
                                        r'<span class="math">\(\frac{a}{b}\)</span><a href="#top">up</a>'
                                        '<a href="bad.html">next</a></body></html>')
    (tmp_path / "bad.html").write_text(f'<!DOCTYPE html><html><head>{head}</head><body><img src="missing.png">'
                                       r'<span class="math">\(\frac{a}{\nosuchcommand}\)</span>'
                                       '<a href="gone.html">x</a><a href="good.html#nowhere">y</a>'
                                       r'<p>$$f(x) = \frac{1}{2}$$</p></body></html>')
    problems = check_site(tmp_path)
    assert list(problems) == ["bad.html"], problems
    found = " | ".join(problems["bad.html"])
    for expected in ("missing.png", "KaTeX auto-render: Failed to parse", "formulas left as source",
                     "broken link: gone.html", "missing anchor: good.html#nowhere", "LaTeX shown as source"):
        assert expected in found


@pytest.mark.slow
@needs_chromium
def test_make_docs_builds_a_site_chromium_finds_sound(tmp_path):
    pytest.importorskip("myst_nb")
    subprocess.run([sys.executable, str(DOCS / "generate.py")], check=True, capture_output=True, timeout=900)
    site = tmp_path / "html"
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(tmp_path / "doctrees"), str(DOCS),
                    str(site)], check=True, capture_output=True, timeout=1500)
    names = {p.stem for p in (site / "generated" / "activations").glob("*.html")}
    assert names == {e.name for e in activations.catalog()} | {"index"}
    gelu = (site / "generated" / "activations" / "gelu.html").read_text()
    assert gelu.count('class="math') >= 3 and '<img alt="gelu: f, its first' in gelu
    tour = (site / "generated" / "tutorials" / "tour.html").read_text()
    assert "<video" in tour or "data:image/gif" in tour
    assert 'src="data:image/svg+xml;base64,' in tour            # the catalog entry's chart
    assert tour.count("<img") >= 3 and "History: 5 epochs" in tour and "<b>Claim.</b>" in tour
    for page in ("getting-started", "engine", "generated/lab/initialisation", "generated/api/ourdl.nn"):
        assert (site / f"{page}.html").exists()
    assert check_site(site) == {}
