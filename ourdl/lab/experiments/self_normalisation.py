"""Experiment 5: SELU with LeCun-normal weights keeps mean 0 and variance 1 through 100 layers."""

from __future__ import annotations

import numpy as np

from ourdl import nn

from .. import plots
from ..models import gaussian_batch, layer_statistics, mlp
from ..registry import experiment
from ..statistics import compare, compare_to
from ..result import Figure, Result, Table

ACTIVATIONS = ("selu", "relu", "tanh")


def lecun_normal_(weight):
    """LeCun normal: :math:`\\mathcal N(0, 1/\\text{fan\\_in})`, the initialisation SELU's fixed point assumes."""
    return nn.init.kaiming_normal_(weight, nonlinearity="linear")


def judge(runs: list[dict], quick: bool) -> list:
    """SELU's last-layer variance stays near 1, nearer than ReLU's and tanh's (distance: |log variance|)."""
    def distance(name):
        return [abs(float(np.log(max(v[name]["var"][-1], 1e-300)))) for v in runs]

    return [compare_to("SELU's variance after the last layer is within a factor 1.25 of 1",
                       distance("selu"), float(np.log(1.25)), greater=False, quick=quick)] + [
            compare(f"SELU's last variance is nearer 1 than {other}'s (|log variance|)", distance("selu"),
                    distance(other), paired=True, greater=False, quick=quick) for other in ("relu", "tanh")]

@experiment(
    "self_normalisation",
    "Self-normalisation",
    "With LeCun-normal initialisation, SELU activations keep a mean near 0 and a variance near 1 through many "
    "layers (a stable fixed point of the layer map), while ReLU and tanh networks drift away from it.",
    "Klambauer, Unterthiner, Mayr and Hochreiter, 'Self-Normalizing Neural Networks', NeurIPS 2017",
    seeds=(3, 10), judge=judge,
)
def measure(seed: int, quick: bool) -> Result:
    depth, width, batch = (100, 256, 256) if quick else (100, 512, 1024)
    x = gaussian_batch(seed, batch, width)
    values = {"depth": depth, "width": width, "batch": batch}
    for name in ACTIVATIONS:
        model = mlp([width] * (depth + 2), name, init=lecun_normal_, zero_bias=True)
        stats = layer_statistics(model, x)
        values[name] = {"mean": [s["mean"] for s in stats], "var": [s["var"] for s in stats]}
    marks = sorted({1, 10, 25, 50, depth})
    table = Table("Mean and variance of the activations at chosen layers",
                  ["layer"] + [f"{n} {stat}" for n in ACTIVATIONS for stat in ("mean", "var")],
                  [[m] + [values[n][stat][m - 1] for n in ACTIVATIONS for stat in ("mean", "var")] for m in marks])
    selu = values["selu"]
    range_table = Table("Range over all layers", ["activation", "min var", "max var", "max |mean|"],
                        [[n, min(values[n]["var"]), max(values[n]["var"]), max(abs(m) for m in values[n]["mean"])]
                         for n in ACTIVATIONS])
    layers = range(1, depth + 1)
    figures = [
        Figure("variance", "Variance of each layer's activations (log scale); SELU stays at 1",
               plots.line_chart("Variance through depth", {n: (layers, values[n]["var"]) for n in ACTIVATIONS},
                                "layer", "variance", logy=True, reference={"1": 1.0})),
        Figure("mean", "Mean of each layer's activations; SELU stays at 0",
               plots.line_chart("Mean through depth", {n: (layers, values[n]["mean"]) for n in ACTIVATIONS},
                                "layer", "mean", reference={"0": 0.0})),
    ]
    summary = (f"Through {depth} layers of width {width} with LeCun-normal weights, SELU's variance stayed in "
               f"[{min(selu['var']):.3f}, {max(selu['var']):.3f}] and its mean within ±{max(map(abs, selu['mean'])):.3f}; "
               f"ReLU's variance fell to {values['relu']['var'][-1]:.3g} and tanh's to {values['tanh']['var'][-1]:.3g}.")
    return Result(summary, values, [range_table, table], figures)
