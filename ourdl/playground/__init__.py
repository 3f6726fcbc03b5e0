"""The playground: watch a network learn, live in the browser, with every unit and every activation visible.

``ourdl playground`` (or :func:`serve`) starts a local server; its page has TF Playground's
controls and draws what the server streams, while the training runs here on ourdl.
:mod:`~ourdl.playground.settings` reads and writes the state held in the page's address,
:mod:`~ourdl.playground.run` trains, :mod:`~ourdl.playground.frames` computes what is drawn,
:mod:`~ourdl.playground.sessions` keeps one run per tab, :mod:`~ourdl.playground.server`
serves it all, :mod:`~ourdl.playground.export` writes a run as a script and as safetensors.

>>> from ourdl.playground import Run, parse
>>> run = Run(parse("dataset=xor&networkShape=4&points=80"))
>>> run.train(5); run.step
5
"""

from .export import script, weights
from .presets import PRESETS
from .run import Run
from .server import make_server, serve
from .settings import Settings, SettingsError, parse, to_query

__all__ = ["PRESETS", "Run", "Settings", "SettingsError", "make_server", "parse", "script", "serve", "to_query",
           "weights"]
