"""Piecewise activations of PyTorch's catalog: ReLU and its relatives, the hard and shrink functions (the step, the
identity and the sparse ones are in :mod:`.piecewise_extras`).

Each is one fused kernel forward and one backward, with PyTorch's choice at
every kink and at NaN (``relu'(0) = 0``, ``hardtanh'`` is 0 at both bounds,
``hardsigmoid'(±3) = 0``, ``hardswish'(3) = 1.5``, ...). For the piecewise
linear ones the gradient is the input's local slope, a constant in ``x``, so
the same kernel serves double backward (:func:`slope_derivative`).
"""

from __future__ import annotations

import math

import numpy as np

from ..ops import array_or_tensor as dual
from ..ops.unary import Integers, Saves, checked_input, run, unary_node
from ..kernels import element_loop, inline, kernel
from .registry import Property, register
from ..ops.tensor_argument import require_tensor

INF = math.inf


def slope_derivative(backward):
    """The tensor-mode backward of a piecewise-linear op: ``g`` times the (constant) local slope."""

    def derivative(x, y, g, **params):
        x, y = (None if a is None else a.detach().numpy() for a in (x, y))
        return g * backward(x, y, None, np.ones(g.shape, g.dtype.numpy), **params)

    return derivative


def linear_node(name, forward, backward, integers=Integers.ERROR, saves=Saves.INPUT):
    """The node of a piecewise-linear op: ``backward`` serves every order (see :func:`slope_derivative`)."""
    return unary_node(name, forward, slope_derivative(backward), backward, integers=integers, saves=saves)


# -- ReLU, hardtanh, threshold: PyTorch runs these on integers too ---------------------------------
@kernel(1)
def _relu(x):
    return 0 if x < 0 else x  # -0.0 stays -0.0, as in PyTorch


@kernel(2)
def _relu_backward(y, g):
    return 0 if y <= 0 else g


Relu = linear_node("relu", lambda x: _relu(x) if x.dtype.kind == "f" else np.maximum(x, 0),
                   lambda x, y, aux, g: _relu_backward(y, g), integers=Integers.KEEP, saves=Saves.OUTPUT)


@register(module_name="ReLU", formula=r"\max(0, x)", derivative_formula=r"1 \text{ if } x > 0 \text{ else } 0",
          range=(0, INF), properties=Property.MONOTONIC | Property.BOUNDED_BELOW, kinks=(0.0,), inplace=True, paper="Nair & Hinton, Rectified Linear Units Improve Restricted Boltzmann Machines", year=2010,
          example=("F.relu(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([0., 0., 2.])"))
def relu(input, inplace=False):
    require_tensor(input, "relu")
    return run(Relu, input, inplace)


# Kernels with scalar parameters are compiled loops (a ufunc given a scalar runs its strided loop, 2x slower)
@inline
def hardtanh_element(x, lo, hi):
    y = lo if x < lo else x
    return hi if y > hi else y


@element_loop(hardtanh_element)
def _hardtanh(x, lo, hi, out):
    for i in range(out.size):
        out[i] = hardtanh_element(x[i], lo, hi)


@inline
def hardtanh_backward_element(x, g, lo, hi):
    return g if (x > lo) & (x < hi) else 0


@element_loop(hardtanh_backward_element, arrays=2)
def _hardtanh_backward(x, g, lo, hi, out):
    for i in range(out.size):
        out[i] = hardtanh_backward_element(x[i], g[i], lo, hi)


_C_TYPES = {"int64": "int64_t", "int32": "int", "int16": "int16_t", "int8": "int8_t", "uint8": "uint8_t"}


def _integer_bound(value, dtype: np.dtype) -> None:
    """PyTorch's check of a number given to an op on integers: it must fit ``dtype`` (inf and NaN never do)."""
    info = np.iinfo(dtype)
    if not (math.isfinite(value) and info.min <= value <= info.max):
        raise RuntimeError(f"value cannot be converted to type {_C_TYPES.get(dtype.name, dtype.name)} without overflow")


