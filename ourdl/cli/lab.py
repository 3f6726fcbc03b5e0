"""``ourdl lab``: list the activation lab's experiments, run one over many seeds and write its report.

``ourdl lab list`` names each experiment and the claim it tests;
``ourdl lab run NAME [--seed S] [--seeds N] [--jobs J] [--cluster local|tcp://HOST:PORT] [--quick] -o DIR``
runs the experiment's sweep (its runs kept in ``DIR/runs.jsonl``, so a run stopped half-way
resumes) and writes ``DIR/report.md``, ``DIR/report.html``, the figures and ``DIR/values.json``.
"""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

from .common import CommandError, add_out, add_seed, choose
from .options import integer

MAX_SEEDS = 10_000  # runs per grid point: more is a typing mistake, not a sweep
MAX_JOBS = 1_024

# The lab draws its figures with matplotlib, which takes a second to import: it is imported inside the commands,
# so that the others start fast.


def list_experiments(args) -> int:
    from .. import lab

    for exp in lab.catalog():
        print(f"{exp.name:<20} {exp.title}")
        print(textwrap.fill(exp.claim, width=100, initial_indent=" " * 21, subsequent_indent=" " * 21))
        print(textwrap.fill(f"Source: {exp.source}", width=100, initial_indent=" " * 21, subsequent_indent=" " * 21))
    return 0


def _value(text: str):
    """A grid value from the command line: a number when it reads as one (JSON), else the text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_grid(items: list[str]) -> dict:
    """``["lr=0.1,1", "activation=relu"]`` -> ``{"lr": [0.1, 1], "activation": ["relu"]}``."""
    grid = {}
    for item in items:
        key, sep, values = item.partition("=")
        if not sep or not key.strip():
            raise CommandError(f"--grid {item!r}: write KEY=VALUE[,VALUE...], like lr=0.01,0.1")
        grid[key.strip()] = [_value(v.strip()) for v in values.split(",") if v.strip()]
    return grid


def run_experiment(args) -> int:
    from .. import lab
    from ..lab.results_table import ResultsTableError

    name = choose("experiment", args.name, [e.name for e in lab.catalog()])
    table = Path(args.table) if args.table else Path(args.out) / ("runs-quick.jsonl" if args.quick else "runs.jsonl")
    start = time.perf_counter()
    try:
        result = lab.get(name).run(seed=args.seed, quick=args.quick, seeds=args.seeds, jobs=args.jobs,
                                   cluster=args.cluster, table=table, progress=not args.no_progress,
                                   grid=parse_grid(args.grid), log_dir=args.log_dir)
    except (ResultsTableError, ConnectionError) as error:
        raise CommandError(str(error)) from None
    except ValueError as error:
        if str(error).startswith("lab:"):
            raise CommandError(str(error)) from None
        raise
    paths = lab.write_report(result, args.out)
    for verdict in result.verdicts:
        print(verdict.line())
    print(result.summary)
    if result.failed:
        print(f"{len(result.failed)} run(s) failed; see the report")
    print(f"report written to {args.out} in {time.perf_counter() - start:.1f} s: "
          + ", ".join(p.name for p in paths) + f"; runs in {table}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("lab", help="run experiments that measure claims about activations")
    commands = parser.add_subparsers(dest="lab_command", metavar="{list,run}", required=True)
    commands.add_parser("list", help="list the experiments and the claims they test").set_defaults(
        run=list_experiments)
    run = commands.add_parser("run", help="run one experiment over many seeds and write its report")
    run.add_argument("name", help="the experiment (see ourdl lab list)")
    add_seed(run, note="; the runs' seeds are spawned from it")
    run.add_argument("--seeds", type=integer(1, MAX_SEEDS), default=None, help="how many seeds (default: the experiment's)")
    run.add_argument("--jobs", type=integer(1, MAX_JOBS), default=1, help="worker processes, one BLAS thread each (default 1)")
    run.add_argument("--cluster", default=None,
                     help="run on Dask: 'local' (a LocalCluster of --jobs workers) or a scheduler tcp://HOST:PORT")
    run.add_argument("--grid", action="append", default=[], metavar="KEY=V1,V2",
                     help="replace the values of one of the experiment's grid keys (repeatable)")
    run.add_argument("--table", default=None,
                     help="the runs' table (JSON lines; default DIR/runs.jsonl): finished runs there are not rerun")
    run.add_argument("--log-dir", default=None,
                     help="write TensorBoard logs of every run there (tensorboard --logdir DIR shows them)")
    run.add_argument("--quick", action="store_true", help="a small version that takes seconds")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_out(run, "lab-report", "folder for the report")
    run.set_defaults(run=run_experiment)
