"""The playground's data: ourdl's synthetic sets placed on TF Playground's square, split, and turned into features.

Two-input sets live on [-6, 6]² (TF Playground's square, where sin x1 bends); the
seeds' task ``quadratic`` is y = x² on [0, 2] with one input. Classification labels
are 0 and 1 (drawn orange and blue); regression targets are in about [-1, 1]
(``quadratic``: [0, 4]).

>>> from ourdl.playground.settings import Settings
>>> data = make(Settings(dataset="xor", points=100, train_percent=70))
>>> data.x_train.shape, data.x_test.shape, data.domain
((70, 2), (30, 2), (-6.0, 6.0))
>>> features(data.x_train[:2], ("x1", "x1x2")).shape
(2, 2)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data import synthetic
from .settings import Settings

# name -> (ourdl maker, noise at the slider's 50 %, centre of the set, scale onto [-6, 6]²)
_CLASSIFICATION = {
    "circles": (synthetic.circles, 0.25, (0.0, 0.0), 5.0),
    "xor": (synthetic.xor, 0.15, (0.0, 0.0), 5.0),
    "gaussians": (synthetic.gaussians, 0.5, (0.0, 0.0), 2.5),
    "spirals": (synthetic.spirals, 0.15, (0.0, 0.0), 5.0),
    "moons": (synthetic.moons, 0.25, (0.5, 0.25), 3.5),
}
_BUMPS = ((-2.0, 2.5, 1.0), (0.0, 2.5, -1.0), (2.0, 2.5, 1.0), (-2.0, -2.5, -1.0), (0.0, -2.5, 1.0),
          (2.0, -2.5, -1.0))  # (x1, x2, sign) of the Gaussian bumps of the "bumps" regression, as TF's reg-gauss


@dataclass
class Data:
    """Inputs (``float32``, one or two columns) and targets (``float32`` column) of the training and test points.

    >>> d = Data(np.zeros((3, 2)), np.ones((3, 1)), np.zeros((1, 2)), np.ones((1, 1)), (-6.0, 6.0))
    >>> len(d.x_train), len(d.x_test)
    (3, 1)
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    domain: tuple


def make(settings: Settings) -> Data:
    """The points of ``settings.dataset``: ``points`` of them, ``noise`` %, drawn from ``data_seed``, split by ``train_percent``.

    >>> from ourdl.playground.settings import Settings
    >>> d = make(Settings(dataset="quadratic", problem="regression", features=("x1",), points=10, noise=0))
    >>> bool(np.allclose(d.y_train, d.x_train ** 2, atol=1e-6)), d.domain
    (True, (0.0, 2.0))
    """
    n, level, seed = settings.points, settings.noise / 50.0, settings.data_seed
    if settings.dataset in _CLASSIFICATION:
        maker, full_noise, centre, scale = _CLASSIFICATION[settings.dataset]
        noise = 0.15 + full_noise * level if settings.dataset == "gaussians" else full_noise * level
        x, y = (t.numpy() for t in maker(n=n, noise=noise, seed=seed).tensors)
        x = (x - np.asarray(centre, dtype=np.float32)) * np.float32(scale)
        y = y.astype(np.float32)[:, None]
        domain = (-6.0, 6.0)
    elif settings.dataset == "quadratic":
        x, y = (t.numpy() for t in synthetic.quadratic(n=n, noise=0.5 * level, seed=seed).tensors)
        domain = (0.0, 2.0)
    else:
        rng = np.random.default_rng(seed)
        x = rng.uniform(-6.0, 6.0, (n, 2)).astype(np.float32)
        y = _plane(x) if settings.dataset == "plane" else _bumps(x)
        y = (y + 0.5 * level * rng.standard_normal(n)).astype(np.float32)[:, None]
        domain = (-6.0, 6.0)
    cut = max(1, min(n - 1, round(n * settings.train_percent / 100)))
    return Data(x[:cut], y[:cut], x[cut:], y[cut:], domain)


def _plane(x: np.ndarray) -> np.ndarray:
    return (x[:, 0] + x[:, 1]) / 12.0


def _bumps(x: np.ndarray) -> np.ndarray:
    return sum(sign * np.exp(-((x[:, 0] - a) ** 2 + (x[:, 1] - b) ** 2) / 2.0) for a, b, sign in _BUMPS)


_FEATURES = {
    "x1": lambda x: x[:, 0], "x2": lambda x: x[:, 1], "x1sq": lambda x: x[:, 0] ** 2, "x2sq": lambda x: x[:, 1] ** 2,
    "x1x2": lambda x: x[:, 0] * x[:, 1], "sinx1": lambda x: np.sin(x[:, 0]), "sinx2": lambda x: np.sin(x[:, 1]),
}


def features(x: np.ndarray, names) -> np.ndarray:
    """The network's input: one ``float32`` column per feature name (x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2) of ``x``.

    >>> features(np.array([[2.0, 3.0]]), ("x1sq", "x1x2")).tolist()
    [[4.0, 6.0]]
    """
    return np.stack([_FEATURES[name](x) for name in names], axis=1).astype(np.float32)


def grid(domain: tuple, size: int, one_dimensional: bool) -> np.ndarray:
    """Points covering the plot: ``size`` along x1 (1-D) or ``size × size`` rows top to bottom (x2 falling).

    >>> grid((0.0, 2.0), 3, True).ravel().tolist()
    [0.0, 1.0, 2.0]
    >>> grid((-6.0, 6.0), 2, False).tolist()
    [[-6.0, 6.0], [6.0, 6.0], [-6.0, -6.0], [6.0, -6.0]]
    """
    axis = np.linspace(domain[0], domain[1], size, dtype=np.float32)
    if one_dimensional:
        return axis[:, None]
    x1, x2 = np.meshgrid(axis, axis[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1)
