"""`ourdl demo --quick`: a page whose every link exists and decodes, checked in a real browser too.

The demo is built once, in one test (so that parallel workers do not build it twice).
"""

import json
import re

from PIL import Image

import ourdl
from ourdl.cli import main


def check_links(demo):
    files = re.findall(r'(?:src|href)="([^"]+)"', (demo / "index.html").read_text())
    assert len(files) >= 8
    for name in files:
        path = demo / name
        assert path.is_file(), name
        if path.suffix in (".png", ".gif"):
            Image.open(path).verify()
        elif path.suffix == ".svg":
            assert "<svg" in path.read_text()[:2000]
    gifs = [name for name in files if name.endswith(".gif")]
    assert sorted(gifs) == ["fit-leaky_relu.gif", "fit-relu.gif"]
    assert all(Image.open(demo / g).n_frames == 4 for g in gifs)


def check_explanations(demo):
    text = (demo / "index.html").read_text()
    for part in ("activation catalog", "y = x² with two ReLU", "LeakyReLU", "Softmax regression", "An MLP on the digits",
                 "computation graph", "spirals", "test accuracy"):
        assert part in text, part
    for mark in ("f′ dashed orange", "red circle marks a kink", "dashed black curve is the target",
                 "titled true → predicted", "&quot;5 → 9&quot; is a 5 that it took for a 9", "Each row is a true digit",
                 "blue on the training set", "Dots: the 400 training points"):
        assert mark in text, mark
    assert text.count("<figcaption>") == text.count("<img ")  # every figure says what its marks mean


def check_gallery_tiles(demo):
    text = (demo / "index.html").read_text()
    names = [entry.name for entry in ourdl.activations.catalog() if entry.elementwise]
    for name in names:
        assert f'<a href="gallery/{name}.png" title="open the large view"><img src="gallery/{name}.png"' in text
        assert Image.open(demo / "gallery" / f"{name}.png").size == (720, 560)
    assert "\\" not in text  # formulas in the captions are Unicode, not LaTeX


def check_numbers_agree(demo, printed):
    text = (demo / "index.html").read_text()
    for kind in ("softmax", "mlp"):
        history = json.loads((demo / f"digits-{kind}-history.json").read_text())
        assert f"<th>test accuracy</th><td>{history['val_accuracy'][-1]:.2%}</td>" in text
    spirals = re.search(r"accuracy ([\d.]+%) on the training points", printed).group(1)
    assert f"<th>accuracy on the training points</th><td>{spirals}</td>" in text


def check_in_browser(demo, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    page.goto((demo / "index.html").as_uri())
    page.wait_for_load_state("load")
    broken = page.evaluate("Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
                           ".map(i => i.getAttribute('src'))")
    count = page.evaluate("document.images.length")
    page.screenshot(path=str(demo / "screenshot.png"), full_page=True)
    page.close()
    assert count >= 8
    assert broken == []
    assert messages == []
    assert Image.open(demo / "screenshot.png").size[0] == 1200


def test_demo_page(tmp_path, capsys, request):
    assert main(["demo", "--quick", "-o", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert f"open {(tmp_path / 'index.html').resolve().as_uri()}" in printed
    assert "\r" not in printed and "batch/s" not in printed  # not a terminal: no progress bars
    check_links(tmp_path)
    check_explanations(tmp_path)
    check_gallery_tiles(tmp_path)
    check_numbers_agree(tmp_path, printed)
    check_in_browser(tmp_path, request.getfixturevalue("browser"))  # skips here, outside CI, without chromium


def test_browser_check_sees_a_broken_image(tmp_path, browser):
    (tmp_path / "index.html").write_text('<html><body><img src="missing.png"></body></html>')
    page = browser.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto((tmp_path / "index.html").as_uri())
    broken = page.evaluate("Array.from(document.images).filter(i => i.naturalWidth === 0).length")
    page.close()
    assert broken == 1 and messages


def test_demo_without_graphviz_says_how_to_install(tmp_path, monkeypatch, capsys):
    from ourdl.cli import demo
    from ourdl.viz import Page
    from ourdl.viz import graph as graph_module

    monkeypatch.setattr(graph_module.shutil, "which", lambda name: None)
    page = Page("t")
    demo.graph(tmp_path, page, seed=0)
    assert (tmp_path / "graph.dot").is_file() and not (tmp_path / "graph.svg").exists()
    assert page.images() == []
    assert "apt-get install graphviz" in capsys.readouterr().out
    assert "install Graphviz" in page.render()
    page.write(tmp_path)
