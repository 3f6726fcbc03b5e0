"""Sweeps: the same rows on 1 worker, 2 workers and a Dask LocalCluster; a table that resumes; failures recorded."""

import functools
import json
import os
import sys

import numpy as np
import pytest

from ourdl.lab.experiments import dead_relus
from ourdl.lab.results_table import ResultsTableError, load_rows, run_key
from ourdl.lab.sweep import grid_points, spawn_seeds, sweep

CALLS = []


class Killed(BaseException):
    """What stopping the sweep's process (Ctrl-C, a kill) looks like to it: not an error of the run."""


def counted(seed, x):
    CALLS.append((x, seed))
    if x == "stop" and len(CALLS) > 2:
        raise Killed  # the sweep is stopped half-way
    return {"value": float(np.random.default_rng(seed).normal()) + len(str(x))}


def _measured(rows):
    return json.dumps([(r["params"], r["seed"], r["status"], r["metrics"]) for r in rows], sort_keys=True)


@pytest.mark.slow
def test_one_worker_two_workers_and_a_local_cluster_give_identical_rows(tmp_path):
    pytest.importorskip("distributed")
    trial = functools.partial(dead_relus.trial, quick=True)
    grid = {"activation": ["relu", "gelu"], "lr": [1.0]}
    one = sweep(trial, grid, seeds=2, n_jobs=1, experiment="dead")
    two = sweep(trial, grid, seeds=2, n_jobs=2, experiment="dead", table=tmp_path / "two.jsonl")
    dask = sweep(trial, grid, seeds=2, n_jobs=2, cluster="local", experiment="dead")
    assert all(r["status"] == "ok" for r in one) and len(one) == 4
    assert _measured(one) == _measured(two) == _measured(dask)
    assert [r["seed"] for r in one] == spawn_seeds(2) * 2                 # grid-then-seed order
    assert _measured(load_rows(tmp_path / "two.jsonl")) != "" and len(load_rows(tmp_path / "two.jsonl")) == 4
    assert len({r["metrics"]["accuracy"] for r in one}) > 1               # the runs do differ


def test_a_sweep_killed_half_way_resumes_with_the_missing_runs_only(tmp_path):
    table = tmp_path / "runs.jsonl"
    CALLS.clear()
    with pytest.raises(Killed):
        sweep(counted, {"x": ["a", "stop"]}, seeds=2, table=table, experiment="demo")
    assert len(load_rows(table)) == 2 and len(CALLS) == 3                # two finished and saved, the third killed
    CALLS.clear()
    rows = sweep(counted, {"x": ["a", "b"]}, seeds=2, table=table, experiment="demo")
    assert CALLS == [("b", s) for s in spawn_seeds(2)]                    # only the missing runs ran
    assert [r["params"]["x"] for r in rows] == ["a", "a", "b", "b"]
    assert len(load_rows(table)) == 4
    CALLS.clear()
    assert _measured(sweep(counted, {"x": ["a", "b"]}, seeds=2, table=table, experiment="demo")) == _measured(rows)
    assert CALLS == []                                                    # nothing left to run
    CALLS.clear()
    sweep(counted, {"x": ["a", "b"]}, seeds=3, table=table, experiment="demo")
    assert CALLS == [(x, spawn_seeds(3)[2]) for x in "ab"]                # a third seed adds its runs


def test_a_run_that_raises_is_recorded_as_failed_and_the_sweep_goes_on(tmp_path):
    rows = sweep(functools.partial(dead_relus.trial, quick=True), {"activation": ["no_such", "relu"], "lr": [0.1]},
                 seeds=1, table=tmp_path / "runs.jsonl", experiment="dead")
    assert [r["status"] for r in rows] == ["failed", "ok"]
    assert rows[0]["error"].startswith("KeyError") and "no_such" in rows[0]["error"] and rows[0]["metrics"] == {}
    assert rows[1]["metrics"]["accuracy"] > 0
    CALLS.clear()


def test_a_corrupt_table_is_a_clear_error(tmp_path):
    table = tmp_path / "runs.jsonl"
    table.write_text('{"experiment": "demo", "seed": 1}\n')
    with pytest.raises(ResultsTableError, match="corrupt at line 1: a row needs the columns"):
        sweep(counted, {"x": ["a"]}, seeds=1, table=table)
    table.write_text('{"experiment": "demo", "par')
    with pytest.raises(ResultsTableError, match="corrupt at line 1"):
        sweep(counted, {"x": ["a"]}, seeds=1, table=table)


@pytest.mark.parametrize("grid, seeds, message", [
    ({"y": [1]}, 1, "unknown grid key 'y'; the run takes x"),
    ({"x": []}, 1, "the grid has nothing in it: 'x' lists no value"),
    ({"x": "abc"}, 1, "must be a list of values"),
    ({"x": [1]}, 0, "the number of seeds must be a positive integer"),
    ({"x": [1]}, [], "at least one seed"),
])
def test_bad_sweeps_are_clear_errors(grid, seeds, message):
    with pytest.raises(ValueError, match=message):
        sweep(counted, grid, seeds=seeds)


def test_an_unreachable_cluster_is_a_clear_error():
    pytest.importorskip("distributed")
    with pytest.raises(ConnectionError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        sweep(counted, {"x": ["a"]}, seeds=1, cluster="tcp://127.0.0.1:9")
    with pytest.raises(ValueError, match="cluster must be 'local' or a scheduler address"):
        sweep(counted, {"x": ["a"]}, seeds=1, cluster="somewhere")


def test_seeds_are_spawned_and_runs_are_keyed_by_point_and_seed():
    seeds = spawn_seeds(4, root=3)
    assert len(set(seeds)) == 4 and seeds == [int(c.generate_state(1)[0])
                                              for c in np.random.SeedSequence(3).spawn(4)]
    assert grid_points({}) == [{}]
    assert run_key("e", {"b": 1, "a": 2}, 5) == run_key("e", {"a": 2, "b": 1}, 5) != run_key("e", {"a": 2, "b": 1}, 6)


def dies_on_crash(seed, activation):
    if activation == "crash":
        os._exit(3)  # the worker process dies, as on a segfault or the out-of-memory killer
    return {"seed_mod_7": seed % 7}


@pytest.mark.slow
def test_a_worker_that_dies_marks_its_run_failed_and_the_others_finish(tmp_path):
    cloudpickle = pytest.importorskip("cloudpickle")  # what joblib's processes pickle functions with

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module
    try:
        rows = sweep(dies_on_crash, {"activation": ["relu", "crash", "gelu", "elu"]}, seeds=1, n_jobs=2,
                     table=tmp_path / "runs.jsonl", experiment="crash")
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert [r["status"] for r in rows] == ["ok", "failed", "ok", "ok"]
    assert "died" in rows[1]["error"] and rows[0]["metrics"] == {"seed_mod_7": spawn_seeds(1)[0] % 7}
    assert len(load_rows(tmp_path / "runs.jsonl")) == 4


def process_of(seed, activation):
    return {"pid": os.getpid()}


def test_worker_processes_take_a_grid_points_runs_together():
    """Each worker then loads the kernels of its own points' activations only."""
    grid = {"activation": ["relu", "gelu", "tanh", "elu"]}
    rows = sweep(process_of, grid, seeds=4, n_jobs=2)
    for name in grid["activation"]:
        assert len({r["metrics"]["pid"] for r in rows if r["params"]["activation"] == name}) == 1, name
