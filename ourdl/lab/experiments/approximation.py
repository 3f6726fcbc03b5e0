"""Experiment 6: one hidden layer of n units fits a target better as n grows (universal approximation)."""

from __future__ import annotations

import math

import numpy as np

import ourdl
from ourdl import nn, optim

from .. import plots
from ..models import mlp
from ..registry import experiment
from ..statistics import compare_to
from ..result import Figure, Result, Table

TARGETS = {
    "x²": lambda x: x * x,
    "sin(πx)": lambda x: ourdl.sin(math.pi * x),
    "|x|": lambda x: x.abs(),
    "step": lambda x: (x > 0).to(ourdl.float32),
}


def fit(act: str, units: int, target, steps: int, lr: float = 0.01) -> float:
    """Train ``1 -> units -> 1`` with Adam on 256 points of [-1, 1]; returns the final mean squared error."""
    x = ourdl.linspace(-1, 1, 256).reshape(-1, 1)
    y = target(x)
    model = mlp([1, units, 1], act)
    optimizer = optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    with ourdl.no_grad():
        return loss_fn(model(x), y).item()


def judge(runs: list[dict], quick: bool) -> list:
    """For each activation and continuous target, the error with the most units is below that with one unit."""
    verdicts = []
    for key in [k for k in runs[0] if "/" in k and not k.startswith("step")]:
        drops = [float(np.log10(v[key][-1] / v[key][0])) for v in runs]
        verdicts.append(compare_to(f"{key}: the error falls from 1 to {runs[0]['units'][-1]} units "
                                   "(log10 of their ratio below 0)", drops, 0.0, greater=False, quick=quick))
    return verdicts

@experiment(
    "approximation",
    "Universal approximation with one hidden layer",
    "A network with one hidden layer of enough units approximates any continuous function on an interval as "
    "closely as wanted, for any non-polynomial activation; the error falls as units are added (a step, being "
    "discontinuous, is approached in mean square only).",
    "Cybenko, 'Approximation by superpositions of a sigmoidal function', 1989; Hornik, 'Approximation "
    "capabilities of multilayer feedforward networks', 1991; Leshno, Lin, Pinkus and Schocken, 1993",
    seeds=(3, 5), judge=judge,
)
def measure(seed: int, quick: bool) -> Result:
    units, activations, steps = ((1, 4, 16), ("relu", "tanh"), 300) if quick else \
        ((1, 2, 4, 8, 16, 32, 64), ("relu", "tanh", "sigmoid", "gelu"), 2000)
    values = {"units": list(units), "steps": steps}
    for target_name, target in TARGETS.items():
        for act in activations:
            errors = []
            for n in units:
                ourdl.manual_seed(seed)
                errors.append(fit(act, n, target, steps))
            values[f"{target_name}/{act}"] = errors
    table = Table(f"Mean squared error after {steps} Adam steps, by hidden units",
                  ["target", "activation"] + [f"n={n}" for n in units],
                  [[t, a] + values[f"{t}/{a}"] for t in TARGETS for a in activations])
    figures = [Figure(
        "error_vs_units", "Final error against the number of hidden units (log-log), one panel per target",
        plots.panel_grid("Error against hidden units", {t: {a: values[f"{t}/{a}"] for a in activations}
                                                         for t in TARGETS},
                         lambda ax, curves: _draw(ax, units, curves), columns=2, size=(4.2, 3.0)))]
    drops = {t: np.mean([values[f"{t}/{a}"][0] / max(values[f"{t}/{a}"][-1], 1e-12) for a in activations])
             for t in TARGETS}
    summary = (f"From 1 to {units[-1]} hidden units the error fell on average by a factor of "
               + ", ".join(f"{drops[t]:.3g} for {t}" for t in TARGETS) + f" ({', '.join(activations)}).")
    return Result(summary, values, [table], figures)


def _draw(ax, units, curves) -> None:
    for act, errors in curves.items():
        ax.plot(units, errors, marker="o", markersize=3, label=act)
    ax.set(xscale="log", yscale="log", xlabel="hidden units", ylabel="MSE")
    ax.legend(fontsize=7)
