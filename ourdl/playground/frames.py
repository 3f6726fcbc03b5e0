"""What the page draws, computed from a :class:`~ourdl.playground.run.Run`: one JSON-ready dict per frame.

A frame holds the output over the plot (100 × 100 values, or a curve for the one-input
task), every unit's output over a coarser grid, each hidden layer's activation curve
with a histogram per unit of its pre-activations on the training points (dead units,
whose derivative is zero at every training point, are flagged), the weights and
biases, each layer's gradient norm, and the losses. Grids travel as bytes in base64
(one byte per value, scaled by the largest magnitude), which keeps a frame near 20 kB.

>>> from ourdl.playground.run import Run
>>> from ourdl.playground.settings import Settings
>>> f = frame(Run(Settings(layers=(3,), points=50)), points=True)
>>> f["surface"]["size"], len(f["layers"][0]["units"]), len(f["points"]["train"])
(100, 3, 25)
"""

from __future__ import annotations

import base64
import math

import numpy as np

import ourdl

from .. import nn
from ..autograd.engine import grad
from . import datasets
from .settings import FEATURES, ONE_D_FEATURES

SURFACE = 100   # output heatmap side; a 1-D task draws a curve of CURVE points instead
UNIT = 24       # side of each unit's heatmap
CURVE = 160     # samples of the one-input task's curves
ACTIVATION_SAMPLES = 64
BINS = 24


def encode(values: np.ndarray, scale: float | None = None) -> dict:
    """Bytes 0..255 for ``values`` / ``scale`` in [-1, 1] (clamped; NaN as 0), base64, with the scale used.

    >>> encode(np.array([-2.0, 0.0, 2.0]))
    {'scale': 2.0, 'data': 'AID/'}
    """
    values = np.asarray(values, dtype=np.float64)
    if not np.isfinite(values).all():
        values = np.where(np.isfinite(values), values, 0.0)
    if scale is None:
        scale = float(np.abs(values).max()) if values.size else 1.0
        scale = scale if scale > 1e-12 else 1.0
    codes = np.clip(np.round((values / scale + 1.0) * 127.5), 0, 255).astype(np.uint8)
    return {"scale": scale, "data": base64.b64encode(codes.tobytes()).decode("ascii")}


def _rounded(values, digits: int = 4) -> list:
    values = np.round(np.asarray(values, dtype=np.float64).ravel(), digits)
    if np.isfinite(values).all():
        return values.tolist()
    return [v if math.isfinite(v) else None for v in values.tolist()]  # JSON has no NaN: the page reads null


def _walk(model, x) -> list:
    """(pre-activation, output) of every hidden layer for the inputs ``x``, then the network's last Linear output."""
    out, layers, pre = x, [], None
    for layer in model:
        out = layer(out)
        if isinstance(layer, nn.Linear):
            pre = out
        else:
            layers.append((pre.numpy(), out.numpy()))
    return layers


def _display(run, x: np.ndarray) -> np.ndarray:
    """The output as drawn: in [-1, 1] for classes (tanh of the logit, or 2σ - 1 for cross-entropy), else the value."""
    out = run.predict(ourdl.tensor(x)) if run.settings.loss == "squared" else ourdl.tanh(run.model(ourdl.tensor(x)) / 2)
    return out.numpy()[:, 0]


def _curves(module, pre: np.ndarray) -> dict:
    """The activation over the layer's range, a histogram per unit of ``pre``, and which units are dead or flat."""
    finite = pre[np.isfinite(pre)]
    reach = float(np.abs(finite).max()) if finite.size else 1.0
    reach = min(max(reach * 1.1, 1.0), 1e4)
    xs = np.linspace(-reach, reach, ACTIVATION_SAMPLES, dtype=np.float32)
    with ourdl.no_grad():
        ys = module(ourdl.tensor(xs)).numpy()
    z = ourdl.tensor(np.nan_to_num(pre), requires_grad=True)
    with ourdl.enable_grad():
        (slope,) = grad(module(z).sum(), [z], allow_unused=True)
    slope = np.zeros_like(pre) if slope is None else np.abs(slope.numpy())
    # one bincount for every unit's histogram: bin index plus BINS times the unit's column
    bins = np.clip(((np.nan_to_num(pre) + reach) * (BINS / (2 * reach))).astype(np.int64), 0, BINS - 1)
    counts = np.bincount((bins + BINS * np.arange(pre.shape[1])).ravel(), minlength=BINS * pre.shape[1])
    return {
        "reach": reach, "curve": _rounded(ys), "hist": counts.reshape(pre.shape[1], BINS).tolist(),
        "dead": [bool(len(column) and not column.any()) for column in slope.T],
        "flat": [round(float((column < 1e-2).mean()), 3) if len(column) else 0.0 for column in slope.T],
    }


