"""Networks the experiments build: a catalog activation by name, deep MLPs with a chosen initialisation."""

from __future__ import annotations

from typing import Callable

import ourdl
from ourdl import nn

from .diagnostics import ActivationStats


def activation(name: str, **params) -> nn.Module:
    """A fresh Module for the catalog activation ``name`` (``"relu"``, ``"gelu"``, ...)."""
    from ourdl import activations

    return activations.get(name).module(**params)


def mlp(sizes: list[int], act: str, init: Callable | None = None, zero_bias: bool = False) -> nn.Sequential:
    """``Linear, act, Linear, act, ..., Linear`` through ``sizes``; no activation after the last layer.

    ``init(weight)`` re-initialises every weight in place (PyTorch's default otherwise);
    ``zero_bias`` sets every bias to 0, so only the weights shape the signal.
    """
    layers: list[nn.Module] = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        linear = nn.Linear(fan_in, fan_out)
        if init is not None:
            init(linear.weight)
        if zero_bias:
            nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i < len(sizes) - 2:
            layers.append(activation(act))
    return nn.Sequential(*layers)


def linears(model: nn.Module) -> dict:
    """The ``nn.Linear`` layers of ``model`` as ``{name: layer}``, in order."""
    return {name: m for name, m in model.named_modules() if isinstance(m, nn.Linear)}


def layer_statistics(model: nn.Module, x, modules: dict | None = None) -> list[dict]:
    """Forward ``x`` once (no gradient) and return each watched layer's mean and variance, in order."""
    with ActivationStats(model, modules) as stats, ourdl.no_grad():
        model(x)
    return list(stats.stats().values())
