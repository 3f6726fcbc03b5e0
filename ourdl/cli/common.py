"""What every ``ourdl`` command shares: ``--seed``, ``-o/--out``, and errors that say what would be right."""

from __future__ import annotations

import difflib
from pathlib import Path

from .. import activations


class CommandError(Exception):
    """A mistake in the command line; ``ourdl`` prints it after the command's name and exits with status 2."""


def add_seed(parser, default: int = 0, note: str = "") -> None:
    parser.add_argument("--seed", type=int, default=default,
                        help=f"random seed, for results you can reproduce (default {default}{note})")


def add_out(parser, default: str, what: str) -> None:
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