def _hardtanh_forward(x, min_val, max_val):
    if x.dtype.kind == "f":
        return _hardtanh(x, min_val, max_val)
    for bound in (min_val, max_val):  # PyTorch reads the bounds as int64 first, then in the tensor's type
        _integer_bound(bound, np.dtype(np.int64))
    if x.dtype.kind == "u" and (min_val < 0 or max_val < 0):
        raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
    for bound in (min_val, max_val):
        _integer_bound(bound, x.dtype)
    return np.clip(x, min_val, max_val).astype(x.dtype)


Hardtanh = linear_node("hardtanh", _hardtanh_forward,
                       lambda x, y, aux, g, min_val, max_val: _hardtanh_backward(x, g, min_val, max_val),
                       integers=Integers.KEEP)


def _hardtanh_run(input, min_val, max_val, inplace, op):
    if max_val < min_val:
        raise ValueError(f"{op}: max_val ({max_val}) cannot be less than min_val ({min_val})")
    return run(Hardtanh, input, inplace, min_val=min_val, max_val=max_val)


@register(module_name="Hardtanh", formula=r"\min(\max(x, \text{min\_val}), \text{max\_val})",
          derivative_formula=r"1 \text{ if min\_val} < x < \text{max\_val} \text{ else } 0", range=(-1.0, 1.0),
          properties=Property.MONOTONIC | Property.BOUNDED_ABOVE | Property.BOUNDED_BELOW | Property.ZERO_CENTRED | Property.SATURATING, kinks=(-1.0, 1.0),
          inplace=True, repr_template="min_val={min_val}, max_val={max_val}",
          paper="Collobert, Large Scale Machine Learning (PhD thesis)", year=2004,
          example=("F.hardtanh(ourdl.tensor([-2.0, 0.5, 2.0]))", "tensor([-1.0000,  0.5000,  1.0000])"))
def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    return _hardtanh_run(input, min_val, max_val, inplace, "hardtanh")


@register(module_name="ReLU6", formula=r"\min(\max(0, x), 6)", derivative_formula=r"1 \text{ if } 0 < x < 6 \text{ else } 0",
          range=(0.0, 6.0), properties=Property.MONOTONIC | Property.BOUNDED_ABOVE | Property.BOUNDED_BELOW | Property.SATURATING, kinks=(0.0, 6.0),
          inplace=True, paper="Krizhevsky, Convolutional Deep Belief Networks on CIFAR-10", year=2010,
          example=("F.relu6(ourdl.tensor([-2.0, 3.0, 8.0]))", "tensor([0., 3., 6.])"))
def relu6(input, inplace=False):
    return _hardtanh_run(input, 0.0, 6.0, inplace, "relu6")


@inline
def threshold_element(x, threshold, value):
    return value if x <= threshold else x


@element_loop(threshold_element)
def _threshold(x, threshold, value, out):
    for i in range(out.size):
        out[i] = threshold_element(x[i], threshold, value)


@inline
def threshold_backward_element(x, g, threshold):
    return 0 if x <= threshold else g


@element_loop(threshold_backward_element, arrays=2)
def _threshold_backward(x, g, threshold, out):
    for i in range(out.size):
        out[i] = threshold_backward_element(x[i], g[i], threshold)


def _threshold_forward(x, threshold, value):
    if x.dtype.kind == "f":
        return _threshold(x, threshold, value)
    for number in (threshold, value):
        _integer_bound(number, x.dtype)
    return np.where(x <= threshold, value, x).astype(x.dtype)


Threshold = linear_node("threshold", _threshold_forward,
                        lambda x, y, aux, g, threshold, value: _threshold_backward(x, g, threshold), integers=Integers.KEEP)


@register(module_name="Threshold", formula=r"x \text{ if } x > \text{threshold} \text{ else value}",
          derivative_formula=r"1 \text{ if } x > \text{threshold} \text{ else } 0", kinks=(0.0,), range=(0.0, INF),
          properties=Property.MONOTONIC | Property.BOUNDED_BELOW,
          inplace=True, repr_template="threshold={threshold}, value={value}",
          defaults={"threshold": 0.0, "value": 0.0}, paper="", year=None,
          example=("F.threshold(ourdl.tensor([-2.0, 0.5, 2.0]), 1.0, 20.0)", "tensor([20., 20.,  2.])"))
