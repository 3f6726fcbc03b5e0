"""Dropout: during training, zero each element with probability ``p`` and scale the rest by ``1/(1-p)``.

The mask comes from ourdl's default generator, so ``ourdl.manual_seed`` makes it repeat.

>>> import ourdl
>>> from ourdl import nn
>>> layer = nn.Dropout(0.5).eval()
>>> layer(ourdl.ones(3))
tensor([1., 1., 1.])
"""

from __future__ import annotations

import numpy as np

from ..ops.random import default_generator
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
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        mask = np.zeros(input.shape, dtype=input._data.dtype)
    else:
        mask = (default_generator.numpy.random(input.shape) >= p).astype(input._data.dtype)
        mask *= 1.0 / (1.0 - p)
    if inplace:
        return input.mul_(Tensor._make(mask))
    return input * Tensor._make(mask)


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
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
