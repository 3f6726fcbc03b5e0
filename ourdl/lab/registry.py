"""The registry of experiments: each one a claim from the literature, its source, and how to measure and judge it.

An experiment is a *trial* (one seeded run at one point of its grid, returning numbers), its
*grid* and number of seeds (for quick and full runs), and an *analysis* that turns the sweep's
rows into a :class:`Result` whose verdicts say whether the claim held over the seeds.
:meth:`Experiment.run` runs the sweep (:func:`ourdl.lab.sweep.sweep`) and the analysis.

>>> from ourdl import lab
>>> "self_normalisation" in [e.name for e in lab.catalog()]
True
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from typing import Callable

from .. import activations
from .result import Result
from .statistics import Verdict
from .sweep import seeded, spawn_seeds, sweep

_REGISTRY: dict[str, "Experiment"] = {}


@dataclass(frozen=True)
class Experiment:
    """One lab experiment.

    ``trial(seed=..., quick=..., **point)`` measures one run and returns JSON-friendly numbers;
    ``grid(quick)`` gives the points (name -> list of values); ``seeds`` is the number of seeds of a
    quick and of a full run; ``analyse(rows, quick)`` makes the :class:`Result` from the sweep's rows
    (one per point and seed, see :mod:`ourdl.lab.results_table`).

    >>> double = Experiment("double", "Doubling", "2 x 21 = 42", "arithmetic",
    ...                     trial=lambda seed, quick, x: {"product": 2 * x}, grid=lambda quick: {"x": [21]},
    ...                     seeds=(1, 2), analyse=lambda rows, quick: Result("done", rows[0]["metrics"]))
    >>> result = double.run(seed=1, quick=True)
    >>> result.values, result.claim
    ({'product': 42}, '2 x 21 = 42')
    >>> result.command
    'ourdl lab run double --seed 1 --seeds 1 --quick -o DIR'
    """

    name: str
    title: str
    claim: str
    source: str
    trial: Callable[..., dict]
    grid: Callable[[bool], dict]
    seeds: tuple[int, int]
    analyse: Callable[[list[dict], bool], Result]

    def run(self, seed: int = 0, quick: bool = False, seeds: int | None = None, jobs: int = 1,
            cluster: str | None = None, table=None, progress: bool = False, grid: dict | None = None,
            log_dir=None) -> Result:
        """Run the sweep of trials and analyse it; ``quick=True`` takes seconds, the default minutes.

        ``seed`` is the root of the runs' seeds (``SeedSequence(seed).spawn``); ``seeds`` overrides the
        experiment's number of seeds; ``jobs``, ``cluster``, ``table`` and ``progress`` go to
        :func:`~ourdl.lab.sweep.sweep`; ``grid`` replaces some of the grid's lists (its keys must be the
        grid's); ``log_dir`` writes each run's TensorBoard logs in a subfolder (for experiments that train).
        The result is the same whatever ``jobs`` and ``cluster`` are.
        """
        n = self.seeds[0 if quick else 1] if seeds is None else seeds
        points = self.grid(quick)
        for key in grid or {}:
            if key not in points:
                raise ValueError(f"lab: unknown grid key {key!r} for {self.name}; its grid has "
                                 f"{', '.join(points) or 'no keys'}")
        points = {**points, **(grid or {})}
        known = [entry.name for entry in activations.catalog()]
        for name in points.get("activation", ()):
            if name not in known:
                close = difflib.get_close_matches(str(name), known, n=1)
                raise ValueError(f"lab: unknown activation {name!r}" + (f"; did you mean {close[0]!r}?" if close else
                                                                         f"; known: {', '.join(known)}"))
        _FIRST.clear()
        rows = sweep(functools.partial(self.trial, quick=quick), points, spawn_seeds(n, seed), n_jobs=jobs,
                     cluster=cluster, table=table, experiment=self.name + (" quick" if quick else ""),
                     progress=progress, log_dir=log_dir)
        result = self.analyse(rows, quick)
        result.name, result.title, result.claim, result.source = self.name, self.title, self.claim, self.source
        result.seed, result.quick, result.seeds = seed, quick, n
        result.failed = [f"{r['params']} seed {r['seed']}: {r['error']}" for r in rows if r["status"] != "ok"]
        return result


def register(exp: Experiment) -> Experiment:
    """Add ``exp`` to the catalog (its name must be new)."""
    if exp.name in _REGISTRY:
        raise ValueError(f"lab: an experiment named {exp.name!r} is already registered")
    _REGISTRY[exp.name] = exp
    return exp


# The first Result a sweep measures in this process (the first seed's, when the sweep runs here), kept so that
# the report's tables and figures need not measure it a second time.
_FIRST: dict = {}


def _values_of(measure, seed: int, quick: bool) -> dict:
    result = measure(seed, quick)
    if not _FIRST:
        _FIRST[(measure, seed, quick)] = result
    return result.values


def _analyse_seeds(measure, judge, rows: list[dict], quick: bool) -> Result:
    """The first seed's full result (tables, figures), with verdicts judged from every seed's values."""
    ok = [row for row in rows if row["status"] == "ok"]
    if not ok:
        raise RuntimeError(f"lab: every run failed; the first error: {rows[0]['error']}")
    result = _FIRST.pop((measure, ok[0]["seed"], quick), None)
    if result is None:
        with seeded(ok[0]["seed"]):
            result = measure(ok[0]["seed"], quick)
    result.verdicts = judge([row["metrics"] for row in ok], quick)
    return result


def experiment(name: str, title: str, claim: str, source: str, seeds: tuple[int, int] = (3, 10),
               judge: Callable[[list[dict], bool], list[Verdict]] = lambda values, quick: []):
    """Decorator that registers ``measure(seed, quick) -> Result`` as an experiment replicated over seeds.

    Each seed runs ``measure`` once; ``judge(values, quick)`` gets every seed's ``Result.values`` and
    returns the claim's verdicts; the report shows the first seed's tables and figures.

    >>> @experiment("demo_only", "Demo", "1 + 1 = 2", "arithmetic", seeds=(2, 5))
    ... def demo(seed, quick):
    ...     return Result("measured", {"sum": 1 + 1})
    >>> get("demo_only").run(seed=3).values
    {'sum': 2}
    >>> _ = _REGISTRY.pop("demo_only")
    """

    def decorate(measure):
        register(Experiment(name, title, claim, source, functools.partial(_values_of, measure),
                            lambda quick: {}, seeds, functools.partial(_analyse_seeds, measure, judge)))
        return measure

    return decorate


def swept_experiment(name: str, title: str, claim: str, source: str, grid: Callable[[bool], dict],
                     seeds: tuple[int, int], analyse: Callable[[list[dict], bool], Result]):
    """Decorator that registers ``trial(seed, quick, **point) -> dict`` as an experiment over ``grid(quick)``.

    >>> @swept_experiment("demo_grid", "Demo", "x² grows", "arithmetic", grid=lambda quick: {"x": [1, 2]},
    ...                   seeds=(2, 4), analyse=lambda rows, quick: Result("ok", {"n": len(rows)}))
    ... def demo(seed, quick, x):
    ...     return {"y": x * x}
    >>> get("demo_grid").run(seed=0, quick=True).values  # 2 points x 2 seeds
    {'n': 4}
    >>> _ = _REGISTRY.pop("demo_grid")
    """

    def decorate(trial):
        register(Experiment(name, title, claim, source, trial, grid, seeds, analyse))
        return trial

    return decorate


def catalog() -> list[Experiment]:
    """Every registered experiment, in registration order (as ``ourdl.activations.catalog()`` lists activations).

    >>> [e.name for e in catalog()][:3]
    ['stuck_fits', 'dead_relus', 'gradients']
    """
    return list(_REGISTRY.values())


def get(name: str) -> Experiment:
    """The experiment called ``name``; a clear error lists the known names otherwise.

    >>> get("initialisation").title
    'Initialisation and variance'
    >>> get("nope")
    Traceback (most recent call last):
        ...
    KeyError: "lab: no experiment named 'nope'; known: stuck_fits, dead_relus, ..."
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"lab: no experiment named {name!r}; known: {', '.join(_REGISTRY)}") from None
