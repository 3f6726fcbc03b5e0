"""Experiment 7: every elementwise activation of the catalog trains one MLP on digits, spirals and Fashion-MNIST,
and LeNet-5 on Fashion-MNIST."""

from __future__ import annotations

import numpy as np

from ourdl import activations
from ourdl.models import LeNet5

from .. import plots
from ..data import digits_split, fashion_mnist_split, spirals_split
from ..models import mlp
from ..registry import swept_experiment
from ..result import Figure, Result, Table
from ..results_table import column
from ..statistics import compare, equivalent, summarise
from ..training import train_classifier

TARGET = 0.9
DATASETS = ("digits", "spirals", "fashion_mnist", "fashion_mnist_lenet")  # the last: LeNet-5 instead of the MLP
CLOSE = 0.02  # accuracies within 2 points count as close
QUICK = ("relu", "leaky_relu", "elu", "gelu", "silu", "mish", "tanh", "sigmoid", "step")  # those the verdicts name


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


def setting(dataset: str, quick: bool):
    """``(train, test), epochs, learning rate`` of ``dataset`` (Adam, batch 32)."""
    if dataset == "digits":
        return digits_split(300 if quick else None), 2 if quick else 15, 0.003
    if dataset == "spirals":
        return spirals_split(200 if quick else 1000), 2 if quick else 40, 0.01
    if dataset == "fashion_mnist_lenet":  # a convolution costs more per image than the MLP: fewer of them
        return fashion_mnist_split(600 if quick else 2_000, 500 if quick else 1_000, flatten=False), \
            1 if quick else 3, 0.002
    return fashion_mnist_split(600 if quick else 5_000, 500 if quick else 2_000), 1 if quick else 3, 0.001


def _grid(quick: bool) -> dict:
    return {"dataset": list(DATASETS), "activation": list(QUICK) if quick else contenders()}


