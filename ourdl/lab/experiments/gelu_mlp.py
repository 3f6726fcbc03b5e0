"""Experiment 8: the GELU paper's deep MLP (8 layers of 128 units) on Fashion-MNIST, trained with each activation."""

from __future__ import annotations

import numpy as np

from .. import plots
from ..data import fashion_mnist_split
from ..models import mlp
from ..registry import swept_experiment
from ..result import Figure, Result, Table
from ..results_table import column
from ..statistics import compare, summarise
from ..training import train_classifier

ACTIVATIONS = ("gelu", "relu", "elu", "silu", "tanh")
DEPTH, WIDTH = 8, 128


def _size(quick: bool) -> tuple[int, int, int]:
    """Training samples, test samples, epochs."""
    return (1_500, 1_000, 3) if quick else (10_000, 2_000, 10)


def _grid(quick: bool) -> dict:
    return {"activation": list(ACTIVATIONS)}


def _analyse(rows: list[dict], quick: bool) -> Result:
    names = list(dict.fromkeys(r["params"]["activation"] for r in rows))
    seeds = list(dict.fromkeys(r["seed"] for r in rows))
    train_n, test_n, epochs = _size(quick)
    values = {"seeds": seeds, "epochs": epochs, "train_samples": train_n, "test_samples": test_n}
    for name in names:
        curves = column(rows, "loss_curve", activation=name)
        values[name] = {"loss_curve": curves, "final_loss": column(rows, "final_loss", activation=name),
                        "accuracy": column(rows, "accuracy", activation=name)}
    table_rows = [[name, summarise(values[name]["final_loss"]).text(), summarise(values[name]["accuracy"]).text()]
                  for name in names]
    table = Table(f"Training loss after {epochs} epochs and test accuracy of an MLP of {DEPTH} hidden layers of "
                  f"{WIDTH} units (Adam, lr 1e-3, batch 128) on {train_n} Fashion-MNIST images: mean ± standard deviation "
                  f"[bootstrap 95% interval] over {len(seeds)} seeds", ["activation", "training loss", "test accuracy"],
                  table_rows, note="Training loss: the mean over the last epoch's batches. The GELU paper reports "
                                   "this setting on MNIST (with and without dropout); here it runs on Fashion-MNIST "
                                   "without dropout, on a subset and for fewer epochs.")
    epochs_axis = list(range(1, epochs + 1))

    def band(curves):
        per_epoch = [summarise([c[e - 1] for c in curves]) for e in epochs_axis]
        return epochs_axis, [s.mean for s in per_epoch], [s.low for s in per_epoch], [s.high for s in per_epoch]

    figures = [Figure("training_loss", "Training loss per epoch, mean over seeds with its 95% interval (bands)",
                      plots.band_chart("Training loss, 8x128 MLP on Fashion-MNIST",
                                       {n: band(values[n]["loss_curve"]) for n in names}, "epoch", "training loss",
                                       logy=True))]
    verdicts = []
    if "gelu" in names:
        verdicts += [compare(f"GELU ends with a lower training loss than {other}", values["gelu"]["final_loss"],
                             values[other]["final_loss"], paired=True, greater=False, quick=quick)
                     for other in ("relu", "elu") if other in names]
        verdicts += [compare("GELU's test accuracy exceeds ReLU's", values["gelu"]["accuracy"],
                             values["relu"]["accuracy"], paired=True, quick=quick)] if "relu" in names else []
    ranked = sorted(names, key=lambda n: np.nanmean(values[n]["final_loss"]))
    summary = (f"Training loss after {epochs} epochs, lowest first: "
               + ", ".join(f"{n} {np.nanmean(values[n]['final_loss']):.3f}" for n in ranked)
               + f" (mean over {len(seeds)} seeds).")
    result = Result(summary, values, [table], figures)
    result.verdicts = verdicts
    return result


@swept_experiment(
    "gelu_mlp",
    "GELU against ReLU and ELU in a deep MLP",
    "In an MLP of 8 hidden layers of 128 units trained with Adam, GELU reaches a lower training loss than ReLU and "
    "ELU (the GELU paper's MNIST classification experiment, here on Fashion-MNIST).",
    "Hendrycks and Gimpel, 'Gaussian Error Linear Units (GELUs)', arXiv:1606.08415, 2016 (section 3.1)",
    grid=_grid, seeds=(3, 5), analyse=_analyse,
)
def trial(seed: int, quick: bool, activation: str, log_dir=None) -> dict:
    """One 8x128 MLP trained on Fashion-MNIST: its loss per epoch, last training loss and test accuracy."""
    train_n, test_n, epochs = _size(quick)
    train, test = fashion_mnist_split(train_n, test_n)
    model = mlp([784] + [WIDTH] * DEPTH + [10], activation)
    history = train_classifier(model, train, test, epochs, 1e-3, "Adam", batch_size=128, log_dir=log_dir)
    return {"loss_curve": history["loss"], "final_loss": history["loss"][-1], "accuracy": history["accuracy"][-1]}
