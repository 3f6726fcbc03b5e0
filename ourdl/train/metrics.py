"""Metrics for :func:`ourdl.train.fit` and :func:`ourdl.train.evaluate`: name -> function of a batch.

A metric is a function ``metric(output, target) -> float``: its mean over the batch's
samples. ``fit`` averages it over an epoch weighting each batch by its size.

>>> import ourdl
>>> accuracy(ourdl.tensor([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]]), ourdl.tensor([0, 1, 1]))
0.6666666666666666
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor


def _array(t) -> np.ndarray:
    return t._data if isinstance(t, Tensor) else np.asarray(t)


def accuracy(output, target) -> float:
    """The fraction of samples whose predicted class is the target class.

    ``output`` of shape ``(N, C)`` (C > 1) predicts ``argmax`` over classes; of shape ``(N,)`` or
    ``(N, 1)`` it holds binary logits, predicting 1 where positive. ``target`` holds class
    indices, or class probabilities of ``output``'s shape (compared by their ``argmax``).

    >>> import ourdl
    >>> accuracy(ourdl.tensor([[0.2, 0.9], [0.8, 0.1]]), ourdl.tensor([1, 1]))
    0.5
    >>> accuracy(ourdl.tensor([[1.5], [-0.3]]), ourdl.tensor([[1.0], [1.0]]))
    0.5
    """
    out, tgt = _array(output), _array(target)
    if out.ndim >= 2 and out.shape[1] > 1:
        predicted = out.argmax(axis=1)
        if tgt.shape == out.shape:
            tgt = tgt.argmax(axis=1)
    else:
        predicted, tgt = (out.reshape(len(out)) > 0), tgt.reshape(len(tgt)) > 0.5
    if predicted.shape != tgt.shape:
        raise ValueError(f"accuracy: predictions of shape {predicted.shape} (from output {out.shape}) do not match "
                         f"targets of shape {tgt.shape}")
    return float(np.mean(predicted == tgt))


METRICS = {"accuracy": accuracy}


def resolve(metrics) -> dict:
    """Name -> function for a sequence of metric names (see ``METRICS``) and callables.

    >>> list(resolve(["accuracy", len]))
    ['accuracy', 'len']
    """
    found = {}
    for metric in metrics or ():
        if callable(metric):
            found[getattr(metric, "__name__", type(metric).__name__)] = metric
        elif metric in METRICS:
            found[metric] = METRICS[metric]
        else:
            raise ValueError(f"unknown metric {metric!r}: use one of {sorted(METRICS)} or a function (output, target) -> float")
    return found