def threshold(input, threshold, value, inplace=False):
    return run(Threshold, input, inplace, threshold=threshold, value=value)


# -- LeakyReLU -----------------------------------------------------------------------------------
@inline
def leaky_relu_element(x, slope):
    return x if x > 0 else x * slope


@element_loop(leaky_relu_element)
def _leaky_relu(x, slope, out):
    for i in range(out.size):
        out[i] = leaky_relu_element(x[i], slope)


@inline
def leaky_relu_backward_element(x, g, slope):
    return g if x > 0 else g * slope


@element_loop(leaky_relu_backward_element, arrays=2)
def _leaky_relu_backward(x, g, slope, out):
    for i in range(out.size):
        out[i] = leaky_relu_backward_element(x[i], g[i], slope)


LeakyRelu = linear_node("leaky_relu", lambda x, negative_slope: _leaky_relu(x, negative_slope),
                        lambda x, y, aux, g, negative_slope: _leaky_relu_backward(x, g, negative_slope))


@register(module_name="LeakyReLU", formula=r"\max(0, x) + \text{negative\_slope} \cdot \min(0, x)",
          derivative_formula=r"1 \text{ if } x > 0 \text{ else negative\_slope}",
          properties=Property.MONOTONIC, kinks=(0.0,), inplace=True, repr_template="negative_slope={negative_slope}",
          paper="Maas, Hannun & Ng, Rectifier Nonlinearities Improve Neural Network Acoustic Models", year=2013,
          example=("F.leaky_relu(ourdl.tensor([-2.0, 0.0, 2.0]))", "tensor([-0.0200,  0.0000,  2.0000])"))
def leaky_relu(input, negative_slope=0.01, inplace=False):
    return run(LeakyRelu, input, inplace, negative_slope=negative_slope)


# -- shrinkage ---------------------------------------------------------------------------------------
@inline
def hardshrink_element(x, lambd):
    return 0 if (x >= -lambd) & (x <= lambd) else x


@element_loop(hardshrink_element)
def _hardshrink(x, lambd, out):
    for i in range(out.size):
        out[i] = hardshrink_element(x[i], lambd)


@inline
def shrink_backward_element(x, g, lambd):
    return g if (x < -lambd) | (x > lambd) else 0


@element_loop(shrink_backward_element, arrays=2)
def _shrink_backward(x, g, lambd, out):
    for i in range(out.size):
        out[i] = shrink_backward_element(x[i], g[i], lambd)


@inline
def softshrink_element(x, lambd):
    above, below = x - lambd, x + lambd
    y = above if x > 0 else below  # NaN stays NaN
    return 0.0 if (x >= -lambd) & (x <= lambd) else y  # +0.0 inside, as in PyTorch


@element_loop(softshrink_element)
def _softshrink(x, lambd, out):
    for i in range(out.size):
        out[i] = softshrink_element(x[i], lambd)


def _shrink_grad(x, y, aux, g, lambd):
    return _shrink_backward(x, g, lambd)


Hardshrink = linear_node("hardshrink", lambda x, lambd: _hardshrink(x, lambd), _shrink_grad)
Softshrink = linear_node("softshrink", lambda x, lambd: _softshrink(x, lambd), _shrink_grad)


@register(module_name="Hardshrink", formula=r"x \text{ if } |x| > \lambda \text{ else } 0",
          derivative_formula=r"1 \text{ if } |x| > \lambda \text{ else } 0", properties=Property.MONOTONIC | Property.ZERO_CENTRED,
          kinks=(-0.5, 0.5), repr_template="{lambd}", paper="Donoho & Johnstone, Ideal Spatial Adaptation by Wavelet Shrinkage",
          year=1994, example=("F.hardshrink(ourdl.tensor([-2.0, 0.3, 2.0]))", "tensor([-2.,  0.,  2.])"))
