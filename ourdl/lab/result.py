"""What an experiment hands back: measured values, tables and figures, and how to reproduce them."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from typing import Any

from ..rich_display import html_table


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

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        return buffer.getvalue()


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

    def _repr_html_(self) -> str:
        """The report inline: claim, what was measured, how to reproduce it, every table and figure."""
        esc = html.escape
        parts = [f"<h3>{esc(self.title or self.name or 'Result')}</h3>"]
        if self.verdicts:  # the verdicts first, as the written reports open with them
            parts.append("<ul>" + "".join(f"<li><b>{esc(v.outcome.value)}</b>: {esc(v.line().split(': ', 1)[1])}</li>"
                                          for v in self.verdicts) + "</ul>")
        parts += [f"<p><b>{label}.</b> {esc(text)}</p>" for label, text in
                  (("Claim", self.claim), ("Measured", self.summary)) if text]
        parts.append(f"<p><b>Reproduce.</b> <code>{esc(self.command)}</code>"
                     f"{' (quick run)' if self.quick else ''}</p>")
        parts += [html_table(t.columns, t.rows, caption=t.title) + (f"<p>{esc(t.note)}</p>" if t.note else "")
                  for t in self.tables]
        parts += [f'<figure><img style="max-width:100%" alt="{esc(f.caption)}" src="data:image/png;base64,'
                  f'{base64.b64encode(f._repr_png_()).decode()}"><figcaption>{esc(f.caption)}</figcaption></figure>'
                  for f in self.figures]
        return "\n".join(parts)
