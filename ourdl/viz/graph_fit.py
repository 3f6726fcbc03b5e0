"""The seed's experiment in scalar nodes: ``ourdl.graph``'s 1-2-1 network fits y = x² sample by sample.

``fit_quadratic_graph`` trains :class:`ourdl.graph.TinyNetwork` (LeakyReLU units by default)
with gradient descent, one update per sample, and returns the same :class:`FitRecord` as the
tensor version, so ``animate_fit(path, record=...)`` and ``explain_fit(record)`` draw and
explain it: each frame shows the target, each hidden unit's bent line (the values of the
graph's unit nodes w2_j · act(w1_j x + b1_j) along x) and their sum, a polyline of h + 1 pieces.
"""

from __future__ import annotations

import numpy as np

from ..data import quadratic
from ..graph import TinyNetwork, fit
from ..progress import progress_bar
from .quadratic_fit import FitRecord

GRID_POINTS = 200


def fit_quadratic_graph(activation: str = "leaky_relu", hidden: int = 2, epochs: int = 300, lr: float = 0.02,
                        samples: int = 64, frames: int = 40, seed: int = 0, progress: bool = False,
                        **params) -> FitRecord:
    """Train the node-graph network on y = x², x in [0, 2], by stochastic gradient descent; keep ``frames`` snapshots.

    ``params`` go to the activation (default ``negative_slope=0.1`` for ``leaky_relu``). The
    losses are each epoch's mean squared error over the samples, measured as they are seen.
    ``record.model`` is the trained network as ``ourdl.nn`` modules (``TinyNetwork.to_module``).

    >>> record = fit_quadratic_graph(epochs=20, frames=3)
    >>> record.activation, len(record.frames), len(record.losses), record.losses[-1] < record.losses[0]
    ('leaky_relu', 3, 20, True)
    >>> units, bias, output = record.frames[-1][2:]
    >>> units.shape, bool(np.allclose(units.sum(axis=0) + bias, output))
    ((2, 200), True)
    """
    if activation == "leaky_relu":
        params.setdefault("negative_slope", 0.1)
    network = TinyNetwork(hidden, activation, seed=seed, **params)
    x, y = quadratic(n=samples, seed=seed).tensors
    pairs = list(zip(x.numpy()[:, 0].astype(float).tolist(), y.numpy()[:, 0].astype(float).tolist()))
    record = FitRecord(network.activation, np.linspace(0.0, 2.0, GRID_POINTS))
    snapshot_at = set(np.linspace(0, epochs, frames).round().astype(int).tolist())
    bar = progress_bar(total=epochs, desc=f"fit x² node by node ({network.activation})", disable=not progress, leave=False)

    def snapshot(epoch: int, loss: float) -> None:
        if epoch in snapshot_at:
            record.frames.append((epoch, loss, *_units(network, record.grid)))
        if epoch:
            record.losses.append(loss)
            bar.update()

    snapshot(0, float("nan"))
    fit(network, pairs, epochs, lr, seed=seed, on_epoch=snapshot)
    bar.close()
    record.model = network.to_module()
    return record


def _units(network: TinyNetwork, grid: np.ndarray):
    """Each unit node's value along ``grid``, the output bias, and the output node's values."""
    units = np.empty((len(network.units), len(grid)))
    output = np.empty(len(grid))
    for i, x in enumerate(grid.tolist()):
        output[i] = network(x)
        units[:, i] = [unit.value for unit in network.units]
    return units, network.b2.value, output
