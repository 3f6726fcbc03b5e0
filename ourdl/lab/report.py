"""Write a :class:`~ourdl.lab.Result` as a report: ``report.md``, ``report.html``, one PNG per figure, ``values.json``.

>>> import tempfile, pathlib
>>> from ourdl.lab import Result, Table, write_report
>>> result = Result("one line", {"x": 1}, [Table("T", ["a"], [[1.5]])])
>>> paths = write_report(result, tempfile.mkdtemp())
>>> sorted(p.name for p in paths)
['report.html', 'report.md', 'values.json']
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from .result import Result, Table


def format_value(value) -> str:
    """A table cell: floats with 4 significant digits, everything else as ``str``."""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _markdown_cell(value) -> str:
    return format_value(value).replace("|", "\\|")


def _markdown_table(table: Table) -> str:
    lines = [f"### {table.title}", ""]
    lines.append("| " + " | ".join(_markdown_cell(c) for c in table.columns) + " |")
    lines.append("|" + "|".join("---" for _ in table.columns) + "|")
    lines += ["| " + " | ".join(_markdown_cell(v) for v in row) + " |" for row in table.rows]
    if table.note:
        lines += ["", table.note]
    return "\n".join(lines)


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(format_value(v))}</td>" for v in row) + "</tr>" for row in table.rows
    )
    note = f"<p>{html.escape(table.note)}</p>" if table.note else ""
    return f"<h3>{html.escape(table.title)}</h3><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"


def markdown(result: Result) -> str:
    """The report as Markdown; figures are linked as ``name.png`` beside it."""
    parts = [f"# {result.title or result.name}"]
    if result.verdicts:
        parts.append("**Verdict.**\n\n" + "\n".join(f"- **{v.outcome.value}**: {v.line().split(': ', 1)[1]}"
                                                   for v in result.verdicts))
    parts += [
        f"**Reproduce.** `{result.command}` (root seed {result.seed}, {result.seeds} seed(s)"
        f"{', quick run' if result.quick else ''})",
        f"**Claim.** {result.claim}",
        f"**Source.** {result.source}",
        f"**Measured.** {result.summary}",
    ]
    if result.failed:
        parts.append(f"**Failed runs ({len(result.failed)}).**\n\n" + "\n".join(f"- `{f}`" for f in result.failed))
    parts += [_markdown_table(t) for t in result.tables]
    parts += [f"![{f.caption}]({f.name}.png)\n\n*{f.caption}*" for f in result.figures]
    if result.timings:
        parts.append("Wall-clock timings (vary between runs and machines): "
                     + ", ".join(f"{k} = {format_value(v)}" for k, v in result.timings.items()))
    return "\n\n".join(parts) + "\n"


_STYLE = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
          "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}"
          "th{background:#eee}img{max-width:100%}code{background:#f4f4f4;padding:.1em .3em}")


def html_page(result: Result) -> str:
    """The report as one self-contained HTML page that shows the PNG figures beside it."""
    esc = html.escape
    parts = [f"<h1>{esc(result.title or result.name)}</h1>"]
    if result.verdicts:
        parts.append("<p><b>Verdict.</b></p><ul>" + "".join(
            f"<li><b>{esc(v.outcome.value)}</b>: {esc(v.line().split(': ', 1)[1])}</li>" for v in result.verdicts)
            + "</ul>")
    parts += [
        f"<p><b>Reproduce.</b> <code>{esc(result.command)}</code> (root seed {result.seed}, {result.seeds} seed(s)"
        f"{', quick run' if result.quick else ''})</p>",
        f"<p><b>Claim.</b> {esc(result.claim)}</p>",
        f"<p><b>Source.</b> {esc(result.source)}</p>",
        f"<p><b>Measured.</b> {esc(result.summary)}</p>",
    ]
    if result.failed:
        parts.append(f"<p><b>Failed runs ({len(result.failed)}).</b></p><ul>"
                     + "".join(f"<li><code>{esc(f)}</code></li>" for f in result.failed) + "</ul>")
    parts += [_html_table(t) for t in result.tables]
    parts += [f'<figure><img src="{esc(f.name)}.png" alt="{esc(f.caption)}"><figcaption>{esc(f.caption)}'
              "</figcaption></figure>" for f in result.figures]
    if result.timings:
        parts.append("<p>Wall-clock timings (vary between runs and machines): "
                     + esc(", ".join(f"{k} = {format_value(v)}" for k, v in result.timings.items())) + "</p>")
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{esc(result.title or result.name)}'
            f"</title><style>{_STYLE}</style></head><body>\n{body}\n</body></html>\n")


def write_report(result: Result, out_dir) -> list[Path]:
    """Write the report files into ``out_dir`` (created if needed); returns their paths.

    Each figure is saved as ``<name>.png``.

    >>> import tempfile
    >>> result = Result("one row", {"loss": 0.25}, [Table("Loss", ["activation", "loss"], [["relu", 0.25]])])
    >>> result.name, result.title = "demo", "A demo"
    >>> paths = write_report(result, tempfile.mkdtemp())
    >>> [p.name for p in paths]
    ['report.md', 'report.html', 'values.json']
    >>> print(paths[0].read_text().splitlines()[0])
    # A demo
    >>> "| relu | 0.25 |" in paths[0].read_text()
    True
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for figure in result.figures:
        path = out / f"{figure.name}.png"
        figure.figure.savefig(path, dpi=100, bbox_inches="tight")
        paths.append(path)
    for name, text in (("report.md", markdown(result)), ("report.html", html_page(result)),
                       ("values.json", json.dumps({"command": result.command, "seed": result.seed,
                                                   "seeds": result.seeds, "quick": result.quick,
                                                   "verdicts": [v.as_dict() for v in result.verdicts],
                                                   "failed": result.failed, "values": result.values,
                                                   "timings": result.timings}, indent=1))):
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
