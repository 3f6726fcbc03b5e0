"""LaTeX formulas of the catalog as Unicode text for terminals."""

import pytest

import ourdl
from ourdl.formula_text import to_unicode


@pytest.mark.parametrize("entry", ourdl.activations.catalog(), ids=lambda e: e.name)
def test_every_catalog_formula_reads_without_latex(entry):
    for formula in (entry.formula, entry.derivative_formula):
        text = to_unicode(formula)
        assert text and not any(mark in text for mark in ("\\", "{", "}", "  ")), text
        assert text.count("(") == text.count(")"), text


@pytest.mark.parametrize("latex, text", [
    (r"\frac{1}{1 + e^{-x}}", "1/(1 + e⁻ˣ)"),
    (r"\frac{x}{1 + |x|}", "x/(1 + |x|)"),
    (r"\frac{1}{(1 + |x|)^2}", "1/(1 + |x|)²"),
    (r"\frac{x}{2}\left(1 + \mathrm{erf}(x / \sqrt{2})\right)", "x/2 · (1 + erf(x / √2))"),
    (r"\frac{1}{\beta} \log(1 + e^{\beta x})", "1/β · log(1 + e^(βx))"),
    (r"\tanh x + x (1 - \tanh^2 x)", "tanh x + x (1 - tanh² x)"),
    (r"x_i - \log \sum_j e^{x_j}", "xᵢ - log Σⱼ e^(xⱼ)"),
    (r"\delta_{ij}", "δᵢⱼ"),
    (r"\text{min\_val} \le x", "min_val ≤ x"),
    (r"e^{x / \alpha}", "e^(x/α)"),
    (r"x^{q}", "x^q"),
    (r"\lVert p - x \rVert^2", "‖p - x ‖²"),
    (r"\unknown y", "unknowny"),
    ("", ""),
    ("{", ""),
    (r"\frac{1}", "1/"),
])
def test_renderings(latex, text):
    assert to_unicode(latex) == text
