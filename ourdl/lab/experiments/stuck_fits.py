"""Experiment 1: fitting y = x² with one hidden unit, from many random starts, per activation."""

from __future__ import annotations

import numpy as np

import ourdl
from ourdl import nn, optim
from ourdl.nn.mlp import make_activation
from ourdl.train.diagnostics import DeadUnitTracker

from .. import plots
from ..registry import experiment
from ..statistics import compare
from ..result import Figure, Result, Table

ACTIVATIONS = ("relu", "leaky_relu", "elu", "gelu", "silu", "softplus", "tanh", "sigmoid")


class OneHiddenUnit(nn.Module):
    """``runs`` independent 1-1-1 networks :math:`y = w_2 f(w_1 x + b_1) + b_2`, side by side.

    Input ``(N, 1)``, output ``(N, runs)``: column ``r`` is network ``r``. Each
    parameter is drawn from U(-1, 1), as ``nn.Linear(1, 1)`` draws it; summing
    the per-network losses gives each network exactly its own gradient.
    """

    def __init__(self, runs: int, act: str):
        super().__init__()
        for name in ("w1", "b1", "w2", "b2"):
            setattr(self, name, nn.Parameter(nn.init.uniform_(ourdl.empty(runs), -1.0, 1.0)))
        self.act = make_activation(act)

    def forward(self, x):
        return self.act(x * self.w1 + self.b1) * self.w2 + self.b2


def judge(runs: list[dict], quick: bool) -> list:
    """LeakyReLU and the smooth activations reach a good fit more often than ReLU (share of starts, per seed)."""
    def share(name):
        return [v[name]["good_share"] for v in runs]

    return [compare(f"{name} reaches a good fit more often than ReLU", share(name), share("relu"), paired=True,
                    quick=quick) for name in ("leaky_relu", "elu", "gelu", "tanh")]

@experiment(
    "stuck_fits",
    "Stuck fits: one hidden unit fitting y = x²",
    "A 1-1-1 ReLU network fitting y = x² on [0, 2] often gets stuck (a dead unit, or a straight line) from random "
    "starts, while LeakyReLU and smooth activations keep going and reach a good fit more often.",
    "the seed project's observation; dead units: Lu et al., 'Dying ReLU and Initialization', 2019",
    seeds=(3, 10), judge=judge,
)
def measure(seed: int, quick: bool) -> Result:
    runs, steps, lr = (50, 400, 0.05) if quick else (200, 4000, 0.05)
    x = ourdl.linspace(0, 2, 64).reshape(-1, 1)
    y = x * x
    line = np.polyfit(x.numpy().ravel(), y.numpy().ravel(), 1)
    line_loss = float(np.mean((np.polyval(line, x.numpy().ravel()) - y.numpy().ravel()) ** 2))
    good = line_loss / 2
    values = {"runs": runs, "steps": steps, "lr": lr, "line_loss": line_loss, "good_fit_below": good}
    for name in ACTIVATIONS:
        model = OneHiddenUnit(runs, name)
        optimizer = optim.SGD(model.parameters(), lr=lr)
        for _ in range(steps):
            optimizer.zero_grad()
            ((model(x) - y) ** 2).mean(0).sum().backward()
            optimizer.step()
        with DeadUnitTracker(model) as tracker, ourdl.no_grad():
            losses = ((model(x) - y) ** 2).mean(0).numpy().astype(float)
        losses = np.nan_to_num(losses, nan=np.inf)
        values[name] = {"losses": losses.tolist(), "good_share": float(np.mean(losses < good)),
                        "median_loss": float(np.median(losses)), "dead": int(tracker.dead_counts()["act"])}
    order = sorted(ACTIVATIONS, key=lambda n: -values[n]["good_share"])
    table = Table(f"{runs} random starts per activation, {steps} steps of SGD (lr {lr})",
                  ["activation", "good fits", "median loss", "best loss", "worst loss", "dead unit at the end"],
                  [[n, f"{values[n]['good_share']:.0%}", values[n]["median_loss"], min(values[n]["losses"]),
                    max(values[n]["losses"]), f"{values[n]['dead']}/{runs}"] for n in order],
                  note=f"A good fit has mean squared error below {good:.4f}: half that of the best straight line "
                       f"({line_loss:.4f}). A dead unit's input is negative on every x in [0, 2].")

    def box(ax, data):
        ax.hist(np.log10(np.maximum(data, 1e-8)), bins=20, color="tab:blue")
        ax.axvline(np.log10(good), color="tab:red", linestyle="--", linewidth=1)
        ax.set_xlabel("log10 final loss", fontsize=8)

    figures = [
        Figure("good_fits", "Share of random starts that reach a good fit",
               plots.bar_chart("Good fits of y = x² with one hidden unit", order,
                               [values[n]["good_share"] for n in order], "share of starts")),
        Figure("loss_distribution", "Distribution of the final loss per activation (red: the good-fit threshold)",
               plots.panel_grid("Final loss over random starts", {n: values[n]["losses"] for n in order}, box,
                                columns=4)),
    ]
    best, worst = order[0], order[-1]
    summary = (f"Out of {runs} starts, {values['relu']['good_share']:.0%} of ReLU networks reached a good fit "
               f"({values['relu']['dead']} ended with a dead unit) against {values['leaky_relu']['good_share']:.0%} "
               f"for LeakyReLU; best {best} ({values[best]['good_share']:.0%}), worst {worst} "
               f"({values[worst]['good_share']:.0%}).")
    return Result(summary, values, [table], figures)
