"""Layers against PyTorch: Linear (values, gradients, double backward, default init, errors), BatchNorm1d,
LayerNorm, Dropout, Flatten/Unflatten, MLP."""

import numpy as np
import pytest

import ourdl
import ourdl.nn.functional as F
from ourdl import nn
from ourdl.autograd import gradcheck, gradgradcheck
from tests.oracle import assert_same, check, check_double, torch

rng = np.random.default_rng(0)
DTYPES = [np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("x_shape", [(8, 5), (5,), (2, 3, 5)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_values_and_gradients(x_shape, bias, dtype):
    arrays = [rng.standard_normal(x_shape), rng.standard_normal((4, 5))] + ([rng.standard_normal(4)] if bias else [])
    check(F.linear, torch.nn.functional.linear, *[a.astype(dtype) for a in arrays])


@pytest.mark.parametrize("x_shape", [(3, 4), (2, 2, 4)])
def test_linear_double_backward(x_shape):
    check_double(F.linear, torch.nn.functional.linear, rng.standard_normal(x_shape), rng.standard_normal((3, 4)),
                 rng.standard_normal(3))
    x, w, b = (ourdl.tensor(rng.standard_normal(s), dtype=ourdl.float64, requires_grad=True)
               for s in (x_shape, (3, 4), (3,)))
    assert gradcheck(F.linear, (x, w, b))
    assert gradgradcheck(F.linear, (x, w, b))


def test_linear_module_matches_torch_after_copy():
    ours, theirs = nn.Linear(5, 3), torch.nn.Linear(5, 3)
    ours.load_state_dict(theirs.state_dict())
    x = rng.standard_normal((7, 5)).astype(np.float32)
    assert_same(ours(ourdl.tensor(x)), theirs(torch.tensor(x)))


def test_linear_default_init_is_pytorchs():
    ourdl.manual_seed(0)
    layer = nn.Linear(400, 300)
    w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    bound = 1 / np.sqrt(400)
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert w.max() > 0.99 * bound and w.min() < -0.99 * bound
    assert np.std(w) == pytest.approx(bound / np.sqrt(3), rel=0.01)
    assert abs(np.mean(w)) < 0.01 * bound
    assert layer.weight.shape == (300, 400) and layer.weight.dtype == ourdl.float32
    ourdl.manual_seed(0)
    assert np.array_equal(nn.Linear(400, 300).weight.detach().numpy(), w), "seeded init does not repeat"


def test_linear_wrong_shape_names_layer_and_shapes():
    layer = nn.Linear(3, 2)
    with pytest.raises(RuntimeError, match=r"Linear\(in_features=3, out_features=2, bias=True\): expected input with "
                                           r"last dimension 3 \(in_features\), got input of shape \[4, 5\]"):
        layer(ourdl.ones(4, 5))
    with pytest.raises(RuntimeError, match="same dtype"):
        layer(ourdl.ones(4, 3, dtype=ourdl.float64))
    with pytest.raises(RuntimeError, match=r"linear: expected input with last dimension 2"):
        F.linear(ourdl.ones(3), ourdl.ones(1, 2))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(16, 4), (8, 4, 5)])
@pytest.mark.parametrize("momentum", [0.1, None])
def test_batchnorm1d_train_and_eval_match_torch(shape, momentum, dtype):
    ours = nn.BatchNorm1d(4, momentum=momentum).to(ourdl.float64 if dtype == np.float64 else ourdl.float32)
    theirs = torch.nn.BatchNorm1d(4, momentum=momentum).to(torch.float64 if dtype == np.float64 else torch.float32)
    with torch.no_grad():
        theirs.weight.uniform_(0.5, 1.5)
        theirs.bias.uniform_(-0.5, 0.5)
    ours.load_state_dict(theirs.state_dict())
    for step in range(3):
        x = (rng.standard_normal(shape) * 3 + step).astype(dtype)
        check(ours, theirs, x)
    for name, value in theirs.state_dict().items():
        assert_same(ours.state_dict()[name], value, what=name)
    ours.eval(), theirs.eval()
    check(ours, theirs, rng.standard_normal(shape).astype(dtype))


@pytest.mark.parametrize("options", [dict(affine=False), dict(track_running_stats=False), dict(bias=False)])
def test_batchnorm1d_options(options):
    ours, theirs = nn.BatchNorm1d(3, **options), torch.nn.BatchNorm1d(3, **options)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for mode in ("train", "eval"):
        getattr(ours, mode)(), getattr(theirs, mode)()
        check(ours, theirs, rng.standard_normal((6, 3)).astype(np.float32))


def test_batchnorm1d_double_backward_and_errors():
    check_double(lambda x: F.batch_norm(x, None, None, training=True),
                 lambda x: torch.nn.functional.batch_norm(x, None, None, training=True), rng.standard_normal((5, 3)))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        nn.BatchNorm1d(3)(ourdl.ones(1, 3))
    with pytest.raises(RuntimeError, match=r"expected input with 3 channels \(shape \(N, 3\) or \(N, 3, L\)\)"):
        nn.BatchNorm1d(3)(ourdl.ones(4, 2))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("normalized", [(5,), (4, 5)])
def test_layernorm_matches_torch(normalized, dtype):
    ours, theirs = nn.LayerNorm(normalized), torch.nn.LayerNorm(normalized)
    with torch.no_grad():
        theirs.weight.uniform_(0.5, 1.5)
        theirs.bias.uniform_(-0.5, 0.5)
    ours.load_state_dict(theirs.state_dict())
    if dtype == np.float64:
        ours.double(), theirs.double()
    check(ours, theirs, (rng.standard_normal((3, 4, 5)) * 2 + 1).astype(dtype))
    check_double(lambda x: F.layer_norm(x, normalized), lambda x: torch.nn.functional.layer_norm(x, normalized),
                 rng.standard_normal((3, 4, 5)))
    with pytest.raises(RuntimeError, match="layer_norm: given normalized_shape"):
        ours(ourdl.ones(3, 4, 6, dtype=ours.weight.dtype))


def test_dropout_train_scaling_eval_identity_and_seed():
    layer = nn.Dropout(0.3)
    x = ourdl.ones(200, 500, requires_grad=True)
    ourdl.manual_seed(3)
    y = layer(x)
    values = y.detach().numpy()
    assert set(np.unique(values).tolist()) == {0.0, np.float32(1 / 0.7)}
    assert (values == 0).mean() == pytest.approx(0.3, abs=0.01)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), values)      # gradient = the same mask, scaled
    ourdl.manual_seed(3)
    np.testing.assert_array_equal(layer(x).detach().numpy(), values)
    layer.eval()
    assert layer(x) is x
    assert (nn.Dropout(1.0)(x).detach().numpy() == 0).all()
    assert nn.Dropout(0.0)(x) is x
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)


