"""One playground run: the data, the network, its optimiser and the training steps, all decided by :class:`Settings`.

The same settings give the same run step for step: the weights come from a generator
seeded with ``seed``, each epoch's order of the training points from
``numpy.random.default_rng([seed, epoch])``. :mod:`ourdl.playground.export` writes the
same steps as a script, which reaches the same loss.

>>> from ourdl.playground.settings import Settings
>>> run = Run(Settings(dataset="gaussians", points=60))
>>> before = run.losses()[0]
>>> run.train(30)
>>> run.step, run.losses()[0] < before
(30, True)
"""

from __future__ import annotations

import inspect
import math

import numpy as np

import ourdl

from .. import activations, nn, optim
from ..nn import functional as F
from ..nn import init
from . import datasets
from .settings import ActivationSpec, Settings


def module_arguments(spec: ActivationSpec) -> dict:
    """Every parameter of the activation, defaults filled in: some Modules (``nn.Threshold``) require them all.

    >>> module_arguments(ActivationSpec("threshold", {"value": -1.0}))
    {'threshold': 0.0, 'value': -1.0}
    """
    defaults = activations.get(spec.name).parameters
    return {**{k: v for k, v in defaults.items() if v is not inspect.Parameter.empty}, **spec.params}


def activation_module(spec: ActivationSpec):
    """The Module for one layer's activation (PReLU's parameter ``weight`` is its ``init``).

    >>> activation_module(ActivationSpec("leaky_relu", {"negative_slope": 0.2}))
    LeakyReLU(negative_slope=0.2)
    """
    arguments = module_arguments(spec)
    if spec.name == "prelu":
        return nn.PReLU(init=arguments["weight"])
    return activations.get(spec.name).module(**arguments)


def build_model(settings: Settings, generator) -> nn.Sequential:
    """``Linear, activation, ..., Linear(last, 1)``, initialised by ``settings.init`` from ``generator``.

    ``default`` is PyTorch's Linear initialisation; ``xavier`` Glorot normal; ``kaiming`` He normal
    (ReLU's gain); ``lecun`` normal with variance 1/fan_in; ``gain`` normal with the catalog's gain
    for the layer's activation over √fan_in. All but ``default`` start the biases at zero.

    >>> from ourdl.playground.settings import Settings
    >>> build_model(Settings(layers=(3,)), ourdl.Generator().manual_seed(0))
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): Tanh()
      (2): Linear(in_features=3, out_features=1, bias=True)
    )
    """
    widths = [len(settings.features), *settings.layers, 1]
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        linear = nn.Linear(fan_in, fan_out)
        spec = settings.activations[i] if i < len(settings.layers) else None
        initialise(linear, settings.init, spec.name if spec else "linear", generator)
        layers.append(linear)
        if spec:
            layers.append(activation_module(spec))
    return nn.Sequential(*layers)


def initialise(linear: nn.Linear, scheme: str, nonlinearity: str, generator) -> None:
    """Fill ``linear``'s weight and bias by ``scheme`` (see :func:`build_model`), drawing from ``generator``.

    >>> layer = nn.Linear(4, 2)
    >>> initialise(layer, "lecun", "tanh", ourdl.Generator().manual_seed(1))
    >>> layer.bias.tolist()
    [0.0, 0.0]
    """
    weight, bias = linear.weight, linear.bias
    if scheme == "default":
        init.kaiming_uniform_(weight, a=math.sqrt(5), generator=generator)
        bound = 1 / math.sqrt(weight.shape[1])
        init.uniform_(bias, -bound, bound, generator=generator)
        return
    if scheme == "xavier":
        init.xavier_normal_(weight, generator=generator)
    elif scheme == "kaiming":
        init.kaiming_normal_(weight, nonlinearity="relu", generator=generator)
    elif scheme == "lecun":
        init.kaiming_normal_(weight, nonlinearity="linear", generator=generator)
    else:
        init.normal_(weight, 0.0, init.calculate_gain(nonlinearity) / math.sqrt(weight.shape[1]), generator=generator)
    init.zeros_(bias)


def build_optimizer(settings: Settings, model):
    """SGD, SGD with momentum 0.9, or Adam, at ``settings.learning_rate``.

    >>> from ourdl.playground.settings import Settings
    >>> type(build_optimizer(Settings(optimizer="adam"), nn.Linear(2, 1))).__name__
    'Adam'
    """
    if settings.optimizer == "adam":
        return optim.Adam(model.parameters(), lr=settings.learning_rate)
    momentum = 0.9 if settings.optimizer == "momentum" else 0.0
    return optim.SGD(model.parameters(), lr=settings.learning_rate, momentum=momentum)