def frame(run, points: bool = False, history_from: int = 0) -> dict:
    """The dict the page draws for ``run`` now; ``points`` adds the data points, ``history_from`` the losses since then.

    >>> from ourdl.playground.run import Run
    >>> from ourdl.playground.settings import Settings
    >>> f = frame(Run(Settings(dataset="quadratic", problem="regression", features=("x1",), layers=(2,))))
    >>> len(f["surface"]["curve"]), len(f["bent"]["units"])
    (160, 2)
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # a diverged run's NaNs are drawn as such
        return _frame(run, points, history_from)


def _frame(run, points: bool, history_from: int) -> dict:
    s, data = run.settings, run.data
    one_d = s.one_dimensional
    surface_grid = datasets.grid(data.domain, CURVE if one_d else SURFACE, one_d)
    unit_grid = surface_grid if one_d else datasets.grid(data.domain, UNIT, one_d)
    unit_inputs = datasets.features(unit_grid, s.features)
    candidates = ONE_D_FEATURES if one_d else FEATURES  # all drawn, so the page shows what each would add
    run.model.eval()
    with ourdl.no_grad():
        surface = _display(run, datasets.features(surface_grid, s.features))
        on_grid = _walk(run.model, ourdl.tensor(unit_inputs))
        on_train = _walk(run.model, run.x_train)
        bent = _walk(run.model, ourdl.tensor(datasets.features(surface_grid, s.features))) if one_d else None
    last = run.history[-1] if run.history else None
    train, test = last[1:] if last and last[0] == run.step else run.losses()  # measured once per step
    layers = []
    hidden = [layer for layer in run.model if not isinstance(layer, nn.Linear)]
    for (pre, _), (_, out), module in zip(on_train, on_grid, hidden):
        curves = _curves(module, pre)
        units = [{"dead": curves["dead"][j], "flat": curves["flat"][j], "hist": curves["hist"][j],
                  **({"curve": _rounded(out[:, j])} if one_d else {"heat": encode(out[:, j])})}
                 for j in range(out.shape[1])]
        layers.append({"activation": str(module), "reach": curves["reach"], "curve": curves["curve"], "units": units})
    result = {
        "step": run.step, "epoch": run.epoch, "trainLoss": _rounded([train], 6)[0], "testLoss": _rounded([test], 6)[0],
        "history": [[h[0], *_rounded(h[1:], 6)] for h in run.history[history_from:]],
        "gradNorms": _rounded(run.grad_norms, 6),
        "surface": {"size": CURVE if one_d else SURFACE, **({"curve": _rounded(surface)} if one_d else encode(surface, 1.0))},
        "features": {name: ({"curve": _rounded(column)} if one_d else {"heat": encode(column)})
                     for name, column in zip(candidates, datasets.features(unit_grid, candidates).T)},
        "weights": [[_rounded(row) for row in layer.weight.detach().numpy()] for layer in run.linears],
        "biases": [_rounded(layer.bias.detach().numpy()) for layer in run.linears],
        "layers": layers, "diverged": run.diverged,
    }
    if one_d and bent:
        w_out = run.linears[-1].weight.detach().numpy()[0]
        result["bent"] = {"units": [_rounded(bent[-1][1][:, j] * w_out[j]) for j in range(len(w_out))],
                          "bias": _rounded(run.linears[-1].bias.detach().numpy())[0]}
    if points:
        result["points"] = {"domain": list(data.domain), "train": _points(data.x_train, data.y_train),
                            "test": _points(data.x_test, data.y_test)}
    return result


def _points(x: np.ndarray, y: np.ndarray) -> list:
    return [[*_rounded(a, 3), _rounded(b, 3)[0]] for a, b in zip(x, y)]
