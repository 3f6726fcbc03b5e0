"""One graph op per elementwise activation of the catalog, generated from its scalar form and derivative.

``Relu``, ``LeakyRelu``, ``Sigmoid``, ... are made here from catalog entries: each computes
f(parent) and answers ``get_parent_grad`` with f'(parent), and keeps its scalar form as a static
method named like the entry (``Relu.relu(-1.0) == 0.0``, ``LeakyRelu.leaky_relu(-1.0, 0.1)``)
beside ``derivative``, for plotting outside any graph. The functions come from the ``math``
formulas of :mod:`ourdl.graph.scalars` where written, else from the catalog entry's own
``.scalar`` and ``.derivative`` (exact, slower: tensors underneath). Parameters keep the
catalog's names and defaults: ``LeakyRelu(x, negative_slope=0.1)``.

>>> from ourdl.graph import Variable, LeakyRelu
>>> x = Variable(-2.0)
>>> y = LeakyRelu(x, negative_slope=0.1)
>>> y.forward(), y.backward(), x.grad
(-0.2, None, 0.1)
>>> LeakyRelu.leaky_relu(3.0), LeakyRelu.derivative(0.0)
(3.0, 0.01)
"""

from __future__ import annotations

import inspect

import numpy as np

from .. import activations as catalog
from .node import Op
from .scalars import FORMULAS

_GENERATED: dict[str, type] = {}


class ActivationOp(Op):
    """The op of one catalog activation: value f(x), local derivative f'(x), the entry's parameters.

    Subclasses are made by :func:`activation_op`; class attributes ``entry`` (the catalog entry),
    ``parameters`` (name -> default), ``function`` and ``derivative`` (static, on floats).

    >>> from ourdl.graph import Variable, Tanh
    >>> isinstance(Tanh(Variable(0.0)), ActivationOp), Tanh.entry.name
    (True, 'tanh')
    """

    __slots__ = ("args",)
    arity = 1
    entry = None
    parameters: dict = {}

    def __init__(self, x, *, name: str | None = None, **params):
        unknown = set(params) - set(self.parameters)
        if unknown:
            valid = ", ".join(self.parameters) or "none"
            raise TypeError(f"{type(self).__name__}: unknown parameter{'s' if len(unknown) > 1 else ''} "
                            f"{', '.join(sorted(unknown))}; its parameters: {valid}")
        self.args = tuple(params.get(key, default) for key, default in self.parameters.items())
        Op.__init__(self, x, name=name)

    def compute(self):
        self.value = self.function(self.parents[0].value, *self.args)

    def get_parent_grad(self, parent):
        x = self.parents[0]
        if parent is x:
            return self.derivative(x.value, *self.args)
        return Op.get_parent_grad(self, parent)


def activation_op(name: str) -> type:
    """The op class of catalog activation ``name`` (an alias works too), made once and kept.

    Works for every elementwise entry, your own registered ones included (through the entry's
    ``.scalar`` and ``.derivative`` when ``scalars.FORMULAS`` has no ``math`` formula for it).

    >>> from ourdl.graph import Variable
    >>> Softplus = activation_op("softplus")
    >>> y = Softplus(Variable(0.0), beta=2.0)
    >>> round(y.forward(), 6), Softplus.__name__
    (0.346574, 'Softplus')
    """
    entry = catalog.get(name)
    if entry.name in _GENERATED:
        return _GENERATED[entry.name]
    if not entry.elementwise:
        raise ValueError(f"activation_op: {entry.name} acts along a dimension, not on one number at a time; "
                         "the node graph has ops for elementwise activations only")
    parameters = {k: v for k, v in entry.parameters.items() if v is not inspect.Parameter.empty}
    function, derivative = FORMULAS.get(entry.name) or _through_catalog(entry, list(parameters))
    class_name = "".join(part.capitalize() for part in entry.name.split("_"))
    namespace = {"__slots__": (), "__module__": __name__, "__qualname__": class_name, "entry": entry,
                 "parameters": parameters, "function": staticmethod(function),
                 "derivative": staticmethod(derivative), entry.name: staticmethod(function),
                 "__doc__": _docstring(class_name, entry, parameters, function)}
    _GENERATED[entry.name] = type(class_name, (ActivationOp,), namespace)
    return _GENERATED[entry.name]


def _through_catalog(entry, names: list) -> tuple:
    """f and f' of ``entry`` on floats through its tensor forms, taking the parameters positionally or by name."""

    def bind(args, params):
        return {**dict(zip(names, args)), **params}

    def function(x, *args, **params):
        return entry.scalar(x, **bind(args, params))

    def derivative(x, *args, **params):
        return float(entry.derivative(np.float64(x), **bind(args, params)))

    return function, derivative


def _docstring(class_name: str, entry, parameters: dict, function) -> str:
    params = ", ".join(f"{k}={v!r}" for k, v in parameters.items())
    return (f"The catalog's ``{entry.name}`` as a graph op: :math:`{entry.formula}`, "
            f"derivative :math:`{entry.derivative_formula}`.\n\n"
            f"Parameters (catalog defaults): {params or 'none'}. Static forms on floats: "
            f"``{class_name}.{entry.name}(x{', ...' if params else ''})`` and ``{class_name}.derivative(x)``.\n\n"
            f">>> from ourdl.graph import Variable, {class_name}\n"
            f">>> x = Variable(0.75)\n>>> y = {class_name}(x)\n"
            f">>> y.forward() == {class_name}.{entry.name}(0.75)\nTrue\n"
            f">>> y.backward(); x.grad == {class_name}.derivative(0.75)\nTrue\n"
            f">>> round({class_name}.{entry.name}(0.75), 6)\n{round(function(0.75), 6)!r}\n")


Celu = activation_op("celu")
Elu = activation_op("elu")
Exponential = activation_op("exponential")
Gelu = activation_op("gelu")
Hardshrink = activation_op("hardshrink")
Hardsigmoid = activation_op("hardsigmoid")
Hardswish = activation_op("hardswish")
Hardtanh = activation_op("hardtanh")
Identity = activation_op("identity")
LeakyRelu = activation_op("leaky_relu")
Lisht = activation_op("lisht")
Logsigmoid = activation_op("logsigmoid")
Mish = activation_op("mish")
Prelu = activation_op("prelu")
Relu = activation_op("relu")
Relu6 = activation_op("relu6")
Rrelu = activation_op("rrelu")
Selu = activation_op("selu")
Sigmoid = activation_op("sigmoid")
Silu = activation_op("silu")
Snake = activation_op("snake")
Softplus = activation_op("softplus")
Softshrink = activation_op("softshrink")
Softsign = activation_op("softsign")
SparsePlus = activation_op("sparse_plus")
SparseSigmoid = activation_op("sparse_sigmoid")
Squareplus = activation_op("squareplus")
Step = activation_op("step")
Swish = activation_op("swish")
Tanh = activation_op("tanh")
Tanhshrink = activation_op("tanhshrink")
Threshold = activation_op("threshold")

__all__ = ["ActivationOp", "Celu", "Elu", "Exponential", "Gelu", "Hardshrink", "Hardsigmoid", "Hardswish", "Hardtanh",
           "Identity", "LeakyRelu", "Lisht", "Logsigmoid", "Mish", "Prelu", "Relu", "Relu6", "Rrelu", "Selu",
           "Sigmoid", "Silu", "Snake", "Softplus", "Softshrink", "Softsign", "SparsePlus", "SparseSigmoid",
           "Squareplus", "Step", "Swish", "Tanh", "Tanhshrink", "Threshold", "activation_op"]
