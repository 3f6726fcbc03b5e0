"""The catalog as data: every entry complete and honest, every derived form consistent with the functional one."""

import inspect
import math

import numpy as np
import pytest

import ourdl
import ourdl.activations as A
import ourdl.activations.functional as F
from tests.oracle import torch

ENTRIES = A.catalog()
NAMES = [e.name for e in ENTRIES]
ELEMENTWISE = [e for e in ENTRIES if e.elementwise and e.name != "prelu"]
GRID = np.linspace(-8, 8, 321)
TORCH_ONLY_NAMES = ["relu", "relu6", "leaky_relu", "prelu", "rrelu", "elu", "selu", "celu", "gelu", "silu", "mish",
                    "softplus", "softsign", "softshrink", "hardshrink", "tanhshrink", "hardtanh", "hardsigmoid",
                    "hardswish", "logsigmoid", "threshold", "glu", "softmax", "log_softmax", "softmin", "sigmoid",
                    "tanh"]
BEYOND = ["step", "swish", "identity", "exponential", "squareplus", "sparse_plus", "sparse_sigmoid", "hard_silu",
          "lisht", "snake", "sparsemax"]


def test_catalog_is_sorted_and_complete():
    assert NAMES == sorted(NAMES)
    for name in TORCH_ONLY_NAMES + BEYOND + ["linear"]:
        assert A.get(name).name in NAMES


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(KeyError, match="gelu.*relu"):
        A.get("gleu")


@pytest.mark.parametrize("entry", ENTRIES, ids=NAMES)
def test_entry_is_fully_described(entry):
    assert entry.formula and entry.derivative_formula
    low, high = entry.range
    assert low < high
    assert set(entry.properties) == set(A.PROPERTY_NAMES)
    assert all(isinstance(v, bool) for v in entry.properties.values())
    assert (entry.year is None) == (not entry.paper)
    assert entry.name.replace("_", " ").capitalize() in entry.functional.__doc__
    assert entry.formula in entry.functional.__doc__
    for k, v in entry.parameters.items():
        assert v is not inspect.Parameter.empty, f"{entry.name}: parameter {k} has no default"


@pytest.mark.parametrize("entry", ENTRIES, ids=NAMES)
def test_docstring_example_runs_and_prints_its_result(entry):
    call, result = entry.example
    assert repr(eval(call, {"ourdl": ourdl, "F": F})) == result


@pytest.mark.parametrize("entry", ELEMENTWISE, ids=[e.name for e in ELEMENTWISE])
def test_properties_and_range_hold_on_a_grid(entry):
    y = entry.numpy(GRID)
    d = entry.derivative(GRID)
    low, high = entry.range
    assert np.all(y >= low - 1e-12) and np.all(y <= high + 1e-12)
    p = entry.properties
    assert p["monotonic"] == bool(np.all(np.diff(y) >= -1e-12) or np.all(np.diff(y) <= 1e-12))
    assert p["bounded_below"] == math.isfinite(low) and p["bounded_above"] == math.isfinite(high)
    if p["zero_centred"]:
        assert entry.scalar(0.0) == 0.0 and entry.scalar(-1.0) < 0 < entry.scalar(1.0)
    if p["saturating"]:
        far = entry.derivative([-1e4, 1e4])
        assert abs(far[0]) < 1e-3 or abs(far[1]) < 1e-3
    if p["smooth"]:
        assert not entry.kinks
    for kink in entry.kinks:
        around = [kink - 1e-6, kink + 1e-6]
        (left, right), (below, above) = entry.derivative(around), entry.numpy(around)
        assert abs(left - right) > 1e-3 or abs(above - below) > 1e-3, f"{entry.name}: no kink at {kink}"


@pytest.mark.parametrize("entry", ELEMENTWISE, ids=[e.name for e in ELEMENTWISE])
def test_scalar_numpy_and_derivative_forms_agree_with_finite_differences(entry):
    x = np.array([-2.7, -0.9, 0.35, 1.6, 4.2])
    y = entry.numpy(x)
    assert y.dtype == np.float64 and entry.numpy(x.astype(np.float32)).dtype == np.float32
    assert [entry.scalar(v) for v in x] == y.tolist()
    h = 1e-6
    np.testing.assert_allclose(entry.derivative(x), (entry.numpy(x + h) - entry.numpy(x - h)) / (2 * h), atol=1e-6)
    second = (entry.derivative(x + h) - entry.derivative(x - h)) / (2 * h)
    np.testing.assert_allclose(entry.derivative(x, order=2), second, atol=1e-5)


