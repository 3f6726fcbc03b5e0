"""``ourdl lab list`` and ``ourdl lab run``."""

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
