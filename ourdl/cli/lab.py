"""``ourdl lab``: list the activation lab's experiments, run one and write its report.

``ourdl lab list`` names each experiment and the claim it tests;
``ourdl lab run NAME [--seed S] [--quick] -o DIR`` writes ``DIR/report.md``,
``DIR/report.html``, the figures and ``DIR/values.json``.
"""

from __future__ import annotations

import textwrap
import time

from .common import CommandError, add_out, add_seed, choose

# The lab draws its figures with matplotlib, which takes a second to import: it is imported inside the commands,
# so that the others start fast.


def list_experiments(args) -> int:
    from .. import lab

    for exp in lab.catalog():
        print(f"{exp.name:<20} {exp.title}")
        print(textwrap.fill(exp.claim, width=100, initial_indent=" " * 21, subsequent_indent=" " * 21))
        print(textwrap.fill(f"Source: {exp.source}", width=100, initial_indent=" " * 21, subsequent_indent=" " * 21))
    return 0


def run_experiment(args) -> int:
    from .. import lab

    name = choose("experiment", args.name, [e.name for e in lab.catalog()])
    if args.seed < 0:
        raise CommandError(f"--seed must be a non-negative integer, got {args.seed}")
    start = time.perf_counter()
    result = lab.get(name).run(seed=args.seed, quick=args.quick)
    paths = lab.write_report(result, args.out)
    print(result.summary)
    print(f"report written to {args.out} in {time.perf_counter() - start:.1f} s: "
          + ", ".join(p.name for p in paths))
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("lab", help="run experiments that measure claims about activations")
    commands = parser.add_subparsers(dest="lab_command", metavar="{list,run}", required=True)
    commands.add_parser("list", help="list the experiments and the claims they test").set_defaults(
        run=list_experiments)
    run = commands.add_parser("run", help="run one experiment and write its report")
    run.add_argument("name", help="the experiment (see ourdl lab list)")
    add_seed(run)
    run.add_argument("--quick", action="store_true", help="a small version that takes seconds")
    add_out(run, "lab-report", "folder for the report")
    run.set_defaults(run=run_experiment)
