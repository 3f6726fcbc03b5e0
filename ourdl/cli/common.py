"""What every ``ourdl`` command shares: ``--seed``, ``-o/--out``, and errors that say what would be right.

Every file a command writes without being told where goes into one folder,
:data:`OUTPUT_DIR` (``ourdl-out/`` in the current folder), so one line of
``.gitignore`` keeps a project clean; ``-o`` puts it anywhere else.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

from .. import activations
from .options import SEED

OUTPUT_DIR = Path("ourdl-out")


class CommandError(Exception):
    """A mistake in the command line; ``ourdl`` prints it after the command's name and exits with status 2."""


def add_seed(parser, default: int = 0, note: str = "") -> None:
    parser.add_argument("--seed", type=SEED, default=default,
                        help=f"random seed from 0 to 2**32-1, for results you can reproduce (default {default}{note})")


def interactive() -> bool:
    """Whether progress bars may be drawn: only when stderr is a terminal, so a log gets lines, not bar redraws."""
    return sys.stderr.isatty()


def default_out(name: str) -> str:
    """``name`` inside :data:`OUTPUT_DIR`: where a command writes when ``-o`` is not given.

    >>> default_out("fit.png")
    'ourdl-out/fit.png'
    """
    return (OUTPUT_DIR / name).as_posix()


def add_out(parser, default: str, what: str) -> None:
    """``-o/--out``, by default ``default`` inside :data:`OUTPUT_DIR`."""
    default = default_out(default)
    parser.add_argument("-o", "--out", default=default, help=f"{what} (default {default})")


def choose(kind: str, name: str, valid) -> str:
    """``name`` if it is one of ``valid``, else a :class:`CommandError` listing them (and the closest match)."""
    valid = list(valid)
    if name in valid:
        return name
    close = difflib.get_close_matches(name, valid, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise CommandError(f"unknown {kind} {name!r}.{hint} Valid {kind} names: {', '.join(valid)}")


def activation_names() -> list[str]:
    """The catalog's names, in its order."""
    return [entry.name for entry in activations.catalog()]


def activation(name: str):
    """The catalog entry ``name`` (or an alias), or a :class:`CommandError` listing every activation."""
    try:
        return activations.get(name)
    except KeyError:
        choose("activation", name, activation_names())
        raise


def layer_activation(name: str):
    """The catalog entry ``name`` when it makes a layer without arguments (what a network built here needs).

    ``threshold``, like PyTorch's ``nn.Threshold``, needs its parameters: a :class:`CommandError` says so.

    >>> layer_activation("gelu").name
    'gelu'
    """
    entry = activation(name)
    try:
        entry.module()
    except TypeError:
        required = ", ".join(dict(entry.parameters))
        raise CommandError(f"activation {entry.name!r} needs its parameters ({required}) to make a layer, which "
                           "this command does not pass; choose another, e.g. relu") from None
    return entry


def integers(text: str, what: str) -> list[int]:
    """``"128,64"`` → ``[128, 64]``, with a clear error for anything else."""
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise CommandError(f"{what} should be integers separated by commas, like 128,64; got {text!r}") from None


def output(path, suffixes, option: str = "-o/--out") -> str:
    """``path`` if it ends in one of ``suffixes``, else a :class:`CommandError` naming them."""
    if Path(path).suffix.lower() not in suffixes:
        raise CommandError(f"{option} {path}: cannot write that kind of file; use {', '.join(suffixes)}")
    return path


class Interrupted(Exception):
    """Ctrl-C stopped a command after it saved what it could; the message says what was kept and how to go on."""
