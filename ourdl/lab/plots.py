"""Plot helpers for lab reports, on matplotlib's object API (no global pyplot state, no display needed).

>>> fig = bar_chart("Share", ["relu", "tanh"], [0.5, 0.9], ylabel="share")
>>> type(fig).__name__
'Figure'
"""

from __future__ import annotations

import numpy as np

from ..viz.figure import Figure


def bar_chart(title: str, labels, values, ylabel: str, errors=None, horizontal: bool = False) -> Figure:
    """One bar per label, with optional error bars."""
    fig = Figure(figsize=(max(5.0, 0.45 * len(labels)), 4) if not horizontal else (6, max(3.0, 0.3 * len(labels))))
    ax = fig.subplots()
    if horizontal:
        ax.barh(list(labels), list(values), xerr=errors, color="tab:blue")
        ax.set_xlabel(ylabel)
        ax.invert_yaxis()
    else:
        ax.bar(list(labels), list(values), yerr=errors, color="tab:blue")
        ax.set_ylabel(ylabel)
        ax.tick_params(axis="x", labelrotation=45)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def line_chart(title: str, series: dict, xlabel: str, ylabel: str, logy: bool = False, logx: bool = False,
               reference: dict | None = None) -> Figure:
    """One line per ``label: (x, y)`` in ``series``; ``reference`` adds dashed horizontal lines ``label: y``."""
    fig = Figure(figsize=(6.5, 4))
    ax = fig.subplots()
    for label, (x, y) in series.items():
        ax.plot(list(x), list(y), marker="o" if len(list(x)) <= 12 else None, markersize=3, label=label)
    for label, y in (reference or {}).items():
        ax.axhline(y, linestyle="--", color="gray", linewidth=1)
        ax.annotate(label, (0, y), xycoords=("axes fraction", "data"), fontsize=8, color="gray",
                    xytext=(2, 2), textcoords="offset points")
    return _finish(fig, ax, title, xlabel, ylabel, logy, logx)


def _finish(fig: Figure, ax, title: str, xlabel: str, ylabel: str, logy: bool, logx: bool) -> Figure:
    """Title, labels, log scales, legend and grid of a chart of lines."""
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if logy:
        ax.set_yscale("log")
    if logx:
        ax.set_xscale("log")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def panel_grid(title: str, panels: dict, draw, columns: int = 3, size=(3.2, 2.6)) -> Figure:
    """A grid of small axes, one per ``label: data`` in ``panels``; ``draw(ax, data)`` fills each."""
    rows = -(-len(panels) // columns)
    fig = Figure(figsize=(size[0] * columns, size[1] * rows))
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax, (label, data) in zip(axes, panels.items()):
        draw(ax, data)
        ax.set_title(label, fontsize=9)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def histogram(ax, values, bins: int = 40) -> None:
    """Draw a histogram of ``values`` on ``ax`` (for :func:`panel_grid`)."""
    ax.hist(values, bins=bins, color="tab:blue")


def band_chart(title: str, series: dict, xlabel: str, ylabel: str, logy: bool = False) -> Figure:
    """One line per ``label: (x, mean, low, high)`` with its band from ``low`` to ``high`` (e.g. a 95% interval).

    >>> fig = band_chart("Loss", {"relu": ([1, 2], [0.5, 0.3], [0.4, 0.2], [0.6, 0.4])}, "epoch", "loss")
    >>> len(fig.axes[0].collections)  # the band
    1
    """
    fig = Figure(figsize=(6.5, 4))
    ax = fig.subplots()
    for label, (x, mean, low, high) in series.items():
        line, = ax.plot(list(x), list(mean), label=label)
        ax.fill_between(list(x), list(low), list(high), color=line.get_color(), alpha=0.2, linewidth=0)
    return _finish(fig, ax, title, xlabel, ylabel, logy, logx=False)


def strip_chart(title: str, groups: dict, ylabel: str) -> Figure:
    """One column of dots per ``label: values`` (each value a dot, jittered sideways) with the mean as a bar.

    >>> fig = strip_chart("Accuracy", {"relu": [0.8, 0.9], "tanh": [0.7, 0.75]}, "accuracy")
    >>> len(fig.axes[0].collections)  # per label: its dots and its mean
    4
    """
    fig = Figure(figsize=(max(5.0, 0.8 * len(groups)), 4))
    ax = fig.subplots()
    rng = np.random.default_rng(0)  # the jitter is only for the eye: fixed, so the figure is the same every time
    for i, (label, values) in enumerate(groups.items()):
        values = np.asarray(values, dtype=float)
        ax.scatter(i + rng.uniform(-0.15, 0.15, values.size), values, s=12, alpha=0.6)
        ax.hlines(np.nanmean(values), i - 0.3, i + 0.3, color="black", linewidth=2)
    ax.set_xticks(range(len(groups)), list(groups), rotation=45)
    ax.set(title=title, ylabel=ylabel)
    ax.grid(alpha=0.3, axis="y")
    fig.tight_layout()
    return fig
