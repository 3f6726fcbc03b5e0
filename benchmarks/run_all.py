"""Run every benchmark: each ``benchmarks/bench_*.py`` module's ``main(quick=...)``, in name order.

    python benchmarks/run_all.py            # full runs (minutes)
    python benchmarks/run_all.py --quick    # fewer rounds and sizes: a check that everything runs
    python benchmarks/run_all.py engine     # only bench files whose name contains "engine"

A benchmark module defines ``main(quick: bool = False)``, which times its contenders with
:mod:`harness` and prints its table; it should import ourdl/torch inside the contender functions,
so that this process stays free of thread pools.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover(pattern: str = "") -> list[str]:
    """The names of the benchmark modules whose file name contains ``pattern``."""
    return [p.stem for p in sorted(HERE.glob("bench_*.py")) if pattern in p.stem]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pattern", nargs="?", default="", help="run only bench files whose name contains this")
    parser.add_argument("--quick", action="store_true", help="fewer rounds and sizes")
    args = parser.parse_args(argv)
    sys.path[:0] = [str(HERE), str(HERE.parent)]
    names = discover(args.pattern)
    if not names:
        print(f"no benchmarks/bench_*.py matches {args.pattern!r}", file=sys.stderr)
        return 1
    failed = []
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        start = time.perf_counter()
        try:
            importlib.import_module(name).main(quick=args.quick)
        except Exception as error:  # one broken benchmark should not hide the others' figures
            failed.append(name)
            print(f"{name} failed: {type(error).__name__}: {error}", file=sys.stderr)
        print(f"({name}: {time.perf_counter() - start:.0f} s)", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
