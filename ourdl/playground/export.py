"""A playground run taken away: a Python script that repeats it step for step, and its weights as safetensors.

The script spells out what :class:`~ourdl.playground.run.Run` does (the model layer by
layer, its initialisation from the seeded generator, the loss, the optimiser, the
batches of each epoch) and takes the data from :mod:`ourdl.playground.datasets`, so it
ends at the loss the page showed. The weights file uses PyTorch's names (``0.weight``,
``0.bias``, ...): ``torch.nn.Sequential`` of the same layers loads it.

>>> from ourdl.playground.run import Run
>>> from ourdl.playground.settings import Settings
>>> text = script(Run(Settings(layers=(3,))))
>>> "nn.Linear(2, 3)" in text and "optim.SGD" in text
True
"""

from __future__ import annotations

import os
import tempfile

from .. import activations, nn
from ..io import weights as weight_files
from .run import Run, activation_module, module_arguments
from .settings import ActivationSpec, to_query


def _module_text(spec: ActivationSpec) -> str:
    arguments = module_arguments(spec)
    params = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
    if spec.name == "prelu":
        return f"nn.PReLU(init={arguments['weight']!r})"
    entry = activations.get(spec.name)
    if getattr(nn, entry.module_name, None) is type(activation_module(spec)):
        return f"nn.{entry.module_name}({params})"
    # an activation registered outside ourdl: import the code that registers it before running this script
    return f"ourdl.activations.get({spec.name!r}).module({params})"


def _init_lines(run: Run) -> list:
    s, lines = run.settings, []
    names = [spec.name for spec in s.activations] + ["linear"]
    for position, (index, nonlinearity) in enumerate(zip(_linear_indices(run), names)):
        w, b = f"model[{index}].weight", f"model[{index}].bias"
        fan_in = run.linears[position].weight.shape[1]
        if s.init == "default":
            lines += [f"init.kaiming_uniform_({w}, a=math.sqrt(5), generator=generator)",
                      f"init.uniform_({b}, -1 / math.sqrt({fan_in}), 1 / math.sqrt({fan_in}), generator=generator)"]
            continue
        if s.init == "xavier":
            lines.append(f"init.xavier_normal_({w}, generator=generator)")
        elif s.init == "kaiming":
            lines.append(f'init.kaiming_normal_({w}, nonlinearity="relu", generator=generator)')
        elif s.init == "lecun":
            lines.append(f'init.kaiming_normal_({w}, nonlinearity="linear", generator=generator)')
        else:
            lines.append(f"init.normal_({w}, 0.0, init.calculate_gain({nonlinearity!r}) / math.sqrt({fan_in}), "
                         f"generator=generator)")
        lines.append(f"init.zeros_({b})")
    return lines


def _linear_indices(run: Run) -> list:
    return [i for i, layer in enumerate(run.model) if isinstance(layer, nn.Linear)]


