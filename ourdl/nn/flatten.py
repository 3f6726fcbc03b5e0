"""``Flatten`` and ``Unflatten``: reshape layers for a ``Sequential``.

>>> import ourdl
>>> from ourdl import nn
>>> nn.Flatten()(ourdl.zeros(32, 1, 28, 28)).shape
ourdl.Size([32, 784])
"""

from __future__ import annotations

from ..ops.reshaping import flatten, unflatten
from ..tensor import Tensor
from .module import Module


class Flatten(Module):
    """Flattens dimensions ``start_dim`` to ``end_dim`` into one (by default all but the batch dimension).

    Shape: input ``(N, *dims)``, output ``(N, prod(dims))``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Flatten(0, 1)(ourdl.zeros(2, 3, 4)).shape
    ourdl.Size([6, 4])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Expands dimension ``dim`` into the shape ``unflattened_size``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Unflatten(1, (2, 5))(ourdl.zeros(3, 10)).shape
    ourdl.Size([3, 2, 5])
    """

    def __init__(self, dim: int, unflattened_size):
        super().__init__()
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input: Tensor) -> Tensor:
        return unflatten(input, self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
