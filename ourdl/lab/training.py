"""A small, plain training loop for the classification experiments, with a hook after each epoch."""

from __future__ import annotations

import time

import numpy as np

import ourdl
from ourdl import nn, optim
from ourdl.data import DataLoader
from ourdl.train import metrics


def accuracy(model: nn.Module, dataset) -> float:
    """Share of ``dataset``'s samples (a TensorDataset) that ``model`` classifies right."""
    x, y = dataset.tensors
    with ourdl.no_grad():
        return metrics.accuracy(model(x), y)


def train_classifier(model: nn.Module, train, test, epochs: int, lr: float, optimizer: str = "SGD",
                     batch_size: int = 64, after_epoch=None) -> dict:
    """Train with cross-entropy and ``ourdl.optim.<optimizer>``; returns per-epoch ``loss`` (mean over batches), test ``accuracy`` and ``seconds``.

    ``after_epoch(epoch)`` runs after each epoch (and once before training, with
    epoch 0), e.g. to read a diagnostic. A loss that becomes NaN or infinite stops
    training; the remaining epochs are recorded as NaN loss and the model's accuracy.
    """
    loader = DataLoader(train, batch_size=batch_size, shuffle=True)
    opt = getattr(optim, optimizer)(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    history = {"loss": [], "accuracy": [], "seconds": []}
    if after_epoch:
        after_epoch(0)
    for epoch in range(1, epochs + 1):
        start, total, batches = time.perf_counter(), 0.0, 0
        with np.errstate(all="ignore"):  # a diverging run is a result to report, not a fault
            for x, y in loader:
                opt.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                opt.step()
                total, batches = total + loss.item(), batches + 1
                if not np.isfinite(total):
                    break
        history["seconds"].append(time.perf_counter() - start)
        history["loss"].append(total / batches if np.isfinite(total) else float("nan"))
        with np.errstate(all="ignore"):
            history["accuracy"].append(accuracy(model, test))
        if after_epoch:
            after_epoch(epoch)
    return history
