"""The classification experiments' training: :func:`ourdl.train.fit`, recording a diverging step instead of failing."""

from __future__ import annotations

import numpy as np

from ourdl import nn, optim
from ourdl.data import DataLoader
from ourdl.train import fit


def train_classifier(model: nn.Module, train, test, epochs: int, lr: float, optimizer: str = "SGD",
                     batch_size: int = 64, after_epoch=None, log_dir=None) -> dict:
    """Train with cross-entropy and ``ourdl.optim.<optimizer>`` through ``fit``; one value per epoch of each result.

    Returns ``loss`` (the training loss), test ``accuracy``, ``seconds`` (training and evaluation),
    ``diverged`` and ``nonfinite_steps``. ``after_epoch(epoch)`` runs after each epoch (and once before
    training, with epoch 0), e.g. to read a diagnostic. ``log_dir`` gets the run's TensorBoard logs
    (``fit(..., log_dir=)``).

    A step whose loss is NaN or infinite is skipped and training goes on
    (``fit(..., on_divergence="continue")``): ``diverged`` is then the first such step,
    ``{"epoch", "step", "loss"}`` (else ``None``), ``nonfinite_steps`` counts them, and an epoch's
    loss is the mean over its finite steps (NaN when none was finite). A run whose weights became
    NaN or infinite skips every later step and keeps them.

    >>> import ourdl
    >>> from ourdl.data import spirals
    >>> _ = ourdl.manual_seed(0)
    >>> history = train_classifier(nn.MLP([2, 16, 2]), spirals(n=64, seed=0), spirals(n=32, seed=1), epochs=2, lr=0.1)
    >>> len(history["loss"]), len(history["accuracy"]), history["diverged"], history["nonfinite_steps"]
    (2, 2, None, 0)
    """
    loader = DataLoader(train, batch_size=batch_size, shuffle=True)
    whole_test = DataLoader(test, batch_size=256)
    if after_epoch:
        after_epoch(0)
    callbacks = [lambda epoch, record: after_epoch(epoch)] if after_epoch else []
    with np.errstate(all="ignore"):  # a diverging run is a result to report, not a fault
        history = fit(model, nn.CrossEntropyLoss(), getattr(optim, optimizer)(model.parameters(), lr=lr), loader,
                      epochs, val_loader=whole_test, metrics=("accuracy",), progress=False, callbacks=callbacks,
                      on_divergence="continue", log_dir=log_dir)
    return {"loss": history["train_loss"], "accuracy": history["val_accuracy"], "seconds": history["seconds"],
            "diverged": history.nonfinite[0] if history.nonfinite else None,
            "nonfinite_steps": len(history.nonfinite)}
