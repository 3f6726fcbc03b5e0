"""The datasets the experiments train on, split into training and test sets the same way for every seed."""

from __future__ import annotations

from ourdl.data import Digits, TensorDataset, spirals


def spirals_split(samples: int, seed: int, noise: float = 0.05) -> tuple[TensorDataset, TensorDataset]:
    """Two spirals: ``samples`` for training and half as many for testing, both drawn from ``seed``."""
    train = spirals(n=samples, noise=noise, seed=seed)
    test = spirals(n=samples // 2, noise=noise, seed=seed + 10_000)
    return train, test


def digits_split(limit: int | None = None) -> tuple[TensorDataset, TensorDataset]:
    """scikit-learn's 8x8 digits with ourdl's fixed split; ``limit`` keeps the first samples of each (quick runs)."""
    train, test = Digits(train=True), Digits(train=False)
    if limit is None:
        return train, test
    return (TensorDataset(*(t[:limit] for t in train.tensors)),
            TensorDataset(*(t[:limit] for t in test.tensors)))
