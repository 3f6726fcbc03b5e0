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
    """A matplotlib figure with a file stem (``name``) and a caption; the report saves it as ``name.png``.

    >>> import tempfile
    >>> import matplotlib.figure
    >>> from ourdl.lab import write_report
    >>> fig = matplotlib.figure.Figure(figsize=(3, 2))
    >>> _ = fig.subplots().plot([0, 1], [0, 1])
    >>> result = Result("a line", {"slope": 1.0}, figures=[Figure("line", "y = x", fig)])
    >>> [p.name for p in write_report(result, tempfile.mkdtemp())]
    ['line.png', 'report.md', 'report.html', 'values.json']
    """

    name: str
    caption: str
    figure: Any


@dataclass
class Result:
    """The outcome of one experiment run.

    ``values`` holds every measured number (JSON-friendly, fully determined by
    the seed: the same seed gives equal ``values``); ``timings`` holds the
    wall-clock measurements, which vary between runs and machines. The
    experiment's name, claim, source, root seed, number of seeds, ``quick`` flag and the
    failed runs are filled in by :meth:`ourdl.lab.Experiment.run`. ``verdicts`` holds the
    claim's :class:`~ourdl.lab.statistics.Verdict` objects, judged over the seeds.

    >>> result = Result("relu wins", {"loss": {"relu": 0.25, "tanh": 0.5}},
    ...                 [Table("Loss", ["activation", "loss"], [["relu", 0.25], ["tanh", 0.5]])])
    >>> result.values["loss"]["relu"], len(result.tables), result.figures
    (0.25, 1, [])
    >>> result.name, result.seed = "demo", 3
    >>> result.command
    'ourdl lab run demo --seed 3 --seeds 1 -o DIR'
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
    seeds: int = 1
    verdicts: list = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def command(self) -> str:
        """The command line that reproduces this run (``DIR`` is any output folder)."""
        quick = " --quick" if self.quick else ""
        return f"ourdl lab run {self.name} --seed {self.seed} --seeds {self.seeds}{quick} -o DIR"
