"""Fair timings of ourdl against PyTorch (or scikit-learn), one fresh process per measurement.

Why it works this way (see BENCHMARKING.md): two frameworks' thread pools in
one process slow each other down, and a shared machine only ever *adds* time.
So every measurement runs in its own subprocess, which warms up, times several
repeats and reports its best; the contenders' processes alternate A B A B for
a number of rounds; and what is reported is the ratio of the best times (ours /
reference), with the ratio of the medians of the per-process bests beside it.

A contender is a function ``module:function`` that takes keyword arguments,
does its set-up (data, model) and returns a zero-argument callable: one timed
repetition. The module is imported from ``benchmarks/`` or the repository root.

Example (``benchmarks/bench_engine.py`` holds ``ourdl_tiny_op`` and ``torch_tiny_op``)::

    from harness import Contender, compare_pair, print_table

    row = compare_pair(
        "tiny op",
        ourdl=Contender("bench_engine:ourdl_tiny_op", number=1000),
        reference=Contender("bench_engine:torch_tiny_op", number=1000),
        rounds=5, threads=2,
    )
    print_table([row], title="engine overhead", reference="torch")

Run a single measurement by hand (prints one JSON line)::

    python benchmarks/harness.py '{"target": "bench_engine:ourdl_tiny_op", "number": 100}'
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
_MARK = "@@harness-result "
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
                    "NUMBA_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


@dataclass(frozen=True)
class Contender:
    """One thing to time: ``target`` is ``"module:function"``; ``function(**kwargs)`` returns the callable to time.

    ``number`` calls of that callable make one repeat (use it for microsecond-scale work);
    times are reported per call.
    """

    target: str
    kwargs: dict = field(default_factory=dict)
    number: int = 1


@dataclass
class Result:
    """The per-process best times (seconds per call) of one contender, and its peak memory."""

    name: str
    bests: list = field(default_factory=list)
    max_rss_mb: list = field(default_factory=list)
    traced_peak_mb: list = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.bests)

    @property
    def median(self) -> float:
        return statistics.median(self.bests)


@dataclass
class Row:
    """One line of a comparison table: a label and a :class:`Result` per contender."""

    label: str
    results: dict

    def ratio(self, ours: str = "ourdl", reference: str = "torch") -> tuple[float, float]:
        """(ratio of bests, ratio of medians) of ``ours`` over ``reference``: below 1 means ours is faster."""
        a, b = self.results[ours], self.results[reference]
        return a.best / b.best, a.median / b.median


def thread_env(threads: int | None) -> dict:
    """The environment for a worker limited to ``threads`` threads (None: leave as is)."""
    env = dict(os.environ)
    if threads is not None:
        for name in THREAD_VARIABLES:
            env[name] = str(threads)
    paths = [str(HERE), str(ROOT), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    return env


def run_process(contender: Contender, *, threads: int | None = 2, warmup: int = 2, repeats: int = 5,
                memory: bool = False, timeout: float = 600) -> dict:
    """Time ``contender`` in a fresh Python process; return its measurement (``best``, ``times``, memory)."""
    spec = dict(asdict(contender), threads=threads, warmup=warmup, repeats=repeats, memory=memory)
    completed = subprocess.run([sys.executable, str(Path(__file__)), json.dumps(spec)], env=thread_env(threads),
                               capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    for line in completed.stdout.splitlines():
        if line.startswith(_MARK):
            return json.loads(line[len(_MARK):])
    raise RuntimeError(f"benchmark worker for {contender.target} failed (exit {completed.returncode}):\n"
                       f"{completed.stdout[-2000:]}\n{completed.stderr[-4000:]}")


def compare(contenders: dict, *, rounds: int = 5, threads: int | None = 2, warmup: int = 2, repeats: int = 5,
            memory: bool = False, label: str = "", verbose: bool = False) -> Row:
    """Time every contender (name -> :class:`Contender`) in ``rounds`` alternating rounds of fresh processes."""
    results = {name: Result(name) for name in contenders}
    for r in range(rounds):
        for name, contender in contenders.items():
            m = run_process(contender, threads=threads, warmup=warmup, repeats=repeats, memory=memory)
            res = results[name]
            res.bests.append(m["best"])
            res.max_rss_mb.append(m["max_rss_mb"])
            if m.get("traced_peak_mb") is not None:
                res.traced_peak_mb.append(m["traced_peak_mb"])
            if verbose:
                print(f"  {label} round {r + 1}/{rounds} {name}: best {m['best'] * 1e3:.3f} ms", file=sys.stderr)
    return Row(label, results)


def compare_pair(label: str, *, ourdl: Contender, reference: Contender, reference_name: str = "torch",
                 **options) -> Row:
    """:func:`compare` of two contenders named ``"ourdl"`` and ``reference_name``."""
    return compare({"ourdl": ourdl, reference_name: reference}, label=label, **options)


def geometric_mean(values) -> float:
    values = list(values)
    return math.exp(sum(math.log(v) for v in values) / len(values))


def format_table(rows: list, *, title: str = "", ours: str = "ourdl", reference: str = "torch",
                 memory: bool = False) -> str:
    """A text table: per row the best time of each side, the ratio of bests and of medians; geometric means last."""
    width = max([len(r.label) for r in rows] + [8])
    head = f"{'case':<{width}}  {ours + ' best':>14}  {reference + ' best':>14}  {'ratio':>7}  {'(median)':>8}"
    if memory:
        head += f"  {'MB ' + ours:>10}  {'MB ' + reference:>10}"
    lines = [title, head, "-" * len(head)] if title else [head, "-" * len(head)]
    best_ratios, median_ratios = [], []
    for row in rows:
        best, median = row.ratio(ours, reference)
        best_ratios.append(best)
        median_ratios.append(median)
        a, b = row.results[ours], row.results[reference]
        line = f"{row.label:<{width}}  {_time(a.best):>14}  {_time(b.best):>14}  {best:>7.3f}  {median:>8.3f}"
        if memory:
            line += f"  {max(a.max_rss_mb):>10.1f}  {max(b.max_rss_mb):>10.1f}"
        lines.append(line)
    if len(rows) > 1:
        lines.append(f"{'geometric mean':<{width}}  {'':>14}  {'':>14}  {geometric_mean(best_ratios):>7.3f}  "
                     f"{geometric_mean(median_ratios):>8.3f}")
    lines.append(f"ratio = {ours} / {reference} of the best per-process times (below 1: {ours} is faster); "
                 "medians of the per-process bests in brackets.")
    return "\n".join(lines)


def print_table(rows: list, **options) -> str:
    """Print :func:`format_table` and return it."""
    text = format_table(rows, **options)
    print(text, flush=True)
    return text


def _time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.3f} ms"
    return f"{seconds:.3f} s"


# -- the worker side: runs in the fresh process -----------------------------------
def _worker(spec: dict) -> dict:
    import importlib
    import resource

    module_name, function_name = spec["target"].split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    if spec["threads"] is not None and "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(spec["threads"])
    step = function(**spec["kwargs"])
    number = spec["number"]
    for _ in range(spec["warmup"]):
        for _ in range(number):
            step()
    times = []
    for _ in range(spec["repeats"]):
        start = time.perf_counter()
        for _ in range(number):
            step()
        times.append((time.perf_counter() - start) / number)
    traced = None
    if spec["memory"]:
        import tracemalloc

        tracemalloc.start()
        step()
        traced = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    return {"best": min(times), "times": times, "max_rss_mb": max_rss_mb, "traced_peak_mb": traced}


if __name__ == "__main__":
    _spec = dict(kwargs={}, number=1, threads=None, warmup=2, repeats=5, memory=False)
    _spec.update(json.loads(sys.argv[1]))
    print(_MARK + json.dumps(_worker(_spec)), flush=True)
