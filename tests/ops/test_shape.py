"""Shape ops against PyTorch: values, gradients, views sharing memory, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ourdl
from tests.oracle import both, check, torch

X = np.random.default_rng(0).standard_normal((2, 3, 4))

CASES = {
    "reshape": lambda t: t.reshape(4, 6),
    "reshape -1": lambda t: t.reshape(-1, 3),
    "reshape tuple": lambda t: t.reshape((6, 4)),
    "view": lambda t: t.view(2, 12),
    "transpose": lambda t: t.transpose(0, 2),
    "transpose negative": lambda t: t.transpose(-1, -2),
    "permute": lambda t: t.permute(2, 0, 1),
    "permute tuple": lambda t: t.permute((1, 2, 0)),
    "T of 2-d": lambda t: t[0].T,
    "mT": lambda t: t.mT,
    "t": lambda t: t[1].t(),
    "unsqueeze": lambda t: t.unsqueeze(1),
    "unsqueeze -1": lambda t: t.unsqueeze(-1),
    "squeeze dim": lambda t: t.unsqueeze(1).squeeze(1),
    "squeeze all": lambda t: t.reshape(2, 1, 3, 1, 4).squeeze(),
    "squeeze non-1 dim": lambda t: t.squeeze(0),
    "flatten": lambda t: t.flatten(),
    "flatten from 1": lambda t: t.flatten(1),
    "flatten 0..1": lambda t: t.flatten(0, 1),
    "unflatten": lambda t: t.unflatten(2, (2, 2)),
    "expand": lambda t: t[:, :1].expand(2, 5, 4),
    "expand new dims": lambda t: t.expand(3, 2, 3, 4),
    "expand -1": lambda t: t[:, :1].expand(-1, 3, -1),
    "expand_as": lambda t: t[:1].expand_as(t),
    "flip": lambda t: t.flip(0, 2),
    "repeat": lambda t: t.repeat(2, 1, 3),
    "repeat more dims": lambda t: t.repeat(2, 1, 1, 2),
    "split size": lambda t: t.split(2, dim=2)[1],
    "split sizes": lambda t: t.split([1, 3], dim=2)[1],
    "chunk": lambda t: t.chunk(2, dim=1)[1],
    "unbind": lambda t: t.unbind(1)[2],
    "narrowing slice": lambda t: t[:, 1:3, ::2],
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", sorted(CASES))
def test_shape_op_matches_torch(case, dtype):
    check(CASES[case], CASES[case], X.astype(dtype))


@pytest.mark.parametrize("case", sorted(CASES))
def test_shape_op_gradgradcheck(case):
    x = ourdl.tensor(X, requires_grad=True)
    assert ourdl.autograd.gradcheck(CASES[case], (x,))
    assert ourdl.autograd.gradgradcheck(CASES[case], (x,))


@pytest.mark.parametrize("fn", ["cat", "stack"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cat_stack(fn, dim):
    rng = np.random.default_rng(1)
    a, b, c = (rng.standard_normal((2, 3)) for _ in range(3))
    check(lambda *t: getattr(ourdl, fn)(list(t), dim=dim), lambda *t: getattr(torch, fn)(list(t), dim=dim), a, b, c)
    ta = ourdl.tensor(a, requires_grad=True)
    assert ourdl.autograd.gradgradcheck(lambda x: getattr(ourdl, fn)([x, x * 2], dim=dim), (ta,))


def test_cat_uneven_sizes_and_promotion():
    a = np.ones((2, 3), dtype=np.float32)
    b = np.zeros((1, 3), dtype=np.float32)
    check(lambda x, y: ourdl.cat((x, y)), lambda x, y: torch.cat((x, y)), a, b)
    assert ourdl.cat([ourdl.ones(1), ourdl.ones(1, dtype=ourdl.float64)]).dtype == ourdl.float64
    assert ourdl.cat([ourdl.tensor([1]), ourdl.ones(1)]).dtype == torch_dtype_name(torch.cat([torch.tensor([1]), torch.ones(1)]))


def torch_dtype_name(t):
    return getattr(ourdl, str(t.dtype).split(".")[-1])


@settings(max_examples=25, deadline=None)
@given(shape=hnp.array_shapes(min_dims=1, max_dims=4, max_side=4), data=st.data())
def test_permute_any(shape, data):
    perm = data.draw(st.permutations(range(len(shape))))
    x = np.random.default_rng(2).standard_normal(shape)
    check(lambda t: t.permute(*perm), lambda t: t.permute(*perm), x)


@settings(max_examples=25, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=1, min_dims=0, max_dims=3, max_side=3))
def test_expand_to_broadcast_shape(shapes):
    (shape,), target = shapes.input_shapes, shapes.result_shape
    x = np.random.default_rng(3).standard_normal(shape).astype(np.float32)
    check(lambda t: t.expand(target), lambda t: t.expand(target), x)


def test_views_share_memory_and_see_writes():
    x = ourdl.zeros(2, 3)
    v = x.view(6)
    v[0] = 5.0
    assert x[0, 0].item() == 5.0
    x.T[1, 0] = 7.0
    assert x[0, 1].item() == 7.0


def test_split_and_chunk_tuples_like_torch():
    ours, theirs = both(np.arange(7.0), requires_grad=False)
    assert [p.tolist() for p in ours.split(3)] == [p.tolist() for p in theirs.split(3)]
    assert [p.tolist() for p in ours.chunk(3)] == [p.tolist() for p in theirs.chunk(3)]
    assert [p.tolist() for p in ourdl.arange(6.0).chunk(4)] == [p.tolist() for p in torch.arange(6.0).chunk(4)]


SHAPE_ERRORS = {
    "reshape": (lambda: ourdl.ones(2, 3).reshape(4, 2), RuntimeError, r"shape '\[4, 2\]' is invalid for input of size 6"),
    "two -1": (lambda: ourdl.ones(2, 3).reshape(-1, -1), RuntimeError, "invalid"),
    "expand": (lambda: ourdl.ones(2, 3).expand(4, 3), RuntimeError, r"expanded size.*\(4\).*\(2\).*dimension 0"),
    "cat": (lambda: ourdl.cat([ourdl.ones(2, 3), ourdl.ones(2, 4)]), RuntimeError, r"Sizes of tensors must match.*\[2, 3\].*\[2, 4\]"),
    "stack": (lambda: ourdl.stack([ourdl.ones(2), ourdl.ones(3)]), RuntimeError, r"stack.*\[2\].*\[3\]"),
    "transpose": (lambda: ourdl.ones(2, 3).transpose(0, 2), IndexError, "Dimension out of range"),
    "permute": (lambda: ourdl.ones(2, 3).permute(0, 0), RuntimeError, "permute"),
    "split": (lambda: ourdl.ones(4).split([1, 2]), RuntimeError, r"sum exactly to 4"),
}


@pytest.mark.parametrize("case", sorted(SHAPE_ERRORS))
def test_shape_errors(case):
    fn, error, message = SHAPE_ERRORS[case]
    with pytest.raises(error, match=message):
        fn()
