"""Networks the experiments build: MLPs with a chosen initialisation, and what to watch in them."""

from __future__ import annotations

from typing import Callable

import numpy as np

import ourdl
from ourdl import nn
from ourdl.train.diagnostics import ActivationStats



def mlp(sizes: list[int], act: str, init: Callable | None = None, zero_bias: bool = False) -> nn.MLP:
    """``nn.MLP(sizes, activation=act)``, its weights re-initialised by ``init(weight)`` when given.

    ``zero_bias`` sets every bias to 0, so only the weights shape the signal.
    """
    model = nn.MLP(sizes, activation=act)
    for layer in linears(model).values():
        if init is not None:
            init(layer.weight)
        if zero_bias:
            nn.init.zeros_(layer.bias)
    return model


def gaussian_batch(seed: int, batch: int, width: int):
    """A ``(batch, width)`` float32 tensor of standard normal inputs, fixed by ``seed``."""
    return ourdl.tensor(np.random.default_rng(seed).standard_normal((batch, width)), dtype=ourdl.float32)


def linears(model: nn.Module) -> dict:
    """The ``nn.Linear`` layers of ``model`` as ``{name: layer}``, in order."""
    return {name: m for name, m in model.named_modules() if isinstance(m, nn.Linear)}


def layer_statistics(model: nn.Module, x, modules: dict | None = None) -> list[dict]:
    """Forward ``x`` once (no gradient) and return each watched layer's mean and variance, in order."""
    with ActivationStats(model, modules) as stats, ourdl.no_grad():
        model(x)
    return list(stats.stats().values())
