"""Plots of activation functions and their derivatives, straight from the catalog.

Each panel shows f and its derivatives (computed by autograd through the
catalog's ``derivative``), marks the kinks, and carries the name, the
output range and the formula. ``plot_gallery`` draws the whole catalog.
"""

from __future__ import annotations

import html
import math
import re

import numpy as np
from matplotlib.mathtext import MathTextParser
from tqdm.auto import tqdm

from .. import activations
from ..formula_text import to_unicode
from .figure import grid, new_figure, save

STYLES = {0: ("f", "#2563eb", "-"), 1: ("f'", "#ea580c", "--"), 2: ("f''", "#16a34a", ":")}
_PARSER = MathTextParser("path")
_SYNONYM = {r"\ge": r"\geq", r"\le": r"\leq", r"\lVert": r"\Vert", r"\rVert": r"\Vert"}
_SYNONYMS = re.compile(r"\\(?:ge|le|lVert|rVert)(?![a-zA-Z])")
_TEXT = re.compile(r"\\(?:text|textrm|operatorname|mathrm)\{([^}]*)\}")


def curves(name: str, derivatives=(0, 1, 2), x_range=(-5.0, 5.0), points: int = 401, **parameters) -> dict:
    """``{order: (x, y)}``: the activation ``name`` and its derivatives on ``points`` points of ``x_range``.

    >>> x, y = curves("relu", derivatives=(1,), points=5)[1]
    >>> x.tolist(), y.tolist()
    ([-5.0, -2.5, 0.0, 2.5, 5.0], [0.0, 0.0, 0.0, 1.0, 1.0])
    """
    entry = activations.get(name)
    x = np.linspace(*x_range, points)
    result = {}
    for order in derivatives:
        if order not in STYLES:
            raise ValueError(f"plot_activations: derivative order {order} is not drawn; choose from {sorted(STYLES)}")
        y = entry.numpy(x, **parameters) if order == 0 else entry.derivative(x, order, **parameters)
        result[order] = (x, np.asarray(y, dtype=np.float64))
    return result


def plot_activations(names, derivatives=(0, 1, 2), x_range=(-5.0, 5.0), path=None, columns: int = 4,
                     points: int = 401, progress: bool = False):
    """One panel per activation with f, f′ and f″ (pick with ``derivatives``), kinks marked.

    Each line's ``gid`` is ``"<name>:<order>"`` so its points can be read back;
    ``progress=True`` shows a progress bar over the panels.

    >>> fig = plot_activations(["relu", "gelu"], derivatives=(0, 1))
    >>> [line.get_gid() for line in fig.axes[0].get_lines() if line.get_gid()]
    ['relu:0', 'relu:1']
    """
    if isinstance(names, str):
        names = [names]
    entries = [activations.get(name) for name in names]
    fig, axes = grid(len(entries), columns, panel=(5.0, 3.8) if len(entries) == 1 else (3.2, 2.6))
    for ax, entry in tqdm(list(zip(axes, entries)), desc="activations", disable=not progress, leave=False):
        _panel(ax, entry, derivatives, x_range, points)
        ax.set_title(_title(entry), fontsize=8)
    axes[0].legend(fontsize=7, loc="upper left")
    return save(fig, path)


def plot_tile(name: str, path=None, derivatives=(0, 1, 2), x_range=(-5.0, 5.0), points: int = 401):
    """One activation on a small figure with large lettering, titled by its name only: a gallery tile.

    Saved at 200 dpi (720 x 560 pixels), it stays legible shown at half size, and is the large view at full size;
    the formula and range belong in the caption beside it (see :func:`tile_caption`).

    >>> fig = plot_tile("relu")
    >>> fig.axes[0].get_title(), fig.get_size_inches().tolist()
    ('relu', [3.6, 2.8])
    """
    entry = activations.get(name)
    fig = new_figure(3.6, 2.8)
    ax = fig.subplots()
    _panel(ax, entry, derivatives, x_range, points)
    ax.set_title(entry.name, fontsize=12)
    return save(fig, path, dpi=200)


