"""``Page``: a self-contained HTML report of figures, each with a title and one line of explanation.

Images are linked by paths relative to the page's folder, so the folder can
be moved or served as it is. A figure may carry a caption that says what its
marks mean; a gallery of small figures is laid out as tiles, each a link to
its image at full size.
"""

from __future__ import annotations

import html
from pathlib import Path

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #1f2937; }
h1 { margin-bottom: 0.2em; }
section { margin: 2.5em 0; }
section p { margin: 0.3em 0 0.8em; color: #4b5563; }
figure { margin: 0.8em 0 1.4em; }
figure img { max-width: 100%; border: 1px solid #e5e7eb; }
figcaption { color: #4b5563; font-size: 0.92em; margin-top: 0.3em; max-width: 60em; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 0.8em; }
.tiles figure { margin: 0; }
.tiles img { width: 100%; height: auto; }
.tiles figcaption { font-size: 0.85em; }
.tiles b { color: #1f2937; }
table { border-collapse: collapse; } td, th { padding: 0.2em 0.8em; border-bottom: 1px solid #e5e7eb; text-align: left; }
"""


class Page:
    """An HTML page built section by section.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "a.png").write_bytes(b"")
    0
    >>> page = Page("Demo", "what it shows")
    >>> page.add("A plot", "One line of explanation.", images=[("a.png", "Dots: samples.")], facts={"accuracy": "97.2%"})
    >>> page.add("Tiles", "Click one for its large view.", tiles=[("a.png", "<b>a</b>")])
    >>> page.write(folder).name
    'index.html'
    """

    def __init__(self, title: str, intro: str = ""):
        self.title = title
        self.intro = intro
        self.sections: list[tuple[str, str, list, dict, list]] = []

    def add(self, title: str, explanation: str, images=(), facts: dict | None = None, tiles=()) -> None:
        """A section: a heading, one line of explanation, key figures as a table, then the images.

        ``images`` are paths, or ``(path, caption)`` pairs whose caption says what the figure's marks mean;
        ``tiles`` are ``(path, caption HTML)`` pairs shown as a grid of small figures, each a link to its image.
        """
        pairs = [(str(i), "") if isinstance(i, (str, Path)) else (str(i[0]), i[1]) for i in images]
        self.sections.append((title, explanation, pairs, dict(facts or {}), [(str(p), c) for p, c in tiles]))

    def images(self) -> list[str]:
        """Every image path the page links, relative to its folder."""
        return [path for section in self.sections for path, _ in section[2] + section[4]]

    def render(self) -> str:
        """The page as an HTML string."""
        e = html.escape
        parts = [
            "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(self.title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>",
            f"<h1>{e(self.title)}</h1>", f"<p>{e(self.intro)}</p>",
        ]
        for title, explanation, images, facts, tiles in self.sections:
            parts.append(f"<section><h2>{e(title)}</h2><p>{e(explanation)}</p>")
            if facts:
                rows = "".join(f"<tr><th>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in facts.items())
                parts.append(f"<table>{rows}</table>")
            for image, caption in images:
                text = f"<figcaption>{e(caption)}</figcaption>" if caption else ""
                parts.append(f'<figure><img src="{e(image)}" alt="{e(caption or title)}">{text}</figure>')
            if tiles:
                parts.append('<div class="tiles">')
                parts.extend(f'<figure><a href="{e(image)}" title="open the large view"><img src="{e(image)}" '
                             f'alt="{e(Path(image).stem)}"></a><figcaption>{caption}</figcaption></figure>'
                             for image, caption in tiles)
                parts.append("</div>")
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
