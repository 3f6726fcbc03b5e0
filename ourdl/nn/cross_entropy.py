"""Classification losses over class scores: ``cross_entropy`` (a fused, stable log-softmax + NLL node) and ``nll_loss``.

The class dimension is dimension 1 (``(N, C)``, ``(N, C, d1, ...)``) or
dimension 0 for one unbatched sample ``(C,)``, as in PyTorch. Targets are
class indices (integers, ``ignore_index`` skipped) or, for cross-entropy,
class probabilities of the input's shape.

>>> import ourdl
>>> import ourdl.nn.functional as F
>>> F.cross_entropy(ourdl.zeros(2, 4), ourdl.tensor([0, 3]))
tensor(1.3863)
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..ops.reductions import logsumexp
from ..ops.tensor_argument import require_tensor
from ..tensor import Tensor
from .loss_reduction import check_reduction, reduce


class _IndexTargets:
    """Per-element class weights and one-hot rows of index targets, shared by the forward and the backward."""

    def __init__(self, target: np.ndarray, weight, ignore_index: int, axis: int, n_classes: int, dtype):
        self.axis = axis
        self.n_classes = n_classes
        self.valid = target != ignore_index
        safe = np.where(self.valid, target, 0)
        self.index = np.expand_dims(safe, axis)
        self.weight_b = None if weight is None else weight.reshape((-1,) + (1,) * (target.ndim - axis))
        self.w_t = (weight[safe] * self.valid) if weight is not None else self.valid.astype(dtype)

    def picked(self, values: np.ndarray) -> np.ndarray:
        return np.take_along_axis(values, self.index, self.axis).squeeze(self.axis)

    def onehot(self, dtype) -> np.ndarray:
        classes = np.arange(self.n_classes).reshape((-1,) + (1,) * (self.index.ndim - self.axis - 1))
        return (classes == self.index).astype(dtype)

    def finish(self, ctx, loss: np.ndarray, reduction: str) -> np.ndarray:
        """Reduce the per-element losses; a mean divides by the total weight of the counted targets."""
        ctx.targets, ctx.reduction = self, reduction
        if reduction == "none":
            return loss
        total = loss.sum()
        if reduction == "sum":
            return np.asarray(total)
        ctx.denominator = self.w_t.sum()
        with np.errstate(invalid="ignore", divide="ignore"):  # no counted target: NaN, as PyTorch
            return np.asarray(total / ctx.denominator)

    def scale(self, ctx, g):
        """The incoming gradient, shaped to broadcast against the scores."""
        if ctx.reduction == "none":
            return g.reshape(tuple(g.shape[: self.axis]) + (1,) + tuple(g.shape[self.axis:]))
        if ctx.reduction != "mean":
            return g
        # Every target ignored: the loss is 0/0 = NaN, but no element contributes, so the gradient is 0 (PyTorch).
        return g / ctx.denominator if ctx.denominator else g * 0


class CrossEntropyFunction(ArrayFunction):
    """:math:`\\ell_n = -(1-\\varepsilon) w_{y_n} \\log p_{n,y_n} - \\frac{\\varepsilon}{C} \\sum_c w_c \\log p_{n,c}`, :math:`p = \\mathrm{softmax}(x)`.

    Backward: :math:`\\partial x = g\\,[(a + \\tfrac{\\varepsilon}{C} W) p - a\\,\\mathrm{onehot}(y) - \\tfrac{\\varepsilon}{C} w]`
    with :math:`a = (1-\\varepsilon) w_y` and :math:`W = \\sum_c w_c`; the softmax is recomputed from
    the input under ``create_graph``, so second derivatives are exact.
    """

    @staticmethod
    def forward(ctx, x, target, weight, *, ignore_index, reduction, label_smoothing):
        axis = 1 if x.ndim > 1 else 0
        n_classes = x.shape[axis]
        shifted = x - x.max(axis, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis, keepdims=True)
        logp = shifted - np.log(total)
        targets = _IndexTargets(target, weight, ignore_index, axis, n_classes, x.dtype)
        loss = targets.picked(logp) * (-(1.0 - label_smoothing) * targets.w_t)
        if label_smoothing:
            weighted = logp if weight is None else logp * targets.weight_b
            loss -= (label_smoothing / n_classes) * targets.valid * weighted.sum(axis)
        ctx.save_for_backward(x)  # read only under create_graph: changing x in place afterwards is fine otherwise
        ctx.probs = exp / total
        ctx.smoothing = label_smoothing
        ctx.dtype = x.dtype
        return targets.finish(ctx, loss.astype(x.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, g):
        t = ctx.targets
        axis, eps = t.axis, ctx.smoothing
        probs = ctx.probs
        if isinstance(g, Tensor):  # under create_graph: the probabilities again, differentiable in the input
            (x,) = ctx.saved_tensors
            probs = (x - logsumexp(x, axis, keepdim=True)).exp()
        a = np.expand_dims((1.0 - eps) * t.w_t, axis)
        constant = a * t.onehot(ctx.dtype)
        if eps:
            smooth = np.expand_dims(t.valid, axis) * (eps / t.n_classes)
            class_sum = t.n_classes if t.weight_b is None else t.weight_b.sum()
            a = a + smooth * class_sum
            constant = constant + smooth * (1.0 if t.weight_b is None else t.weight_b)
        r = t.scale(ctx, g)
        return (r * a.astype(ctx.dtype)) * probs - r * constant.astype(ctx.dtype), None, None


class NLLFunction(ArrayFunction):
    """:math:`\\ell_n = -w_{y_n} x_{n,y_n}`; backward :math:`\\partial x = -g\\, w_y\\,\\mathrm{onehot}(y)`."""

    @staticmethod
    def forward(ctx, x, target, weight, *, ignore_index, reduction):
        axis = 1 if x.ndim > 1 else 0
        targets = _IndexTargets(target, weight, ignore_index, axis, x.shape[axis], x.dtype)
        ctx.dtype = x.dtype
        return targets.finish(ctx, (-targets.picked(x) * targets.w_t).astype(x.dtype, copy=False), reduction)

    @staticmethod
    def backward(ctx, g):
        t = ctx.targets
        constant = np.expand_dims(t.w_t, t.axis) * t.onehot(ctx.dtype)
        return -t.scale(ctx, g) * constant.astype(ctx.dtype), None, None


def _check_index_target(op: str, input: Tensor, target: Tensor, weight, ignore_index: int) -> None:
    axis = 1 if input.ndim > 1 else 0
    n_classes = input.shape[axis]
    expected = tuple(input.shape[:axis]) + tuple(input.shape[axis + 1:])
    if tuple(target.shape) != expected:
        raise ValueError(
            f"{op}: expected target of shape {list(expected)} (one class index per sample) for input of shape "
            f"{list(input.shape)}, got target of shape {list(target.shape)}"
            + ("; class-probability targets must have the input's shape" if op == "cross_entropy" else "")
        )
    labels = target._data
    bad = labels[(labels != ignore_index) & ((labels < 0) | (labels >= n_classes))]
    if bad.size:
        raise IndexError(
            f"{op}: target label {int(bad.flat[0])} is out of range for {n_classes} classes "
            f"(labels must be in [0, {n_classes - 1}] or equal ignore_index={ignore_index})"
        )
    if weight is not None and (weight.ndim != 1 or weight.shape[0] != n_classes):
        raise RuntimeError(f"{op}: weight tensor should be defined either for all {n_classes} classes or no classes "
                           f"but got weight tensor of shape: {list(weight.shape)}")
    if weight is not None and weight.dtype != input.dtype:
        raise RuntimeError(f"{op}: expected weight of dtype {input.dtype}, got {weight.dtype}")


def _check_input(op: str, input, target) -> None:
    require_tensor(input, op)
    require_tensor(target, op, "target", 2)
    if not input.is_floating_point():
        raise TypeError(f"{op}: expected input to be a floating-point Tensor of class scores, got {input.dtype}")
    if input.ndim == 0:
        raise ValueError(f"{op}: expected input with a class dimension (shape (C,), (N, C) or (N, C, d1, ...)), got a 0-d tensor")


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, ignore_index: int = -100,
                  reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy between class scores (logits) and targets, through a stable log-softmax.

    With class indices :math:`y`: :math:`\\ell_n = -w_{y_n} \\log \\mathrm{softmax}(x_n)_{y_n}`;
    ``reduction='mean'`` divides the sum by :math:`\\sum_n w_{y_n}` over targets not equal to
    ``ignore_index``. With ``label_smoothing`` :math:`\\varepsilon`, the target is mixed with
    the uniform distribution (:math:`(1-\\varepsilon)` on the label, :math:`\\varepsilon/C` on every class).
    With class probabilities :math:`t` (a float target of the input's shape):
    :math:`\\ell_n = -\\sum_c w_c t_{n,c} \\log \\mathrm{softmax}(x_n)_c`, and the mean divides by :math:`N`.

    Shapes: input ``(N, C)``, ``(N, C, d1, ...)`` or ``(C,)``; target ``(N)``/``(N, d1, ...)``/``()`` of
    integers, or the input's shape.

    >>> import ourdl
    >>> logits = ourdl.tensor([[2.0, 0.5, -1.0]], requires_grad=True)
    >>> loss = cross_entropy(logits, ourdl.tensor([0]))
    >>> round(loss.item(), 4)
    0.2413
    """
    _check_input("cross_entropy", input, target)
    check_reduction("cross_entropy", reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if target.is_floating_point():
        return _cross_entropy_probabilities(input, target, weight, reduction, label_smoothing)
    _check_index_target("cross_entropy", input, target, weight, ignore_index)
    return CrossEntropyFunction.apply(input, target, weight, ignore_index=ignore_index, reduction=reduction,
                                      label_smoothing=float(label_smoothing))


def _cross_entropy_probabilities(input, target, weight, reduction, label_smoothing):
    if target.shape != input.shape:
        raise ValueError(f"cross_entropy: class-probability target of shape {list(target.shape)} must have the input's "
                         f"shape {list(input.shape)}")
    axis = 1 if input.ndim > 1 else 0
    n_classes = input.shape[axis]
    logp = input - logsumexp(input, axis, keepdim=True)
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    terms = logp * target
    if weight is not None:
        terms = terms * weight.reshape((-1,) + (1,) * (input.ndim - axis - 1))
    loss = -terms.sum(axis)
    if reduction == "mean":
        return loss.sum() / (input.numel() // n_classes) if input.numel() else loss.sum() * float("nan")
    return reduce(loss, reduction)


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, ignore_index: int = -100,
             reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of class indices given log-probabilities: :math:`\\ell_n = -w_{y_n} x_{n, y_n}`.

    ``reduction='mean'`` divides by the total weight :math:`\\sum_n w_{y_n}` of the counted targets.
    Use after ``log_softmax``; ``cross_entropy`` does both in one stable step.

    >>> import ourdl
    >>> nll_loss(ourdl.tensor([[-0.1, -2.0], [-3.0, -0.05]]), ourdl.tensor([0, 1]))
    tensor(0.0750)
    """
    _check_input("nll_loss", input, target)
    check_reduction("nll_loss", reduction)
    _check_index_target("nll_loss", input, target, weight, ignore_index)
    return NLLFunction.apply(input, target, weight, ignore_index=ignore_index, reduction=reduction)