def test_second_derivative_of_gelu_is_exact():
    x = np.linspace(-4, 4, 9)
    pdf = np.exp(-x * x / 2) / np.sqrt(2 * np.pi)
    np.testing.assert_allclose(A.get("gelu").derivative(x, order=2), pdf * (2 - x * x), rtol=1e-12, atol=1e-15)


def test_forms_of_activations_along_a_dimension():
    softmax = A.get("softmax")
    assert not softmax.elementwise
    np.testing.assert_allclose(softmax.numpy([1.0, 2.0, 3.0]).sum(), 1.0)
    np.testing.assert_allclose(softmax.derivative([1.0, 2.0]), [0.0, 0.0], atol=1e-15)
    assert softmax.scalar(5.0) == 1.0


@pytest.mark.parametrize("name", TORCH_ONLY_NAMES)
def test_functional_signatures_are_torchs(name):
    ours = inspect.signature(getattr(F, name))
    try:
        theirs = inspect.signature(getattr(torch.nn.functional, name))
    except ValueError:  # a builtin without a Python signature
        return
    assert list(ours.parameters) == list(theirs.parameters)
    for p in theirs.parameters.values():
        assert ours.parameters[p.name].default == p.default


@pytest.mark.parametrize("name", ["relu_", "elu_", "leaky_relu_", "hardtanh_", "threshold_", "rrelu_", "celu_", "selu_"])
def test_torchs_inplace_variants_exist(name):
    assert name in F.__all__ and callable(getattr(F, name))


def test_module_form_and_repr():
    assert repr(A.get("leaky_relu").module(0.3)) == "LeakyReLU(negative_slope=0.3)"
    assert repr(A.get("gelu").module(approximate="tanh")) == "GELU(approximate='tanh')"


@pytest.fixture
def scratch_catalog(monkeypatch):
    """The catalog as it is, restored after the test: registrations made in a test stay in the test."""
    from ourdl.activations import registry

    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))
    monkeypatch.setattr(registry, "_ALIASES", dict(registry._ALIASES))


def test_a_user_activation_gets_every_form(scratch_catalog):
    @A.register(formula=r"x^2 \tanh(c x)", derivative_formula="by autograd", properties=A.Property.SMOOTH)
    def squashed_square(input, c=1.0):
        return input * input * ourdl.tanh(c * input)

    entry = A.get("squashed_square")
    assert entry.parameters == {"c": 1.0} and entry.properties["smooth"] and not entry.properties["monotonic"]
    assert entry.scalar(2.0, c=0.5) == pytest.approx(4 * np.tanh(1.0))
    x = np.array([-1.0, 0.5, 2.0])
    np.testing.assert_allclose(entry.derivative(x), 2 * x * np.tanh(x) + x * x * (1 - np.tanh(x) ** 2), rtol=1e-12)
    t = np.tanh(x)
    np.testing.assert_allclose(entry.derivative(x, order=2),
                               2 * t + 4 * x * (1 - t * t) - 2 * x * x * t * (1 - t * t), rtol=1e-12)
    module = entry.module(c=2.0)
    assert repr(module) == "SquashedSquare(c=2.0)"
    np.testing.assert_allclose(module(ourdl.tensor([1.0])).numpy(), [np.tanh(2.0)], rtol=1e-6)
    assert "x^2" in squashed_square.__doc__


def test_register_refuses_unknown_properties(scratch_catalog):
    # properties are Property flags: a string (a typo waiting to happen) is refused, naming it and the right form
    with pytest.raises(TypeError, match="wobbly.*|Property.SMOOTH"):
        A.register(properties="wobbly")(lambda input: input)
    with pytest.raises(TypeError, match="Property.SMOOTH"):
        A.register(properties="smooth")(lambda input: input)

