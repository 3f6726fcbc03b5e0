"""Experiment 2: how many ReLU units die during training, against the learning rate, beside LeakyReLU/ELU/GELU."""

from __future__ import annotations

import ourdl

from .. import plots
from ..data import spirals_split
from ..diagnostics import DeadUnitTracker
from ..models import mlp
from ..registry import experiment
from ..result import Figure, Result, Table
from ..training import train_classifier

ACTIVATIONS = ("relu", "leaky_relu", "elu", "gelu")


@experiment(
    "dead_relus",
    "Dead ReLUs",
    "ReLU units can die: once a unit's input is negative on every sample it gets no gradient and never recovers. "
    "Large learning rates kill many of them; LeakyReLU, ELU and GELU keep a gradient and so keep training them.",
    "Maas, Hannun and Ng, 'Rectifier Nonlinearities Improve Neural Network Acoustic Models', ICML 2013; "
    "Lu, Shin, Su and Karniadakis, 'Dying ReLU and Initialization', 2019",
)
def measure(seed: int, quick: bool) -> Result:
    rates = (0.01, 0.1, 0.5) if quick else (0.003, 0.01, 0.03, 0.1, 0.3, 0.5, 1.0)
    epochs, width, samples = (3, 32, 400) if quick else (30, 64, 2000)
    train, test = spirals_split(samples, seed)
    values = {"rates": list(rates), "epochs": epochs, "width": width}
    for name in ACTIVATIONS:
        for lr in rates:
            ourdl.manual_seed(seed)
            model = mlp([2, width, width, width, 2], name)
            dead = []
            with DeadUnitTracker(model) as tracker:
                def after_epoch(epoch):
                    tracker.reset()
                    with ourdl.no_grad():
                        model(train.tensors[0])
                    dead.append(tracker.dead_share())

                history = train_classifier(model, train, test, epochs, lr, "SGD", batch_size=32,
                                           after_epoch=after_epoch)
            diverged = history["diverged"]
            values[f"{name}@{lr}"] = {"dead": dead, "accuracy": history["accuracy"][-1],
                                      "diverged": None if diverged is None else
                                      {"epoch": diverged["epoch"], "step": diverged["step"]}}
    rows = [[name, lr, values[f"{name}@{lr}"]["dead"][0], values[f"{name}@{lr}"]["dead"][-1],
             max(values[f"{name}@{lr}"]["dead"]), values[f"{name}@{lr}"]["accuracy"], _diverged(values[f"{name}@{lr}"])]
            for name in ACTIVATIONS for lr in rates]
    table = Table(f"Share of hidden units never active on the training set ({width}x3 MLP, spirals, SGD, "
                  f"{epochs} epochs)", ["activation", "learning rate", "at start", "at the end", "highest",
                                        "test accuracy", "diverged"], rows,
                  note="Active: the activation's input is positive on at least one training sample. A never-active "
                       "ReLU unit gets no gradient; the other activations still pass one. Diverged: the epoch and "
                       "step where the loss first became NaN or infinite; training stopped there without applying "
                       "that step, so the run's later shares and its accuracy are those of its last finite weights.")
    epochs_axis = range(0, epochs + 1)
    figures = [
        Figure("relu_over_training", "Share of dead ReLU units during training, one line per learning rate",
               plots.line_chart("Dead ReLU units during training",
                                {f"lr {lr}": (epochs_axis, values[f"relu@{lr}"]["dead"]) for lr in rates},
                                "epoch", "share never active")),
        Figure("final_vs_lr", "Share of never-active units at the end against the learning rate",
               plots.line_chart("Never-active units after training",
                                {n: (rates, [values[f"{n}@{lr}"]["dead"][-1] for lr in rates]) for n in ACTIVATIONS},
                                "learning rate", "share never active", logx=True)),
    ]
    top = rates[-1]
    summary = (f"At learning rate {top}, {values[f'relu@{top}']['dead'][-1]:.0%} of ReLU units were never active "
               f"after {epochs} epochs (from {values[f'relu@{top}']['dead'][0]:.0%} at the start); at {rates[0]}: "
               f"{values[f'relu@{rates[0]}']['dead'][-1]:.0%}. LeakyReLU at {top}: "
               f"{values[f'leaky_relu@{top}']['dead'][-1]:.0%}, GELU: {values[f'gelu@{top}']['dead'][-1]:.0%}.")
    return Result(summary, values, [table], figures)


def _diverged(run: dict) -> str:
    where = run["diverged"]
    return "no" if where is None else f"epoch {where['epoch']}, step {where['step']}"
