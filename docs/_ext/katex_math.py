"""Math in the documentation, typeset in the browser by the vendored KaTeX (``_static/katex``): no CDN, no network.

Sphinx's math nodes are written as ``\\(...\\)`` (inline) and ``\\[...\\]``
(display) inside ``span.math``/``div.math``; KaTeX's auto-render turns them
into typeset formulas when the page loads (``_static/katex-render.js``).
"""

from docutils import nodes


def visit_inline(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate"))
    self.body.append(r"\(" + self.encode(node.astext()) + r"\)</span>")
    raise nodes.SkipNode


def visit_block(self, node):
    latex = node.astext()
    if not node.get("nowrap"):
        latex = r"\begin{aligned}" + latex.replace("\n\n", r"\\") + r"\end{aligned}" if "\n\n" in latex else latex
    self.body.append(self.starttag(node, "div", CLASS="math notranslate"))
    self.body.append(r"\[" + self.encode(latex) + r"\]</div>")
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("katex", (visit_inline, None), (visit_block, None))
    app.add_css_file("katex/katex.min.css")
    for script in ("katex/katex.min.js", "katex/auto-render.min.js", "katex-render.js"):
        app.add_js_file(script, defer="defer")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
