"""Small synthetic datasets to learn on: two regressions and the classic 2-D classification sets.

Each function takes ``n`` (samples), ``noise`` (standard deviation of the Gaussian noise added)
and ``seed`` (its own NumPy generator: the global ``ourdl`` generator is left alone), and
returns a :class:`~ourdl.data.TensorDataset` of ``float32`` inputs and either ``float32``
targets of shape ``(n, 1)`` (regressions) or ``int64`` class labels of shape ``(n,)``.

>>> ds = quadratic(n=4, seed=0)
>>> x, y = ds.tensors
>>> bool(((x * x - y).abs() < 1e-6).all())
True
>>> x, y = spirals(n=6, seed=0).tensors
>>> tuple(x.shape), y.tolist()
((6, 2), [1, 1, 0, 0, 1, 0])
"""

from __future__ import annotations

import functools

import numpy as np

from ..tensor import Tensor
from .dataset import TensorDataset


def _dataset(make):
    """Wrap ``make(rng, n, noise, **options) -> (x, y)``: seed, shuffle the rows, return a TensorDataset."""

    @functools.wraps(make)
    def build(n: int = 200, noise: float | None = None, seed: int = 0, **options) -> TensorDataset:
        if int(n) != n or n < 1:
            raise ValueError(f"{make.__name__}: n should be a positive integer, got {n!r}")
        rng = np.random.default_rng(seed)
        noise = default_noise if noise is None else noise
        x, y = make(rng, int(n), float(noise), **options)
        order = rng.permutation(int(n))
        return TensorDataset(Tensor._make(x[order].astype(np.float32)), Tensor._make(np.ascontiguousarray(y[order])))

    default_noise = make.__defaults__[0]
    return build


def _split(n: int) -> tuple[int, int]:
    return n - n // 2, n // 2


def _labels(*counts) -> np.ndarray:
    return np.concatenate([np.full(c, k, dtype=np.int64) for k, c in enumerate(counts)])


@_dataset
def quadratic(rng, n, noise=0.0):
    """y = x² + noise for x uniform on [0, 2]: the first task a network learns to fit.

    >>> x, y = quadratic(n=3, seed=0).tensors
    >>> bool(((y - x ** 2).abs() < 1e-6).all())
    True
    """
    x = rng.uniform(0.0, 2.0, (n, 1))
    return x, (x * x + noise * rng.standard_normal((n, 1))).astype(np.float32)


@_dataset
def sine(rng, n, noise=0.0):
    """y = sin(x) + noise for x uniform on [-π, π].

    >>> x, y = sine(n=3, noise=0.1).tensors
    >>> tuple(x.shape), tuple(y.shape)
    ((3, 1), (3, 1))
    """
    x = rng.uniform(-np.pi, np.pi, (n, 1))
    return x, (np.sin(x) + noise * rng.standard_normal((n, 1))).astype(np.float32)


@_dataset
def moons(rng, n, noise=0.1):
    """Two interleaving half circles (class 0 above, class 1 below), as scikit-learn's ``make_moons``.

    >>> x, y = moons(n=6).tensors
    >>> tuple(x.shape), sorted(y.tolist())
    ((6, 2), [0, 0, 0, 1, 1, 1])
    """
    a, b = _split(n)
    ta, tb = np.linspace(0, np.pi, a), np.linspace(0, np.pi, b)
    x = np.concatenate([np.c_[np.cos(ta), np.sin(ta)], np.c_[1 - np.cos(tb), 0.5 - np.sin(tb)]])
    return x + noise * rng.standard_normal(x.shape), _labels(a, b)


@_dataset
def circles(rng, n, noise=0.05, factor=0.5):
    """Two concentric circles: class 0 of radius 1, class 1 of radius ``factor``.

    >>> x, y = circles(n=4, noise=0.0, factor=0.5).tensors
    >>> [round(float((p * p).sum().sqrt()), 3) for p in x], y.tolist()
    ([1.0, 0.5, 1.0, 0.5], [0, 1, 0, 1])
    """
    a, b = _split(n)
    ta, tb = np.linspace(0, 2 * np.pi, a, endpoint=False), np.linspace(0, 2 * np.pi, b, endpoint=False)
    x = np.concatenate([np.c_[np.cos(ta), np.sin(ta)], factor * np.c_[np.cos(tb), np.sin(tb)]])
    return x + noise * rng.standard_normal(x.shape), _labels(a, b)


@_dataset
def xor(rng, n, noise=0.0):
    """Points uniform on [-1, 1]², half of each class; class 1 where the two coordinates have opposite signs.

    >>> x, y = xor(n=4).tensors
    >>> [int(a * b < 0) for a, b in x.tolist()] == y.tolist()
    True
    """
    a, b = _split(n)
    y = _labels(a, b)
    first = rng.choice([-1.0, 1.0], n)
    signs = np.c_[first, np.where(y == 1, -first, first)]
    x = signs * rng.uniform(0.0, 1.0, (n, 2))
    return x + noise * rng.standard_normal(x.shape), y


@_dataset
def gaussians(rng, n, noise=0.5):
    """Two Gaussian blobs of standard deviation ``noise``: class 0 around (-1, -1), class 1 around (1, 1).

    >>> x, y = gaussians(n=1000, noise=0.1).tensors
    >>> round(float(x[y == 1].mean()), 1)
    1.0
    """
    a, b = _split(n)
    centres = np.concatenate([np.full((a, 2), -1.0), np.full((b, 2), 1.0)])
    return centres + noise * rng.standard_normal(centres.shape), _labels(a, b)


@_dataset
def spirals(rng, n, noise=0.0, turns=1.5):
    """Two interleaved spirals of ``turns`` turns; class 1 is class 0 rotated by half a turn.

    >>> x, y = spirals(n=200, noise=0.0, turns=2).tensors
    >>> tuple(x.shape), int(y.sum())
    ((200, 2), 100)
    """
    a, b = _split(n)
    t = np.concatenate([np.linspace(0.05, 1, a), np.linspace(0.05, 1, b)])
    angle = 2 * np.pi * turns * t + np.pi * _labels(a, b)
    x = np.c_[t * np.cos(angle), t * np.sin(angle)]
    return x + noise * rng.standard_normal(x.shape), _labels(a, b)