def test_flatten_unflatten_match_torch():
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    check(nn.Flatten(), torch.nn.Flatten(), x)
    check(nn.Flatten(0, 2), torch.nn.Flatten(0, 2), x)
    check(nn.Unflatten(1, (3, 1)), torch.nn.Unflatten(1, (3, 1)), rng.standard_normal((2, 3)).astype(np.float32))
    assert repr(nn.Unflatten(1, (3, 1))) == repr(torch.nn.Unflatten(1, (3, 1)))
    assert repr(nn.Flatten()) == repr(torch.nn.Flatten())


@pytest.mark.parametrize("activation", ["relu", "gelu", "tanh", "silu", "leaky_relu", "elu"])
def test_mlp_by_name_matches_torch_sequential(activation):
    ours = nn.MLP([5, 8, 7, 3], activation=activation)
    their_act = {"relu": torch.nn.ReLU, "gelu": torch.nn.GELU, "tanh": torch.nn.Tanh, "silu": torch.nn.SiLU,
                 "leaky_relu": torch.nn.LeakyReLU, "elu": torch.nn.ELU}[activation]
    theirs = torch.nn.Sequential(torch.nn.Linear(5, 8), their_act(), torch.nn.Linear(8, 7), their_act(),
                                 torch.nn.Linear(7, 3))
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    check(ours, theirs, rng.standard_normal((4, 5)).astype(np.float32))
    assert repr(ours).replace("MLP", "Sequential", 1) == repr(theirs)


def test_mlp_with_module_class_instance_norm_and_dropout():
    prelu = nn.MLP([2, 4, 4, 1], activation=nn.PReLU())
    assert prelu[1] is not prelu[3], "a parametric activation must not be shared between layers"
    assert [n for n, _ in prelu.named_parameters()] == ["0.weight", "0.bias", "1.weight", "2.weight", "2.bias",
                                                        "3.weight", "4.weight", "4.bias"]
    body = prelu[:2]
    assert type(body) is nn.Sequential and list(body._modules) == ["0", "1"]
    deep = nn.MLP([3, 6, 2], activation=nn.Tanh, norm="batch", dropout=0.2)
    assert [type(m).__name__ for m in deep] == ["Linear", "BatchNorm1d", "Tanh", "Dropout", "Linear"]
    assert deep(ourdl.ones(4, 3)).shape == (4, 2)
    with pytest.raises(TypeError, match="activation must be a catalog name, a Module class or a Module"):
        nn.MLP([2, 3, 2], activation=3)
    with pytest.raises(ValueError, match="sizes needs at least"):
        nn.MLP([2])


@pytest.mark.parametrize("affine", [False, True])
def test_layer_norm_in_float16_computes_in_float32_at_least_as_exactly_as_torch(affine):
    """Half precision is normalised in float32 and rounded once, as PyTorch's: against the exact values (PyTorch in
    float64 on the same inputs) the output and every gradient are as near as PyTorch's (in float16 throughout the
    output was 4x and the input's gradient 10x farther)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 512)).astype(np.float16)
    w, b = rng.uniform(0.5, 1.5, 512).astype(np.float16), rng.standard_normal(512).astype(np.float16)
    results = []
    for lib, dtype in ((ourdl, np.float16), (torch, np.float16), (torch, np.float64)):
        tensors = [lib.tensor(a.astype(dtype), requires_grad=True) for a in ((x, w, b) if affine else (x,))]
        y = lib.nn.functional.layer_norm(*tensors[:1], (512,), *tensors[1:])
        y.backward(lib.ones_like(y) * 0.5)
        assert y.dtype == getattr(lib, np.dtype(dtype).name)
        results.append([a.detach().numpy().astype(np.float64) for a in [y] + [t.grad for t in tensors]])
    ours, theirs, exact = results
    for a, b_, e in zip(ours, theirs, exact):
        assert np.max(np.abs(a - e)) <= np.max(np.abs(b_ - e)) * 1.01
