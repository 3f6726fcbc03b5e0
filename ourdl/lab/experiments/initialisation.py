"""Experiment 4: ReLU networks keep their signal's variance with Kaiming initialisation, halve it with Xavier."""

from __future__ import annotations

import numpy as np

from ourdl import nn

from .. import plots
from ..models import gaussian_batch, layer_statistics, linears, mlp
from ..registry import experiment
from ..statistics import compare, compare_to
from ..result import Figure, Result, Table

# init name -> (initialiser, theoretical ratio Var[y_{l+1}] / Var[y_l] for ReLU on a square layer)
INITS = {
    "xavier": (nn.init.xavier_normal_, 0.5),
    "kaiming": (lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"), 1.0),
}


def judge(runs: list[dict], quick: bool) -> list:
    """Xavier loses variance at each layer; Kaiming keeps more and stays within a factor 4 over the depth."""
    xavier = [v["xavier"]["mean_ratio"] for v in runs]
    kaiming = [v["kaiming"]["mean_ratio"] for v in runs]
    drift = [abs(np.log(v["kaiming"]["variance"][-1] / v["kaiming"]["variance"][0])) for v in runs]
    return [compare_to("with Xavier, the per-layer variance ratio is below 0.75 (theory 1/2)", xavier, 0.75,
                       greater=False, quick=quick),
            compare("Kaiming's per-layer variance ratio exceeds Xavier's", kaiming, xavier, paired=True, quick=quick),
            compare_to("with Kaiming, |log(last variance / first)| stays below log 4", drift, float(np.log(4)),
                       greater=False, quick=quick)]

@experiment(
    "initialisation",
    "Initialisation and variance",
    "With ReLU, Xavier initialisation (Var[w] = 1/n on a square layer) halves the variance of the pre-activations "
    "at every layer, while Kaiming initialisation (Var[w] = 2/n) keeps it constant through any depth.",
    "He, Zhang, Ren and Sun, 'Delving Deep into Rectifiers', ICCV 2015; Glorot and Bengio, AISTATS 2010",
    seeds=(3, 10), judge=judge,
)
def measure(seed: int, quick: bool) -> Result:
    depth, width, batch = (30, 512, 256) if quick else (50, 1024, 1024)
    x = gaussian_batch(seed, batch, width)
    values = {"depth": depth, "width": width, "batch": batch}
    for name, (init, theory) in INITS.items():
        model = mlp([width] * (depth + 1), "relu", init=init, zero_bias=True)
        variances = [s["var"] for s in layer_statistics(model, x, linears(model))]
        ratios = [b / a for a, b in zip(variances[:-1], variances[1:])]
        values[name] = {"variance": variances, "ratio": ratios, "theory": theory,
                        "mean_ratio": float(np.exp(np.mean(np.log(ratios))))}
    xa, ka = values["xavier"], values["kaiming"]
    rows = [[layer + 1, xa["variance"][layer], xa["ratio"][layer - 1] if layer else "", 0.5,
             ka["variance"][layer], ka["ratio"][layer - 1] if layer else "", 1.0] for layer in range(depth)]
    table = Table("Variance of each layer's pre-activations, and its ratio to the layer before",
                  ["layer", "Var Xavier", "ratio Xavier", "theory", "Var Kaiming", "ratio Kaiming", "theory"], rows)
    summary_table = Table("Per-layer ratio (geometric mean over the layers) against theory",
                          ["initialisation", "measured ratio", "theoretical ratio", f"variance at layer {depth}"],
                          [[n, values[n]["mean_ratio"], values[n]["theory"], values[n]["variance"][-1]] for n in INITS])
    layers = range(1, depth + 1)
    figures = [
        Figure("variance", "Pre-activation variance per layer (log scale)",
               plots.line_chart("Variance through a ReLU network", {n: (layers, values[n]["variance"]) for n in INITS},
                                "layer", "variance", logy=True)),
        Figure("ratio", "Measured ratio Var[layer l+1] / Var[layer l] beside the theoretical 1/2 and 1",
               plots.line_chart("Per-layer variance ratio", {n: (layers[1:], values[n]["ratio"]) for n in INITS},
                                "layer", "ratio", reference={"theory, Xavier: 1/2": 0.5, "theory, Kaiming: 1": 1.0})),
    ]
    summary = (f"Through {depth} ReLU layers of width {width}, the variance ratio per layer was "
               f"{xa['mean_ratio']:.3f} with Xavier (theory 0.5) and {ka['mean_ratio']:.3f} with Kaiming (theory 1); "
               f"after {depth} layers the variance was {xa['variance'][-1]:.3g} against {ka['variance'][-1]:.3g}.")
    return Result(summary, values, [summary_table, table], figures)
