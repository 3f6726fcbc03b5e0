"""The ``reduction`` argument of every loss: ``'mean'``, ``'sum'`` or ``'none'``.

>>> import ourdl
>>> reduce(ourdl.tensor([1.0, 3.0]), "mean")
tensor(2.)
"""

from __future__ import annotations

REDUCTIONS = ("mean", "sum", "none")


def check_reduction(op: str, reduction: str, allowed: tuple = REDUCTIONS) -> None:
    if reduction not in allowed:
        raise ValueError(f"{op}: {reduction!r} is not a valid value for reduction; use one of {', '.join(map(repr, allowed))}")


def reduce(loss, reduction: str):
    """The mean or the sum of the element losses, or the losses themselves for ``'none'``."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
