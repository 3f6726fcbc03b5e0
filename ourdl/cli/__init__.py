"""The ``ourdl`` command: ``ourdl --help`` lists the subcommands.

Each subcommand lives in its own module here and registers itself with
:func:`main`'s parser through a ``register(subparsers)`` function. No input
ends in a traceback: mistakes in the command line are one line naming what
would be right (exit status 2), Ctrl-C is one line (status 130), and an
unexpected error is one line with a hint (status 1); ``--traceback`` shows
the whole traceback instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from .. import __version__
from . import activations, demo, fit, graph, info, lab, train
from .common import CommandError, Interrupted

COMMANDS = [
    info,
    activations,
    fit,
    train,
    graph,
    demo,
    lab,
]


class Parser(argparse.ArgumentParser):
    """argparse's parser, with a mistake reported in one line (what was wrong and where to read more)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="ourdl", description="ourdl: see how neural networks really work.")
    parser.add_argument("--version", action="version", version=f"ourdl {__version__}")
    parser.add_argument("--traceback", action="store_true",
                        help="on an unexpected error, print Python's whole traceback instead of one line")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 done, 1 failed, 2 bad command line, 130 interrupted)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a mistake argparse has reported in one line
        return stop.code if isinstance(stop.code, int) else 0
    except KeyboardInterrupt:
        return _interrupted("ourdl", "")
    if not getattr(args, "run", None):
        parser.print_help()
        return 0
    name = f"ourdl {args.command}"
    args.argv = [str(word) for word in (sys.argv[1:] if argv is None else argv)]  # to say how to run it again
    try:
        return args.run(args) or 0
    except CommandError as error:
        print(f"{name}: error: {error}", file=sys.stderr)
        return 2
    except Interrupted as stop:
        return _interrupted(name, str(stop))
    except KeyboardInterrupt:
        return _interrupted(name, "")
    except BrokenPipeError:  # the output went into a pipe that closed early (``ourdl activations list | head``)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except MemoryError:
        print(f"{name}: error: out of memory; try smaller sizes", file=sys.stderr)
        return 1
    except Exception as error:  # the last line of defence: one line, not a traceback, unless asked for
        if args.traceback:
            traceback.print_exc()
        else:
            print(f"{name}: error: {_one_line(error)}\n  (run `ourdl --traceback {args.command} ...` to see where "
                  "it happened)", file=sys.stderr)
        return 1


def _interrupted(name: str, detail: str) -> int:
    print(f"\n{name}: interrupted{'; ' + detail if detail else ''}", file=sys.stderr)
    return 130


def _one_line(error: BaseException) -> str:
    """``Type: message`` on one line, at most 300 characters."""
    text = " ".join(str(error).split()) or "(no message)"
    if len(text) > 300:
        text = text[:299] + "…"
    return f"{type(error).__name__}: {text}"
