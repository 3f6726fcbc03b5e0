"""What Jupyter shows for ourdl's objects: HTML tables and small SVG line charts, built as plain strings.

Tensors, Modules, training histories and catalog entries call these from
their ``_repr_html_``/``_repr_markdown_`` methods. Nothing here imports
matplotlib (which loads in ``ourdl.viz`` only): a chart is a few SVG
polylines, so showing a tensor or a history costs no plotting library.
"""

from __future__ import annotations

import base64
import html
import math

import numpy as np

from .tensor_repr import tensor_repr

__all__ = ["html_table", "line_chart", "module_html", "svg_data_uri", "tensor_html"]
COLORS = ("#2563eb", "#ea580c", "#16a34a", "#9333ea", "#dc2626", "#0891b2")


def html_table(columns, rows, caption: str = "") -> str:
    """An HTML ``<table>`` of ``rows`` under the header ``columns``; floats shown with 4 significant digits.

    >>> html_table(["name", "loss"], [["relu", 0.123456]])
    '<table><thead><tr><th>name</th><th>loss</th></tr></thead><tbody><tr><td>relu</td><td>0.1235</td></tr></tbody></table>'
    """
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>" for row in rows)
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value) -> str:
    if value is None:
        return ""
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def line_chart(x, series: dict, width: int = 420, height: int = 220, xlabel: str = "", y_limits=None) -> str:
    """An SVG chart of ``series`` (label -> y values, or (y values, dash pattern)) against ``x``, with a legend.

    Non-finite points break a line rather than stretch the axes.

    >>> svg = line_chart([0, 1, 2], {"loss": [1.0, 0.5, 0.25]}, xlabel="epoch")
    >>> svg.startswith("<svg") and "polyline" in svg and ">loss<" in svg
    True
    """
    x = np.asarray(x, dtype=np.float64)
    curves = {label: (np.asarray(v[0] if isinstance(v, tuple) else v, dtype=np.float64),
                      v[1] if isinstance(v, tuple) else "") for label, v in series.items()}
    finite = np.concatenate([y[np.isfinite(y)] for y, _ in curves.values()] + [np.zeros(0)])
    low, high = y_limits or ((finite.min(), finite.max()) if finite.size else (0.0, 1.0))
    if high - low < 1e-12:
        low, high = low - 0.5, high + 0.5
    left, right, top, bottom = 44, width - 8, 8, height - (34 if xlabel else 22)
    x_low, x_high = (x.min(), x.max()) if x.size and x.max() > x.min() else (0.0, 1.0)

    def px(u):
        return left + (u - x_low) / (x_high - x_low) * (right - left)

    def py(v):
        return bottom - (np.clip(v, low, high) - low) / (high - low) * (bottom - top)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             f'font-size="10"><rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
             'fill="white" stroke="#9ca3af"/>']
    for tick in _ticks(low, high):
        parts.append(f'<line x1="{left}" x2="{right}" y1="{py(tick):.1f}" y2="{py(tick):.1f}" stroke="#e5e7eb"/>'
                     f'<text x="{left - 4}" y="{py(tick) + 3:.1f}" text-anchor="end">{tick:g}</text>')
    for tick in _ticks(x_low, x_high, whole=bool(np.all(x == np.round(x)))):
        parts.append(f'<text x="{px(tick):.1f}" y="{bottom + 12}" text-anchor="middle">{tick:g}</text>')
    if xlabel:
        parts.append(f'<text x="{(left + right) / 2}" y="{height - 4}" text-anchor="middle">{html.escape(xlabel)}</text>')
    for i, (label, (y, dash)) in enumerate(curves.items()):
        color = COLORS[i % len(COLORS)]
        for piece in _finite_runs(x, y):
            if len(piece) == 1:
                parts.append(f'<circle cx="{px(piece[0][0]):.1f}" cy="{py(piece[0][1]):.1f}" r="2.5" fill="{color}"/>')
            points = " ".join(f"{px(u):.1f},{py(v):.1f}" for u, v in piece)
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.8" stroke-dasharray="{dash}" '
                         f'points="{points}"/>')
        parts.append(f'<text x="{left + 8}" y="{top + 14 + 13 * i}" fill="{color}">{html.escape(label)}</text>')
    return "".join(parts) + "</svg>"


def _ticks(low: float, high: float, whole: bool = False) -> list[float]:
    """About five round values between ``low`` and ``high`` (whole numbers only when ``whole``: epochs, steps)."""
    step = 10 ** math.floor(math.log10((high - low) / 4))
    step *= next(m for m in (1, 2, 5, 10) if (high - low) / (step * m) <= 6)
    step = max(step, 1) if whole else step
    return [round(t, 10) for t in np.arange(math.ceil(low / step) * step, high + step / 2, step)]


def _finite_runs(x, y):
    run = []
    for u, v in zip(x, y):
        if np.isfinite(v):
            run.append((u, v))
        elif run:
            yield run
            run = []
    if run:
        yield run


def svg_data_uri(svg: str) -> str:
    """``svg`` as a ``data:`` URI, for an image inside Markdown.

    >>> svg_data_uri("<svg/>")
    'data:image/svg+xml;base64,PHN2Zy8+'
    """
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def tensor_html(t) -> str:
    """A tensor for Jupyter: its shape, dtype and autograd state on one line, then its values as ``repr`` prints them.

    >>> import ourdl
    >>> print(tensor_html(ourdl.ones(2, requires_grad=True)).split("<pre")[0])
    <div><b>Tensor</b> shape (2,) · float32 · requires_grad (leaf)</div>
    """
    facts = [f"shape {tuple(t.shape)}", str(t.dtype).removeprefix("ourdl.")]
    if t.grad_fn is not None:
        facts.append(f"grad_fn {t.grad_fn.name()}")
    elif t.requires_grad:
        facts.append("requires_grad (leaf)")
    return (f"<div><b>Tensor</b> {html.escape(' · '.join(facts))}</div>"
            f'<pre style="margin:0">{html.escape(tensor_repr(t))}</pre>')


def module_html(module) -> str:
    """A Module for Jupyter: one row per sub-module (name, layer, its own parameters' shapes and count), a total.

    >>> import ourdl
    >>> print(module_html(ourdl.nn.Linear(3, 2))[:60])
    <table><caption>Linear: 8 parameters (8 trainable)</caption>
    """
    rows = []
    for name, sub in module.named_modules():
        own = list(sub.named_parameters(recurse=False))
        shapes = ", ".join(f"{n} {tuple(p.shape)}" for n, p in own)
        line = repr(sub).split("\n")[0] if not sub._modules else sub._get_name()
        rows.append([name or "(top)", line, shapes, sum(p.numel() for _, p in own) or ""])
    total = sum(p.numel() for p in module.parameters())
    trainable = sum(p.numel() for p in module.parameters() if p.requires_grad)
    return html_table(["name", "layer", "parameters", "count"], rows,
                      caption=f"{module._get_name()}: {total:,} parameters ({trainable:,} trainable)")
