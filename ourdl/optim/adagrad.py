"""Adagrad: per-coordinate step sizes that shrink with the accumulated squared gradients.

>>> import ourdl
>>> from ourdl import nn, optim
>>> w = nn.Parameter(ourdl.tensor([1.0])); w.grad = ourdl.tensor([3.0])
>>> optim.Adagrad([w], lr=0.5).step(); w
Parameter containing:
tensor([0.5000], requires_grad=True)
"""

from __future__ import annotations

import numpy as np

from .optimizer import Optimizer


class Adagrad(Optimizer):
    """:math:`s \\leftarrow s + g^2`, :math:`\\theta \\leftarrow \\theta - \\frac{\\eta}{1 + (t-1)\\,\\text{lr\\_decay}} \\frac{g}{\\sqrt s + \\epsilon}`;
    :math:`s` starts at ``initial_accumulator_value``. PyTorch's algorithm and defaults.

    >>> import ourdl
    >>> from ourdl import nn
    >>> w = nn.Parameter(ourdl.tensor([1.0]))
    >>> opt = Adagrad([w], lr=1.0)
    >>> for g in (3.0, 4.0):
    ...     w.grad = ourdl.tensor([g]); opt.step()
    >>> round(w.item(), 4)      # 1 - 3/3 - 4/5
    -0.8
    """

    def __init__(self, params, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, *, maximize: bool = False):
        for name, value in (("learning rate", lr), ("lr_decay value", lr_decay), ("weight_decay value", weight_decay),
                            ("initial_accumulator_value value", initial_accumulator_value), ("epsilon value", eps)):
            if value < 0.0:
                raise ValueError(f"Invalid {name}: {value}")
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, maximize=maximize))

    def _init_group_state(self, group):
        for p in group["params"]:
            self.state[p] = {"step": 0, "sum": np.full_like(p._data, group["initial_accumulator_value"])}

    def _gradient_refusal(self, group, sparse):
        if sparse and group["weight_decay"]:
            return "weight_decay option is not compatible with sparse gradients"
        return None

    def _update(self, group, param, grad, state):
        state["step"] += 1
        grad = self._direction(group, param, grad)
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        accumulated = state["sum"]
        work = self._buffer(param)
        np.multiply(grad, grad, out=work)
        accumulated += work
        std = np.sqrt(accumulated, out=work)
        std += group["eps"]
        np.divide(grad, std, out=work)
        work *= -clr
        param += work
