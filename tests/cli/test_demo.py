"""`ourdl demo --quick`: a page whose every link exists and decodes, checked in a real browser too."""

import re

import pytest
from PIL import Image

from ourdl.cli import main


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--quick", "-o", str(out)]) == 0
    return out


def linked(index):
    return re.findall(r'(?:src|href)="([^"]+)"', index.read_text())


def test_index_links_only_files_that_exist_and_decode(demo):
    files = linked(demo / "index.html")
    assert len(files) >= 8
    for name in files:
        path = demo / name
        assert path.is_file(), name
        if path.suffix in (".png", ".gif"):
            image = Image.open(path)
            image.verify()
        elif path.suffix == ".svg":
            assert "<svg" in path.read_text()[:2000]
    gifs = [name for name in files if name.endswith(".gif")]
    assert sorted(gifs) == ["fit-leaky_relu.gif", "fit-relu.gif"]
    assert all(Image.open(demo / g).n_frames == 4 for g in gifs)


def test_page_explains_each_part(demo):
    text = (demo / "index.html").read_text()
    for part in ("activation catalog", "y = x² with two ReLU", "LeakyReLU", "Softmax regression", "An MLP on the digits",
                 "computation graph", "spirals", "test accuracy"):
        assert part in text, part


def test_page_in_a_real_browser(demo, browser):
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


def test_browser_check_sees_a_broken_image(tmp_path, browser):
    (tmp_path / "index.html").write_text('<html><body><img src="missing.png"></body></html>')
    page = browser.new_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto((tmp_path / "index.html").as_uri())
    broken = page.evaluate("Array.from(document.images).filter(i => i.naturalWidth === 0).length")
    page.close()
    assert broken == 1 and messages
