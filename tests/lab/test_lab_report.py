"""The report writer: Markdown and HTML with the claim, the command, tables and figures."""

import json

from matplotlib.figure import Figure as MplFigure

from ourdl.lab import Figure, Result, Table, write_report


def _result():
    fig = MplFigure()
    fig.subplots().plot([0, 1], [1, 0])
    result = Result("the loss fell", {"loss": [1.0, 0.5]},
                    [Table("Loss | by step", ["step", "|x| loss"], [[1, 1.0], [2, 0.123456]], note="a note")],
                    [Figure("curve", "the curve", fig)], {"seconds": 1.5})
    result.name, result.title, result.claim, result.source, result.seed = "demo", "Demo", "Loss falls", "Doe 2020", 7
    return result


def test_report_files_hold_claim_command_tables_and_images(tmp_path):
    paths = write_report(_result(), tmp_path / "out")
    assert sorted(p.name for p in paths) == ["curve.png", "report.html", "report.md", "values.json"]
    md = (tmp_path / "out" / "report.md").read_text()
    assert "Loss falls" in md and "Doe 2020" in md and "`ourdl lab run demo --seed 7 --seeds 1 -o DIR`" in md
    assert "| step | \\|x\\| loss |" in md and "| 2 | 0.1235 |" in md
    assert "![the curve](curve.png)" in md
    page = (tmp_path / "out" / "report.html").read_text()
    assert '<img src="curve.png"' in page and "<td>0.1235</td>" in page and "Loss | by step" in page
    assert (tmp_path / "out" / "curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    saved = json.loads((tmp_path / "out" / "values.json").read_text())
    assert saved["values"] == {"loss": [1.0, 0.5]} and saved["seed"] == 7 and saved["timings"] == {"seconds": 1.5}


def test_quick_runs_say_so_in_the_command():
    result = _result()
    result.quick = True
    assert result.command == "ourdl lab run demo --seed 7 --seeds 1 --quick -o DIR"
