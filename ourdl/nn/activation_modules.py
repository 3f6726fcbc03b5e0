"""Activation Modules (``nn.ReLU``, ``nn.GELU``, ...), derived from the activation catalog.

Each catalog entry gets a Module class named as in PyTorch, whose
constructor takes the functional form's arguments (same order, same
defaults) and whose ``repr`` is PyTorch's (``LeakyReLU(negative_slope=0.01)``).
Only the ones holding parameters are written by hand: ``PReLU``, ``Swish``
and ``Snake`` with a learnable ``beta``/``alpha``, and ``Softmax2d``. Importing this
file registers :func:`module_class` with the catalog, behind ``entry.module()``.

>>> import ourdl
>>> from ourdl import nn
>>> nn.LeakyReLU(0.2)
LeakyReLU(negative_slope=0.2)
>>> nn.Hardtanh(-2.0, 2.0)(ourdl.tensor([-3.0, 1.0, 3.0]))
tensor([-2.,  1.,  2.])
"""

from __future__ import annotations

import inspect

from .. import activations
from ..activations import functional as F
from ..activations.registry import Activation
from ..ops.creation import full
from ..ops.creation import tensor as make_tensor
from .module import Module
from .parameter import Parameter

_HIDDEN = ("input", "training", "_stacklevel", "dtype")
_CLASSES: dict = {}


def module_class(entry) -> type:
    """The Module class of a catalog entry, made once (``nn.ReLU`` for ``relu``)."""
    if entry.name in _CLASSES:
        return _CLASSES[entry.name]
    signature = entry.signature
    init_signature = signature.replace(parameters=[inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
                                       + [p for p in signature.parameters.values() if p.name not in _HIDDEN])
    names = list(init_signature.parameters)[1:]
    takes_training = "training" in signature.parameters

    def __init__(self, *args, **kwargs):
        Module.__init__(self)
        bound = init_signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        for name in names:
            setattr(self, name, bound.arguments[name])

    def forward(self, input):
        options = {name: getattr(self, name) for name in names}
        if takes_training:
            options["training"] = self.training
        return entry.functional(input, **options)

    def extra_repr(self) -> str:
        template = entry.repr_template
        if template == "":
            return ""
        values = {name: getattr(self, name) for name in names}
        if template is None:
            text = ", ".join(f"{k}={v}" for k, v in values.items() if k != "inplace")
        else:
            text = template.format(**values)
        if values.get("inplace"):
            text += (", " if text else "") + "inplace=True"
        return text

    __init__.__signature__ = init_signature
    doc = f"Module form of :func:`ourdl.nn.functional.{entry.name}`; arguments as there.\n\n{entry.docstring()}"
    cls = type(entry.module_name, (Module,), {"__init__": __init__, "forward": forward, "extra_repr": extra_repr,
                                               "__doc__": doc, "__module__": __name__, "activation": entry})
    _CLASSES[entry.name] = cls
    return cls


class PReLU(Module):
    """:math:`\\max(0, x) + a \\min(0, x)` with a learnable slope ``a``: one, or one per channel (dimension 1).

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.PReLU()(ourdl.tensor([-2.0, 2.0]))
    tensor([-0.5000,  2.0000], grad_fn=<PReluBackward0>)
    """

    activation = activations.get("prelu")

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(full((num_parameters,), init, dtype=dtype))

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class _ScalarParameterActivation(Module):
    """An activation with one scalar parameter that may be learnable (a Parameter) or fixed."""

    parameter_name = ""

    def __init__(self, value: float = 1.0, learnable: bool = False):
        super().__init__()
        self.learnable = learnable
        setattr(self, self.parameter_name, Parameter(make_tensor([float(value)])) if learnable else float(value))

    def forward(self, input):
        return self.activation.functional(input, getattr(self, self.parameter_name))

    def extra_repr(self) -> str:
        value = getattr(self, self.parameter_name)
        value = value.item() if self.learnable else value
        return f"{self.parameter_name}={value}" + (", learnable=True" if self.learnable else "")


class Swish(_ScalarParameterActivation):
    """:math:`x \\, \\sigma(\\beta x)` (Ramachandran et al., 2017); ``learnable=True`` makes ``beta`` a Parameter.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Swish(beta=1.0, learnable=True)
    Swish(beta=1.0, learnable=True)
    """

    activation = activations.get("swish")
    parameter_name = "beta"

    def __init__(self, beta: float = 1.0, learnable: bool = False):
        super().__init__(beta, learnable)


class Snake(_ScalarParameterActivation):
    """:math:`x + \\sin^2(\\alpha x) / \\alpha` (Liu et al., 2020); ``learnable=True`` makes ``alpha`` a Parameter.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Snake(alpha=0.5)
    Snake(alpha=0.5)
    """

    activation = activations.get("snake")
    parameter_name = "alpha"

    def __init__(self, alpha: float = 1.0, learnable: bool = False):
        super().__init__(alpha, learnable)


class Softmax2d(Module):
    """Softmax over the channels at every spatial location: input ``(N, C, H, W)`` or ``(C, H, W)``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Softmax2d()(ourdl.zeros(2, 1, 1)).flatten()
    tensor([0.5000, 0.5000])
    """

    def forward(self, input):
        if input.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.ndim}D instead")
        return F.softmax(input, -3)


_CLASSES.update({"prelu": PReLU, "swish": Swish, "snake": Snake})
Activation.set_module_factory(module_class)

# One class per catalog entry, named as in PyTorch (a test checks that none is missing).
CELU = module_class(activations.get("celu"))
ELU = module_class(activations.get("elu"))
Exponential = module_class(activations.get("exponential"))
GELU = module_class(activations.get("gelu"))
GLU = module_class(activations.get("glu"))
Hardshrink = module_class(activations.get("hardshrink"))
Hardsigmoid = module_class(activations.get("hardsigmoid"))
Hardswish = module_class(activations.get("hardswish"))
Hardtanh = module_class(activations.get("hardtanh"))
LinearActivation = module_class(activations.get("identity"))
LeakyReLU = module_class(activations.get("leaky_relu"))
LiSHT = module_class(activations.get("lisht"))
LogSoftmax = module_class(activations.get("log_softmax"))
LogSigmoid = module_class(activations.get("logsigmoid"))
Mish = module_class(activations.get("mish"))
ReLU = module_class(activations.get("relu"))
ReLU6 = module_class(activations.get("relu6"))
RReLU = module_class(activations.get("rrelu"))
SELU = module_class(activations.get("selu"))
Sigmoid = module_class(activations.get("sigmoid"))
SiLU = module_class(activations.get("silu"))
Softmax = module_class(activations.get("softmax"))
Softmin = module_class(activations.get("softmin"))
Softplus = module_class(activations.get("softplus"))
Softshrink = module_class(activations.get("softshrink"))
Softsign = module_class(activations.get("softsign"))
SparsePlus = module_class(activations.get("sparse_plus"))
SparseSigmoid = module_class(activations.get("sparse_sigmoid"))
Sparsemax = module_class(activations.get("sparsemax"))
Squareplus = module_class(activations.get("squareplus"))
Step = module_class(activations.get("step"))
Tanh = module_class(activations.get("tanh"))
Tanhshrink = module_class(activations.get("tanhshrink"))
Threshold = module_class(activations.get("threshold"))
HardSiLU = Hardswish  # JAX's name (hard_silu) for the same function

__all__ = sorted([entry.module_name for entry in activations.catalog()] + ["HardSiLU", "Softmax2d"])
