"""``MLP``: a ready multilayer perceptron, ``Linear`` layers with any activation of the catalog between them.

>>> import ourdl
>>> from ourdl import nn
>>> model = nn.MLP([64, 128, 10], activation="relu")
>>> model(ourdl.zeros(5, 64)).shape
ourdl.Size([5, 10])
"""

from __future__ import annotations

import copy
from enum import Enum

from .. import activations
from .batch_norm import BatchNorm1d
from .container import Sequential
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .normalization import LayerNorm


class Norm(str, Enum):
    """The normalisation :class:`MLP` puts after each hidden Linear (``norm=``); the strings work too.

    >>> Norm("batch") is Norm.BATCH
    True
    """

    BATCH = "batch"
    LAYER = "layer"


NORM_LAYERS = {Norm.BATCH: BatchNorm1d, Norm.LAYER: LayerNorm}


def make_activation(activation) -> Module:
    """A fresh activation Module from a catalog name (``"gelu"``), a Module class, or a Module instance (copied).

    >>> from ourdl import nn
    >>> type(make_activation(nn.Identity)).__name__
    'Identity'
    """
    if isinstance(activation, str):
        return activations.get(activation).module()
    if isinstance(activation, Module):
        return copy.deepcopy(activation)
    if isinstance(activation, type) and issubclass(activation, Module):
        return activation()
    raise TypeError(f"MLP: activation must be a catalog name, a Module class or a Module, got {activation!r}")


class MLP(Sequential):
    """``Linear(sizes[0], sizes[1])``, activation, ..., ``Linear(sizes[-2], sizes[-1])``: no activation after the last layer.

    ``activation`` is a catalog name (any of ``ourdl.activations``), a Module class or a Module
    instance (each layer gets its own copy, so parametric activations are not shared).
    Optional ``norm`` (:class:`Norm`: ``"batch"`` or ``"layer"``) after each hidden Linear, ``dropout`` after each
    hidden activation. It is a ``Sequential``, so parameter names are ``0.weight``, ``0.bias``, ...
    and a PyTorch ``nn.Sequential`` of the same layers loads its ``state_dict``.

    >>> from ourdl import nn
    >>> nn.MLP([2, 3, 1], activation=nn.Identity)
    MLP(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): Identity()
      (2): Linear(in_features=3, out_features=1, bias=True)
    )
    """

    def __init__(self, sizes, activation="relu", bias: bool = True, norm: Norm | str | None = None, dropout: float = 0.0):
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"MLP: sizes needs at least an input and an output size, got {sizes}")
        if norm is not None and norm not in tuple(Norm):
            raise ValueError(f"MLP: norm must be None, 'batch' or 'layer', got {norm!r}")
        layers = []
        for fan_in, fan_out in zip(sizes[:-2], sizes[1:-1]):
            layers.append(Linear(fan_in, fan_out, bias=bias))
            if norm is not None:
                layers.append(NORM_LAYERS[Norm(norm)](fan_out))
            layers.append(make_activation(activation))
            if dropout:
                layers.append(Dropout(dropout))
        layers.append(Linear(sizes[-2], sizes[-1], bias=bias))
        super().__init__(*layers)
        self.sizes = sizes
