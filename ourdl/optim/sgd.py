"""Stochastic gradient descent with momentum, dampening, Nesterov momentum, weight decay and ``maximize``.

>>> import ourdl
>>> from ourdl import nn, optim
>>> w = nn.Parameter(ourdl.tensor([1.0])); w.grad = ourdl.tensor([2.0])
>>> optim.SGD([w], lr=0.1).step(); w
Parameter containing:
tensor([0.8000], requires_grad=True)
"""

from __future__ import annotations

import numpy as np

from .optimizer import Optimizer, axpy


class SGD(Optimizer):
    """:math:`g \\leftarrow \\nabla + \\lambda\\theta`; with momentum :math:`b \\leftarrow \\mu b + (1-\\tau) g`
    (:math:`b = g` at the first step), :math:`g \\leftarrow g + \\mu b` (Nesterov) or :math:`g \\leftarrow b`;
    then :math:`\\theta \\leftarrow \\theta - \\eta g`. PyTorch's algorithm and defaults.

    >>> import ourdl
    >>> from ourdl import nn
    >>> w = nn.Parameter(ourdl.tensor([1.0]))
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     w.grad = ourdl.tensor([1.0]); opt.step()
    >>> round(w.item(), 4)      # 1 - 0.1 * 1 - 0.1 * 1.9
    0.71
    """

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov, maximize=maximize))

    def _gradient_refusal(self, group, sparse):
        # PyTorch's SGD adds the decay to the gradient, an addition its sparse layout cannot take
        if sparse and group["weight_decay"]:
            return "add(sparse, dense) is not supported. Use add(dense, sparse) instead."
        return None

    def _update(self, group, param, grad, state):
        grad = self._direction(group, param, grad)
        momentum = group["momentum"]
        if momentum:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = grad.copy()
            else:
                buf *= momentum
                axpy(1 - group["dampening"], grad, buf)
            if group["nesterov"]:
                nesterov = self._buffer(param)
                np.copyto(nesterov, grad)
                axpy(momentum, buf, nesterov)
                grad = nesterov
            else:
                grad = buf
        axpy(-group["lr"], grad, param)
