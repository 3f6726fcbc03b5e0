"""Every generated activation op agrees with the catalog: values and first derivatives at ordinary points, at the
kinks, at infinities and NaN; with other parameters; through a network against ``ourdl.nn``; and by its fallback."""

import inspect
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
from ourdl import activations
from ourdl.activations import registry
from ourdl.graph import Relu, LeakyRelu, TinyNetwork, Variable, activation_op
from ourdl.graph import activations as graph_activations
from ourdl.graph.scalars import FORMULAS

ELEMENTWISE = [entry.name for entry in activations.catalog() if entry.elementwise]
ORDINARY = [-7.5, -3.2, -2.0, -1.3, -0.7, -0.25, 0.1, 0.4, 0.9, 1.7, 2.5, 4.2, 6.5, 9.0]
SPECIAL = [-math.inf, -800.0, -0.0, 0.0, 800.0, math.inf, math.nan]


def other_parameters(entry) -> dict:
    """Each parameter moved from its default: numbers by half again (0 → 0.5), tanh GELU, straight-through step."""
    moved = {}
    for key, default in entry.parameters.items():
        if isinstance(default, bool):
            moved[key] = not default
        elif isinstance(default, (int, float)):
            moved[key] = default * 1.5 if default else 0.5
        elif key == "approximate":
            moved[key] = "tanh"
    return moved


def assert_agrees(name, points, **params):
    entry, op = activations.get(name), activation_op(name)
    points = np.asarray(points, dtype=np.float64)
    with np.errstate(all="ignore"):
        values, derivatives = entry.numpy(points, **params), entry.derivative(points, **params)
    args = [params.get(k, v) for k, v in op.parameters.items()]
    for x, value, derivative in zip(points.tolist(), values.tolist(), derivatives.tolist()):
        assert op.function(x, *args) == pytest.approx(value, rel=1e-12, abs=1e-12, nan_ok=True), (name, x, "f")
        assert op.derivative(x, *args) == pytest.approx(derivative, rel=1e-12, abs=1e-12, nan_ok=True), (name, x, "f'")


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_values_and_derivatives_match_the_catalog_at_ordinary_points_kinks_and_specials(name):
    kinks = activations.get(name).kinks
    assert_agrees(name, ORDINARY + list(kinks) + SPECIAL)


@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if activations.get(n).parameters])
def test_values_and_derivatives_match_the_catalog_with_other_parameters(name):
    assert_agrees(name, ORDINARY, **other_parameters(activations.get(name)))


@pytest.mark.parametrize("name", ELEMENTWISE)
@settings(max_examples=25, deadline=None)
@given(x=st.floats(-30.0, 30.0))
def test_values_and_derivatives_match_the_catalog_anywhere(name, x):
    assert_agrees(name, [x])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_the_op_in_a_graph_is_its_static_forms(name):
    op = activation_op(name)
    for point in ORDINARY + list(activations.get(name).kinks):
        x = Variable(point)
        y = op(x)
        y.forward()
        y.backward()
        assert y.value == getattr(op, name)(point) == op.function(point)
        assert x.grad == op.derivative(point)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_through_a_network_the_op_matches_its_nn_module(name):
    """The 1-2-1 network with this activation, in the graph and in ourdl.nn: equal output and gradients."""
    params = other_parameters(activations.get(name)) if name in ("prelu", "leaky_relu", "elu") else {}
    net = TinyNetwork(hidden=2, activation=name, seed=3, **params)
    model = net.to_module(ourdl.float64).eval()
    for x, y in ((0.3, 0.09), (1.7, 2.89), (-0.9, 0.81)):
        net.x.value, net.y.value = x, y
        for p in net.parameters:
            p.grad = 0.0
        net.loss.forward()
        net.loss.backward()
        model.zero_grad()
        prediction = model(ourdl.tensor([[x]], dtype=ourdl.float64))
        loss = ourdl.nn.MSELoss()(prediction, ourdl.tensor([[y]], dtype=ourdl.float64))
        loss.backward()
        assert net.loss.value == pytest.approx(loss.item(), rel=1e-12, abs=1e-14)
        expected = [model[0].weight.grad[:, 0], model[0].bias.grad, model[2].weight.grad[0], model[2].bias.grad]
        expected = np.concatenate([g.numpy() for g in expected])
        np.testing.assert_allclose([p.grad for p in net.parameters], expected, rtol=1e-11, atol=1e-13)


def test_every_elementwise_entry_has_a_declared_op():
    declared = {getattr(graph_activations, n).entry.name: n for n in graph_activations.__all__
                if n not in ("ActivationOp", "activation_op")}
    assert sorted(declared) == sorted(ELEMENTWISE)
    for name, class_name in declared.items():
        assert activation_op(name) is getattr(graph_activations, class_name)
        assert class_name == "".join(part.capitalize() for part in name.split("_"))


def test_the_math_formulas_take_the_catalogs_parameters_and_defaults():
    for name, functions in FORMULAS.items():
        entry = activations.get(name)
        for function in functions:
            signature = list(inspect.signature(function).parameters.values())[1:]
            assert {p.name: p.default for p in signature} == entry.parameters, (name, function)


def test_static_scalar_forms():
    assert Relu.relu(-1.0) == 0.0 and Relu.relu(2.5) == 2.5
    assert LeakyRelu.leaky_relu(-1.0) == -0.01 and LeakyRelu.leaky_relu(-1.0, 0.1) == -0.1
    assert LeakyRelu.leaky_relu(-1.0, negative_slope=0.2) == -0.2 and LeakyRelu.derivative(-3.0, 0.1) == 0.1
    assert activation_op("relu") is Relu and activation_op("ReLU".lower()) is Relu


def test_an_activation_without_a_math_formula_goes_through_the_catalog(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    monkeypatch.setattr(graph_activations, "_GENERATED", dict(graph_activations._GENERATED))

    @activations.register(formula=r"x \tanh(a x)")
    def tanhgate(input, a=1.0):
        return input * ourdl.tanh(a * input)

    Tanhgate = activation_op("tanhgate")
    assert "tanhgate" not in FORMULAS and Tanhgate.__name__ == "Tanhgate"
    for point in (-1.5, 0.0, 0.8):
        for a in (1.0, 2.0):
            x = Variable(point)
            y = Tanhgate(x, a=a)
            assert y.forward() == pytest.approx(point * math.tanh(a * point), rel=1e-12)
            y.backward()
            t = math.tanh(a * point)
            assert x.grad == pytest.approx(t + a * point * (1 - t * t), rel=1e-12)
            assert Tanhgate.tanhgate(point, a) == Tanhgate.tanhgate(point, a=a) == y.value
