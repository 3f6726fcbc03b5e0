"""Creating tensors, against PyTorch: inferred dtypes, shapes, ranges, ``*_like``, seeded randomness."""

import numpy as np
import pytest

import ourdl
from tests.oracle import assert_same, torch

DATA = {
    "float list": [1.0, 2.5], "int list": [1, 2], "bool list": [True, False], "nested": [[1.0, 2.0], [3.0, 4.0]],
    "mixed int float": [1, 2.5], "mixed bool int": [True, 2], "scalar float": 3.5, "scalar int": 7,
    "float64 array": np.array([1.0, 2.0]), "int32 array": np.array([1, 2], dtype=np.int32),
    "float32 array": np.array([1.5], dtype=np.float32), "empty": [], "numpy scalar": np.float64(2.0),
}


@pytest.mark.parametrize("case", sorted(DATA))
def test_tensor_infers_dtype_like_torch(case):
    data = DATA[case]
    assert_same(ourdl.tensor(data), torch.tensor(data))


@pytest.mark.parametrize("case", ["zeros", "ones", "empty", "rand", "randn"])
@pytest.mark.parametrize("size", [(2, 3), ((2, 3),), ([4],), ((),)])
def test_size_forms(case, size):
    ours, theirs = getattr(ourdl, case)(*size), getattr(torch, case)(*size)
    assert tuple(ours.shape) == tuple(theirs.shape) and ours.dtype == ourdl.float32


@pytest.mark.parametrize("dtype", ["float64", "int64", "int32", "bool"])
def test_filled_with_dtype(dtype):
    for name in ("zeros", "ones"):
        assert_same(getattr(ourdl, name)(2, 2, dtype=getattr(ourdl, dtype)),
                    getattr(torch, name)(2, 2, dtype=getattr(torch, dtype)))
    assert_same(ourdl.full((2,), 1, dtype=getattr(ourdl, dtype)), torch.full((2,), 1, dtype=getattr(torch, dtype)))


@pytest.mark.parametrize("value", [1.5, 3, True])
def test_full_infers_dtype_from_value(value):
    assert_same(ourdl.full((2, 2), value), torch.full((2, 2), value))


@pytest.mark.parametrize("args", [(5,), (1, 4), (0, 1, 0.1), (-8.0, 8.0, 0.1), (1, 2.5, 0.5), (10, 0, -3), (0.0, 1.0, 0.3),
                                  (-1, 1, 0.25), (3.0,)])
def test_arange_like_torch(args):
    assert_same(ourdl.arange(*args), torch.arange(*args))


@pytest.mark.parametrize("args", [(0, 1, 5), (-8.0, 8.0, 160), (1, 1, 1), (0, 10, 7), (2, -3, 4)])
def test_linspace_like_torch(args):
    assert_same(ourdl.linspace(*args), torch.linspace(*args))


@pytest.mark.parametrize("args", [(3,), (2, 4), (3, 3)])
def test_eye(args):
    assert_same(ourdl.eye(*args), torch.eye(*args))


@pytest.mark.parametrize("name", ["zeros_like", "ones_like", "empty_like", "rand_like", "randn_like"])
def test_like_keeps_shape_and_dtype(name):
    x = ourdl.ones(2, 3, dtype=ourdl.float64)
    y = getattr(ourdl, name)(x)
    assert y.shape == (2, 3) and y.dtype == ourdl.float64 and not y.requires_grad
    assert getattr(ourdl, name)(x, dtype=ourdl.float32).dtype == ourdl.float32


def test_full_like_and_requires_grad():
    y = ourdl.full_like(ourdl.zeros(2, dtype=ourdl.int64), 7)
    assert y.tolist() == [7, 7] and y.dtype == ourdl.int64
    assert ourdl.zeros_like(ourdl.ones(2), requires_grad=True).requires_grad


def test_from_numpy_and_as_tensor_share_memory_tensor_copies():
    a = np.zeros(3)
    shared, alias, copied = ourdl.from_numpy(a), ourdl.as_tensor(a), ourdl.tensor(a)
    a[0] = 5
    assert shared[0].item() == 5 and alias[0].item() == 5 and copied[0].item() == 0
    assert shared.dtype == ourdl.float64


def test_manual_seed_reproducible():
    ourdl.manual_seed(123)
    first = [ourdl.rand(3).tolist(), ourdl.randn(2, 2).tolist(), ourdl.randint(0, 10, (5,)).tolist()]
    ourdl.manual_seed(123)
    second = [ourdl.rand(3).tolist(), ourdl.randn(2, 2).tolist(), ourdl.randint(0, 10, (5,)).tolist()]
    assert first == second
    assert ourdl.rand(3).tolist() != first[0]


def test_rng_state_roundtrip():
    state = ourdl.get_rng_state()
    a = ourdl.randn(4).tolist()
    ourdl.set_rng_state(state)
    assert ourdl.randn(4).tolist() == a


def test_random_distributions_and_dtypes():
    ourdl.manual_seed(0)
    u = ourdl.rand(10000)
    n = ourdl.randn(10000, dtype=ourdl.float64)
    k = ourdl.randint(3, 7, (10000,))
    assert 0 <= u.min().item() and u.max().item() < 1 and abs(u.mean().item() - 0.5) < 0.02
    assert abs(n.mean().item()) < 0.05 and abs(n.std().item() - 1) < 0.05 and n.dtype == ourdl.float64
    assert k.dtype == ourdl.int64 and set(np.unique(k.numpy()).tolist()) == {3, 4, 5, 6}
    assert sorted(ourdl.randperm(5).tolist()) == [0, 1, 2, 3, 4]


def test_requires_grad_on_integers_is_refused():
    with pytest.raises(RuntimeError, match="floating point.*int64"):
        ourdl.tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match="floating point"):
        ourdl.arange(3, requires_grad=True)


def test_negative_dimension_refused():
    with pytest.raises(RuntimeError, match="negative dimension"):
        ourdl.zeros(2, -1)


def test_ragged_data_refused():
    with pytest.raises(ValueError, match="ragged|rectangular"):
        ourdl.tensor([[1.0, 2.0], [3.0]])


def test_set_default_dtype_float64():
    ourdl.set_default_dtype(ourdl.float64)
    assert ourdl.get_default_dtype() == ourdl.float64
    for t in (ourdl.tensor([1.0]), ourdl.zeros(2), ourdl.randn(2), ourdl.arange(0.0, 1.0, 0.5), ourdl.linspace(0, 1, 3),
              ourdl.tensor([1, 2]) * 0.5, ourdl.tensor([1]).float().double()):
        assert t.dtype == ourdl.float64, t
    ourdl.set_default_dtype(ourdl.float32)
    assert ourdl.tensor([1.0]).dtype == ourdl.float32
    with pytest.raises(TypeError, match="floating"):
        ourdl.set_default_dtype(ourdl.int64)
