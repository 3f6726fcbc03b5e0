"""``Parameter``: a tensor that a :class:`~ourdl.nn.Module` registers as one of its weights.

>>> import ourdl
>>> from ourdl.nn import Parameter
>>> Parameter(ourdl.ones(2))
Parameter containing:
tensor([1., 1.], requires_grad=True)
"""

from __future__ import annotations

import numpy as np

from ..ops.creation import empty
from ..tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad by default; assigning one to a Module attribute registers it.

    ``Parameter(t)`` shares ``t``'s memory, as in PyTorch.

    >>> import ourdl
    >>> from ourdl import nn
    >>> layer = nn.Linear(3, 1)
    >>> layer.scale = Parameter(ourdl.zeros(3))
    >>> [name for name, _ in layer.named_parameters()]
    ['weight', 'bias', 'scale']
    >>> layer.scale.requires_grad, layer.scale.is_leaf
    (True, True)
    >>> (layer.scale * ourdl.tensor([0.0, 1.0, 2.0])).sum().backward()
    >>> layer.scale.grad
    tensor([0., 1., 2.])
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad: bool = True):
        if data is None:
            data = empty(0)
        array = data._data if isinstance(data, Tensor) else np.asarray(data)
        Tensor.__init__(self, Tensor._make(array), requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo) -> "Parameter":
        if id(self) in memo:
            return memo[id(self)]
        result = Parameter(self._data.copy(), self._requires_grad)
        if self._grad is not None:
            result._grad = Tensor._make(self._grad._data.copy())
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol):
        return (Parameter, (self._data, self._requires_grad))
