"""The loss Modules (``nn.MSELoss``, ``nn.CrossEntropyLoss``, ...): thin wrappers that store the options
and call the functional form (:mod:`ourdl.nn.elementwise_losses`, :mod:`ourdl.nn.cross_entropy`).

Class weights (``weight``, ``pos_weight``) are buffers, as in PyTorch, so they
are saved in ``state_dict`` and follow ``.to(dtype)``.

>>> import ourdl
>>> from ourdl import nn
>>> nn.CrossEntropyLoss(label_smoothing=0.1)
CrossEntropyLoss()
"""

from __future__ import annotations

from .cross_entropy import cross_entropy, nll_loss
from .elementwise_losses import (binary_cross_entropy, binary_cross_entropy_with_logits, huber_loss, kl_div, l1_loss,
                                 mse_loss, smooth_l1_loss)
from .module import Module


class _FunctionalLoss(Module):
    """Stores ``reduction`` and the other options as attributes; ``forward(input, target)`` calls ``_function``."""

    _function = None
    _buffer_names: tuple = ()

    def __init__(self, reduction: str = "mean", **options):
        super().__init__()
        self.reduction = reduction
        self._option_names = tuple(options)
        for name, value in options.items():
            if name in self._buffer_names:
                self.register_buffer(name, value)
            else:
                setattr(self, name, value)

    def forward(self, input, target):
        options = {name: getattr(self, name) for name in self._option_names}
        return type(self)._function(input, target, reduction=self.reduction, **options)


class MSELoss(_FunctionalLoss):
    """Mean squared error :math:`(x - y)^2`, see :func:`ourdl.nn.functional.mse_loss`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.MSELoss()(ourdl.tensor([1.0, 2.0]), ourdl.tensor([1.0, 4.0]))
    tensor(2.)
    """

    _function = staticmethod(mse_loss)

    def __init__(self, reduction: str = "mean"):
        super().__init__(reduction)


class L1Loss(_FunctionalLoss):
    """Mean absolute error :math:`|x - y|`, see :func:`ourdl.nn.functional.l1_loss`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.L1Loss(reduction="sum")(ourdl.tensor([0.0, 3.0]), ourdl.tensor([1.0, 1.0]))
    tensor(3.)
    """

    _function = staticmethod(l1_loss)

    def __init__(self, reduction: str = "mean"):
        super().__init__(reduction)


class HuberLoss(_FunctionalLoss):
    """Quadratic below ``delta``, linear above, see :func:`ourdl.nn.functional.huber_loss`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.HuberLoss(delta=1.0, reduction="none")(ourdl.tensor([0.5, 3.0]), ourdl.zeros(2))
    tensor([0.1250, 2.5000])
    """

    _function = staticmethod(huber_loss)

    def __init__(self, reduction: str = "mean", delta: float = 1.0):
        super().__init__(reduction, delta=delta)


class SmoothL1Loss(_FunctionalLoss):
    """Huber loss divided by ``beta``, see :func:`ourdl.nn.functional.smooth_l1_loss`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.SmoothL1Loss(beta=2.0, reduction="none")(ourdl.tensor([1.0, 3.0]), ourdl.zeros(2))
    tensor([0.2500, 2.0000])
    """

    _function = staticmethod(smooth_l1_loss)

    def __init__(self, reduction: str = "mean", beta: float = 1.0):
        super().__init__(reduction, beta=beta)


class BCELoss(_FunctionalLoss):
    """Binary cross-entropy of probabilities, see :func:`ourdl.nn.functional.binary_cross_entropy`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> round(nn.BCELoss()(ourdl.tensor([0.9, 0.2]), ourdl.tensor([1.0, 0.0])).item(), 4)
    0.1643
    """

    _function = staticmethod(binary_cross_entropy)
    _buffer_names = ("weight",)

    def __init__(self, weight=None, reduction: str = "mean"):
        super().__init__(reduction, weight=weight)


class BCEWithLogitsLoss(_FunctionalLoss):
    """Sigmoid + binary cross-entropy, stable; see :func:`ourdl.nn.functional.binary_cross_entropy_with_logits`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> loss = nn.BCEWithLogitsLoss(pos_weight=ourdl.tensor([2.0]))
    >>> round(loss(ourdl.tensor([0.0]), ourdl.tensor([1.0])).item(), 4)
    1.3863
    """

    _function = staticmethod(binary_cross_entropy_with_logits)
    _buffer_names = ("weight", "pos_weight")

    def __init__(self, weight=None, reduction: str = "mean", pos_weight=None):
        super().__init__(reduction, weight=weight, pos_weight=pos_weight)


class KLDivLoss(_FunctionalLoss):
    """Kullback-Leibler divergence, input as log-probabilities; see :func:`ourdl.nn.functional.kl_div`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> q = ourdl.tensor([[0.25, 0.75]]).log()
    >>> round(nn.KLDivLoss(reduction="batchmean")(q, ourdl.tensor([[0.5, 0.5]])).item(), 4)
    0.1438
    """

    _function = staticmethod(kl_div)

    def __init__(self, reduction: str = "mean", log_target: bool = False):
        super().__init__(reduction, log_target=log_target)


class NLLLoss(_FunctionalLoss):
    """Negative log-likelihood of class indices given log-probabilities; see :func:`ourdl.nn.functional.nll_loss`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.NLLLoss()(ourdl.tensor([[-0.5, -1.0]]), ourdl.tensor([1]))
    tensor(1.)
    """

    _function = staticmethod(nll_loss)
    _buffer_names = ("weight",)

    def __init__(self, weight=None, ignore_index: int = -100, reduction: str = "mean"):
        super().__init__(reduction, weight=weight, ignore_index=ignore_index)


class CrossEntropyLoss(_FunctionalLoss):
    """Cross-entropy of logits and class indices or probabilities; see :func:`ourdl.nn.functional.cross_entropy`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.CrossEntropyLoss()(ourdl.zeros(2, 4), ourdl.tensor([1, 2]))
    tensor(1.3863)
    """

    _function = staticmethod(cross_entropy)
    _buffer_names = ("weight",)

    def __init__(self, weight=None, ignore_index: int = -100, reduction: str = "mean", label_smoothing: float = 0.0):
        super().__init__(reduction, weight=weight, ignore_index=ignore_index, label_smoothing=label_smoothing)
