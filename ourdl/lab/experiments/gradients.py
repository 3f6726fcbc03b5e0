"""Experiment 3: gradients vanish layer by layer in deep sigmoid networks; clipping tames exploding ones."""

from __future__ import annotations

import numpy as np

import ourdl
from ourdl import nn, optim
from ourdl.data import DataLoader
from ourdl.train.diagnostics import ActivationStats, gradient_norms

from .. import plots
from ..data import digits_split
from ..models import linears, mlp
from ..registry import experiment
from ..statistics import compare, compare_to
from ..result import Figure, Result, Table

ACTIVATIONS = ("sigmoid", "tanh", "relu")
CLIPS = (None, 1.0)


def _deep(name: str, depth: int, width: int) -> nn.Sequential:
    gain = nn.init.calculate_gain(name)
    return mlp([64] + [width] * depth + [10], name, init=lambda w: nn.init.xavier_uniform_(w, gain=gain))


def _train(name, depth, width, train, steps, lr, clip) -> dict:
    """SGD on digits; the total gradient norm before clipping and the loss at every step."""
    model = _deep(name, depth, width)
    optimizer = optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    loader = DataLoader(train, batch_size=64, shuffle=True)
    norms, losses = [], []
    with np.errstate(all="ignore"):  # an exploding run is a result to report, not a fault
        while len(losses) < steps:
            for x, y in loader:
                optimizer.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                norms.append(float(nn.utils.clip_grad_norm_(model.parameters(),
                                                            float("inf") if clip is None else clip)))
                optimizer.step()
                losses.append(loss.item())
                if len(losses) == steps:
                    break
    return {"grad_norm": norms, "loss": losses}


def judge(runs: list[dict], quick: bool) -> list:
    """Sigmoid's first layer gets under 1% of its last layer's gradient; tanh and ReLU keep far more."""
    def ratio(name):
        return [float(np.log10(v[name]["first_over_last"])) for v in runs]

    return [compare_to("sigmoid: log10(first-layer / last-layer gradient norm) is below -2", ratio("sigmoid"), -2.0,
                       greater=False, quick=quick)] + [
            compare(f"{name} keeps more gradient at the first layer than sigmoid (log10 ratio)", ratio(name),
                    ratio("sigmoid"), paired=True, quick=quick) for name in ("tanh", "relu")]

@experiment(
    "gradients",
    "Vanishing and exploding gradients",
    "In a deep network of sigmoid units the gradient shrinks layer by layer on its way back, so the first layers "
    "barely learn; tanh and ReLU with their matching initialisation keep it far better, and clipping the gradient "
    "norm bounds the steps when gradients explode.",
    "Glorot and Bengio, 'Understanding the difficulty of training deep feedforward neural networks', AISTATS 2010; "
    "Pascanu, Mikolov and Bengio, 'On the difficulty of training recurrent neural networks', ICML 2013 (clipping)",
    seeds=(3, 10), judge=judge,
)
def measure(seed: int, quick: bool) -> Result:
    depth, width, steps, lr = (10, 64, 30, 0.1) if quick else (30, 128, 300, 0.1)
    train, _ = digits_split(512 if quick else None)
    x, y = (t[:256] for t in train.tensors)
    values = {"depth": depth, "width": width, "steps": steps, "lr": lr}
    histograms = {}
    for name in ACTIVATIONS:
        ourdl.manual_seed(seed)
        model = _deep(name, depth, width)
        with ActivationStats(model, keep_values=True) as stats:
            nn.CrossEntropyLoss()(model(x), y).backward()
        grads = gradient_norms(model)
        per_layer = [grads[f"{layer}.weight"] for layer in linears(model)]
        layers = list(stats.modules)
        for label, layer in (("first", layers[0]), ("middle", layers[len(layers) // 2]), ("last", layers[-1])):
            histograms[f"{name}, {label} hidden layer"] = stats.last[layer].ravel()
        values[name] = {"grad_norm_per_layer": per_layer, "first_over_last": per_layer[0] / per_layer[-1],
                        "activation_std": [s["std"] for s in stats.stats().values()]}
        for clip in CLIPS:
            ourdl.manual_seed(seed)
            values[name][f"clip={clip}"] = _train(name, depth, width, train, steps, lr, clip)
    n_layers = depth + 1
    per_layer_table = Table("Gradient norm of each layer's weights at initialisation (one batch of 256 digits)",
                            ["layer"] + list(ACTIVATIONS),
                            [[i + 1] + [values[n]["grad_norm_per_layer"][i] for n in ACTIVATIONS]
                             for i in range(n_layers)])
    summary_rows = []
    for name in ACTIVATIONS:
        for clip in CLIPS:
            run = values[name][f"clip={clip}"]
            summary_rows.append([name, values[name]["first_over_last"], "none" if clip is None else clip,
                                 max(run["grad_norm"]), run["loss"][0], run["loss"][-1]])
    summary_table = Table(f"Deep MLP ({depth} hidden layers of {width}), Xavier-uniform with the activation's gain; "
                          f"{steps} SGD steps at lr {lr}",
                          ["activation", "first/last layer gradient", "clip norm", "largest gradient norm",
                           "first loss", "last loss"], summary_rows)
    layer_axis = range(1, n_layers + 1)
    step_axis = range(1, steps + 1)
    runs = {f"{n}, clip {c}": values[n][f"clip={c}"] for n in ACTIVATIONS for c in CLIPS}
    figures = [
        Figure("gradient_per_layer", "Gradient norm of each layer's weights at initialisation (log scale)",
               plots.line_chart("Gradient norm by layer", {n: (layer_axis, values[n]["grad_norm_per_layer"])
                                                           for n in ACTIVATIONS}, "layer", "gradient norm", logy=True)),
        Figure("activation_histograms", "Histograms of the activations in the first, middle and last hidden layer",
               plots.panel_grid("Activations through depth", histograms, plots.histogram)),
        Figure("training_loss", "Training loss per step, with and without clipping the gradient norm at 1",
               plots.line_chart("Training loss", {k: (step_axis, r["loss"]) for k, r in runs.items()},
                                "step", "loss")),
        Figure("training_grad_norm", "Total gradient norm per step, before clipping (log scale)",
               plots.line_chart("Gradient norm during training", {k: (step_axis, r["grad_norm"])
                                                                  for k, r in runs.items()},
                                "step", "gradient norm", logy=True)),
    ]
    summary = (f"With {depth} hidden layers, the first layer's gradient was "
               + ", ".join(f"{values[n]['first_over_last']:.2g} times the last layer's for {n}" for n in ACTIVATIONS)
               + ".")
    return Result(summary, values, [summary_table, per_layer_table], figures)
