"""``ourdl fit quadratic``: the seed's task, y = x² on [0, 2], from the command line."""

from __future__ import annotations

from pathlib import Path

from .common import activation, add_out, add_seed, choose, output

# viz loads matplotlib, which takes a second: it is imported inside the commands
# that plot, so that the others start fast.

TASKS = ("quadratic",)


def run(args) -> int:
    from ..viz import animate_fit, explain_fit, fit_quadratic
    from ..viz.figure import FORMATS

    choose("task", args.task, TASKS)
    entry = activation(args.activation)
    output(args.out, FORMATS)
    if args.animate:
        output(args.animate, (".gif", ".mp4"), "--animate")
    record = fit_quadratic(entry.name, hidden=args.hidden, epochs=args.epochs, lr=args.lr, frames=args.frames,
                           seed=args.seed, progress=True)
    print(f"{entry.name}, {args.hidden} hidden units, {args.epochs} epochs: final loss {record.losses[-1]:.6f}")
    print(explain_fit(record))
    animate_fit(args.out, record=record)
    print(f"last frame written to {Path(args.out).resolve()}")
    if args.animate:
        animate_fit(args.animate, record=record, fps=args.fps, progress=True)
        print(f"animation ({len(record.frames)} frames) written to {Path(args.animate).resolve()}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "fit", help="fit y = x² with input → Linear(1, h) → activation → Linear(h, 1) and draw it",
        description="Fit y = x² on [0, 2] with a one-hidden-layer network; draw each hidden unit's bent line.")
    parser.add_argument("task", help=f"what to fit: {', '.join(TASKS)}")
    parser.add_argument("--activation", default="relu", help="a catalog activation (default relu)")
    parser.add_argument("--hidden", type=int, default=2, help="hidden units (default 2)")
    parser.add_argument("--epochs", type=int, default=600, help="full-batch Adam steps (default 600)")
    parser.add_argument("--lr", type=float, default=0.05, help="learning rate (default 0.05)")
    parser.add_argument("--frames", type=int, default=40, help="snapshots for the animation (default 40)")
    parser.add_argument("--fps", type=int, default=8, help="animation frames per second (default 8)")
    parser.add_argument("--animate", metavar="FILE", help="also write the animation: FILE.gif (or .mp4 with ffmpeg)")
    add_out(parser, "fit.png", "image of the final fit: .png, .svg or .pdf")
    add_seed(parser)
    parser.set_defaults(run=run)
