"""Indexing against PyTorch: basic and advanced indices, their gradients (repeats add up), errors."""

import numpy as np
import pytest

import ourdl
from tests.oracle import assert_same, both, check, torch

X = np.random.default_rng(0).standard_normal((4, 5, 3))

INDICES = {
    "int": lambda m: 1,
    "negative int": lambda m: -1,
    "slice": lambda m: slice(1, 3),
    "step slice": lambda m: (slice(None), slice(None, None, 2)),
    "ellipsis": lambda m: (Ellipsis, 1),
    "none": lambda m: (None, 1, None),
    "int and slice": lambda m: (2, slice(1, None)),
    "list": lambda m: [0, 2, 2],
    "int tensor": lambda m: m.tensor([3, 0, 3, 1]),
    "2-d int tensor": lambda m: m.tensor([[0, 1], [1, 1]]),
    "two lists": lambda m: ([0, 1, 1], [2, 2, 4]),
    "tensor pair (gather)": lambda m: (m.tensor([0, 1, 3]), m.tensor([4, 4, 0])),
    "range and tensor": lambda m: (range(3), m.tensor([1, 1, 0])),
    "bool mask": lambda m: m.tensor([True, False, True, True]),
    "bool mask 2-d": lambda m: m.tensor(X[:, :, 0] > 0),
    "slice then list": lambda m: (slice(None), [1, 1, 3]),
    "ellipsis then list": lambda m: (Ellipsis, [0, 2]),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", sorted(INDICES))
def test_getitem_values_and_gradients(case, dtype):
    make = INDICES[case]
    check(lambda t: t[make(ourdl)], lambda t: t[make(torch)], X.astype(dtype))


@pytest.mark.parametrize("case", sorted(INDICES))
def test_getitem_gradgradcheck(case):
    x = ourdl.tensor(X, requires_grad=True)
    index = INDICES[case](ourdl)
    assert ourdl.autograd.gradcheck(lambda t: t[index], (x,))
    assert ourdl.autograd.gradgradcheck(lambda t: t[index] ** 2, (x,))


def test_nll_gather_like_tutorials():
    """``input[range(n), target]``: the classic hand-written negative log-likelihood."""
    logits = np.random.default_rng(1).standard_normal((6, 4)).astype(np.float32)
    target = np.array([0, 3, 3, 1, 2, 3])

    def nll(lib, t):
        logp = t - t.logsumexp(1, keepdim=True)
        return -logp[range(t.shape[0]), lib.tensor(target)].mean()

    check(lambda t: nll(ourdl, t), lambda t: nll(torch, t), logits)


def test_basic_index_is_a_view():
    x = ourdl.zeros(3, 4)
    row = x[1]
    row += 1
    assert x.sum().item() == 4
    assert np.shares_memory(x.numpy(), x[:, 1:3].numpy())


def test_integer_index_of_0d_tensor_as_python_int():
    x = ourdl.arange(5.0)
    assert x[ourdl.tensor(3)].item() == 3.0


SETITEM = {
    "int": (1, 7.0),
    "slice": (slice(0, 2), 3.0),
    "tensor value broadcast": ((slice(None), 1), "row"),
    "list": ([0, 2], -1.0),
    "bool mask": ("mask", 0.0),
}


@pytest.mark.parametrize("case", sorted(SETITEM))
def test_setitem_without_grad(case):
    index, value = SETITEM[case]
    ours, theirs = both(X[:, :, 0].copy(), requires_grad=False)
    if index == "mask":
        index_o, index_t = ours > 0, theirs > 0
    else:
        index_o = index_t = index
    value_o, value_t = (ourdl.arange(4.0), torch.arange(4.0)) if value == "row" else (value, value)
    ours[index_o] = value_o.double() if isinstance(value_o, ourdl.Tensor) else value_o
    theirs[index_t] = value_t.double() if isinstance(value_t, torch.Tensor) else value_t
    assert_same(ours, theirs)


def test_setitem_in_graph_gradients():
    def fn(x, v):
        y = x * 1
        y[1:3, 0] = v * 2
        return y

    a = np.random.default_rng(2).standard_normal((4, 3))
    v = np.array([5.0, 6.0])
    check(fn, fn, a, v)
    ta, tv = ourdl.tensor(a, requires_grad=True), ourdl.tensor(v, requires_grad=True)
    assert ourdl.autograd.gradcheck(fn, (ta, tv))


def test_index_out_of_range_names_shape():
    with pytest.raises(IndexError, match=r"out of range.*\[3, 2\]"):
        ourdl.ones(3, 2)[5]
    with pytest.raises(IndexError, match=r"\[3, 2\]"):
        ourdl.ones(3, 2)[[0, 7]]


def test_float_index_refused():
    with pytest.raises(IndexError, match="long, int, byte or bool"):
        ourdl.ones(3)[ourdl.tensor([0.0, 1.0])]
