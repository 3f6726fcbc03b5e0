"""Page: sections with escaped text, only existing images linked."""

import pytest

from ourdl.viz import Page


def test_page_links_its_images_and_escapes_text(tmp_path):
    (tmp_path / "a.png").write_bytes(b"x")
    page = Page("Demo <1>", "intro & more")
    page.add("Plot", "x < y", ["a.png"], {"accuracy": "97%"})
    text = page.write(tmp_path).read_text()
    assert '<img src="a.png"' in text
    assert "Demo &lt;1&gt;" in text and "x &lt; y" in text and "<td>97%</td>" in text
    assert page.images() == ["a.png"]


def test_page_refuses_missing_images(tmp_path):
    page = Page("Demo")
    page.add("Plot", "missing", ["nope.png"])
    with pytest.raises(FileNotFoundError, match="nope.png"):
        page.write(tmp_path)


def test_captions_say_what_marks_mean_and_tiles_link_their_large_view(tmp_path):
    (tmp_path / "a.png").write_bytes(b"x")
    (tmp_path / "t.png").write_bytes(b"x")
    page = Page("Demo")
    page.add("Plot", "line", [("a.png", "red: wrong & green: right")], tiles=[("t.png", "<b>relu</b>")])
    text = page.write(tmp_path).read_text()
    assert "<figcaption>red: wrong &amp; green: right</figcaption>" in text
    assert '<a href="t.png" title="open the large view"><img src="t.png"' in text and "<b>relu</b>" in text
    assert page.images() == ["a.png", "t.png"]
