"""Element-wise losses: regression (``mse_loss``, ``l1_loss``, ``huber_loss``, ``smooth_l1_loss``),
binary classification (``binary_cross_entropy``, ``binary_cross_entropy_with_logits``) and ``kl_div``.

Each is a composition of differentiable ops (so every derivative, of every
order, comes from the ops), except ``binary_cross_entropy``, whose node
reproduces PyTorch's clamped logarithms and gradient.

>>> import ourdl
>>> import ourdl.nn.functional as F
>>> F.mse_loss(ourdl.tensor([1.0, 2.0]), ourdl.tensor([1.0, 4.0]))
tensor(2.)
"""

from __future__ import annotations

import warnings

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..ops.elementwise import abs, exp, log
from ..ops.selection import clamp, where
from ..ops.tensor_argument import require_tensor
from ..tensor import Tensor
from .loss_reduction import check_reduction, reduce


def _pair(op: str, input, target, reduction: str) -> None:
    check_reduction(op, reduction)
    require_tensor(input, op)
    require_tensor(target, op, "target", 2)
    if target.shape != input.shape:
        warnings.warn(
            f"{op}: Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
            "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
            stacklevel=3,
        )


def _binary(op: str, input, target, reduction: str) -> None:
    check_reduction(op, reduction)
    require_tensor(input, op)
    require_tensor(target, op, "target", 2)
    if target.shape != input.shape:
        raise ValueError(f"{op}: target size ({target.shape}) must be the same as input size ({input.shape})")


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean squared error: :math:`\\ell_n = (x_n - y_n)^2`.

    >>> import ourdl
    >>> mse_loss(ourdl.tensor([0.0, 1.0]), ourdl.tensor([1.0, 1.0]), reduction="sum")
    tensor(1.)
    """
    _pair("mse_loss", input, target, reduction)
    diff = input - target
    return reduce(diff * diff, reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean absolute error: :math:`\\ell_n = |x_n - y_n|` (gradient 0 where they are equal, as PyTorch).

    >>> import ourdl
    >>> l1_loss(ourdl.tensor([0.0, 3.0]), ourdl.tensor([1.0, 1.0]))
    tensor(1.5000)
    """
    _pair("l1_loss", input, target, reduction)
    return reduce(abs(input - target), reduction)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """Huber loss: :math:`\\ell_n = \\tfrac12 d_n^2` if :math:`|d_n| < \\delta`, else :math:`\\delta(|d_n| - \\tfrac12\\delta)`, :math:`d = x - y`.

    >>> import ourdl
    >>> huber_loss(ourdl.tensor([0.5, 3.0]), ourdl.tensor([0.0, 0.0]), reduction="none")
    tensor([0.1250, 2.5000])
    """
    _pair("huber_loss", input, target, reduction)
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    diff = input - target
    size = abs(diff)
    return reduce(where(size < delta, 0.5 * diff * diff, delta * (size - 0.5 * delta)), reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """Smooth L1: :math:`\\ell_n = \\tfrac{0.5 d_n^2}{\\beta}` if :math:`|d_n| < \\beta`, else :math:`|d_n| - \\tfrac12\\beta`; ``beta=0`` is L1.

    It equals ``huber_loss(delta=beta) / beta``.

    >>> import ourdl
    >>> smooth_l1_loss(ourdl.tensor([0.5, 3.0]), ourdl.tensor([0.0, 0.0]), reduction="none")
    tensor([0.1250, 2.5000])
    """
    _pair("smooth_l1_loss", input, target, reduction)
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    diff = input - target
    size = abs(diff)
    if beta == 0:
        return reduce(size, reduction)
    return reduce(where(size < beta, (0.5 / beta) * diff * diff, size - 0.5 * beta), reduction)


class BinaryCrossEntropyFunction(ArrayFunction):
    """:math:`\\ell = -w\\,[y \\max(\\log x, -100) + (1-y) \\max(\\log(1-x), -100)]`.

    Backward, PyTorch's formulas: :math:`\\partial x = g\\,w\\,(x - y) / \\max(x(1-x), 10^{-12})`,
    :math:`\\partial y = g\\,w\\,(\\log(1-x) - \\log x)`.
    """

    @staticmethod
    def forward(ctx, x, y, w):
        ctx.save_for_backward(x, y, w)
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(x), -100.0)
            log_1mx = np.maximum(np.log1p(-x), -100.0)
        loss = -(y * log_x + (1 - y) * log_1mx)
        return loss if w is None else loss * w

    @staticmethod
    def backward(ctx, g):
        x, y, w = ctx.saved_tensors
        gw = g if w is None else g * w
        grad_x = grad_y = None
        if ctx.needs_input_grad[0]:
            grad_x = gw * (x - y) / np.maximum(x * (1 - x), 1e-12)
        if ctx.needs_input_grad[1]:
            with np.errstate(divide="ignore"):
                grad_y = gw * (np.log1p(-x) - np.log(x))
        return grad_x, grad_y, None


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of probabilities: :math:`\\ell_n = -w_n [y_n \\log x_n + (1 - y_n) \\log(1 - x_n)]`.

    The logarithms are clamped at :math:`-100`, as in PyTorch, so the loss is finite at 0 and 1.
    For raw scores use ``binary_cross_entropy_with_logits`` (stabler).

    >>> import ourdl
    >>> round(binary_cross_entropy(ourdl.tensor([0.9]), ourdl.tensor([1.0])).item(), 4)
    0.1054
    """
    _binary("binary_cross_entropy", input, target, reduction)
    data = input._data
    if data.size and not ((data >= 0) & (data <= 1)).all():
        raise RuntimeError("binary_cross_entropy: all elements of input should be between 0 and 1 "
                           "(apply sigmoid first, or use binary_cross_entropy_with_logits on raw scores)")
    return reduce(BinaryCrossEntropyFunction.apply(input, target, weight), reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     reduction: str = "mean", pos_weight: Tensor | None = None) -> Tensor:
    """Sigmoid and binary cross-entropy in one stable expression:
    :math:`\\ell_n = w_n [(1 - y_n) x_n + (1 + (p - 1) y_n)\\,\\mathrm{softplus}(-x_n)]`,
    with ``pos_weight`` :math:`p` (per class, broadcast along the last dimension) weighting the positives.

    :math:`\\mathrm{softplus}(-x) = m + \\log(e^{-m} + e^{-x-m})`, :math:`m = \\max(-x, 0)`, never overflows
    and is smooth at 0 (PyTorch's form).

    >>> import ourdl
    >>> round(binary_cross_entropy_with_logits(ourdl.tensor([2.0]), ourdl.tensor([1.0])).item(), 4)
    0.1269
    """
    _binary("binary_cross_entropy_with_logits", input, target, reduction)
    shift = clamp(-input, min=0)
    softplus_neg = shift + log(exp(-shift) + exp(-input - shift))
    if pos_weight is not None:
        softplus_neg = (1 + (pos_weight - 1) * target) * softplus_neg
    loss = (1 - target) * input + softplus_neg
    if weight is not None:
        loss = loss * weight
    return reduce(loss, reduction)


def kl_div(input: Tensor, target: Tensor, reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence with ``input`` as log-probabilities: :math:`\\ell = y (\\log y - x)`
    (:math:`0` where :math:`y = 0`), or :math:`e^{y}(y - x)` with ``log_target=True``.

    ``reduction='batchmean'`` (the mathematically right one) divides the sum by the batch size;
    ``'mean'`` divides by the number of elements, as PyTorch does.

    >>> import ourdl
    >>> kl_div(ourdl.tensor([0.5, 0.5]).log(), ourdl.tensor([0.5, 0.5]), reduction="batchmean")
    tensor(0.)
    """
    check_reduction("kl_div", reduction, ("mean", "sum", "none", "batchmean"))
    require_tensor(input, "kl_div")
    require_tensor(target, "kl_div", "target", 2)
    if log_target:
        loss = exp(target) * (target - input)
    else:
        positive = target > 0
        loss = where(positive, target * log(where(positive, target, 1.0)), 0.0) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.ndim else loss.sum()
    return reduce(loss, reduction)
