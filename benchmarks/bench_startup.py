"""Start-up: ``import ourdl`` against ``import torch``, and the first activation of a fresh process.

Each figure is one fresh ``python -c`` process (nothing cached in the interpreter),
the contenders alternating for several rounds; reported are the best times and
their ratio, with the medians beside them (see ``harness.py`` for why).

    python benchmarks/bench_startup.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

from harness import ROOT

IMPORT = "import time; t = time.perf_counter(); import {lib}; print(time.perf_counter() - t)"
FIRST_CALL = ("import {lib}, {lib}.nn.functional as F, time; x = {lib}.randn(64, 128, requires_grad=True); "
              "t = time.perf_counter(); F.gelu(x).sum().backward(); print(time.perf_counter() - t)")


def measure(code: str) -> float:
    """Seconds printed by ``code`` run in a fresh interpreter, from the repository root."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.split()[-1])


def main(argv=None, quick: bool = False) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="alternating fresh processes per contender")
    options = parser.parse_args([] if argv is None else argv)
    rounds = 2 if quick else options.rounds
    print(f"{'what':<42} {'ourdl':>10} {'torch':>10} {'ratio (median)':>16}")
    for label, code, unit in (("import", IMPORT, 1.0), ("first F.gelu forward+backward, (64, 128)", FIRST_CALL, 1e3)):
        times = {"ourdl": [], "torch": []}
        for _ in range(rounds):
            for lib in times:
                times[lib].append(measure(code.format(lib=lib)))
        best = {lib: min(t) for lib, t in times.items()}
        median = {lib: statistics.median(t) for lib, t in times.items()}
        name = "s" if unit == 1.0 else "ms"
        print(f"{label:<42} {best['ourdl'] * unit:>8.3f}{name:>2} {best['torch'] * unit:>8.3f}{name:>2} "
              f"{best['ourdl'] / best['torch']:>8.2f} ({median['ourdl'] / median['torch']:.2f})")
    print("goals: import <= 0.25 of torch's; the first gelu <= 50 ms")


if __name__ == "__main__":
    main(sys.argv[1:])
