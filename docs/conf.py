"""Sphinx configuration: MyST Markdown pages, notebooks executed at build time (myst-nb), API pages from the
docstrings (autodoc), math typeset by the vendored KaTeX. Everything the site needs is in it: it works offline."""

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path[:0] = [str(DOCS.parent), str(DOCS / "_ext")]
os.environ["OURDL_PROGRESS"] = "off"        # notebooks print their per-epoch lines; a bar's frames mean nothing here
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(DOCS.parent), os.environ.get("PYTHONPATH")]))

from ourdl import __version__ as release  # noqa: E402
from ourdl.activations.registry import Activation  # noqa: E402

project = "ourdl"
author = "the ourdl authors"
copyright = "ourdl's authors, MIT licence"
version = release

extensions = ["myst_nb", "sphinx.ext.autodoc", "katex_math"]
html_math_renderer = "katex"
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["myst.header", "misc.highlighting_failure"]

nb_execution_mode = "force"              # every build runs the tutorials: the pages show what the code does today
nb_execution_timeout = 600
nb_execution_raise_on_error = True
nb_execution_in_temp = True
nb_output_stderr = "remove"
nb_render_markdown_format = "myst"       # Markdown outputs (a catalog entry) with their $$ formulas typeset
nb_ipywidgets_js = {}                    # no widget manager from a CDN: the site stays offline
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None),
                              ("html", "application/vnd.jupyter.widget-state+json", None)]

autodoc_default_options = {"undoc-members": False, "show-inheritance": False}
autodoc_member_order = "bysource"
autodoc_typehints = "description"

html_theme = "alabaster"
html_title = f"ourdl {release}"
html_static_path = ["_static"]
html_css_files = ["ourdl.css"]
html_theme_options = {"description": "Deep learning on NumPy, to see how it works", "page_width": "1100px",
                      "sidebar_width": "230px", "fixed_sidebar": True}
html_sidebars = {"**": ["about.html", "navigation.html", "searchbox.html"]}
html_show_sourcelink = False


def skip_catalog_entries(app, what, name, obj, skip, options):
    """Leave out class attributes holding a catalog entry (``nn.ELU.activation``): the entry has its own page."""
    return True if isinstance(obj, Activation) else skip


def setup(app):
    app.connect("autodoc-skip-member", skip_catalog_entries)
