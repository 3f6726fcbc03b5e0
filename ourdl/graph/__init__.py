"""The computational graph node by node, as the tutorials build it by hand: every value a scalar node.

A :class:`Variable` is a leaf (a weight, an input); an :class:`Op` computes its value from its
parents in ``compute()`` and gives d(self)/d(parent) in ``get_parent_grad(parent)``. Python's
operators build ops, ``forward()`` computes, ``backward()`` fills every ``.grad`` by the chain
rule, and :class:`GradientDescent` updates the weights. Every elementwise activation of the
catalog is an op here (``Relu``, ``LeakyRelu``, ``Gelu``, ...), with its scalar form as a static
method (``Relu.relu(-1.0) == 0.0``). Exact in float64, tested against ``ourdl.nn``, and small:
about a dozen microseconds for one SGD step of the 1-2-1 network.

>>> from ourdl.graph import Variable, GradientDescent, SquareLoss
>>> w, b = Variable(0.0, name="w"), Variable(0.0, name="b")
>>> x, y = Variable(0.0, trainable=False), Variable(0.0, trainable=False)
>>> loss = SquareLoss(w * x + b, y)                     # built once ...
>>> optimizer = GradientDescent([w, b], lr=0.1)
>>> for _ in range(200):                                # ... reused for every sample of y = 2x + 1
...     for sample in (0.0, 0.5, 1.0):
...         x.value, y.value = sample, 2 * sample + 1
...         _ = loss.forward(); optimizer.zero_grad(); loss.backward(); optimizer.step()
>>> round(w.value, 3), round(b.value, 3)
(2.0, 1.0)
"""

from .activations import (ActivationOp, Celu, Elu, Exponential, Gelu, Hardshrink, Hardsigmoid, Hardswish, Hardtanh,
                          Identity, LeakyRelu, Lisht, Logsigmoid, Mish, Prelu, Relu, Relu6, Rrelu, Selu, Sigmoid, Silu,
                          Snake, Softplus, Softshrink, Softsign, SparsePlus, SparseSigmoid, Squareplus, Step, Swish,
                          Tanh, Tanhshrink, Threshold, activation_op)
from .network import TinyNetwork, fit
from .node import Node, Op, Variable
from .ops import Add, Div, Exp, Log, Mul, Neg, Pow, SquareLoss, Sub
from .optim import GradientDescent

__all__ = ["ActivationOp", "Add", "Celu", "Div", "Elu", "Exp", "Exponential", "Gelu", "GradientDescent", "Hardshrink",
           "Hardsigmoid", "Hardswish", "Hardtanh", "Identity", "LeakyRelu", "Lisht", "Log", "Logsigmoid", "Mish", "Mul",
           "Neg", "Node", "Op", "Pow", "Prelu", "Relu", "Relu6", "Rrelu", "Selu", "Sigmoid", "Silu", "Snake",
           "Softplus", "Softshrink", "Softsign", "SparsePlus", "SparseSigmoid", "SquareLoss", "Squareplus", "Step",
           "Sub", "Swish", "Tanh", "Tanhshrink", "Threshold", "TinyNetwork", "Variable", "activation_op", "fit"]
