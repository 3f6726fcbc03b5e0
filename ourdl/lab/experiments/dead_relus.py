"""Experiment 2: how many ReLU units die during training, against the learning rate, beside LeakyReLU/ELU/GELU."""

from __future__ import annotations

import ourdl
from ourdl.train.diagnostics import DeadUnitTracker

from .. import plots
from ..data import spirals_split
from ..models import mlp
from ..registry import swept_experiment
from ..result import Figure, Result, Table
from ..results_table import column
from ..statistics import compare, summarise
from ..training import train_classifier

ACTIVATIONS = ("relu", "leaky_relu", "elu", "gelu")


def _grid(quick: bool) -> dict:
    return {"activation": list(ACTIVATIONS), "lr": [0.01, 1.0] if quick else [0.01, 0.1, 0.3, 1.0]}


def _size(quick: bool) -> tuple[int, int, int]:
    """Epochs, width and training samples."""
    return (5, 32, 400) if quick else (20, 64, 2000)


def _analyse(rows: list[dict], quick: bool) -> Result:
    rates = list(dict.fromkeys(r["params"]["lr"] for r in rows))
    names = list(dict.fromkeys(r["params"]["activation"] for r in rows))
    epochs, width, _ = _size(quick)
    seeds = list(dict.fromkeys(r["seed"] for r in rows))
    values = {"rates": rates, "epochs": epochs, "width": width, "seeds": seeds}
    for name in names:
        for lr in rates:
            curves = column(rows, "dead", activation=name, lr=lr)
            values[f"{name}@{lr}"] = {"dead": curves, "final": summarise([c[-1] for c in curves]).mean,
                                      "accuracy": column(rows, "accuracy", activation=name, lr=lr),
                                      "diverged": column(rows, "diverged", activation=name, lr=lr)}
    table_rows = []
    for name in names:
        for lr in rates:
            v = values[f"{name}@{lr}"]
            start, end = summarise([c[0] for c in v["dead"]]), summarise([c[-1] for c in v["dead"]])
            table_rows.append([name, lr, start.text(), end.text(), summarise(v["accuracy"]).text(),
                               sum(d is not None for d in v["diverged"])])
    table = Table(f"Share of hidden units never active on the training set ({width}x3 MLP, spirals, SGD, {epochs} "
                  f"epochs): mean ± standard deviation [bootstrap 95% interval] over {len(seeds)} seeds",
                  ["activation", "learning rate", "at start", "at the end", "test accuracy", "runs diverged"],
                  table_rows,
                  note="Active: the activation's input is positive on at least one training sample. A never-active "
                       "ReLU unit gets no gradient; the other activations still pass one. A diverged run (a step's "
                       "loss became NaN or infinite) skipped each such step and trained on; a run whose weights "
                       "became NaN has no unit active (a NaN input is not positive).")
    epochs_axis = list(range(0, epochs + 1))

    def band(curves):
        per_epoch = [summarise([c[e] for c in curves]) for e in epochs_axis]
        return epochs_axis, [s.mean for s in per_epoch], [s.low for s in per_epoch], [s.high for s in per_epoch]

    first = names[0]  # ReLU, unless the grid was changed
    figures = [
        Figure("relu_over_training", f"Share of never-active {first} units during training, one line per learning "
                                     "rate (bands: 95% interval over seeds)",
               plots.band_chart(f"Never-active {first} units during training",
                                {f"lr {lr}": band(values[f"{first}@{lr}"]["dead"]) for lr in rates},
                                "epoch", "share never active")),
        Figure("final_vs_lr", "Share of never-active units at the end against the learning rate (mean over seeds)",
               plots.line_chart("Never-active units after training",
                                {n: (rates, [values[f"{n}@{lr}"]["final"] for lr in rates]) for n in names},
                                "learning rate", "share never active", logx=True)),
    ]
    low, top = rates[0], rates[-1]

    def final(name, lr):
        return [c[-1] for c in values[f"{name}@{lr}"]["dead"]]

    verdicts = []
    if "relu" in names:
        if top != low:
            verdicts.append(compare(f"more ReLU units end never active at learning rate {top} than at {low}",
                                    final("relu", top), final("relu", low), paired=True, quick=quick))
        verdicts += [compare(f"at learning rate {top}, more ReLU units end never active than {name} units",
                             final("relu", top), final(name, top), paired=True, quick=quick)
                     for name in names if name != "relu"]
    summary = (f"Never-active units after {epochs} epochs (mean over {len(seeds)} seeds) at learning rate {top}: "
               + ", ".join(f"{name} {values[f'{name}@{top}']['final']:.0%}" for name in names)
               + (f"; at {low}: " + ", ".join(f"{name} {values[f'{name}@{low}']['final']:.0%}" for name in names)
                  if low != top else "") + ".")
    result = Result(summary, values, [table], figures)
    result.verdicts = verdicts
    return result


@swept_experiment(
    "dead_relus",
    "Dead ReLUs",
    "ReLU units can die: once a unit's input is negative on every sample it gets no gradient and never recovers. "
    "Large learning rates kill many of them; LeakyReLU, ELU and GELU keep a gradient and so keep training them.",
    "Maas, Hannun and Ng, 'Rectifier Nonlinearities Improve Neural Network Acoustic Models', ICML 2013; "
    "Lu, Shin, Su and Karniadakis, 'Dying ReLU and Initialization', 2019",
    grid=_grid, seeds=(5, 8), analyse=_analyse,
)
def trial(seed: int, quick: bool, activation: str, lr: float, log_dir=None) -> dict:
    """One MLP trained with SGD at ``lr``: the share of never-active units after each epoch (and at the start)."""
    epochs, width, samples = _size(quick)
    train, test = spirals_split(samples)
    model = mlp([2, width, width, width, 2], activation)
    dead = []
    with DeadUnitTracker(model) as tracker:
        def after_epoch(epoch):
            tracker.reset()
            with ourdl.no_grad():
                model(train.tensors[0])
            dead.append(tracker.dead_share())

        history = train_classifier(model, train, test, epochs, lr, "SGD", batch_size=32, after_epoch=after_epoch,
                                   log_dir=log_dir)
    diverged = history["diverged"]
    return {"dead": dead, "accuracy": history["accuracy"][-1],
            "diverged": None if diverged is None else {"epoch": diverged["epoch"], "step": diverged["step"]}}
