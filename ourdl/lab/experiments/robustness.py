"""Experiment 9: each activation's accuracy averaged over randomly drawn hyperparameters, not only its best run."""

from __future__ import annotations

import numpy as np

from ourdl import nn

from .. import plots
from ..data import fashion_mnist_split
from ..models import mlp
from ..registry import swept_experiment
from ..result import Figure, Result, Table
from ..results_table import column
from ..statistics import compare, summarise
from ..training import train_classifier

ACTIVATIONS = ("relu", "leaky_relu", "elu", "gelu", "silu", "tanh", "sigmoid")
INITS = {"default": None, "xavier": nn.init.xavier_uniform_,
         "kaiming": lambda w: nn.init.kaiming_uniform_(w, nonlinearity="relu")}


def hyperparameters(seed: int) -> dict:
    """The hyperparameters drawn for ``seed`` (the same for every activation, so that runs pair by seed).

    The learning rate is log-uniform in [1e-4, 0.1]; width, depth and initialisation are uniform choices.

    >>> hyperparameters(3) == hyperparameters(3)
    True
    >>> sorted(hyperparameters(3))
    ['depth', 'init', 'lr', 'width']
    """
    rng = np.random.default_rng([seed, 2018])
    return {"lr": float(10 ** rng.uniform(-4, -1)), "width": int(rng.choice([16, 32, 64, 128])),
            "depth": int(rng.integers(1, 5)), "init": str(rng.choice(list(INITS)))}


def _size(quick: bool) -> tuple[int, int, int]:
    """Training samples, test samples, epochs."""
    return (800, 500, 2) if quick else (3_000, 1_000, 3)


def _grid(quick: bool) -> dict:
    return {"activation": list(ACTIVATIONS)}


def _analyse(rows: list[dict], quick: bool) -> Result:
    names = list(dict.fromkeys(r["params"]["activation"] for r in rows))
    seeds = list(dict.fromkeys(r["seed"] for r in rows))
    values = {"seeds": seeds, "draws": [hyperparameters(s) for s in seeds]}
    for name in names:
        values[name] = column(rows, "accuracy", activation=name)
    table_rows = []
    for name in sorted(names, key=lambda n: -np.nanmean(values[n])):
        acc = np.asarray(values[name], dtype=float)
        table_rows.append([name, summarise(acc).text(), float(np.nanmax(acc)), float(np.nanmedian(acc)),
                           float(np.nanmin(acc)), float(np.mean(acc > 0.5))])
    train_n, test_n, epochs = _size(quick)
    table = Table(f"Test accuracy on Fashion-MNIST ({train_n} training images, {epochs} epochs, Adam) over "
                  f"{len(seeds)} random draws of learning rate, width, depth and initialisation: mean ± standard deviation "
                  "[bootstrap 95% interval], best, median and worst draw, share of draws above 50%",
                  ["activation", "mean over draws", "best", "median", "worst", "share > 50%"], table_rows,
                  note="Every activation meets the same draws (draw i for seed i), so comparisons pair by draw. "
                       "Ranking by the best draw answers what an activation can do when tuned; the mean, what it "
                       "does when the hyperparameters are not tuned for it.")
    figures = [Figure("accuracy_over_draws", "Test accuracy of every draw (dots) and the mean over draws (bars)",
                      plots.strip_chart("Accuracy over random hyperparameters", {n: values[n] for n in names},
                                        "test accuracy"))]
    verdicts = []
    if "relu" in names:
        verdicts += [compare(f"averaged over random hyperparameters, {other}'s accuracy exceeds ReLU's", values[other],
                             values["relu"], paired=True, quick=quick) for other in ("silu", "leaky_relu")
                     if other in names]
        if "sigmoid" in names:
            verdicts.append(compare("averaged over random hyperparameters, ReLU's accuracy exceeds sigmoid's",
                                    values["relu"], values["sigmoid"], paired=True, quick=quick))
    best = max(names, key=lambda n: np.nanmax(values[n]))
    mean = max(names, key=lambda n: np.nanmean(values[n]))
    summary = (f"Best single draw: {best} ({np.nanmax(values[best]):.1%}); best mean over {len(seeds)} draws: {mean} "
               f"({np.nanmean(values[mean]):.1%}); worst mean: "
               f"{min(names, key=lambda n: np.nanmean(values[n]))}.")
    result = Result(summary, values, [table], figures)
    result.verdicts = verdicts
    return result


@swept_experiment(
    "robustness",
    "Robustness: accuracy over random hyperparameters",
    "An activation's best run says little about how it does in general: averaged over randomly drawn learning "
    "rates, widths, depths and initialisations, the ranking changes, and activations found best by search (Swish) "
    "do not beat ReLU-like ones on average.",
    "Eger, Youssef and Gurevych, 'Is it Time to Swish? Comparing Deep Learning Activation Functions Across NLP "
    "tasks', EMNLP 2018",
    grid=_grid, seeds=(4, 20), analyse=_analyse,
)
def trial(seed: int, quick: bool, activation: str, log_dir=None) -> dict:
    """One MLP with the hyperparameters drawn for ``seed``, trained on a Fashion-MNIST subset."""
    train_n, test_n, epochs = _size(quick)
    train, test = fashion_mnist_split(train_n, test_n)
    h = hyperparameters(seed)
    model = mlp([784] + [h["width"]] * h["depth"] + [10], activation, init=INITS[h["init"]])
    history = train_classifier(model, train, test, epochs, h["lr"], "Adam", batch_size=64, log_dir=log_dir)
    return {"accuracy": history["accuracy"][-1], **h}
