"""Functional forms of the catalog's activations (``relu``, ``gelu``, ...), derived from the registry.

Every function has PyTorch's name and signature; the in-place variants
(``relu_``, ``elu_``, ...) are derived from the entries that accept
``inplace=True``, and aliases (``hard_silu``, ``linear``) from the entries.
``ourdl.nn.functional`` re-exports all of them.

>>> import ourdl
>>> import ourdl.activations.functional as F
>>> F.relu_(ourdl.tensor([-1.0, 2.0]))
tensor([0., 2.])
"""

from __future__ import annotations

# importing the modules registers their entries
from . import (along_dim, composite, exponential_linear, gelu, learnable, piecewise, piecewise_extras,  # noqa: F401
               sigmoid_based)
from .registry import catalog


def _inplace_variant(entry):
    function = entry.functional

    def variant(input, *args, **kwargs):
        return function(input, *args, inplace=True, **kwargs)

    signature = entry.signature
    variant.__signature__ = signature.replace(parameters=[p for p in signature.parameters.values()
                                                          if p.name != "inplace"])
    variant.__name__ = variant.__qualname__ = entry.name + "_"
    required = "".join(f", {p.name}={entry.parameters[p.name]!r}" for p in signature.parameters.values()
                       if p.default is p.empty and p.name != "input")
    variant.__doc__ = (f"In-place :func:`{entry.name}`: ``{entry.name}(input, ..., inplace=True)``; returns ``input``.\n\n"
                       ">>> import ourdl\n>>> import ourdl.activations.functional as F\n"
                       f">>> x = ourdl.tensor([-2.0, 0.0, 2.0])\n>>> F.{entry.name}_(x{required}) is x\nTrue\n")
    return variant


def _namespace() -> dict:
    names = {}
    for entry in catalog():
        names[entry.name] = entry.functional
        for alias in entry.aliases:
            if alias != "linear":  # F.linear is the linear layer's function, as in PyTorch
                names[alias] = entry.functional
        if entry.inplace:
            names[entry.name + "_"] = _inplace_variant(entry)
    return names


globals().update(_namespace())
__all__ = sorted(_namespace())