class Run:
    """Data, model, optimiser and step count of one run; :meth:`train` takes steps, :meth:`losses` measures.

    >>> from ourdl.playground.settings import parse
    >>> run = Run(parse("dataset=xor&points=100&batchSize=10"))
    >>> run.steps_per_epoch, run.epoch
    (5, 0)
    >>> run.train(10); run.epoch, [step for step, _, _ in run.history]
    (2, [5, 10])
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.data = datasets.make(settings)
        self.x_train = ourdl.tensor(datasets.features(self.data.x_train, settings.features))
        self.x_test = ourdl.tensor(datasets.features(self.data.x_test, settings.features))
        self.y_train = ourdl.tensor(self.targets(self.data.y_train))
        self.y_test = ourdl.tensor(self.targets(self.data.y_test))
        self.model = build_model(settings, ourdl.Generator().manual_seed(settings.seed))
        self.linears = [layer for layer in self.model if isinstance(layer, nn.Linear)]
        self.optimizer = build_optimizer(settings, self.model)
        self.step = 0
        self._order = (-1, None)  # (epoch, its order of the training points)
        self.history = []  # (step, train loss, test loss), once per epoch and at each frame
        self.diverged = None  # the message once a loss is not finite

    def targets(self, labels: np.ndarray) -> np.ndarray:
        """Labels 0/1 become -1/+1 for squared error on tanh (TF Playground's way); others stay."""
        if self.settings.problem == "classification" and self.settings.loss == "squared":
            return labels * 2 - 1
        return labels

    @property
    def steps_per_epoch(self) -> int:
        """Batches in one pass over the training points (the last may be smaller)."""
        return -(-len(self.data.x_train) // self.settings.batch_size)

    @property
    def epoch(self) -> int:
        """Completed passes over the training points."""
        return self.step // self.steps_per_epoch

    def predict(self, x):
        """The output in the units of the targets: tanh of the logit for squared error on classes, else the logit."""
        out = self.model(x)
        return ourdl.tanh(out) if self.settings.problem == "classification" and self.settings.loss == "squared" \
            else out

    def data_loss(self, x, y):
        """The loss without regularisation: mean squared error, or binary cross-entropy on the logit."""
        if self.settings.loss == "cross_entropy":
            return F.binary_cross_entropy_with_logits(self.model(x), y)
        return F.mse_loss(self.predict(x), y)

    def penalty(self):
        """L1 (rate · Σ|w|) or L2 (rate · ½ Σw²) over the Linear weights, biases excluded; None without one."""
        rate = self.settings.regularization_rate
        if self.settings.regularization == "none" or rate == 0:
            return None
        if self.settings.regularization == "L1":
            return rate * sum(layer.weight.abs().sum() for layer in self.linears)
        return rate * 0.5 * sum((layer.weight * layer.weight).sum() for layer in self.linears)

    def batch(self, step: int) -> np.ndarray:
        """The indices of the training points that step ``step`` uses."""
        epoch, index = divmod(step, self.steps_per_epoch)
        if self._order[0] != epoch:  # a new generator per epoch, not per step: making one costs a millisecond
            self._order = (epoch, np.random.default_rng([self.settings.seed, epoch]).permutation(len(self.data.x_train)))
        order = self._order[1]
        size = self.settings.batch_size
        return order[index * size:(index + 1) * size]

    def train(self, steps: int) -> None:
        """Take ``steps`` optimiser steps; stops early, with :attr:`diverged` set, when a loss is not finite."""
        self.model.train()
        # overflow on the way to a NaN is what a diverging run does; the finite check below reports it once
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            self._train(steps)

    @property
    def grad_norms(self) -> list:
        """‖∂loss/∂W‖ of each Linear layer at the last step (zeros before the first)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return [float(np.linalg.norm(layer.weight.grad.numpy())) if layer.weight.grad is not None else 0.0
                    for layer in self.linears]

    def _train(self, steps: int) -> None:
        for _ in range(steps):
            if self.diverged:
                return
            rows = ourdl.tensor(self.batch(self.step))
            loss = self.data_loss(self.x_train[rows], self.y_train[rows])
            penalty = self.penalty()
            if penalty is not None:
                loss = loss + penalty
            self.optimizer.zero_grad()
            loss.backward()
            value = loss.item()
            if not math.isfinite(value):
                self.diverged = (f"the run diverged at step {self.step + 1}: the loss became {value}; "
                                 "lower the learning rate or change the network, then reset")
                return
            self.optimizer.step()
            self.step += 1
            if self.step % self.steps_per_epoch == 0:
                self.record()

    def losses(self) -> tuple:
        """(training loss, test loss) now, without regularisation; the test loss is NaN without test points."""
        self.model.eval()
        with ourdl.no_grad(), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            train = self.data_loss(self.x_train, self.y_train).item()
            test = self.data_loss(self.x_test, self.y_test).item() if len(self.data.x_test) else float("nan")
        self.model.train()
        return train, test

    def record(self) -> None:
        """Append (step, training loss, test loss) to :attr:`history` unless this step is there already."""
        if not self.history or self.history[-1][0] != self.step:
            self.history.append((self.step, *self.losses()))
