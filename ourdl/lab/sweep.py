"""Sweeps: independent seeded runs over a grid, spread over processes or a Dask cluster, streamed into one table.

``sweep(fn, grid, seeds)`` calls ``fn(seed=s, **point)`` for every point of the grid (the
Cartesian product of its lists) and every seed. Seeds come from
``numpy.random.SeedSequence(root).spawn(n)``, so runs are independent and the same root gives
the same runs. Each run seeds ourdl's generator with its seed and computes on one BLAS thread,
so its numbers depend on its grid point and seed only, never on the number of workers. Runs go
to joblib (``n_jobs`` processes) or, through joblib's Dask backend, to a cluster
(``cluster="local"`` or ``"tcp://host:port"``, see :mod:`ourdl.lab.cluster`). With ``table=``
each finished run is added to a JSON-lines table written atomically (:mod:`ourdl.lab.results_table`),
and a sweep run again on the same table computes only the runs that are missing or failed.
A run that raises is recorded with ``status="failed"`` and its error, and the sweep goes on.

>>> def square(seed, x):
...     return {"y": x * x}
>>> rows = sweep(square, {"x": [1, 2]}, seeds=2)
>>> [(r["params"]["x"], r["metrics"]["y"]) for r in rows]
[(1, 1), (1, 1), (2, 4), (2, 4)]
>>> rows[0]["seed"] == spawn_seeds(2)[0]
True
"""

from __future__ import annotations

import collections
import contextlib
import inspect
import itertools
import json
import time
import traceback
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..ops.random import manual_seed
from ..threads import get_num_threads, set_num_threads
from .cluster import backend
from .results_table import TableWriter, as_json, load_rows, run_key


