"""Recurrent layers, forward and backward: ourdl against PyTorch.

One step is the forward of a one-layer ``LSTM`` (or ``GRU``) over a float32 sequence of length 100, batch 32,
128 features, hidden size 128, from zero initial states, then the backward of the sum of its output (gradients
of the input and of every weight), on 2 threads on each side. Each contender runs in its own process,
alternating, and the ratio of the best times is reported (see ``harness.py``).

    python benchmarks/bench_recurrent.py [--quick] [--threads N]
    python benchmarks/bench_recurrent.py --profile     # where an ourdl LSTM step spends its time
"""

from __future__ import annotations

import importlib
import sys

from harness import Contender, compare_pair, print_table

THREADS = 2
SHAPE = dict(batch=32, length=100, features=128, hidden=128)


def recurrent_step(framework: str = "ourdl", layer: str = "LSTM", batch: int = 32, length: int = 100,
                   features: int = 128, hidden: int = 128):
    """One forward and backward of ``layer`` over a ``(length, batch, features)`` sequence in ``framework``."""
    lib = importlib.import_module(framework)
    lib.manual_seed(0)
    model = getattr(lib.nn, layer)(features, hidden)
    x = lib.randn(length, batch, features, requires_grad=True)

    def step():
        model.zero_grad()
        x.grad = None
        output, _ = model(x)
        output.sum().backward()

    return step


def profile(layer: str = "LSTM", top: int = 20) -> None:
    """Print where one ourdl step spends its time (cProfile, sorted by own time)."""
    import cProfile
    import pstats

    step = recurrent_step("ourdl", layer, **SHAPE)
    step()
    profiler = cProfile.Profile()
    profiler.runcall(step)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main(quick: bool = False, threads: int = THREADS) -> None:
    options = dict(rounds=2 if quick else 5, warmup=2, repeats=3 if quick else 7, threads=threads)
    rows = []
    for layer in ("LSTM",) if quick else ("LSTM", "GRU"):
        rows.append(compare_pair(
            f"{layer} fwd+bwd", ourdl=Contender("bench_recurrent:recurrent_step", {"framework": "ourdl", "layer": layer, **SHAPE}),
            reference=Contender("bench_recurrent:recurrent_step", {"framework": "torch", "layer": layer, **SHAPE}),
            **options))
    print_table(rows, title=f"recurrent layers: batch {SHAPE['batch']}, length {SHAPE['length']}, "
                            f"{SHAPE['features']} features, hidden {SHAPE['hidden']}, float32, {threads} thread(s)")


if __name__ == "__main__":
    if "--profile" in sys.argv:
        profile()
    else:
        main(quick="--quick" in sys.argv,
             threads=int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else THREADS)
