"""A catalog entry as Jupyter (and the documentation) shows it: formulas rendered, f, f' and f'' drawn, properties.

Formulas are the catalog's LaTeX, between ``$$`` so the notebook's math
renderer typesets them; the chart is SVG drawn by :mod:`ourdl.rich_display`,
so an entry displays without matplotlib.
"""

from __future__ import annotations

import inspect
import math

import numpy as np

from ..rich_display import line_chart, svg_data_uri

__all__ = ["entry_latex", "entry_markdown", "formula_lines", "interval"]


def formula_lines(entry) -> tuple[str, str]:
    """The function and its derivative as display equations: ``f(x) = ...`` and ``f'(x) = ...``.

    A derivative written with partial derivatives (activations along a
    dimension, learnable ones) is shown as written.

    >>> import ourdl
    >>> formula_lines(ourdl.activations.get("relu"))
    ('f(x) = \\\\max(0, x)', "f'(x) = 1 \\\\text{ if } x > 0 \\\\text{ else } 0")
    """
    derivative = entry.derivative_formula
    return f"f(x) = {entry.formula}", derivative if "\\partial" in derivative else f"f'(x) = {derivative}"


def interval(r) -> str:
    """An output range as LaTeX: ``(0, inf)`` → ``[0, \\infty)``.

    >>> interval((-1.0, math.inf))
    '[-1, \\\\infty)'
    """
    def end(v):
        return ("" if v > 0 else "-") + r"\infty" if math.isinf(v) else f"{v:g}"

    low, high = r
    return f"{'(' if math.isinf(low) else '['}{end(low)}, {end(high)}{')' if math.isinf(high) else ']'}"


def entry_latex(entry) -> str:
    """The formula and its derivative for ``_repr_latex_`` (an ``aligned`` block between ``$$``).

    >>> import ourdl
    >>> entry_latex(ourdl.activations.get("identity"))
    "$$\\\\begin{aligned} f(x) &= x \\\\\\\\ f'(x) &= 1 \\\\end{aligned}$$"
    """
    rows = [line.replace(" = ", " &= ", 1) if " = " in line else line for line in formula_lines(entry)]
    return r"$$\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}$$"


def entry_markdown(entry, chart: bool = True) -> str:
    """Name, forms, rendered formulas, a chart of f, f', f'' (elementwise entries), range, properties, paper.

    >>> import ourdl
    >>> text = entry_markdown(ourdl.activations.get("elu"), chart=False)
    >>> print(text.splitlines()[0])
    **elu**: `ourdl.nn.functional.elu`, `ourdl.nn.ELU`
    >>> "$$f(x) = x \\\\text{ if } x > 0" in text, "| range | $[-1, \\\\infty)$ |" in text
    (True, True)
    """
    f, derivative = formula_lines(entry)
    lines = [f"**{entry.name}**: `ourdl.nn.functional.{entry.name}`, `ourdl.nn.{entry.module_name}`", "",
             f"$${f}$$", "", f"$${derivative}$$", ""]
    if chart and entry.elementwise:
        # an <img> tag, not ![](...): Markdown renderers refuse SVG data URIs in their image syntax
        lines += [f'<img alt="{entry.name} and its first two derivatives" src="{svg_data_uri(chart_svg(entry))}">', ""]
    parameters = ", ".join(f"`{k}={v!r}`" for k, v in entry.parameters.items() if v is not inspect.Parameter.empty)
    properties = ", ".join(k.replace("_", " ") for k, v in entry.properties.items() if v) or "none"
    rows = [("range", f"${interval(entry.range)}$"), ("parameters", parameters or "none"), ("properties", properties),
            ("kinks", ", ".join(f"{k:g}" for k in entry.kinks) or "none"),
            ("paper", f"{entry.paper} ({entry.year})" if entry.paper else "not from one paper")]
    lines += ["| | |", "| --- | --- |"] + [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(lines)


def chart_svg(entry, x_range=(-5.0, 5.0), points: int = 201) -> str:
    """f, f' and f'' of an elementwise ``entry`` on ``x_range`` as an SVG chart (y clipped to [-6, 6])."""
    x = np.linspace(*x_range, points)
    series = {"f": entry.numpy(x), "f'": (entry.derivative(x, 1), "5 3"), "f''": (entry.derivative(x, 2), "2 2")}
    values = np.concatenate([np.asarray(v[0] if isinstance(v, tuple) else v).ravel() for v in series.values()])
    finite = values[np.isfinite(values)]
    low, high = max(finite.min(), -6.0), min(finite.max(), 6.0)
    pad = 0.08 * max(high - low, 1.0)
    return line_chart(x, series, width=440, height=240, xlabel="x", y_limits=(low - pad, high + pad))
