"""RMSprop: divide the gradient by a running root mean square of its recent values.

>>> import ourdl
>>> from ourdl import nn, optim
>>> w = nn.Parameter(ourdl.tensor([1.0])); w.grad = ourdl.tensor([1.0])
>>> optim.RMSprop([w], lr=0.01).step(); round(w.item(), 4)
0.9
"""

from __future__ import annotations

import numpy as np

from .optimizer import Optimizer


class RMSprop(Optimizer):
    """:math:`v \\leftarrow \\alpha v + (1-\\alpha) g^2`; ``centered`` subtracts the squared running mean of
    :math:`g`: :math:`d = \\sqrt{v - \\bar g^2} + \\epsilon`, else :math:`d = \\sqrt v + \\epsilon`;
    with momentum :math:`b \\leftarrow \\mu b + g/d`, :math:`\\theta \\leftarrow \\theta - \\eta b`,
    else :math:`\\theta \\leftarrow \\theta - \\eta g/d`. PyTorch's algorithm and defaults.

    >>> import ourdl
    >>> from ourdl import nn
    >>> w = nn.Parameter(ourdl.tensor([1.0])); w.grad = ourdl.tensor([4.0])
    >>> RMSprop([w], lr=0.01, alpha=0.75).step(); round(w.item(), 4)   # step lr * g / |g| / sqrt(1 - alpha)
    0.98
    """

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8, weight_decay: float = 0,
                 momentum: float = 0, centered: bool = False, *, maximize: bool = False):
        for name, value in (("learning rate", lr), ("epsilon value", eps), ("momentum value", momentum),
                            ("weight_decay value", weight_decay), ("alpha value", alpha)):
            if value < 0.0:
                raise ValueError(f"Invalid {name}: {value}")
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                                      centered=centered, maximize=maximize))

    def _gradient_refusal(self, group, sparse):
        return "RMSprop does not support sparse gradients" if sparse else None

    def _update(self, group, param, grad, state):
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(param)
            if group["momentum"] > 0:
                state["momentum_buffer"] = np.zeros_like(param)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(param)
        grad = self._direction(group, param, grad)
        alpha = group["alpha"]
        state["step"] += 1
        square_avg = state["square_avg"]
        work = self._buffer(param)
        np.multiply(grad, grad, out=work)
        work *= 1 - alpha
        square_avg *= alpha
        square_avg += work
        if group["centered"]:
            grad_avg = state["grad_avg"]
            np.subtract(grad, grad_avg, out=work)
            work *= 1 - alpha
            grad_avg += work
            np.multiply(grad_avg, grad_avg, out=work)
            np.subtract(square_avg, work, out=work)
            avg = np.sqrt(work, out=work)
        else:
            avg = np.sqrt(square_avg, out=work)
        avg += group["eps"]
        np.divide(grad, avg, out=work)
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]
            buf *= group["momentum"]
            buf += work
            np.multiply(buf, -group["lr"], out=work)
        else:
            work *= -group["lr"]
        param += work
