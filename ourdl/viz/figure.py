"""Figures without a display: every plot is a :class:`Figure` (a matplotlib figure) drawn by Agg.

Plots are built on ``Figure`` objects directly, never through ``pyplot``'s
global state, so they work on servers, in tests and in notebooks alike. A
matplotlib figure made without pyplot has no display of its own in Jupyter;
ourdl's :class:`Figure` adds one (a PNG), so a plot returned by a cell shows.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib.figure

FORMATS = (".png", ".svg", ".pdf")
NOTEBOOK_DPI = 100


class Figure(matplotlib.figure.Figure):
    """A matplotlib figure that Jupyter draws inline (``_repr_png_``), with no pyplot involved.

    >>> fig = Figure(figsize=(2, 1))
    >>> fig._repr_png_()[:4]
    b'\\x89PNG'
    """

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=NOTEBOOK_DPI)
        return buffer.getvalue()


def new_figure(width: float, height: float, kind: type = Figure) -> Figure:
    """A blank figure (of class ``kind``) of ``width`` x ``height`` inches with a tight layout.

    >>> fig = new_figure(4, 3); fig.get_size_inches().tolist()
    [4.0, 3.0]
    """
    return kind(figsize=(width, height), layout="constrained")


def save(fig: Figure, path, dpi: int = 110) -> Figure:
    """Write ``fig`` to ``path`` (PNG, SVG or PDF by extension) and return it.

    >>> import tempfile, os
    >>> fig = new_figure(2, 2)
    >>> _ = save(fig, os.path.join(tempfile.mkdtemp(), "empty.png"))
    """
    if path is None:
        return fig
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"save: cannot write {path.name!r}; use one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    return fig


def grid(count: int, columns: int, panel: tuple[float, float] = (3.2, 2.6)):
    """A figure with ``count`` axes on a grid of ``columns`` columns (spare cells hidden)."""
    columns = max(1, min(columns, count))
    rows = -(-count // columns)
    fig = new_figure(panel[0] * columns, panel[1] * rows)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax in axes[count:]:
        ax.set_visible(False)
    return fig, axes[:count]
