"""The tutorials' network in scalar nodes: x → h hidden units act(w1_j x + b1_j) → Σ_j w2_j a_j + b2, trained sample by sample.

With two LeakyReLU units this is the 1-2-1 network that fits y = x² on [0, 2] with a
polyline of three pieces: each unit is one bent line w2_j · act(w1_j x + b1_j), and the
output is their sum plus b2. The graph is built once; each sample sets ``x`` and ``y`` and
runs forward, backward and one gradient-descent step.

>>> from ourdl.graph import TinyNetwork, GradientDescent
>>> net = TinyNetwork(hidden=2, activation="leaky_relu", seed=0, negative_slope=0.1)
>>> optimizer = GradientDescent(net.parameters, lr=0.02)
>>> samples = [(i / 10, (i / 10) ** 2) for i in range(21)]
>>> first = sum(net.train_step(x, y, optimizer) for x, y in samples)
>>> for _ in range(100):
...     last = sum(net.train_step(x, y, optimizer) for x, y in samples)
>>> last < first / 10
True
"""

from __future__ import annotations

import math
import random

import numpy as np

from .. import activations, nn
from .activations import activation_op
from .node import Variable
from .ops import Add, Mul, SquareLoss
from .optim import GradientDescent


class TinyNetwork:
    """input → ``hidden`` units of a catalog activation → one output, and its square loss, as scalar nodes.

    Weights start as ``nn.Linear``'s do (uniform in ±1/√fan_in), drawn from ``random.Random(seed)``;
    ``params`` go to the activation op (``negative_slope=0.1``). Attributes: ``x`` and ``y`` (the
    sample's Variables), ``w1``, ``b1``, ``w2`` (lists), ``b2``, ``hidden`` (the activations a_j),
    ``units`` (w2_j · a_j), ``output``, ``loss``, ``parameters``.

    >>> net = TinyNetwork(hidden=2, seed=0)
    >>> [p.name for p in net.parameters]
    ['w1_1', 'w1_2', 'b1_1', 'b1_2', 'w2_1', 'w2_2', 'b2']
    >>> net(1.0) == net.units[0].value + net.units[1].value + net.b2.value
    True
    """

    def __init__(self, hidden: int = 2, activation: str = "leaky_relu", seed: int = 0, **params):
        if not isinstance(hidden, int) or hidden < 1:
            raise ValueError(f"TinyNetwork: hidden must be a positive number of units, got {hidden!r}")
        act = activation_op(activation)
        rng = random.Random(seed)
        self.activation = act.entry.name
        self.params = {**act.parameters, **params}
        self.x = Variable(0.0, trainable=False, name="x")
        self.y = Variable(0.0, trainable=False, name="y")
        bound = 1.0 / math.sqrt(hidden)
        self.w1 = [Variable(rng.uniform(-1.0, 1.0), name=f"w1_{j + 1}") for j in range(hidden)]
        self.b1 = [Variable(rng.uniform(-1.0, 1.0), name=f"b1_{j + 1}") for j in range(hidden)]
        self.w2 = [Variable(rng.uniform(-bound, bound), name=f"w2_{j + 1}") for j in range(hidden)]
        self.b2 = Variable(rng.uniform(-bound, bound), name="b2")
        self.hidden = [act(Add(Mul(w, self.x, name=f"w1_{j + 1}·x"), b, name=f"z{j + 1}"), name=f"a{j + 1}", **params)
                       for j, (w, b) in enumerate(zip(self.w1, self.b1))]
        self.units = [Mul(w, a, name=f"u{j + 1}") for j, (w, a) in enumerate(zip(self.w2, self.hidden))]
        total = self.units[0]
        for j, unit in enumerate(self.units[1:], start=2):
            total = Add(total, unit, name="u1+u2" if j == 2 else f"u1+…+u{j}")
        self.output = Add(total, self.b2, name="output")
        self.loss = SquareLoss(self.output, self.y, name="loss")
        self.parameters = [*self.w1, *self.b1, *self.w2, self.b2]

    def __call__(self, x: float) -> float:
        """The network's output at ``x`` (a forward pass of the output node)."""
        self.x.value = x
        return self.output.forward()

    def train_step(self, x: float, y: float, optimizer: GradientDescent) -> float:
        """One sample: forward the loss, zero the gradients, backward, step; returns the loss before the step."""
        self.x.value = x
        self.y.value = y
        loss = self.loss.forward()
        optimizer.zero_grad()
        self.loss.backward()
        optimizer.step()
        return loss

    def state_dict(self) -> dict:
        """The weights under ``nn.Sequential(Linear, act, Linear)``'s names, as nested lists of floats.

        >>> sorted(TinyNetwork(hidden=3).state_dict())
        ['0.bias', '0.weight', '2.bias', '2.weight']
        """
        return {"0.weight": [[w.value] for w in self.w1], "0.bias": [b.value for b in self.b1],
                "2.weight": [[w.value for w in self.w2]], "2.bias": [self.b2.value]}

    def to_module(self, dtype=None):
        """The same network in ``ourdl.nn`` (Linear, the catalog's activation Module, Linear) with these weights.

        ``dtype``: float32 (the default dtype) unless given. (``rrelu``'s Module draws random
        slopes while training: call ``.eval()`` for the graph's evaluation-mode slope.)

        >>> import ourdl
        >>> net = TinyNetwork(hidden=2, negative_slope=0.1)
        >>> model = net.to_module(ourdl.float64)
        >>> abs(model(ourdl.tensor([[1.5]], dtype=ourdl.float64)).item() - net(1.5)) < 1e-12
        True
        """
        entry = activations.get(self.activation)
        state = {k: np.asarray(v) for k, v in self.state_dict().items()}
        if entry.properties["learnable"]:  # prelu: the slope is a Parameter of the Module, a constant here
            act = entry.module()
            state.update({f"1.{k}": np.full(tuple(v.shape), self.params[k]) for k, v in act.state_dict().items()})
        else:
            act = entry.module(**self.params)
        model = nn.Sequential(nn.Linear(1, len(self.w1)), act, nn.Linear(len(self.w1), 1))
        if dtype is not None:
            model.to(dtype=dtype)
        model.load_state_dict(state)
        return model


def fit(network: TinyNetwork, samples, epochs: int, lr: float, seed: int = 0, on_epoch=None) -> list:
    """Stochastic gradient descent on ``samples`` (pairs x, y), one update per sample, shuffled each epoch.

    Returns the mean loss of each epoch; ``on_epoch(epoch, mean_loss)`` is called after each.

    >>> net = TinyNetwork(hidden=2, seed=0, negative_slope=0.1)
    >>> losses = fit(net, [(i / 10, (i / 10) ** 2) for i in range(21)], epochs=50, lr=0.02)
    >>> len(losses), losses[-1] < losses[0]
    (50, True)
    """
    samples = list(samples)
    order = random.Random(seed)
    optimizer = GradientDescent(network.parameters, lr)
    losses = []
    for epoch in range(epochs):
        order.shuffle(samples)
        total = 0.0
        for x, y in samples:
            total += network.train_step(x, y, optimizer)
        losses.append(total / len(samples))
        if on_epoch is not None:
            on_epoch(epoch + 1, losses[-1])
    return losses
