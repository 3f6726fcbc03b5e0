"""The benchmark harness: fresh processes, thread settings, best-of-bests ratios and the table."""

import os
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from harness import Contender, Result, Row, compare, format_table, geometric_mean, run_process  # noqa: E402

HERE = "tests.benchmarks.test_harness"


def sleeper(ms: float = 1.0, threads_expected: str | None = None):
    """A contender: checks the thread settings it was started with, then each call sleeps ``ms``."""
    if threads_expected is not None:
        assert os.environ["OMP_NUM_THREADS"] == os.environ["OPENBLAS_NUM_THREADS"] == threads_expected

    def step():
        time.sleep(ms / 1000)

    return step


def test_run_process_measures_in_a_fresh_process_with_thread_settings():
    m = run_process(Contender(f"{HERE}:sleeper", {"ms": 2.0, "threads_expected": "1"}), threads=1, warmup=1,
                    repeats=3, memory=True)
    assert 0.002 <= m["best"] < 0.05 and len(m["times"]) == 3
    assert m["max_rss_mb"] > 1 and m["traced_peak_mb"] is not None


def test_worker_failure_is_reported_with_its_traceback():
    with pytest.raises(RuntimeError, match="AssertionError"):
        run_process(Contender(f"{HERE}:sleeper", {"threads_expected": "7"}), threads=1, warmup=0, repeats=1)


def test_compare_alternates_and_ratio_of_bests():
    row = compare({"ourdl": Contender(f"{HERE}:sleeper", {"ms": 6.0}), "torch": Contender(f"{HERE}:sleeper", {"ms": 2.0})},
                  rounds=2, warmup=1, repeats=2, threads=1, label="sleep")
    assert len(row.results["ourdl"].bests) == 2
    best, median = row.ratio()
    assert 1.5 < best < 4.5 and 1.0 < median < 6


def test_table_has_ratios_and_geometric_mean():
    rows = [Row("a", {"ourdl": Result("ourdl", [2.0, 3.0], [10.0]), "torch": Result("torch", [1.0, 1.0], [20.0])}),
            Row("b", {"ourdl": Result("ourdl", [0.5], [10.0]), "torch": Result("torch", [1.0], [20.0])})]
    text = format_table(rows, title="demo", memory=True)
    assert "2.000" in text and "0.500" in text and "geometric mean" in text and "MB ourdl" in text
    assert geometric_mean([2.0, 0.5]) == pytest.approx(1.0)
