"""The classification experiments' training: :func:`ourdl.train.fit` that records a diverging run instead of failing."""

from __future__ import annotations

import numpy as np

from ourdl import nn, optim
from ourdl.data import DataLoader
from ourdl.train import fit


def train_classifier(model: nn.Module, train, test, epochs: int, lr: float, optimizer: str = "SGD",
                     batch_size: int = 64, after_epoch=None, log_dir=None) -> dict:
    """Train with cross-entropy and ``ourdl.optim.<optimizer>`` through ``fit``; one value per epoch of each result.

    Returns ``loss`` (the training loss), test ``accuracy``, ``seconds`` (training and
    evaluation) and ``diverged``. ``after_epoch(epoch)`` runs after each epoch (and once
    before training, with epoch 0), e.g. to read a diagnostic. ``log_dir`` writes TensorBoard logs
    there (:class:`ourdl.lab.tensorboard.TensorBoardLogger`, probing up to 512 training samples).

    A loss that becomes NaN or infinite ends training without applying that step
    (``fit(..., on_divergence="stop")``): ``diverged`` is then ``{"epoch", "step", "loss"}``
    (else ``None``), that epoch's loss is the non-finite mean, and each remaining epoch
    records a NaN loss and NaN seconds, the accuracy of the model left with its last
    finite weights, and still gets its ``after_epoch`` call.

    >>> import ourdl
    >>> from ourdl.data import spirals
    >>> _ = ourdl.manual_seed(0)
    >>> history = train_classifier(nn.MLP([2, 16, 2]), spirals(n=64, seed=0), spirals(n=32, seed=1), epochs=2, lr=0.1)
    >>> len(history["loss"]), len(history["accuracy"]), history["diverged"]
    (2, 2, None)
    """
    loader = DataLoader(train, batch_size=batch_size, shuffle=True)
    whole_test = DataLoader(test, batch_size=len(test))
    if after_epoch:
        after_epoch(0)
    callbacks = [lambda epoch, record: after_epoch(epoch)] if after_epoch else []
    loss_fn, logger = nn.CrossEntropyLoss(), None
    if log_dir is not None:
        from .tensorboard import TensorBoardLogger  # deferred: tensorboardX takes seconds to import

        logger = TensorBoardLogger(log_dir, model, probe=train.tensors[0][:512])
        loss_fn = logger.watch(loss_fn)
        callbacks.append(logger)
    with np.errstate(all="ignore"):  # a diverging run is a result to report, not a fault
        try:
            history = fit(model, loss_fn, getattr(optim, optimizer)(model.parameters(), lr=lr), loader, epochs,
                          val_loader=whole_test, metrics=("accuracy",), progress=False, callbacks=callbacks,
                          on_divergence="stop")
        finally:
            if logger is not None:
                logger.close()
        trained = len(history)
        for epoch in range(trained + 1, epochs + 1):
            if after_epoch:
                after_epoch(epoch)
    left = epochs - trained
    return {"loss": history["train_loss"] + [float("nan")] * left,
            "accuracy": history["val_accuracy"] + history["val_accuracy"][-1:] * left,
            "seconds": history["seconds"] + [float("nan")] * left,
            "diverged": history.diverged}