def tile_caption(name: str) -> str:
    """HTML for a tile's caption: the name, the output range and the formula in Unicode.

    >>> tile_caption("relu")
    '<b>relu</b> · range [0, ∞)<br>max(0, x)'
    """
    entry = activations.get(name)
    return (f"<b>{html.escape(entry.name)}</b> · range {html.escape(format_range(entry.range))}<br>"
            f"{html.escape(to_unicode(entry.formula))}")


def _panel(ax, entry, derivatives, x_range, points) -> None:
    """Draw f and the chosen derivatives of ``entry`` on ``ax``, kinks as red circles."""
    drawn = curves(entry.name, derivatives, x_range, points)
    for order, (x, y) in drawn.items():
        label, color, style = STYLES[order]
        ax.plot(x, y, style, color=color, lw=1.6, label=label, gid=f"{entry.name}:{order}")
    kinks = [k for k in _kinks(entry) if x_range[0] <= k <= x_range[1]]
    if kinks and 0 in drawn:
        ax.plot(kinks, entry.numpy(np.array(kinks, dtype=np.float64)), "o", ms=5, mfc="white", color="#dc2626",
                label="kink")
    ax.axhline(0, color="#9ca3af", lw=0.6)
    ax.axvline(0, color="#9ca3af", lw=0.6)
    ax.set_ylim(*_limits(drawn))
    ax.set_xlim(*x_range)
    ax.grid(alpha=0.3)


def plot_gallery(path=None, derivatives=(0, 1, 2), x_range=(-5.0, 5.0), columns: int = 6, points: int = 201,
                 progress: bool = False):
    """Every elementwise activation of the catalog in one image (softmax-like ones need a ``dim``).

    >>> fig = plot_gallery(derivatives=(0,))
    >>> len(fig.axes) >= 20
    True
    """
    names = [entry.name for entry in activations.catalog() if entry.elementwise]
    return plot_activations(names, derivatives, x_range, path, columns, points, progress)


def format_range(value) -> str:
    """``(0, inf)`` → ``"[0, ∞)"``: an output range as mathematicians write it."""
    if isinstance(value, str):
        return value
    low, high = value
    left = "(" if math.isinf(low) else "["
    right = ")" if math.isinf(high) else "]"
    return f"{left}{_number(low)}, {_number(high)}{right}"


def _number(v) -> str:
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    return f"{v:g}"


def _kinks(entry) -> list[float]:
    return [float(k) for k in entry.kinks]


def mathtext(formula: str) -> str:
    """The LaTeX ``formula`` as matplotlib can draw it (``\\text`` becomes ``\\mathrm``), or the source as is.

    >>> print(mathtext(r"x \\text{ if } x \\ge 0"))
    $x \\mathrm{\\ if\\ } x \\geq 0$
    """
    text = _TEXT.sub(lambda m: r"\mathrm{" + m.group(1).replace(" ", r"\ ") + "}", formula)
    text = _SYNONYMS.sub(lambda m: _SYNONYM[m.group(0)], text)
    try:
        _PARSER.parse(f"${text}$")
    except ValueError:  # mathtext knows only part of LaTeX (no cases environment, ...): show the source
        return formula
    return f"${text}$"


def _title(entry) -> str:
    return f"{entry.name}   range {format_range(entry.range)}\n{mathtext(entry.formula)}"


def _limits(drawn: dict) -> tuple[float, float]:
    """y-limits that show the interesting part even when a curve explodes (exponential, ...)."""
    values = np.concatenate([y[np.isfinite(y)] for _, y in drawn.values()])
    low, high = max(values.min(), -6.0), min(values.max(), 6.0)
    pad = 0.08 * max(high - low, 1.0)
    return low - pad, high + pad
