"""Adam and AdamW (decoupled weight decay), with ``amsgrad`` and ``maximize``.

>>> import ourdl
>>> from ourdl import nn, optim
>>> w = nn.Parameter(ourdl.tensor([1.0])); w.grad = ourdl.tensor([5.0])
>>> optim.Adam([w], lr=0.1).step(); w      # the first step moves by about lr, whatever the gradient's size
Parameter containing:
tensor([0.9000], requires_grad=True)
"""

from __future__ import annotations

import numpy as np

from .optimizer import Optimizer


class Adam(Optimizer):
    """:math:`m \\leftarrow \\beta_1 m + (1-\\beta_1) g`, :math:`v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2`,
    :math:`\\theta \\leftarrow \\theta - \\frac{\\eta}{1-\\beta_1^t} \\frac{m}{\\sqrt{\\hat v}/\\sqrt{1-\\beta_2^t} + \\epsilon}`
    with :math:`\\hat v = v`, or its running maximum with ``amsgrad``.

    ``weight_decay`` adds :math:`\\lambda\\theta` to the gradient (L2); ``AdamW`` instead shrinks the weights
    directly, :math:`\\theta \\leftarrow \\theta(1 - \\eta\\lambda)`. PyTorch's algorithm and defaults.

    >>> import ourdl
    >>> from ourdl import nn
    >>> w = nn.Parameter(ourdl.tensor([1.0, 1.0])); w.grad = ourdl.tensor([1e-3, 1e3])
    >>> Adam([w], lr=0.1).step(); w       # both coordinates move by lr: Adam is scale-free
    Parameter containing:
    tensor([0.9000, 0.9000], requires_grad=True)
    """

    _decoupled = False
    # A large parameter is updated by blocks of this many elements: a block's passes run in the cache, and the work
    # array is a block (not a second copy of the parameter, kept from step to step).
    _BLOCK = 1 << 14

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0,
                 amsgrad: bool = False, *, maximize: bool = False):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if eps < 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize))

    def _gradient_refusal(self, group, sparse):
        return "Adam does not support sparse gradients, please consider SparseAdam instead" if sparse else None

    def _update(self, group, param, grad, state):
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_avg_sq"] = np.zeros_like(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(param)
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        if self._decoupled:
            param *= 1 - lr * group["weight_decay"]
        grad = self._direction(group, param, grad, decay=not self._decoupled)
        state["step"] += 1
        step = state["step"]
        arrays = [param, grad, state["exp_avg"], state["exp_avg_sq"], state.get("max_exp_avg_sq")]
        constants = (beta1, beta2, eps, (1 - beta2**step) ** 0.5, -lr / (1 - beta1**step))
        if param.size <= self._BLOCK or not all(a.flags.c_contiguous for a in arrays if a is not None):
            _adam_block(*arrays, self._buffer(param), *constants)
            return
        flat = [a if a is None else a.reshape(-1) for a in arrays]  # views: the arrays are contiguous
        work = self._buffer(flat[0][:self._BLOCK])
        for start in range(0, param.size, self._BLOCK):
            block = [a if a is None else a[start:start + self._BLOCK] for a in flat]
            _adam_block(*block, work[:len(block[0])], *constants)


def _adam_block(param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, work, beta1, beta2, eps, bias2_sqrt, step_size):
    """One Adam update of these elements in place; ``work`` is as large as they are, ``max_exp_avg_sq`` None
    without amsgrad. Each term is scaled in ``work`` before it is added: no other array is made."""
    np.subtract(grad, exp_avg, out=work)
    work *= 1 - beta1
    exp_avg += work
    np.multiply(grad, grad, out=work)
    exp_avg_sq *= beta2
    work *= 1 - beta2
    exp_avg_sq += work
    if max_exp_avg_sq is not None:
        np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
        exp_avg_sq = max_exp_avg_sq
    denom = np.sqrt(exp_avg_sq, out=work)
    denom /= bias2_sqrt
    denom += eps
    np.divide(exp_avg, denom, out=work)
    work *= step_size
    param += work

class AdamW(Adam):
    """Adam with decoupled weight decay (default ``weight_decay=0.01``): :math:`\\theta \\leftarrow \\theta(1-\\eta\\lambda)` before the Adam step.

    >>> import ourdl
    >>> from ourdl import nn, optim
    >>> optim.AdamW([nn.Parameter(ourdl.zeros(1))]).defaults["weight_decay"]
    0.01
    """

    _decoupled = True

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 1e-2,
                 amsgrad: bool = False, *, maximize: bool = False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)
