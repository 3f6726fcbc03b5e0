"""Dropout: during training, zero each element with probability ``p`` and scale the rest by ``1/(1-p)``;
``Dropout1d``/``2d``/``3d`` zero whole channels (one draw per sample and channel), as PyTorch's feature dropout.

The mask comes from ourdl's default generator, so ``ourdl.manual_seed`` makes it repeat.

>>> import ourdl
>>> from ourdl import nn
>>> layer = nn.Dropout(0.5).eval()
>>> layer(ourdl.ones(3))
tensor([1., 1., 1.])
"""

from __future__ import annotations

import warnings

import numpy as np

from ..ops.random import default_generator
from ..ops.tensor_argument import require_tensor
from ..tensor import Tensor
from .module import Module


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """:math:`y = x \\cdot m / (1 - p)` with :math:`m_i \\sim \\mathrm{Bernoulli}(1 - p)` when ``training``, else :math:`y = x`.

    >>> import ourdl
    >>> _ = ourdl.manual_seed(0)
    >>> y = dropout(ourdl.ones(1000), 0.2)
    >>> sorted(set(y.tolist())) == [0.0, 1.25]
    True
    """
    require_tensor(input, "dropout")
    _check_p(p)
    return _masked(input, p, training, inplace, tuple(input.shape))


def _check_p(p: float) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _masked(input: Tensor, p: float, training: bool, inplace: bool, mask_shape: tuple) -> Tensor:
    """``input`` times a mask of ``mask_shape`` (broadcast over the rest) of 0 and ``1/(1-p)``."""
    if not training or p == 0.0 or input.numel() == 0:
        return input
    if p == 1.0:
        mask = np.zeros(mask_shape, dtype=input._data.dtype)
    else:
        mask = (default_generator.numpy.random(mask_shape) >= p).astype(input._data.dtype)
        mask *= 1.0 / (1.0 - p)
    if inplace:
        return input.mul_(Tensor._make(mask))
    return input * Tensor._make(mask)


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched: bool = True) -> Tensor:
    """One draw per sample and channel, shared by the trailing dimensions (dimension 0 is the channel when not
    ``batched``)."""
    leading = 2 if batched else 1
    if input.ndim < leading:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return _masked(input, p, training, inplace, tuple(input.shape[:leading]) + (1,) * (input.ndim - leading))


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel-wise dropout of ``(N, C, L)`` or ``(C, L)``: each channel :math:`x_{nc\\cdot}` is zeroed with
    probability ``p`` (as a whole), the rest scaled by :math:`1/(1-p)`.

    >>> import ourdl
    >>> _ = ourdl.manual_seed(0)
    >>> y = dropout1d(ourdl.ones(2, 6, 3))
    >>> bool(((y == 0).all(2) | (y == 2).all(2)).all())
    True
    """
    require_tensor(input, "dropout1d")
    _check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input. Note that dropout1d exists to "
            "provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional "
            "batch dimension (i.e. 2D or 3D inputs).")
    return _feature_dropout(input, p, training, inplace, batched=input.ndim == 3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel-wise dropout of images ``(N, C, H, W)``: each channel map is zeroed with probability ``p``, the rest
    scaled by :math:`1/(1-p)`.

    As PyTorch, a 3-D input is taken as ``(N, C, L)`` (1-D channel dropout) with a warning, and other ranks warn
    that they are deprecated (a 1-D input then fails).

    >>> import ourdl
    >>> _ = ourdl.manual_seed(0)
    >>> y = dropout2d(ourdl.ones(4, 8, 2, 2), 0.25)
    >>> sorted(set(y.flatten().tolist())), bool((y.amax((2, 3)) == y.amin((2, 3))).all())
    ([0.0, 1.3333333730697632], True)
    """
    require_tensor(input, "dropout2d")
    _check_p(p)
    if input.ndim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and will result in an "
            "error in a future release. To retain the behavior and silence this warning, please use dropout "
            "instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial "
            "dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).",
            UserWarning, stacklevel=2)
    if input.ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is "
            "desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will "
            "change in a future release to interpret the input as one without a batch dimension, i.e. shape "
            "(C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d "
            "instead.", UserWarning, stacklevel=2)
    return _feature_dropout(input, p, training, inplace)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel-wise dropout of volumes ``(N, C, D, H, W)`` or ``(C, D, H, W)``: each channel is zeroed with
    probability ``p``, the rest scaled by :math:`1/(1-p)`. Other ranks warn that they are deprecated.

    >>> import ourdl
    >>> dropout3d(ourdl.ones(1, 2, 1, 1, 1), 0.5, training=False).flatten()
    tensor([1., 1.])
    """
    require_tensor(input, "dropout3d")
    _check_p(p)
    if input.ndim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {input.ndim}-D input to dropout3d, which is deprecated and will result in an "
            "error in a future release. To retain the behavior and silence this warning, please use dropout "
            "instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial "
            "dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).",
            UserWarning, stacklevel=2)
    return _feature_dropout(input, p, training, inplace, batched=input.ndim == 5)


class Dropout(Module):
    """Randomly zeroes elements with probability ``p`` in training; the identity in ``eval()`` mode.

    Shape: input ``(*)``, output ``(*)``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> _ = ourdl.manual_seed(0)
    >>> y = nn.Dropout(0.5)(ourdl.ones(8))
    >>> sorted(set(y.tolist()))
    [0.0, 2.0]
    """

    def __init__(self, p: float = 0.5, inplace: bool = False):
        super().__init__()
        _check_p(p)
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(Dropout):
    """Zeroes whole channels of ``(N, C, L)`` or ``(C, L)`` inputs with probability ``p`` in training
    (:func:`dropout1d`); the identity in ``eval()`` mode.

    >>> from ourdl import nn
    >>> nn.Dropout1d(0.2)
    Dropout1d(p=0.2, inplace=False)
    """

    def forward(self, input: Tensor) -> Tensor:
        return dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(Dropout):
    """Zeroes whole channels of ``(N, C, H, W)`` inputs with probability ``p`` in training (:func:`dropout2d`,
    with its warning for other ranks); the identity in ``eval()`` mode.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Dropout2d().eval()(ourdl.ones(1, 1, 2, 2)).sum().item()
    4.0
    """

    def forward(self, input: Tensor) -> Tensor:
        return dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(Dropout):
    """Zeroes whole channels of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` inputs with probability ``p`` in training
    (:func:`dropout3d`); the identity in ``eval()`` mode.

    >>> from ourdl import nn
    >>> nn.Dropout3d(0.1, inplace=True)
    Dropout3d(p=0.1, inplace=True)
    """

    def forward(self, input: Tensor) -> Tensor:
        return dropout3d(input, self.p, self.training, self.inplace)
