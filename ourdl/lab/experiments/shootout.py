"""Experiment 7: every elementwise activation of the catalog trains the same MLP on digits and on spirals."""

from __future__ import annotations

import numpy as np

import ourdl
from ourdl import activations

from .. import plots
from ..data import digits_split, spirals_split
from ..models import mlp
from ..registry import experiment
from ..result import Figure, Result, Table
from ..training import train_classifier

TARGET = 0.9


def _builds_with_defaults(entry) -> bool:
    try:
        entry.module()
    except TypeError:  # a parameter without a default (threshold's threshold and value)
        return False
    return True


def contenders() -> list[str]:
    """The catalog's elementwise activations whose Module builds with its defaults, by name."""
    return [a.name for a in activations.catalog() if a.elementwise and _builds_with_defaults(a)]


def _epochs_to(target: float, accuracies: list[float]):
    return next((epoch for epoch, acc in enumerate(accuracies, 1) if acc >= target), None)


@experiment(
    "shootout",
    "Shoot-out: every activation on the same task",
    "Which activation trains best is an empirical question: on small MLPs, modern smooth activations (GELU, SiLU, "
    "Mish) and ReLU variants are close, while saturating ones (sigmoid) and those without a useful gradient "
    "(step) lag behind.",
    "Ramachandran, Zoph and Le, 'Searching for Activation Functions', 2017; Dubey, Singh and Chaudhuri, "
    "'Activation Functions in Deep Learning: A Comprehensive Survey and Benchmark', 2022",
)
def measure(seed: int, quick: bool) -> Result:
    seeds = [seed] if quick else [seed, seed + 1, seed + 2]
    settings = {  # dataset -> (train, test, epochs, learning rate)
        "digits": (*digits_split(300 if quick else None), 2 if quick else 15, 0.003),
        "spirals": (*spirals_split(200 if quick else 1000, seed), 2 if quick else 40, 0.01),
    }
    names = contenders()
    values, timings = {"seeds": seeds, "activations": names, "target": TARGET}, {}
    for dataset, (train, test, epochs, lr) in settings.items():
        inputs, classes = train.tensors[0].shape[1], int(train.tensors[1].max().item()) + 1
        for name in names:
            final, reached, seconds, diverged = [], [], [], []
            for s in seeds:
                ourdl.manual_seed(s)
                history = train_classifier(mlp([inputs, 64, 64, classes], name), train, test, epochs, lr, "Adam",
                                           batch_size=32)
                final.append(history["accuracy"][-1])
                reached.append(_epochs_to(TARGET, history["accuracy"]))
                seconds.extend(history["seconds"])
                diverged.append(None if history["diverged"] is None else history["diverged"]["epoch"])
            values[f"{dataset}/{name}"] = {"accuracy": final, "mean": float(np.mean(final)),
                                           "spread": float(np.std(final)), "epochs_to_target": reached,
                                           "diverged_at_epoch": diverged}
            timings[f"{dataset}/{name} seconds per epoch"] = float(np.nanmedian(seconds))  # epochs trained
    order = sorted(names, key=lambda n: -np.mean([values[f"{d}/{n}"]["mean"] for d in settings]))
    rows = []
    for name in order:
        row = [name]
        for d in settings:
            v = values[f"{d}/{name}"]
            done = [e for e in v["epochs_to_target"] if e is not None]
            row += [v["mean"], v["spread"], f"{np.mean(done):.1f} ({len(done)}/{len(seeds)})" if done else "never",
                    timings[f"{d}/{name} seconds per epoch"]]
        rows.append(row)
    columns = ["activation"] + [f"{d} {c}" for d in settings for c in
                                ("accuracy", "spread", f"epochs to {TARGET:.0%}", "s/epoch")]
    table = Table(f"Test accuracy of MLP(in, 64, 64, out) with Adam, mean and standard deviation over "
                  f"{len(seeds)} seed(s), sorted by the mean over both datasets", columns, rows,
                  note="Epochs to the target: mean over the seeds that reached it (how many did). s/epoch: median "
                       "wall-clock seconds of an epoch's training and test evaluation, which vary between machines "
                       "and runs. A run whose loss became NaN or infinite stopped there and counts with its last "
                       "finite weights (values.json gives the epoch under diverged_at_epoch).")
    figures = []
    for d in settings:
        ranked = sorted(names, key=lambda n: -values[f"{d}/{n}"]["mean"])
        figures.append(Figure(f"accuracy_{d}", f"Test accuracy on {d}, sorted (bars: mean, lines: spread over seeds)",
                              plots.bar_chart(f"Accuracy on {d}", ranked, [values[f"{d}/{n}"]["mean"] for n in ranked],
                                              "test accuracy", errors=[values[f"{d}/{n}"]["spread"] for n in ranked],
                                              horizontal=True)))
    summary = (f"{len(names)} activations, {len(seeds)} seed(s) each: best {order[0]} "
               + ", ".join(f"{values[f'{d}/{order[0]}']['mean']:.1%} on {d}" for d in settings)
               + f"; last {order[-1]} "
               + ", ".join(f"{values[f'{d}/{order[-1]}']['mean']:.1%} on {d}" for d in settings) + ".")
    return Result(summary, values, [table], figures, timings)
