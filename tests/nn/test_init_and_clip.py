"""Initialisers (statistics over big tensors, gains equal to torch's, seeding) and gradient clipping against PyTorch."""

import math

import numpy as np
import pytest

import ourdl
from ourdl import nn
from ourdl.nn import init
from ourdl.nn.utils import clip_grad_norm_, clip_grad_value_
from tests.oracle import torch

TORCH_KNOWN = [("linear", None), ("conv1d", None), ("conv2d", None), ("conv3d", None), ("conv_transpose1d", None),
               ("conv_transpose2d", None), ("conv_transpose3d", None), ("sigmoid", None), ("tanh", None),
               ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 3), ("selu", None)]


@pytest.mark.parametrize("name, param", TORCH_KNOWN)
def test_gain_equals_torch(name, param):
    assert init.calculate_gain(name, param) == torch.nn.init.calculate_gain(name, param)


@pytest.mark.parametrize("name", ["gelu", "silu", "elu", "softplus", "mish", "celu", "hardswish", "softsign"])
def test_catalog_gain_keeps_the_second_moment(name):
    """1/sqrt(E[f(z)^2]) checked against Monte Carlo with PyTorch's own activation."""
    gain = init.calculate_gain(name)
    z = torch.from_numpy(np.random.default_rng(0).standard_normal(2_000_000))
    f = getattr(torch.nn.functional, name)
    assert gain == pytest.approx(1 / math.sqrt(float((f(z) ** 2).mean())), rel=3e-3)


def test_unknown_nonlinearity():
    with pytest.raises(ValueError, match="Unsupported nonlinearity banana"):
        init.calculate_gain("banana")
    with pytest.raises(ValueError, match="negative_slope"):
        init.calculate_gain("leaky_relu", "x")


SHAPE = (500, 400)
FAN_IN, FAN_OUT = 400, 500