def hardshrink(input, lambd=0.5):
    return run(Hardshrink, input, lambd=lambd)


@register(module_name="Softshrink", formula=r"x - \lambda \text{ if } x > \lambda;\ x + \lambda \text{ if } x < -\lambda;\ 0",
          derivative_formula=r"1 \text{ if } |x| > \lambda \text{ else } 0", properties=Property.MONOTONIC | Property.ZERO_CENTRED,
          kinks=(-0.5, 0.5), repr_template="{lambd}", paper="Donoho, De-noising by Soft-Thresholding", year=1995,
          example=("F.softshrink(ourdl.tensor([-2.0, 0.3, 2.0]))", "tensor([-1.5000,  0.0000,  1.5000])"))
def softshrink(input, lambd=0.5):
    x = checked_input(input, "softshrink")  # the input's type is refused before lambda, as in PyTorch
    if lambd < 0:
        raise RuntimeError(f"softshrink: lambda must be greater or equal to 0, but found to be {lambd}.")
    return run(Softshrink, x, lambd=lambd)


# -- hard sigmoid and hard swish -------------------------------------------------------------------------
# float32 constants keep float32 arithmetic in float32, PyTorch's operations in PyTorch's order: the same bits
_THREE, _SIX, _HALF = np.float32(3.0), np.float32(6.0), np.float32(0.5)


@kernel(1)
def _hardsigmoid(x):
    y = x + _THREE
    y = 0 if y < 0 else y
    return (_SIX if y > _SIX else y) / _SIX


@kernel(2)
def _hardsigmoid_backward(x, g):
    return g * 0.1666666716337204 if (x > -3) & (x < 3) else 0  # PyTorch's 1/6 is a float32 constant


Hardsigmoid = linear_node("hardsigmoid", _hardsigmoid, lambda x, y, aux, g: _hardsigmoid_backward(x, g))


@register(module_name="Hardsigmoid", formula=r"\min(\max(0, x + 3), 6) / 6",
          derivative_formula=r"1/6 \text{ if } -3 < x < 3 \text{ else } 0", range=(0.0, 1.0),
          properties=Property.MONOTONIC | Property.BOUNDED_ABOVE | Property.BOUNDED_BELOW | Property.SATURATING, kinks=(-3.0, 3.0), inplace=True,
          repr_template="", paper="Courbariaux, Bengio & David, BinaryConnect", year=2015,
          example=("F.hardsigmoid(ourdl.tensor([-4.0, 0.0, 1.5]))", "tensor([0.0000, 0.5000, 0.7500])"))
def hardsigmoid(input, inplace=False):
    return run(Hardsigmoid, input, inplace)


@kernel(1)
def _hardswish(x):
    y = x + _THREE
    y = 0 if y < 0 else y
    return x * (_SIX if y > _SIX else y) / _SIX


@kernel(2)
def _hardswish_backward(x, g):
    d = g * (x / _THREE + _HALF)
    d = g if x >= 3 else d
    return 0 if x <= -3 else d


def _hardswish_derivative(x, y, g):
    return g * dual.where(x <= -3, 0.0, dual.where(x >= 3, 1.0, x / 3 + 0.5))


Hardswish = unary_node("hardswish", _hardswish, _hardswish_derivative,
                       lambda x, y, aux, g: _hardswish_backward(x, g))


@register(module_name="Hardswish", formula=r"x \cdot \min(\max(0, x + 3), 6) / 6",
          derivative_formula=r"0 \text{ if } x \le -3;\ x/3 + 1/2 \text{ if } x < 3;\ 1",
          range=(-0.375, INF), properties=Property.BOUNDED_BELOW | Property.SELF_GATED, kinks=(-3.0, 3.0), inplace=True,
          aliases=("hard_silu",), repr_template="", paper="Howard et al., Searching for MobileNetV3", year=2019,
          example=("F.hardswish(ourdl.tensor([-2.0, 0.0, 1.5]))", "tensor([-0.3333,  0.0000,  1.1250])"))
def hardswish(input, inplace=False):
    return run(Hardswish, input, inplace)
