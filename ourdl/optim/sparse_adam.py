"""SparseAdam: Adam that updates only the rows a step's gradient touches, for ``nn.Embedding(sparse=True)``.

The gradient of such an embedding is sparse (``is_sparse``; stored dense, zero in the rows not looked up, with
the rows looked up known: :mod:`ourdl.sparse_rows`). SparseAdam updates those rows, their moments included, and
leaves the others untouched, as PyTorch's; a dense gradient is refused, as PyTorch refuses it.

>>> import ourdl
>>> from ourdl import nn, optim
>>> table = nn.Embedding(3, 1, sparse=True)
>>> before = table.weight.detach().clone()
>>> opt = optim.SparseAdam(table.parameters(), lr=0.1)
>>> table(ourdl.tensor([0])).sum().backward(); opt.step()
>>> ((table.weight - before).abs() > 0).flatten().tolist()  # only row 0 moved
[True, False, False]
"""

from __future__ import annotations

import numpy as np

from .optimizer import Optimizer


class SparseAdam(Optimizer):
    """Adam on the rows :math:`R` the sparse gradient lists (those looked up): for them
    :math:`m_R \\leftarrow \\beta_1 m_R + (1-\\beta_1) g_R`, :math:`v_R \\leftarrow \\beta_2 v_R + (1-\\beta_2) g_R^2`,
    :math:`\\theta_R \\leftarrow \\theta_R - \\eta \\frac{\\sqrt{1-\\beta_2^t}}{1-\\beta_1^t} \\frac{m_R}{\\sqrt{v_R} +
    \\epsilon}`; ``t`` counts every step of the parameter. PyTorch's algorithm and defaults.

    >>> import ourdl
    >>> from ourdl import nn
    >>> table = nn.Embedding(2, 1, sparse=True, _weight=ourdl.zeros(2, 1))
    >>> (2 * table(ourdl.tensor([1]))).sum().backward()
    >>> SparseAdam(table.parameters(), lr=0.5).step(); [round(v, 4) for v in table.weight.flatten().tolist()]
    [0.0, -0.5]
    """

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8, maximize: bool = False):
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        for i, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta}")
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, maximize=maximize))

    def _gradient_refusal(self, group, sparse):
        return None if sparse else "SparseAdam does not support dense gradients, please consider Adam instead"

    def _update(self, group, param, grad, state):
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_avg_sq"] = np.zeros_like(param)
        state["step"] += 1
        rows = grad.rows
        if not len(rows):
            return
        g = -grad[rows] if group["maximize"] else grad[rows]
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        exp_avg, exp_avg_sq = state["exp_avg"][rows], state["exp_avg_sq"][rows]
        exp_avg += (1 - beta1) * (g - exp_avg)  # PyTorch's form: old + (1 - b) (new - old)
        exp_avg_sq += (1 - beta2) * (g * g - exp_avg_sq)
        state["exp_avg"][rows], state["exp_avg_sq"][rows] = exp_avg, exp_avg_sq
        step = state["step"]
        step_size = lr * (1 - beta2 ** step) ** 0.5 / (1 - beta1 ** step)
        param[rows] -= step_size * (exp_avg / (np.sqrt(exp_avg_sq) + eps))
