"""Diagnostics for any ourdl model, usable in your own training loop.

- :class:`DeadUnitTracker`: the share of hidden units that never activate on the samples seen.
- :class:`ActivationStats`: mean, variance and a histogram of each layer's output, via forward hooks.
- :func:`gradient_norms`: the L2 norm of each parameter's gradient after ``backward()``.

By default the trackers watch every activation Module of the catalog inside the
model (``nn.ReLU``, ``nn.GELU``, ...); pass ``modules={name: module}`` to watch
others (``nn.Linear`` layers, say). A *unit* is one feature of the last
dimension: a neuron of an MLP layer.

>>> import ourdl
>>> from ourdl import nn
>>> from ourdl.train.diagnostics import DeadUnitTracker, gradient_norms
>>> model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
>>> with DeadUnitTracker(model) as tracker:
...     model(ourdl.randn(64, 2)).sum().backward()
>>> 0.0 <= tracker.dead_share() <= 1.0
True
>>> sorted(gradient_norms(model))
['0.bias', '0.weight', '2.bias', '2.weight']
"""

from __future__ import annotations

import numpy as np

from ..nn import activation_modules as catalog_modules


def activation_modules(model) -> dict:
    """The catalog's activation Modules inside ``model``, as ``{qualified name: module}`` in forward order."""
    classes = tuple(c for c in (getattr(catalog_modules, name) for name in catalog_modules.__all__) if isinstance(c, type))
    return {name: m for name, m in model.named_modules() if isinstance(m, classes)}


class _ForwardHookSet:
    """Forward hooks on a set of modules, removed by :meth:`remove` or on leaving a ``with`` block."""

    def __init__(self, model, modules=None):
        self.modules = dict(activation_modules(model) if modules is None else modules)
        if not self.modules:
            raise ValueError(f"{type(self).__name__}: no modules to watch in {type(model).__name__}; "
                             "pass modules={name: module}")
        self._handles = [m.register_forward_hook(self._hook(name)) for name, m in self.modules.items()]
        self.reset()

    def _hook(self, name):
        def hook(module, inputs, output):
            self.observe(name, inputs[0].detach().numpy(), output.detach().numpy())
        return hook

    def remove(self) -> None:
        """Detach the hooks; the numbers gathered so far stay readable."""
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class DeadUnitTracker(_ForwardHookSet):
    """Which units never activate over the samples seen since the last :meth:`reset`.

    A unit is *active* on a sample when its activation's input is positive,
    the side where ReLU passes its input on. A ReLU unit that is never active
    is dead: no gradient reaches its weights, so it never recovers. For
    LeakyReLU, ELU or GELU the same unit still passes a gradient and can
    come back.

    Typical use: ``tracker.reset()`` at the start of an epoch, forward the
    epoch's data, then read :meth:`dead_share`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> layer = nn.Linear(1, 2)
    >>> with ourdl.no_grad():
    ...     _ = layer.weight.copy_(ourdl.tensor([[1.0], [-1.0]])); _ = layer.bias.zero_()
    >>> model = nn.Sequential(layer, nn.ReLU())
    >>> with DeadUnitTracker(model) as tracker:
    ...     _ = model(ourdl.rand(10, 1))          # inputs in [0, 1): the second unit never fires
    >>> tracker.dead_share()
    0.5
    """

    def reset(self) -> None:
        """Forget the samples seen so far."""
        self._active = {name: None for name in self.modules}

    def observe(self, name, inputs, output) -> None:
        active = (inputs > 0).reshape(-1, inputs.shape[-1]).any(axis=0)
        seen = self._active[name]
        self._active[name] = active if seen is None else seen | active

    def dead(self) -> dict:
        """``{layer: boolean array}``, True for each unit never active so far (layers not yet run are left out)."""
        return {name: ~active for name, active in self._active.items() if active is not None}

    def dead_counts(self) -> dict:
        """``{layer: number of dead units}``."""
        return {name: int(d.sum()) for name, d in self.dead().items()}

    def dead_share(self, per_layer: bool = False):
        """The share of dead units over all watched layers (a float), or ``{layer: share}`` with ``per_layer``."""
        dead = self.dead()
        if not dead:
            raise RuntimeError("DeadUnitTracker: no forward pass seen since the last reset")
        if per_layer:
            return {name: float(d.mean()) for name, d in dead.items()}
        return float(sum(int(d.sum()) for d in dead.values()) / sum(d.size for d in dead.values()))


class ActivationStats(_ForwardHookSet):
    """Mean, variance, extremes and a histogram of each watched layer's output.

    The mean and variance run over every element of every forward pass since
    the last :meth:`reset` (accumulated in float64). With ``keep_values=True``
    the values of the latest forward pass are kept (in ``.last``) for
    :meth:`histogram`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> model = nn.Sequential(nn.Linear(8, 8), nn.Tanh())
    >>> with ActivationStats(model) as stats, ourdl.no_grad():
    ...     _ = model(ourdl.randn(32, 8))
    >>> s = stats.stats()["1"]
    >>> -1 <= s["mean"] <= 1 and s["var"] > 0
    True
    """

    def __init__(self, model, modules=None, keep_values: bool = False):
        self.keep_values = keep_values
        super().__init__(model, modules)

    def reset(self) -> None:
        """Forget the values seen so far."""
        self._sums = {name: np.zeros(3) for name in self.modules}
        self._extremes = {name: [np.inf, -np.inf] for name in self.modules}
        self.last = {}

    def observe(self, name, inputs, output) -> None:
        values = np.asarray(output, dtype=np.float64).ravel()
        self._sums[name] += (values.size, values.sum(), np.square(values).sum())
        low, high = self._extremes[name]
        self._extremes[name] = [min(low, values.min()), max(high, values.max())]
        if self.keep_values:
            self.last[name] = np.array(output)

    def stats(self) -> dict:
        """``{layer: {"mean", "var", "std", "min", "max"}}`` over the values seen (population variance)."""
        out = {}
        for name, (count, total, squares) in self._sums.items():
            if count:
                mean = total / count
                var = max(squares / count - mean * mean, 0.0)
                low, high = self._extremes[name]
                out[name] = {"mean": float(mean), "var": float(var), "std": float(np.sqrt(var)),
                             "min": float(low), "max": float(high)}
        return out

    def histogram(self, name: str, bins: int = 40):
        """``(counts, edges)`` of the latest forward pass's output of layer ``name`` (as ``numpy.histogram``)."""
        if name not in self.last:
            raise KeyError(f"ActivationStats.histogram: no values kept for layer {name!r}; "
                           "create the tracker with keep_values=True and run a forward pass")
        return np.histogram(self.last[name], bins=bins)


def gradient_norms(model) -> dict:
    """``{parameter name: L2 norm of its .grad}`` for every parameter that has a gradient.

    Call it after ``loss.backward()`` (and before ``optimizer.zero_grad()``);
    plot the weights' norms against depth to see gradients vanish or explode.

    >>> import ourdl
    >>> from ourdl import nn
    >>> layer = nn.Linear(2, 1)
    >>> layer(ourdl.tensor([[3.0, 4.0]])).sum().backward()
    >>> gradient_norms(layer)          # the weight's gradient is the input [3, 4]
    {'weight': 5.0, 'bias': 1.0}
    """
    return {name: float(np.linalg.norm(p.grad.detach().numpy().astype(np.float64)))
            for name, p in model.named_parameters() if p.grad is not None}
