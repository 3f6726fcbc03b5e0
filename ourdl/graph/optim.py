"""Gradient descent over the graph's Variables: w ← w - lr · dL/dw, one number at a time.

>>> from ourdl.graph import GradientDescent, Variable, SquareLoss
>>> w = Variable(0.0, name="w")
>>> loss = SquareLoss(w * 2.0, 6.0)            # minimum at w = 3
>>> optimizer = GradientDescent([w], lr=0.05)
>>> for _ in range(50):
...     _ = loss.forward(); optimizer.zero_grad(); loss.backward(); optimizer.step()
>>> round(w.value, 4)
3.0
"""

from __future__ import annotations

import math

from .node import Variable, describe


class GradientDescent:
    """Plain gradient descent: ``step()`` sets each parameter's value to value - lr · grad.

    ``params`` are trainable :class:`Variable` s. ``backward()`` adds into their ``.grad``
    until ``zero_grad()`` sets it back to 0, as PyTorch's optimisers expect; call it once per
    update (per sample, for stochastic gradient descent).

    >>> from ourdl.graph import GradientDescent, Variable
    >>> w = Variable(1.0)
    >>> optimizer = GradientDescent([w], lr=0.1)
    >>> y = w * w
    >>> _ = y.forward(); y.backward(); optimizer.step(); w.value     # 1 - 0.1 · 2
    0.8
    >>> optimizer.zero_grad(); w.grad
    0.0
    """

    def __init__(self, params, lr: float):
        self.params = list(params)
        for p in self.params:
            if not isinstance(p, Variable):
                raise TypeError(f"GradientDescent: parameters must be Variables, got {describe(p)}")
            if not p.trainable:
                raise ValueError(f"GradientDescent: {describe(p)} was made with trainable=False; "
                                 "leave it out, or make it with trainable=True")
        if not isinstance(lr, (int, float)) or isinstance(lr, bool) or not math.isfinite(lr) or lr <= 0:
            raise ValueError(f"GradientDescent: lr must be a positive number, got {lr!r}")
        self.lr = float(lr)

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Move every parameter against its gradient: value -= lr · grad."""
        lr = self.lr
        for p in self.params:
            p.value -= lr * p.grad

    def __repr__(self) -> str:
        return f"GradientDescent({len(self.params)} parameters, lr={self.lr})"
