"""Progress bars that suit where they are shown: a widget in Jupyter when ipywidgets is there, text elsewhere.

``tqdm.auto`` makes the same choice but warns ("IProgress not found") in a
notebook without ipywidgets; :func:`progress_bar` falls back to the text bar
silently, so ``import ourdl`` and a training run print nothing unasked.
The environment variable ``OURDL_PROGRESS`` overrides the choice: ``text``
(the text bar everywhere) or ``off`` (no bars; per-epoch summaries still print),
as a documentation build or a log file wants.
"""

from __future__ import annotations

import importlib.util
import os
import sys

__all__ = ["in_notebook", "progress_bar"]


def in_notebook() -> bool:
    """Whether this Python runs inside a Jupyter kernel (IPython loaded and its app is a kernel).

    >>> in_notebook()      # a doctest runs outside any kernel
    False
    """
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and "IPKernelApp" in shell.config


def progress_bar(iterable=None, **options):
    """A tqdm bar over ``iterable`` (or with ``total=`` and ``update()``): the notebook widget or the text bar.

    ``options`` are tqdm's (``desc``, ``total``, ``disable``, ``leave``, ...).
    tqdm is imported here, on first use, to keep ``import ourdl`` fast.

    >>> bar = progress_bar(range(3), disable=True)
    >>> sum(bar), type(bar).__module__
    (3, 'tqdm.std')
    """
    if os.environ.get("OURDL_PROGRESS") == "off":
        options["disable"] = True
    return bar_class()(iterable, **options)


def bar_class() -> type:
    """``tqdm.notebook.tqdm`` in a kernel with ipywidgets (unless ``OURDL_PROGRESS`` says otherwise), else ``tqdm.std.tqdm``.

    >>> bar_class().__module__
    'tqdm.std'
    """
    if os.environ.get("OURDL_PROGRESS") not in ("text", "off") and in_notebook() \
            and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm
