"""Every built-in op against ourdl's tensor engine: the same small network in both, the same weights, equal values and
gradients; IEEE answers where Python would raise."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import ourdl
from ourdl import nn
from ourdl.graph import Add, Div, Exp, Log, Mul, Neg, Pow, SquareLoss, Sub, Variable

# op name -> (graph op, the same on tensors); binary ops take the two hidden values h1, h2
BINARY = {"Add": (Add, lambda a, b: a + b), "Sub": (Sub, lambda a, b: a - b), "Mul": (Mul, lambda a, b: a * b),
          "Div": (Div, lambda a, b: a / b), "Pow": (Pow, ourdl.pow), "SquareLoss": (SquareLoss, nn.MSELoss())}
UNARY = {"Neg": (Neg, lambda a: -a), "Exp": (Exp, ourdl.exp), "Log": (Log, ourdl.log)}
weights = st.floats(-2.0, 2.0, allow_nan=False)


def on_graph(op, x, params):
    """h_j = w_j x + b_j (j = 1, 2), then ``op`` of them: value, gradients of (w1, b1, w2, b2), gradient of x."""
    x = Variable(x, trainable=False, name="x")
    w1, b1, w2, b2 = (Variable(v) for v in params)
    h1, h2 = w1 * x + b1, w2 * x + b2
    out = op(h1) if op in {c for c, _ in UNARY.values()} else op(h1, h2)
    out.forward()
    out.backward()
    return out.value, [w1.grad, b1.grad, w2.grad, b2.grad], x.grad


def on_tensors(function, x, params, unary):
    """The same network from two ``nn.Linear(1, 1)`` in float64."""
    first, second = nn.Linear(1, 1, dtype=ourdl.float64), nn.Linear(1, 1, dtype=ourdl.float64)
    first.load_state_dict({"weight": np.array([[params[0]]]), "bias": np.array([params[1]])})
    second.load_state_dict({"weight": np.array([[params[2]]]), "bias": np.array([params[3]])})
    x = ourdl.tensor([[x]], dtype=ourdl.float64, requires_grad=True)
    out = function(first(x)) if unary else function(first(x), second(x))
    out.sum().backward()
    grads = [0.0 if p.grad is None else p.grad.item() for p in (first.weight, first.bias, second.weight, second.bias)]
    return out.sum().item(), grads, x.grad.item()


def check(name, x, params):
    op, function = {**BINARY, **UNARY}[name]
    value, grads, x_grad = on_graph(op, x, params)
    expected_value, expected_grads, expected_x_grad = on_tensors(function, x, params, name in UNARY)
    assert value == pytest.approx(expected_value, rel=1e-12, abs=1e-12)
    assert grads == pytest.approx(expected_grads, rel=1e-12, abs=1e-12)
    assert x_grad == pytest.approx(expected_x_grad, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("name", [*BINARY, *UNARY])
def test_every_builtin_op_matches_the_tensor_engine(name):
    check(name, 0.75, (0.5, 1.25, -1.5, 0.25))
    check(name, -1.1, (-0.3, 0.4, 0.9, 2.0))


@pytest.mark.parametrize("name", [*BINARY, *UNARY])
@settings(max_examples=40, deadline=None)
@given(x=weights, params=st.tuples(weights, weights, weights, weights))
def test_every_builtin_op_matches_the_tensor_engine_anywhere(name, x, params):
    h1, h2 = params[0] * x + params[1], params[2] * x + params[3]
    if name in ("Log", "Pow"):
        assume(h1 > 1e-3)              # log of a positive number; a power's exponent gradient needs ln(base)
    if name == "Div":
        assume(abs(h2) > 1e-2)
    check(name, x, params)


@pytest.mark.parametrize("op, a, b", [
    (Div, 1.0, 0.0), (Div, -1.0, 0.0), (Div, 0.0, 0.0), (Div, 1.0, -0.0), (Log, 0.0, None), (Log, -1.0, None),
    (Exp, 1000.0, None), (Exp, -1000.0, None), (Pow, -8.0, 1 / 3), (Pow, 0.0, -1.0), (Pow, 0.0, 2.0), (Pow, 0.0, 0.0),
    (Pow, -2.0, 3.0), (Pow, 10.0, 400.0), (Pow, -10.0, 401.0), (Mul, math.inf, 0.0), (Add, math.inf, -math.inf),
])
def test_ieee_values_and_gradients_as_the_tensor_engine(op, a, b):
    nodes = [Variable(a)] + ([] if b is None else [Variable(b)])
    out = op(*nodes)
    out.forward()
    out.backward()
    tensors = [ourdl.tensor(v, dtype=ourdl.float64, requires_grad=True) for v in ([a] if b is None else [a, b])]
    function = {Div: lambda p, q: p / q, Log: ourdl.log, Exp: ourdl.exp, Pow: ourdl.pow, Mul: lambda p, q: p * q,
                Add: lambda p, q: p + q}[op]
    with np.errstate(all="ignore"):
        expected = function(*tensors)
        expected.backward()
    np.testing.assert_allclose(out.value, expected.item(), rtol=1e-12)
    np.testing.assert_allclose([n.grad for n in nodes], [t.grad.item() for t in tensors], rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(a=st.floats(0.1, 3.0), b=st.floats(-3.0, 3.0).filter(lambda b: abs(b) > 0.1))
def test_local_derivatives_match_central_differences(a, b):
    eps = 1e-6
    for op in (Add, Sub, Mul, Div, Pow, SquareLoss):
        x, y = Variable(a), Variable(b)
        out = op(x, y)
        out.forward()
        for node, value in ((x, a), (y, b)):
            node.value = value + eps
            high = out.forward()
            node.value = value - eps
            low = out.forward()
            node.value = value
            out.forward()
            assert out.get_parent_grad(node) == pytest.approx((high - low) / (2 * eps), rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("op, expected", [(Add, 2.0), (Sub, 0.0), (Mul, 2 * 1.5), (Div, 0.0), (SquareLoss, 0.0),
                                          (Pow, 1.5 ** 1.5 * (1 + math.log(1.5)))])
def test_one_node_as_both_parents_gives_the_total_derivative(op, expected):
    x = Variable(1.5)
    out = op(x, x)
    out.forward()
    out.backward()
    assert x.grad == pytest.approx(expected, rel=1e-12)