def spawn_seeds(n: int, root: int = 0) -> list[int]:
    """``n`` independent seeds from ``numpy.random.SeedSequence(root).spawn(n)``, as integers for ``manual_seed``.

    >>> spawn_seeds(3, root=0) == spawn_seeds(3, root=0) != spawn_seeds(3, root=1)
    True
    >>> spawn_seeds(2) == spawn_seeds(3)[:2]  # more seeds extend the list, so a sweep can grow
    True
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"lab: the number of seeds must be a positive integer, got {n!r}")
    return [int(child.generate_state(1)[0]) for child in np.random.SeedSequence(int(root)).spawn(int(n))]


def grid_points(grid: dict[str, Sequence]) -> list[dict]:
    """Every point of ``grid`` (a name -> list of values mapping), in the order of the lists; ``{}`` is one point.

    >>> grid_points({"activation": ["relu", "gelu"], "lr": [0.1]})
    [{'activation': 'relu', 'lr': 0.1}, {'activation': 'gelu', 'lr': 0.1}]
    >>> grid_points({"lr": []})
    Traceback (most recent call last):
        ...
    ValueError: lab: the grid has nothing in it: 'lr' lists no value
    """
    for name, values in grid.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
            raise ValueError(f"lab: the grid's {name!r} must be a list of values, got {values!r}")
        if len(values) == 0:
            raise ValueError(f"lab: the grid has nothing in it: {name!r} lists no value")
    names = list(grid)
    return [dict(zip(names, combo)) for combo in itertools.product(*(grid[n] for n in names))]


def _check_keys(fn: Callable, grid: dict) -> None:
    """A grid key that ``fn`` does not take is a mistake to report before any run starts."""
    parameters = inspect.signature(fn).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return
    known = [name for name in parameters if name not in ("seed", "log_dir")]
    unknown = [key for key in grid if key not in known]
    if unknown:
        raise ValueError(f"lab: unknown grid key {unknown[0]!r}; the run takes {', '.join(known) or 'no parameters'}")


@contextlib.contextmanager
def seeded(seed: int):
    """Within the block, ourdl's generator starts from ``seed`` and BLAS runs on one thread (restored after).

    One thread per run: two workers on two cores do not fight, and the numbers do not depend on how
    many threads BLAS had (its sums run in one order).

    >>> import ourdl
    >>> with seeded(5):
    ...     a = ourdl.rand(2)
    >>> with seeded(5):
    ...     bool((a == ourdl.rand(2)).all())
    True
    """
    threads = get_num_threads()
    set_num_threads(1)
    manual_seed(seed)
    try:
        yield
    finally:
        set_num_threads(threads)


def run_folder(log_dir, params: dict, seed: int) -> Path:
    """The folder of one run's logs: ``log_dir/<key=value,...>/seed-<seed>``.

    >>> run_folder("logs", {"activation": "relu", "lr": 0.1}, 7).as_posix()
    'logs/activation=relu,lr=0.1/seed-7'
    """
    point = ",".join(f"{k}={v}" for k, v in params.items()) or "run"
    return Path(log_dir) / "".join(c if c.isalnum() or c in "=,.-_" else "_" for c in point) / f"seed-{seed}"


def run_one(fn: Callable, experiment: str, params: dict, seed: int, log_dir=None) -> dict:
    """One run, as a table row: ``fn(seed=seed, **params)`` on one BLAS thread, after ``manual_seed(seed)``.

    An exception becomes a failed row (``status="failed"``, ``error`` its type, message and last frame).
    With ``log_dir``, ``fn`` also gets ``log_dir=`` the run's own folder (:func:`run_folder`).

    >>> run_one(lambda seed, x: {"twice": 2 * x}, "demo", {"x": 4}, seed=1)["metrics"]
    {'twice': 8}
    >>> run_one(lambda seed: 1 / 0, "demo", {}, seed=1)["error"].splitlines()[0]
    'ZeroDivisionError: division by zero'
    """
    started = time.perf_counter()
    try:
        with seeded(seed):
            extra = {} if log_dir is None else {"log_dir": run_folder(log_dir, params, seed)}
            metrics, status, error = as_json(fn(seed=seed, **params, **extra)), "ok", None
    except Exception as exc:  # the run failed: record why and let the sweep go on
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        metrics, status = {}, "failed"
        error = f"{type(exc).__name__}: {exc}\n  at {Path(frame.filename).name}:{frame.lineno} in {frame.name}"
    return {"experiment": experiment, "params": dict(params), "seed": int(seed), "status": status, "error": error,
            "metrics": metrics, "seconds": time.perf_counter() - started}


def sweep(fn: Callable, grid: dict[str, Sequence], seeds: int | Sequence[int], n_jobs: int = 1,
          cluster: str | None = None, table=None, experiment: str = "", root: int = 0,
          progress: bool = False, log_dir=None) -> list[dict]:
    """Run ``fn(seed=s, **point)`` for every grid point and seed; return one row per run, in grid-then-seed order.

    Args:
        fn: a function of ``seed`` and the grid's keys that returns a dict of JSON-friendly metrics
            (a module-level function, so that worker processes can import it).
        grid: name -> list of values; the runs cover their Cartesian product.
        seeds: how many seeds (spawned from ``root``), or the seeds themselves.
        n_jobs: worker processes (or Dask workers for ``cluster="local"``); 1 runs in this process.
        cluster: ``None`` (joblib's processes), ``"local"`` (a ``dask.distributed.LocalCluster``) or a
            scheduler address ``"tcp://host:port"``.
        table: a JSON-lines file: finished runs are kept there and skipped when the sweep runs again.
        experiment: the name written in each row (and part of each run's identity in the table).
        progress: show a tqdm bar over the runs.
        log_dir: a folder for TensorBoard logs, passed to ``fn`` (which must take ``log_dir``) as each
            run's own subfolder.

    The rows do not depend on ``n_jobs`` or ``cluster``: each run's numbers are fixed by its point and seed.

    >>> import tempfile, pathlib
    >>> table = pathlib.Path(tempfile.mkdtemp()) / "runs.jsonl"
    >>> rows = sweep(lambda seed, lr: {"lr_times_2": 2 * lr}, {"lr": [0.1, 0.3]}, seeds=3, table=table)
    >>> len(rows), rows[-1]["metrics"], len(table.read_text().splitlines())
    (6, {'lr_times_2': 0.6}, 6)
    """
    seed_list = spawn_seeds(seeds, root) if isinstance(seeds, (int, np.integer)) else [int(s) for s in seeds]
    if not seed_list:
        raise ValueError("lab: a sweep needs at least one seed")
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs < 1:
        raise ValueError(f"lab: n_jobs must be a positive integer, got {n_jobs!r}")
    _check_keys(fn, grid)
    if log_dir is not None and "log_dir" not in inspect.signature(fn).parameters:
        raise ValueError("lab: this sweep's runs write no logs (their function takes no log_dir)")
    runs = [(point, seed) for point in grid_points(grid) for seed in seed_list]
    kept = [r for r in load_rows(table) if r["status"] == "ok"] if table is not None else []  # failed runs run again
    done = {run_key(r["experiment"], r["params"], r["seed"]): r for r in kept}
    missing = [(p, s) for p, s in runs if run_key(experiment, p, s) not in done]
    if missing:
        fresh = _run_all(fn, experiment, missing, n_jobs, cluster, table, kept, progress, log_dir)
        done.update((run_key(r["experiment"], r["params"], r["seed"]), r) for r in fresh)
    return [done[run_key(experiment, p, s)] for p, s in runs]


def batch_size(runs: list, workers: int) -> int:
    """How many consecutive runs a worker process takes at once: a grid point's seeds, but at least two batches
    per worker, so that the last batches still spread over the workers.

    Runs come grid point by grid point, so a batch is (mostly) one point's: its activation's kernels are
    compiled or loaded by one worker instead of all, which is what a second process costs beyond its runs.

    >>> runs = [({"activation": a}, seed) for a in ("relu", "gelu", "tanh", "elu") for seed in range(4)]
    >>> batch_size(runs, 2), batch_size(runs, 4), batch_size(runs[:3], 2)
    (4, 2, 1)
    """
    seeds = collections.Counter(json.dumps(point, sort_keys=True) for point, _ in runs)
    return max(1, min(max(seeds.values()), len(runs) // (2 * workers)))


def _run_all(fn, experiment, runs, n_jobs, cluster, table, kept, progress, log_dir) -> list[dict]:
    """Run ``runs`` and return their rows, adding each to ``table`` (after the ``kept`` rows) as it finishes.

    A worker process that dies (a crash, not an exception of the run, which :func:`run_one` records)
    takes joblib's pool down with it: the runs left are then run one at a time, so that the one
    that crashes again is recorded as failed and the others finish.

    Worker processes take the runs of one grid point together (:func:`batch_size`): a worker then
    loads the compiled kernels of the activations of its own points, not of every point.
    """
    from joblib import Parallel, delayed  # deferred: each takes about a quarter of a second to import,
    from tqdm.auto import tqdm           # and import ourdl.lab need not pay for them

    rows = []
    writer = TableWriter(table, kept) if table is not None else None

    def add(row):
        rows.append(row)
        if writer is not None:
            writer.add(row)
        bar.update()

    with backend(n_jobs, cluster) as (name, workers), \
            tqdm(total=len(runs), desc=experiment or "sweep", unit="run", disable=not progress) as bar:
        jobs = (delayed(run_one)(fn, experiment, point, seed, log_dir) for point, seed in runs)
        batch = batch_size(runs, workers) if name == "loky" else 1
        try:
            for row in Parallel(n_jobs=workers, backend=name, return_as="generator_unordered", batch_size=batch,
                                pre_dispatch=f"{2 * batch}*n_jobs")(jobs):
                add(row)
        except Exception:  # run_one catches the runs' own errors: what reaches here is a worker's death
            finished = {run_key(r["experiment"], r["params"], r["seed"]) for r in rows}
            for point, seed in runs:
                if run_key(experiment, point, seed) in finished:
                    continue
                try:
                    add(Parallel(n_jobs=workers, backend=name)([delayed(run_one)(fn, experiment, point, seed,
                                                                                 log_dir)])[0])
                except Exception as error:  # this run's worker died again: it is the run that kills it
                    add({"experiment": experiment, "params": dict(point), "seed": int(seed), "status": "failed",
                         "error": f"the worker running it died: {type(error).__name__}: {error}".strip(),
                         "metrics": {}, "seconds": float("nan")})
    return rows
