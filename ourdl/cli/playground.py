"""``ourdl playground``: watch a network learn, live in the browser, every unit and activation visible.

Starts a local server (127.0.0.1 unless ``--host`` says otherwise) and opens its page; the
training runs here, in Python on ourdl, and the page draws what the server streams.
"""

from __future__ import annotations

import importlib

from .common import CommandError
from .options import PORT


def run(args) -> int:
    from ..playground import PRESETS, serve

    for name in args.imports:
        try:
            importlib.import_module(name)  # registers the user's activations in the catalog
        except ImportError as error:
            raise CommandError(f"--import {name}: {error}") from None
    query = ""
    if args.preset:
        if args.preset not in PRESETS:
            raise CommandError(f"--preset: unknown lesson {args.preset!r}; choose one of {', '.join(PRESETS)}")
        query = PRESETS[args.preset]["query"]
    try:
        serve(args.host, args.port, open_browser=not args.no_browser, query=query)
    except OSError as error:
        raise CommandError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}") from None
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "playground", help="watch a network learn, live in the browser (a local server)",
        description="Serve TF Playground's controls with ourdl's engine behind them: any activation of the catalog "
                    "per layer, optimisers, initialisations, each unit's activation curve with its pre-activations, "
                    "dead units, gradient norms per layer, lessons, and export as a script or safetensors.")
    parser.add_argument("--port", type=PORT, default=8765, help="port to listen on (default 8765; 0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, this computer only; any other address needs "
                             "the printed link with its access token)")
    parser.add_argument("--no-browser", action="store_true", help="print the address instead of opening a browser")
    parser.add_argument("--preset", metavar="LESSON", help="open a lesson: relu-dies, leaky-escapes, deep-sigmoid, "
                                                           "xavier-deep-relu, kaiming-deep-relu, selu-keeps-variance")
    parser.add_argument("--import", dest="imports", action="append", default=[], metavar="MODULE",
                        help="import MODULE first (it may register activations with ourdl.activations.register)")
    parser.set_defaults(run=run)
