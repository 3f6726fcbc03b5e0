"""``Page``: a self-contained HTML report of figures, each with a title and one line of explanation.

Images are linked by paths relative to the page's folder, so the folder can
be moved or served as it is.
"""

from __future__ import annotations

import html
from pathlib import Path

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #1f2937; }
h1 { margin-bottom: 0.2em; }
section { margin: 2.5em 0; }
section p { margin: 0.3em 0 0.8em; color: #4b5563; }
img { max-width: 100%; border: 1px solid #e5e7eb; }
table { border-collapse: collapse; } td, th { padding: 0.2em 0.8em; border-bottom: 1px solid #e5e7eb; text-align: left; }
"""


class Page:
    """An HTML page built section by section.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "a.png").write_bytes(b"")
    0
    >>> page = Page("Demo", "what it shows")
    >>> page.add("A plot", "One line of explanation.", images=["a.png"], facts={"accuracy": "97.2%"})
    >>> page.add("Live", "A local server.", links={"open the playground": "http://127.0.0.1:8765/"})
    >>> page.write(folder).name
    'index.html'
    """

    def __init__(self, title: str, intro: str = ""):
        self.title = title
        self.intro = intro
        self.sections: list[tuple[str, str, list, dict, dict]] = []

    def add(self, title: str, explanation: str, images=(), facts: dict | None = None,
            links: dict | None = None) -> None:
        """A section: a heading, one line of explanation, key figures as a table, links (text → address), the images."""
        self.sections.append((title, explanation, [str(i) for i in images], dict(facts or {}), dict(links or {})))

    def images(self) -> list[str]:
        """Every image path the page links, relative to its folder."""
        return [image for _, _, images, _, _ in self.sections for image in images]

    def render(self) -> str:
        """The page as an HTML string."""
        e = html.escape
        parts = [
            "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            f"<title>{e(self.title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
            f"<h1>{e(self.title)}</h1>", f"<p>{e(self.intro)}</p>",
        ]
        for title, explanation, images, facts, links in self.sections:
            parts.append(f"<section><h2>{e(title)}</h2><p>{e(explanation)}</p>")
            if facts:
                rows = "".join(f"<tr><th>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in facts.items())
                parts.append(f"<table>{rows}</table>")
            parts.extend(f'<p><a href="{e(href)}">{e(text)}</a></p>' for text, href in links.items())
            parts.extend(f'<p><img src="{e(image)}" alt="{e(title)}"></p>' for image in images)
            parts.append("</section>")
        parts += ["</body>", "</html>"]
        return "\n".join(parts) + "\n"

    def write(self, folder) -> Path:
        """Write ``index.html`` into ``folder``; every linked image must already be there."""
        folder = Path(folder)
        missing = [image for image in self.images() if not (folder / image).is_file()]
        if missing:
            raise FileNotFoundError(f"Page.write: the page links files that are not in {folder}: {missing}")
        path = folder / "index.html"
        path.write_text(self.render(), encoding="utf-8")
        return path
