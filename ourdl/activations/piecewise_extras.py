"""Piecewise activations beyond PyTorch's catalog: the step, the identity, the sparse sigmoid and sparse plus.

Like :mod:`.piecewise`, one fused kernel forward and one backward each, their
slope the same kernel at every derivative order where it is piecewise linear.

>>> import ourdl
>>> ourdl.nn.functional.sparse_plus(ourdl.tensor([-2.0, 0.0, 2.0]))
tensor([0.0000, 0.2500, 2.0000])
"""

from __future__ import annotations

import math

from ..kernels import kernel
from ..ops import array_or_tensor as dual
from ..ops.unary import Integers, Saves, run, unary_node
from .piecewise import linear_node
from .registry import Property, register

INF = math.inf


@kernel(1)
def _step(x):
    y = 0.0 if x <= 0 else x * 0  # NaN stays NaN
    return 1.0 if x > 0 else y


Step = linear_node("step", lambda x, straight_through: _step(x),
                   lambda x, y, aux, g, straight_through: g.copy() if straight_through else g * 0, saves=Saves.NOTHING)


@register(module_name="Step", formula=r"1 \text{ if } x > 0 \text{ else } 0",
          derivative_formula=r"0 \text{ (or 1 with the straight-through estimator)}", range=(0.0, 1.0),
          properties=Property.MONOTONIC | Property.BOUNDED_ABOVE | Property.BOUNDED_BELOW | Property.SATURATING, kinks=(0.0,),
          paper="McCulloch & Pitts, A Logical Calculus of the Ideas Immanent in Nervous Activity", year=1943,
          example=("F.step(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([0., 0., 1.])"))
def step(input, straight_through=False):
    """Heaviside step; ``straight_through=True`` passes the gradient unchanged (Bengio et al., 2013)."""
    return run(Step, input, straight_through=straight_through)


Identity = linear_node("identity", lambda x: x.copy(), lambda x, y, aux, g: g.copy(), integers=Integers.KEEP, saves=Saves.NOTHING)


@register(module_name="LinearActivation", formula="x", derivative_formula="1", properties=Property.MONOTONIC | Property.ZERO_CENTRED,
          aliases=("linear",), example=("F.identity(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-2.,  0.,  2.])"))
def identity(input):
    return run(Identity, input)


@kernel(1)
def _sparse_sigmoid(x):
    y = (x + 1) / 2
    y = 1.0 if x >= 1 else y
    return 0.0 if x <= -1 else y


@kernel(2)
def _sparse_sigmoid_backward(x, g):
    return g / 2 if (x > -1) & (x < 1) else 0


SparseSigmoid = linear_node("sparse_sigmoid", _sparse_sigmoid, lambda x, y, aux, g: _sparse_sigmoid_backward(x, g))


@register(module_name="SparseSigmoid", formula=r"\min(\max((x + 1) / 2, 0), 1)",
          derivative_formula=r"1/2 \text{ if } -1 < x < 1 \text{ else } 0", range=(0.0, 1.0),
          properties=Property.MONOTONIC | Property.BOUNDED_ABOVE | Property.BOUNDED_BELOW | Property.SATURATING, kinks=(-1.0, 1.0),
          paper="Martins & Astudillo, From Softmax to Sparsemax", year=2016,
          example=("F.sparse_sigmoid(ourdl.tensor([-2.0, 0.0, 0.5]))", "tensor([0.0000, 0.5000, 0.7500])"))
def sparse_sigmoid(input):
    return run(SparseSigmoid, input)


@kernel(1)
def _sparse_plus(x):
    y = (x + 1) * (x + 1) / 4
    y = x if x >= 1 else y
    return 0 if x <= -1 else y


@kernel(2)
def _sparse_plus_backward(x, g):
    d = g * (x + 1) / 2
    d = g if x >= 1 else d
    return 0 if x <= -1 else d


def _sparse_plus_derivative(x, y, g):
    return g * dual.where(x <= -1, 0.0, dual.where(x >= 1, 1.0, (x + 1) / 2))


SparsePlus = unary_node("sparse_plus", _sparse_plus, _sparse_plus_derivative,
                        lambda x, y, aux, g: _sparse_plus_backward(x, g))


@register(module_name="SparsePlus", formula=r"0 \text{ if } x \le -1;\ (x + 1)^2 / 4 \text{ if } |x| < 1;\ x",
          derivative_formula=r"0 \text{ if } x \le -1;\ (x + 1) / 2 \text{ if } |x| < 1;\ 1", range=(0.0, INF),
          properties=Property.MONOTONIC | Property.BOUNDED_BELOW, kinks=(),
          paper="Martins & Astudillo, From Softmax to Sparsemax (the sparse analogue of softplus)", year=2016,
          example=("F.sparse_plus(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([0.0000, 0.2500, 2.0000])"))
def sparse_plus(input):
    return run(SparsePlus, input)
