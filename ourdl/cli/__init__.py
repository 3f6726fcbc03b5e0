"""The ``ourdl`` command: ``ourdl --help`` lists the subcommands.

Each subcommand lives in its own module here and registers itself with
:func:`main`'s parser through a ``register(subparsers)`` function.
"""

from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from . import activations, demo, fit, graph, info, lab, playground, train
from .common import CommandError

COMMANDS = [info, activations, fit, train, graph, demo, lab, playground]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ourdl", description="ourdl: see how neural networks really work.")
    parser.add_argument("--version", action="version", version=f"ourdl {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 0
    try:
        return args.run(args) or 0
    except CommandError as error:
        print(f"ourdl {args.command}: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the output went into a pipe that closed early (``ourdl activations list | head``)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
