"""``ourdl fit quadratic``: the seed's task, y = x² on [0, 2], from the command line."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from .common import CommandError, add_out, add_seed, choose, interactive, layer_activation, output
from .options import EPOCHS, LEARNING_RATE, integer

# viz loads matplotlib, which takes a second: it is imported inside the commands
# that plot, so that the others start fast.

TASKS = ("quadratic",)
# engine -> (default activation, epochs, learning rate): Adam on full batches of tensors, or
# ourdl.graph's scalar nodes with one gradient-descent step per sample.
ENGINES = {"tensor": ("relu", 600, 0.05), "graph": ("leaky_relu", 300, 0.02)}
DIVERGED = 1e6  # a mean squared error past this, on targets in [0, 4], is a fit that ran away


def run(args) -> int:
    from ..viz import animate_fit, explain_fit, fit_quadratic
    from ..viz.figure import FORMATS
    from ..viz.graph_fit import fit_quadratic_graph

    choose("task", args.task, TASKS)
    default_activation, default_epochs, default_lr = ENGINES[args.engine]
    entry = layer_activation(args.activation or default_activation)
    epochs = default_epochs if args.epochs is None else args.epochs
    lr = default_lr if args.lr is None else args.lr
    output(args.out, FORMATS)
    if args.animate:
        output(args.animate, (".gif", ".mp4"), "--animate")
    train = fit_quadratic_graph if args.engine == "graph" else fit_quadratic
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging fit overflows; said below in words
        record = train(entry.name, hidden=args.hidden, epochs=epochs, lr=lr, frames=args.frames, seed=args.seed,
                       progress=interactive())
    final = record.losses[-1]
    if not math.isfinite(final) or final > DIVERGED:
        raise CommandError(f"the fit diverged (final loss {final:.3g} after {epochs} epochs): --lr {lr:g} is too "
                           f"large for {entry.name} here; try a smaller one (the default is {default_lr:g})")
    print(f"{entry.name}, {args.hidden} hidden units, {epochs} epochs ({args.engine} engine): "
          f"final loss {record.losses[-1]:.6f}")
    print(explain_fit(record))
    animate_fit(args.out, record=record)
    print(f"last frame written to {Path(args.out).resolve()}")
    if args.animate:
        animate_fit(args.animate, record=record, fps=args.fps, progress=interactive())
        print(f"animation ({len(record.frames)} frames) written to {Path(args.animate).resolve()}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "fit", help="fit y = x² with input → Linear(1, h) → activation → Linear(h, 1) and draw it",
        description="Fit y = x² on [0, 2] with a one-hidden-layer network; draw each hidden unit's bent line.")
    parser.add_argument("task", help=f"what to fit: {', '.join(TASKS)}")
    parser.add_argument("--engine", choices=tuple(ENGINES), default="tensor",
                        help="tensor: full-batch Adam on tensors (default); graph: the scalar nodes of ourdl.graph, "
                             "one gradient-descent step per sample")
    parser.add_argument("--activation", help="a catalog activation (default relu; leaky_relu, slope 0.1, for graph)")
    parser.add_argument("--hidden", type=integer(1, 64), default=2, help="hidden units, 1 to 64 (default 2)")
    parser.add_argument("--epochs", type=EPOCHS, help="full-batch Adam steps, or passes over the samples with "
                                                      "--engine graph, at least 1 (default 600 / 300)")
    parser.add_argument("--lr", type=LEARNING_RATE, help="learning rate, in (0, 100] (default 0.05 / 0.02 with "
                                                         "--engine graph)")
    parser.add_argument("--frames", type=integer(1, 1000), default=40,
                        help="snapshots for the animation, 1 to 1000 (default 40)")
    parser.add_argument("--fps", type=integer(1, 60), default=8, help="animation frames per second, 1 to 60 (default 8)")
    parser.add_argument("--animate", metavar="FILE", help="also write the animation: FILE.gif (or .mp4 with ffmpeg)")
    add_out(parser, "fit.png", "image of the final fit: .png, .svg or .pdf")
    add_seed(parser)
    parser.set_defaults(run=run)
