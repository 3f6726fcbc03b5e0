"""``ourdl lab list`` and ``ourdl lab run``."""

import pytest

from ourdl import lab
from ourdl.cli import main


def test_list_names_every_experiment(capsys):
    assert main(["lab", "list"]) == 0
    out = capsys.readouterr().out
    for e in lab.catalog():
        assert e.name in out
    assert "Klambauer" in out


def test_run_writes_a_report(tmp_path, capsys):
    assert main(["lab", "run", "initialisation", "--quick", "--seed", "3", "--seeds", "2", "--no-progress",
                 "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "report written to" in out and "(quick run):" in out or "supported:" in out
    assert "ourdl lab run initialisation --seed 3 --seeds 2 --quick -o DIR" in (tmp_path / "report.md").read_text()
    assert len((tmp_path / "runs-quick.jsonl").read_text().splitlines()) == 2
    assert (tmp_path / "ratio.png").exists()


def test_unknown_experiment_is_a_clear_error(capsys):
    assert main(["lab", "run", "self_normalization", "--quick"]) == 2
    assert "Did you mean 'self_normalisation'" in capsys.readouterr().err


@pytest.mark.parametrize("argv, message", [
    (["--grid", "activation=gelu,rleu"], "unknown activation 'rleu'; did you mean 'relu'?"),
    (["--grid", "depth=3"], "unknown grid key 'depth' for dead_relus; its grid has activation, lr"),
    (["--grid", "lr="], "the grid has nothing in it: 'lr' lists no value"),
    (["--grid", "lr"], "write KEY=VALUE"),
    (["--seeds", "0"], "argument --seeds: must be an integer from 1 to 10000, got 0"),
    (["--jobs", "0"], "argument --jobs: must be an integer from 1 to 1024, got 0"),
])
def test_bad_sweeps_are_one_line_errors(argv, message, tmp_path, capsys):
    assert main(["lab", "run", "dead_relus", "--quick", "-o", str(tmp_path)] + argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_corrupt_table_is_a_one_line_error(tmp_path, capsys):
    (tmp_path / "runs-quick.jsonl").write_text("{not json\n")
    assert main(["lab", "run", "dead_relus", "--quick", "-o", str(tmp_path)]) == 2
    assert "is corrupt at line 1" in capsys.readouterr().err
