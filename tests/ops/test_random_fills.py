"""In-place random fills (uniform_, normal_, bernoulli_, exponential_, random_): their distributions, seeding,
dtypes and errors. PyTorch's generator differs from ours, so values are compared in distribution, not one by one."""

import numpy as np
import pytest

import ourdl
from tests.oracle import torch

N = 200_000
FILLS = {  # name: (arguments, mean, variance) of the distribution
    "uniform_": ((-1.0, 3.0), 1.0, 16 / 12),
    "normal_": ((2.0, 0.5), 2.0, 0.25),
    "bernoulli_": ((0.3,), 0.3, 0.21),
    "exponential_": ((4.0,), 0.25, 1 / 16),
    "random_": ((2, 7), 4.0, (5 ** 2 - 1) / 12),
}


@pytest.mark.parametrize("dtype", [ourdl.float32, ourdl.float64])
@pytest.mark.parametrize("name", sorted(FILLS))
def test_moments_dtype_and_same_object(name, dtype):
    args, mean, variance = FILLS[name]
    ourdl.manual_seed(0)
    t = ourdl.empty(N, dtype=dtype)
    assert getattr(t, name)(*args) is t and t.dtype == dtype
    values = t.numpy().astype(np.float64)
    assert abs(values.mean() - mean) < 5 * np.sqrt(variance / N)
    assert abs(values.var() - variance) < 0.02 * variance
    theirs = getattr(torch.empty(N, dtype=torch.float64), name)(*args).numpy()
    assert abs(values.mean() - theirs.mean()) < 7 * np.sqrt(variance / N)  # the same distribution as PyTorch's


@pytest.mark.parametrize("name", sorted(FILLS))
def test_seeded_fills_repeat_and_generators_are_separate(name):
    args = FILLS[name][0]
    ourdl.manual_seed(3)
    first = getattr(ourdl.empty(5), name)(*args).tolist()
    ourdl.manual_seed(3)
    assert getattr(ourdl.empty(5), name)(*args).tolist() == first
    generator = ourdl.Generator().manual_seed(3)
    assert getattr(ourdl.empty(5), name)(*args, generator=generator).tolist() == first


def test_ranges_and_bounds():
    assert set(ourdl.empty(1000).random_(4).tolist()) == {0.0, 1.0, 2.0, 3.0}
    assert set(ourdl.empty(1000, dtype=ourdl.int64).random_(-2, 1).tolist()) == {-2, -1, 0}
    assert ourdl.empty(1000).random_().max().item() <= 2 ** 24
    assert set(ourdl.empty(1000).bernoulli_(ourdl.tensor([0.0, 1.0]).repeat(500)).tolist()[:2]) == {0.0, 1.0}
    assert ourdl.empty(1000).uniform_(5, 6).min().item() >= 5


def test_fills_on_a_leaf_need_no_grad_and_through_views_reach_the_base():
    w = ourdl.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w.normal_()
    with ourdl.no_grad():
        w[0].uniform_(7, 8)
    assert bool((w[0] >= 7).all()) and w[1].tolist() == [1.0, 1.0, 1.0] and w.requires_grad
    x = ourdl.ones(3, requires_grad=True)
    y = x * 2
    y[1:].normal_()  # the new values do not depend on x: its gradient there is 0, as in PyTorch
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 0.0, 0.0]


@pytest.mark.parametrize("call, message", [
    (lambda t: t.normal_(0, -1), "std >= 0.0"), (lambda t: t.exponential_(0), "lambd > 0.0"),
    (lambda t: t.bernoulli_(1.5), r"p in \[0, 1\]"), (lambda t: t.random_(5, 5), "less than 'to'"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(RuntimeError, match=message):
        call(ourdl.empty(3))
