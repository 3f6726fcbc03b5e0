"""Ops that are linear maps of their input, and their adjoints: the gradient of a linear map is its adjoint, and the
gradient of the adjoint is the map again, so one pair of nodes gives derivatives of every order.

A map is any object with ``apply(x)`` and ``adjoint(g)`` on arrays (pooling windows, resampling, picking the
maxima of max pooling). :class:`LinearMap` applies it as a node; :func:`adjoint` is what a backward calls, recorded
as :class:`Adjoint` when the gradient is a tensor (``create_graph=True``). An op subclasses :class:`LinearMap` for
its node's name (``<AvgPool2DBackward0>``).

>>> import numpy as np, ourdl
>>> class Double:
...     def apply(self, x):
...         return 2 * x
...     adjoint = apply
>>> x = ourdl.tensor([1.0, 3.0], requires_grad=True)
>>> y = LinearMap.apply(x, Double()); y
tensor([2., 6.], grad_fn=<LinearMapBackward0>)
>>> y.sum().backward(); x.grad
tensor([2., 2.])
"""

from __future__ import annotations

from ..autograd.array_function import ArrayFunction
from ..tensor import Tensor

__all__: list[str] = []


class LinearMap(ArrayFunction):
    """``linear.apply(x)``; the gradient is ``linear.adjoint(g)``."""

    @staticmethod
    def forward(ctx, x, linear):
        ctx.linear = linear
        return linear.apply(x)

    @staticmethod
    def backward(ctx, g):
        return adjoint(ctx.linear, g), None


class Adjoint(ArrayFunction):
    """``linear.adjoint(g)`` as an op; its gradient is ``linear.apply``."""

    @staticmethod
    def forward(ctx, g, linear):
        ctx.linear = linear
        return linear.adjoint(g)

    @staticmethod
    def backward(ctx, gg):
        return apply(ctx.linear, gg), None


def adjoint(linear, g):
    """``linear.adjoint(g)``, recorded when ``g`` is a tensor (a gradient being differentiated)."""
    return Adjoint.apply(g, linear) if isinstance(g, Tensor) else linear.adjoint(g)


def apply(linear, x):
    """``linear.apply(x)``, recorded when ``x`` is a tensor."""
    return LinearMap.apply(x, linear) if isinstance(x, Tensor) else linear.apply(x)
