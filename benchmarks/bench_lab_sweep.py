"""The lab's sweeps: runs per minute with 1 and 2 worker processes, and a worker's peak memory against its data.

Speed: the same sweep (the shoot-out's trial on the 8x8 digits, 4 activations x 4 seeds = 16
independent runs of 15 epochs) with ``n_jobs=1`` and ``n_jobs=2``, each in a fresh process,
alternating 1 2 1 2 ... for a few rounds; the ratio of the best runs per minute is reported
(with the medians beside it), as BENCHMARKING.md asks for this noisy machine. The sweep is timed
after a one-run sweep that starts the workers (joblib keeps them for the next sweep): what a long
sweep sustains. The rate with the start-up counted, what a short sweep gives, is printed beside it.

Memory: one run of the GELU experiment's 8x128 MLP on Fashion-MNIST in a fresh process, its peak
``tracemalloc`` memory (NumPy reports its buffers to it) against the bytes of the data the run
holds (the Fashion-MNIST subset it trains on: float32 images and int64 labels, training and test).
The peak is counted above the baseline a worker has after its first run: the interpreter, the
imports and the compiled kernels, which every worker process pays once whatever its data (that
first run's data is dropped before the measured run loads its own).

With ``--cpu`` it also prints where the CPU goes (a view that load on the machine barely moves, as it counts
each process's own CPU time, not the wall clock): the sweep's main-thread CPU with one job, and each of the
two workers' CPU with two, split into its main thread and the rest (the thread that loads compiled kernels).
The ratio of the one-job main thread to the busiest worker is the speed-up two idle cores would give.

    python benchmarks/bench_lab_sweep.py [--quick] [--cpu]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SPEED = """
import functools, json, time
start = time.perf_counter()
from ourdl.lab.experiments import shootout
from ourdl.lab.sweep import sweep
trial = functools.partial(shootout.trial, quick=False)
grid = {{"dataset": ["digits"], "activation": ["relu", "gelu", "tanh", "elu"]}}
sweep(trial, {{"dataset": ["digits"], "activation": ["relu"]}}, seeds=list(range({jobs})), n_jobs={jobs})  # start
warm = time.perf_counter()
rows = sweep(trial, grid, seeds={seeds}, n_jobs={jobs})
assert all(r["status"] == "ok" for r in rows), rows
end = time.perf_counter()
print(json.dumps({{"runs": len(rows), "seconds": end - warm, "with_start": end - start}}))
"""

CPU = """
import functools, json, os, time
from ourdl.lab.experiments import shootout
from ourdl.lab.sweep import sweep

def timed(seed, dataset, activation):
    process, thread = time.process_time(), time.thread_time()
    shootout.trial(seed=seed, quick=False, dataset=dataset, activation=activation)
    return {{"pid": os.getpid(), "process": [process, time.process_time()], "thread": [thread, time.thread_time()]}}

sweep(timed, {{"dataset": ["digits"], "activation": ["relu"]}}, seeds=list(range({jobs})), n_jobs={jobs})  # start
grid = {{"dataset": ["digits"], "activation": ["relu", "gelu", "tanh", "elu"]}}
workers = {{}}
for row in sweep(timed, grid, seeds={seeds}, n_jobs={jobs}):
    workers.setdefault(row["metrics"]["pid"], []).append(row["metrics"])
print(json.dumps([{{kind: max(m[kind][1] for m in runs) - min(m[kind][0] for m in runs)
                   for kind in ("process", "thread")}} for runs in workers.values()]))
"""

MEMORY = """
import gc, json, tracemalloc
import ourdl.kernels
from ourdl.lab.data import fashion_mnist_split
from ourdl.lab.experiments import gelu_mlp
from ourdl.lab.sweep import seeded
tracemalloc.start()
with seeded(0):  # a worker's first run: imports, compiled kernels (what every process pays once, data or not)
    gelu_mlp.trial(seed=0, quick=True, activation="relu")
ourdl.kernels.wait()
fashion_mnist_split.cache_clear()
gc.collect()
baseline = tracemalloc.get_traced_memory()[0]
tracemalloc.reset_peak()
with seeded(1):
    gelu_mlp.trial(seed=1, quick={quick}, activation="relu")
peak = tracemalloc.get_traced_memory()[1] - baseline
train, test = fashion_mnist_split(*gelu_mlp._size({quick})[:2])
subset = sum(t.numpy().nbytes for t in train.tensors + test.tensors)
print(json.dumps({{"peak": peak, "subset": subset, "baseline": baseline}}))
"""


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def cpu(seeds: int, rounds: int) -> None:
    """Print the CPU of the sweep's processes, best of ``rounds`` alternating runs (see the module's docstring)."""
    one, two = [], []
    for _ in range(rounds):
        one.append(_run(CPU.format(seeds=seeds, jobs=1))[0]["thread"])
        two.append(max(_run(CPU.format(seeds=seeds, jobs=2)), key=lambda w: w["process"]))
    busiest = min(two, key=lambda w: w["process"])
    print(f"CPU, best of {rounds}: one job's main thread {min(one):.2f} s; the busiest of two workers "
          f"{busiest['process']:.2f} s ({busiest['thread']:.2f} s its main thread, "
          f"{busiest['process'] - busiest['thread']:.2f} s loading kernels); "
          f"speed-up on two idle cores {min(one) / busiest['process']:.2f}")


def main(quick: bool = False) -> None:
    rounds, seeds = (1, 4) if quick else (3, 4)
    rates, started = {1: [], 2: []}, {1: [], 2: []}
    for _ in range(rounds):
        for jobs in (1, 2):
            result = _run(SPEED.format(seeds=seeds, jobs=jobs))
            rates[jobs].append(60 * result["runs"] / result["seconds"])
            started[jobs].append(60 * result["runs"] / result["with_start"])
    print(f"sweep of {4 * seeds} shoot-out runs on digits, {rounds} alternating round(s):")
    for jobs, values in rates.items():
        print(f"  --jobs {jobs}: best {max(values):.1f} runs/min, median {statistics.median(values):.1f} "
              f"(with the start-up: best {max(started[jobs]):.1f})")
    print(f"  speed-up of --jobs 2: {max(rates[2]) / max(rates[1]):.2f} (best), "
          f"{statistics.median(rates[2]) / statistics.median(rates[1]):.2f} (medians)")
    memory = _run(MEMORY.format(quick=quick))
    print(f"one worker's peak memory (tracemalloc) for a GELU-MLP run on Fashion-MNIST: {memory['peak'] / 2**20:.1f} MB "
          f"above the baseline of {memory['baseline'] / 2**20:.0f} MB (interpreter, imports, kernels); data "
          f"{memory['subset'] / 2**20:.1f} MB: peak / data = {memory['peak'] / memory['subset']:.2f}")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
    if "--cpu" in sys.argv:
        cpu(seeds=4, rounds=1 if "--quick" in sys.argv else 3)