def _analyse(rows: list[dict], quick: bool) -> Result:
    names = list(dict.fromkeys(r["params"]["activation"] for r in rows))
    datasets = list(dict.fromkeys(r["params"]["dataset"] for r in rows))
    seeds = sorted({r["seed"] for r in rows}, key=[r["seed"] for r in rows].index)
    values, timings = {"seeds": seeds, "activations": names, "target": TARGET}, {}
    for d in datasets:
        for name in names:
            accuracy = column(rows, "accuracy", dataset=d, activation=name)
            s = summarise(accuracy)
            values[f"{d}/{name}"] = {"accuracy": accuracy, "mean": s.mean, "spread": s.std, "ci": [s.low, s.high],
                                     "epochs_to_target": column(rows, "epochs_to_target", dataset=d, activation=name),
                                     "diverged_at_epoch": column(rows, "diverged_at_epoch", dataset=d,
                                                                 activation=name)}
            timings[f"{d}/{name} seconds per epoch"] = float(np.nanmedian(
                [t["seconds_per_epoch"] for t in column(rows, "timings", dataset=d, activation=name)
                 if isinstance(t, dict)]))
    order = sorted(names, key=lambda n: -np.nanmean([values[f"{d}/{n}"]["mean"] for d in datasets]))
    rows_out = []
    for name in order:
        row = [name]
        for d in datasets:
            v = values[f"{d}/{name}"]
            done = [e for e in v["epochs_to_target"] if e is not None]
            row += [f"{v['mean']:.3f} ± {v['spread']:.2g} [{v['ci'][0]:.3f}, {v['ci'][1]:.3f}]",
                    f"{np.mean(done):.1f} ({len(done)}/{len(seeds)})" if done else "never"]
        rows_out.append(row)
    columns = ["activation"] + [f"{d} {c}" for d in datasets for c in ("accuracy", f"epochs to {TARGET:.0%}")]
    table = Table(f"Test accuracy of MLP(in, 64, 64, out) (of LeNet-5 on fashion_mnist_lenet) with Adam: mean ± "
                  f"standard deviation [bootstrap 95% interval] over {len(seeds)} seeds, sorted by the mean over the "
                  "datasets", columns, rows_out,
                  note="Epochs to the target: mean over the seeds that reached it (how many did). A step whose loss "
                       "became NaN or infinite was skipped and the run trained on (values.json gives the epoch of the "
                       "first under diverged_at_epoch). Seconds per epoch (median, without the first "
                       "epoch, which includes compilation) are in values.json's timings.")
    figures = []
    for d in datasets:
        ranked = sorted(names, key=lambda n: -values[f"{d}/{n}"]["mean"])
        means = np.array([values[f"{d}/{n}"]["mean"] for n in ranked])
        bands = np.array([values[f"{d}/{n}"]["ci"] for n in ranked]).T
        figures.append(Figure(f"accuracy_{d}", f"Test accuracy on {d}, sorted (bars: mean, lines: 95% interval over "
                                               "seeds)",
                              plots.bar_chart(f"Accuracy on {d}", ranked, means, "test accuracy",
                                              errors=np.abs(bands - means), horizontal=True)))
    verdicts = []
    for d in datasets:
        acc = {n: column(rows, "accuracy", dataset=d, activation=n) for n in ("relu", "gelu", "sigmoid", "step")}
        if not acc["relu"]:
            continue
        verdicts += [compare(f"on {d}, ReLU's accuracy exceeds sigmoid's", acc["relu"], acc["sigmoid"], paired=True,
                             quick=quick),
                     compare(f"on {d}, ReLU's accuracy exceeds the step's", acc["relu"], acc["step"], paired=True,
                             quick=quick),
                     equivalent(f"on {d}, GELU and ReLU are within {CLOSE:g} of each other", acc["gelu"], acc["relu"],
                                CLOSE, quick=quick)]
    summary = (f"{len(names)} activations, {len(seeds)} seeds each: best {order[0]} "
               + ", ".join(f"{values[f'{d}/{order[0]}']['mean']:.1%} on {d}" for d in datasets)
               + f"; last {order[-1]} "
               + ", ".join(f"{values[f'{d}/{order[-1]}']['mean']:.1%} on {d}" for d in datasets) + ".")
    result = Result(summary, values, [table], figures, timings)
    result.verdicts = verdicts
    return result


@swept_experiment(
    "shootout",
    "Shoot-out: every activation on the same task",
    "Which activation trains best is an empirical question: on small MLPs, modern smooth activations (GELU, SiLU, "
    "Mish) and ReLU variants are close, while saturating ones (sigmoid) and those without a useful gradient "
    "(step) lag behind.",
    "Ramachandran, Zoph and Le, 'Searching for Activation Functions', 2017; Dubey, Singh and Chaudhuri, "
    "'Activation Functions in Deep Learning: A Comprehensive Survey and Benchmark', 2022",
    grid=_grid, seeds=(3, 5), analyse=_analyse,
)
def trial(seed: int, quick: bool, dataset: str, activation: str, log_dir=None) -> dict:
    """One activation trained on one dataset from one seed: final test accuracy, curves, speed."""
    (train, test), epochs, lr = setting(dataset, quick)
    inputs, classes = train.tensors[0].shape[1], int(train.tensors[1].max().item()) + 1
    model = LeNet5(activation, classes) if dataset == "fashion_mnist_lenet" else mlp([inputs, 64, 64, classes],
                                                                                      activation)
    history = train_classifier(model, train, test, epochs, lr, "Adam", batch_size=32, log_dir=log_dir)
    seconds = history["seconds"][1:] or history["seconds"]  # the first epoch pays for compiling kernels
    return {"accuracy": history["accuracy"][-1], "accuracy_curve": history["accuracy"], "loss_curve": history["loss"],
            "epochs_to_target": _epochs_to(TARGET, history["accuracy"]),
            "diverged_at_epoch": None if history["diverged"] is None else history["diverged"]["epoch"],
            "timings": {"seconds_per_epoch": float(np.nanmedian(seconds)) if seconds else float("nan")}}