@pytest.mark.parametrize("fill, mean, std, bound", [
    (lambda t: init.uniform_(t, -2.0, 1.0), -0.5, 3 / math.sqrt(12), (-2.0, 1.0)),
    (lambda t: init.normal_(t, 1.0, 0.5), 1.0, 0.5, None),
    (lambda t: init.xavier_uniform_(t, gain=2.0), 0.0, 2 * math.sqrt(2 / (FAN_IN + FAN_OUT)),
     (-2 * math.sqrt(6 / (FAN_IN + FAN_OUT)), 2 * math.sqrt(6 / (FAN_IN + FAN_OUT)))),
    (lambda t: init.xavier_normal_(t), 0.0, math.sqrt(2 / (FAN_IN + FAN_OUT)), None),
    (lambda t: init.kaiming_uniform_(t, nonlinearity="relu"), 0.0, math.sqrt(2 / FAN_IN),
     (-math.sqrt(6 / FAN_IN), math.sqrt(6 / FAN_IN))),
    (lambda t: init.kaiming_uniform_(t, a=math.sqrt(5)), 0.0, 1 / math.sqrt(3 * FAN_IN),
     (-1 / math.sqrt(FAN_IN), 1 / math.sqrt(FAN_IN))),
    (lambda t: init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"), 0.0, math.sqrt(2 / FAN_OUT), None),
    (lambda t: init.kaiming_normal_(t, a=0.2), 0.0, math.sqrt(2 / 1.04 / FAN_IN), None),
    (lambda t: init.trunc_normal_(t, mean=0.5, std=1.0, a=-1.0, b=1.5), None, None, (-1.0, 1.5)),
])
def test_initialiser_statistics(fill, mean, std, bound):
    t = ourdl.empty(*SHAPE)
    assert fill(t) is t
    values = t.numpy().astype(np.float64)
    if mean is not None:
        assert values.mean() == pytest.approx(mean, abs=3 * (std or 1) / math.sqrt(values.size) + 1e-6)
        assert values.std() == pytest.approx(std, rel=0.01)
    if bound is not None:
        assert values.min() >= bound[0] and values.max() <= bound[1]
        width = bound[1] - bound[0]
        assert values.min() < bound[0] + 0.01 * width and values.max() > bound[1] - 0.01 * width


def test_trunc_normal_matches_the_truncated_distribution_of_torch():
    ours = init.trunc_normal_(ourdl.empty(200_000), mean=0.5, std=1.0, a=-1.0, b=1.5).numpy()
    theirs = torch.nn.init.trunc_normal_(torch.empty(200_000), mean=0.5, std=1.0, a=-1.0, b=1.5).numpy()
    assert ours.mean() == pytest.approx(theirs.mean(), abs=0.01)
    assert ours.std() == pytest.approx(theirs.std(), rel=0.01)


def test_constant_zeros_ones_eye_orthogonal():
    t = ourdl.empty(3, 4, dtype=ourdl.float64)
    assert init.constant_(t, 0.25).numpy().tolist() == [[0.25] * 4] * 3
    assert not init.zeros_(t).numpy().any()
    assert (init.ones_(t).numpy() == 1).all()
    np.testing.assert_array_equal(init.eye_(t).numpy(), np.eye(3, 4))
    for shape in [(6, 4), (4, 6), (3, 2, 4)]:
        w = init.orthogonal_(ourdl.empty(*shape, dtype=ourdl.float64), gain=2.0).numpy().reshape(shape[0], -1)
        small = w @ w.T if shape[0] <= w.shape[1] else w.T @ w
        np.testing.assert_allclose(small, 4 * np.eye(small.shape[0]), atol=1e-12)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(ourdl.empty(3))
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_normal_(ourdl.empty(3, 3), mode="fan_avg")


def test_initialisers_are_seeded_and_do_not_record_gradients():
    p = nn.Parameter(ourdl.empty(5, 5))
    ourdl.manual_seed(7)
    first = init.xavier_normal_(p).detach().numpy().copy()
    assert p.is_leaf and p.grad_fn is None
    ourdl.manual_seed(7)
    np.testing.assert_array_equal(init.xavier_normal_(p).detach().numpy(), first)
    generator = ourdl.Generator().manual_seed(3)
    other = init.uniform_(ourdl.empty(5), generator=generator).numpy().copy()
    np.testing.assert_array_equal(init.uniform_(ourdl.empty(5), generator=ourdl.Generator().manual_seed(3)).numpy(), other)


def _grads_pair(dtype, scale=1.0):
    rng = np.random.default_rng(0)
    shapes = [(4, 3), (3,), (2, 2)]
    ours = [nn.Parameter(ourdl.zeros(*s, dtype=dtype)) for s in shapes]
    theirs = [torch.nn.Parameter(torch.zeros(*s, dtype=getattr(torch, str(dtype).split(".")[1]))) for s in shapes]
    for o, t in zip(ours, theirs):
        g = rng.standard_normal(o.shape) * scale
        o.grad = ourdl.tensor(g, dtype=dtype)
        t.grad = torch.tensor(g, dtype=t.dtype)
    return ours, theirs


@pytest.mark.parametrize("dtype", [ourdl.float32, ourdl.float64])
@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_equals_torch(norm_type, max_norm, dtype):
    ours, theirs = _grads_pair(dtype)
    total = clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    total_t = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    tol = 1e-6 if dtype == ourdl.float32 else 1e-12
    assert total.item() == pytest.approx(total_t.item(), rel=tol)
    assert total.dtype == dtype
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), rtol=tol, atol=tol)


def test_clip_grad_norm_nonfinite_and_empty():
    ours, _ = _grads_pair(ourdl.float32)
    ours[1].grad = ourdl.tensor([1.0, float("inf"), 0.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    assert clip_grad_norm_([nn.Parameter(ourdl.ones(1))], 1.0).item() == 0.0
    single = nn.Parameter(ourdl.zeros(2))
    single.grad = ourdl.tensor([3.0, 4.0])
    assert clip_grad_norm_(single, 1.0).item() == 5.0


def test_clip_grad_value_equals_torch():
    ours, theirs = _grads_pair(ourdl.float64, scale=3.0)
    clip_grad_value_(ours, 1.5)
    torch.nn.utils.clip_grad_value_(theirs, 1.5)
    for o, t in zip(ours, theirs):
        np.testing.assert_array_equal(o.grad.numpy(), t.grad.numpy())
