"""What an experiment hands back: measured values, tables and figures, and how to reproduce them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    """A titled table of measured numbers, written into the report as Markdown and HTML.

    >>> Table("Loss", ["activation", "loss"], [["relu", 0.25]]).rows[0]
    ['relu', 0.25]
    """

    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""


@dataclass
class Figure:
    """A matplotlib figure with a file stem (``name``) and a caption; the report saves it as ``name.png``."""

    name: str
    caption: str
    figure: Any


@dataclass
class Result:
    """The outcome of one experiment run.

    ``values`` holds every measured number (JSON-friendly, fully determined by
    the seed: the same seed gives equal ``values``); ``timings`` holds the
    wall-clock measurements, which vary between runs and machines. The
    experiment's name, claim, source, seed and ``quick`` flag are filled in by
    :meth:`ourdl.lab.Experiment.run`.
    """

    summary: str
    values: dict[str, Any]
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    timings: dict[str, Any] = field(default_factory=dict)
    name: str = ""
    title: str = ""
    claim: str = ""
    source: str = ""
    seed: int = 0
    quick: bool = False

    @property
    def command(self) -> str:
        """The command line that reproduces this run (``DIR`` is any output folder)."""
        return f"ourdl lab run {self.name} --seed {self.seed}{' --quick' if self.quick else ''} -o DIR"