def script(run: Run) -> str:
    """The Python source of a script that rebuilds ``run``'s data and model and trains :attr:`Run.step` steps.

    >>> from ourdl.playground.run import Run
    >>> from ourdl.playground.settings import Settings
    >>> print(script(Run(Settings(layers=()))).splitlines()[0])
    \"\"\"An ourdl playground run, as a script: circles, 2 inputs → 1, tanh, sgd at learning rate 0.03.
    """
    s = run.settings
    widths = [len(s.features), *s.layers, 1]
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(f"nn.Linear({fan_in}, {fan_out})")
        if i < len(s.layers):
            layers.append(_module_text(s.activations[i]))
    squared_classes = s.problem == "classification" and s.loss == "squared"
    if s.loss == "cross_entropy":
        loss = "F.binary_cross_entropy_with_logits(model(x), y)"
    else:
        loss = "F.mse_loss(ourdl.tanh(model(x)), y)" if squared_classes else "F.mse_loss(model(x), y)"
    if s.optimizer == "adam":
        optimizer = f"optim.Adam(model.parameters(), lr={s.learning_rate!r})"
    else:
        optimizer = (f"optim.SGD(model.parameters(), lr={s.learning_rate!r}, "
                     f"momentum={0.9 if s.optimizer == 'momentum' else 0.0})")
    penalty = "none"
    if s.regularization != "none" and s.regularization_rate != 0:
        term = "layer.weight.abs().sum()" if s.regularization == "L1" else "(layer.weight * layer.weight).sum()"
        scale = f"{s.regularization_rate!r}" + (" * 0.5" if s.regularization == "L2" else "")
        penalty = f"{scale} * sum({term} for layer in linears)"
    shape = " → ".join(map(str, [f"{len(s.features)} inputs", *s.layers, 1]))
    targets = "data.{0} * 2 - 1" if squared_classes else "data.{0}"
    lines = [
        f'"""An ourdl playground run, as a script: {s.dataset}, {shape}, '
        f'{", ".join(sorted(set(map(str, s.activations)))) or "no hidden layer"}, {s.optimizer} at learning rate '
        f'{s.learning_rate!r}.',
        "",
        f"It repeats the page's run step for step and prints the losses after step {run.step}.",
        "Open the same run in the playground: ourdl playground, then add this after # in the address:",
        to_query(s),
        '"""',
        "",
        "import math",
        "",
        "import numpy as np",
        "",
        "import ourdl",
        "from ourdl import nn, optim",
        "from ourdl.nn import functional as F",
        "from ourdl.nn import init",
        "from ourdl.playground import datasets, settings",
        "",
        f"STEPS, SEED, BATCH = {run.step}, {s.seed}, {s.batch_size}",
        f"FEATURES = {tuple(s.features)!r}",
        f"data = datasets.make(settings.parse({to_query(s)!r}))",
        "x_train = ourdl.tensor(datasets.features(data.x_train, FEATURES))",
        "x_test = ourdl.tensor(datasets.features(data.x_test, FEATURES))",
        f"y_train = ourdl.tensor({targets.format('y_train')})",
        f"y_test = ourdl.tensor({targets.format('y_test')})",
        "",
        "model = nn.Sequential(" + ", ".join(layers) + ")",
        "linears = [layer for layer in model if isinstance(layer, nn.Linear)]",
        "generator = ourdl.Generator().manual_seed(SEED)",
        *_init_lines(run),
        f"optimizer = {optimizer}",
        "",
        "",
        "def data_loss(x, y):",
        f"    return {loss}",
        "",
        "",
        "per_epoch = -(-len(x_train) // BATCH)",
        "for step in range(STEPS):",
        "    epoch, index = divmod(step, per_epoch)",
        "    order = np.random.default_rng([SEED, epoch]).permutation(len(x_train))",
        "    rows = ourdl.tensor(order[index * BATCH:(index + 1) * BATCH])",
        "    loss = data_loss(x_train[rows], y_train[rows])",
        *([f"    loss = loss + {penalty}"] if penalty != "none" else []),
        "    optimizer.zero_grad()",
        "    loss.backward()",
        "    optimizer.step()",
        "",
        "model.eval()",
        "with ourdl.no_grad():",
        "    train = data_loss(x_train, y_train).item()",
        "    test = data_loss(x_test, y_test).item() if len(x_test) else float('nan')",
        'print(f"after {STEPS} steps: training loss {train:.6f}, test loss {test:.6f}")',
    ]
    return "\n".join(lines) + "\n"


def weights(run: Run) -> bytes:
    """The model's state dict as the bytes of a safetensors file, under PyTorch's names.

    >>> from ourdl.playground.run import Run
    >>> from ourdl.playground.settings import Settings
    >>> import safetensors.numpy
    >>> sorted(safetensors.numpy.load(weights(Run(Settings(layers=(3,))))))
    ['0.bias', '0.weight', '2.bias', '2.weight']
    """
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "weights.safetensors")
        weight_files.save(run.model.state_dict(), path, metadata={"ourdl.playground": to_query(run.settings)})
        with open(path, "rb") as stream:
            return stream.read()
