"""narrow, select, movedim, swapaxes, ravel, tile, repeat_interleave, the flips, the stacks and the splits against
PyTorch: values, gradients, which results are views, errors."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ourdl
from tests.oracle import assert_same, both, check, check_double, torch

X = np.random.default_rng(0).standard_normal((2, 3, 4))


def _lib(t):
    return ourdl if isinstance(t, ourdl.Tensor) else torch


CASES = {
    "narrow": lambda t: t.narrow(1, 1, 2),
    "narrow negative start": lambda t: _lib(t).narrow(t, -1, -3, 2),
    "narrow empty": lambda t: t.narrow(2, 4, 0),
    "select": lambda t: t.select(1, 2),
    "select negative": lambda t: _lib(t).select(t, -1, -4),
    "movedim": lambda t: t.movedim(0, -1),
    "movedim sequences": lambda t: _lib(t).movedim(t, (0, 2), (2, 1)),
    "moveaxis": lambda t: _lib(t).moveaxis(t, 1, 0),
    "swapaxes": lambda t: t.swapaxes(0, 2),
    "swapdims": lambda t: _lib(t).swapdims(t, -1, 1),
    "ravel": lambda t: t.ravel(),
    "ravel of transposed": lambda t: _lib(t).ravel(t.transpose(0, 2)),
    "view_as": lambda t: t.view_as(t.reshape(4, 6)),
    "reshape_as": lambda t: t.reshape_as(t.reshape(6, 4)),
    "reshape_as transposed": lambda t: t.transpose(0, 1).reshape_as(t.reshape(6, 4)),
    "tile": lambda t: t.tile((2, 1, 2)),
    "tile short dims": lambda t: _lib(t).tile(t, (2,)),
    "tile more dims": lambda t: t.tile((2, 1, 1, 1)),
    "repeat_interleave int": lambda t: t.repeat_interleave(2),
    "repeat_interleave dim": lambda t: _lib(t).repeat_interleave(t, 3, dim=1),
    "repeat_interleave tensor": lambda t: t.repeat_interleave(_lib(t).tensor([2, 0, 1]), dim=-2),
    "repeat_interleave one count": lambda t: t.repeat_interleave(_lib(t).tensor([2]), dim=0),
    "fliplr": lambda t: _lib(t).fliplr(t),
    "flipud": lambda t: t.flipud(),
    "hstack": lambda t: _lib(t).hstack([t, t[:, :1] * 2]),
    "hstack 1-d": lambda t: _lib(t).hstack([t[0, 0], t[1, 1, 0], t[0, 1]]),
    "vstack": lambda t: _lib(t).vstack([t[0, 0], t[1]]),
    "dstack": lambda t: _lib(t).dstack([t[0], t[1] * 2, t.permute(1, 2, 0)]),
    "dstack 1-d": lambda t: _lib(t).dstack([t[0, 0], t[1, 1]]),
    "column_stack": lambda t: _lib(t).column_stack([t[0, :, 0], t[1], t[1, :, 2]]),
    "column_stack 0-d": lambda t: _lib(t).column_stack([t[0, 0, 0], t[1, 1, 1]]),
    "tensor_split sections": lambda t: t.tensor_split(3, dim=2)[0],
    "tensor_split indices": lambda t: _lib(t).tensor_split(t, [1, 3], dim=2)[1],
    "tensor_split tensor": lambda t: t.tensor_split(_lib(t).tensor([1, -1]), dim=1)[2],
    "hsplit": lambda t: t.hsplit(3)[1],
    "vsplit": lambda t: _lib(t).vsplit(t, [1])[1],
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_torch(case, dtype):
    check(CASES[case], CASES[case], X.astype(dtype))


@pytest.mark.parametrize("case", sorted(CASES))
def test_second_derivative_like_torch(case):
    check_double(lambda t: CASES[case](t) ** 2, lambda t: CASES[case](t) ** 2, X)


@pytest.mark.parametrize("case", sorted(CASES))
def test_integer_values_like_torch(case):
    ours, theirs = both(np.arange(24).reshape(2, 3, 4))
    assert_same(CASES[case](ours), CASES[case](theirs))


@pytest.mark.parametrize("case", sorted(CASES))
def test_view_exactly_where_torch_has_one(case):
    ours, theirs = both(X, requires_grad=False)
    out_o, out_t = CASES[case](ours), CASES[case](theirs)
    if out_t.numel() == 0:
        return
    out_o.fill_(100.0)
    out_t.fill_(100.0)
    assert_same(ours, theirs)


def test_change_through_a_view_reaches_the_base_and_gradients_follow():
    for make in (lambda t: t.narrow(1, 1, 2), lambda t: t.select(0, 1), lambda t: t.movedim(2, 0),
                 lambda t: t.swapaxes(0, 1), lambda t: t.tensor_split(2, dim=2)[1], lambda t: t.ravel()):
        def fn(t):
            y = t * 2
            make(y).mul_(3)
            return y * t

        check(fn, fn, X)


def test_splits_are_views_of_their_input():
    x = ourdl.arange(12.0).reshape(3, 4)
    for piece in (*x.tensor_split(3, dim=1), *x.hsplit(2), *x.vsplit([1])):
        piece.fill_(-1)
    assert bool((x == -1).all())


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=4, max_side=4), elements=st.floats(-5, 5)),
       st.data())
def test_dims_and_sizes_like_torch(array, data):
    ndim = array.ndim
    dim = data.draw(st.integers(-ndim, ndim - 1))
    size = array.shape[dim]
    start = data.draw(st.integers(-size, size))
    length = data.draw(st.integers(0, size - (start + size if start < 0 else start)))
    sections = data.draw(st.integers(1, 5))
    indices = data.draw(st.lists(st.integers(-6, 6), max_size=4))
    repeats = data.draw(st.lists(st.integers(0, 3), min_size=size, max_size=size))
    reps = data.draw(st.lists(st.integers(1, 3), max_size=5))
    perm = data.draw(st.permutations(range(ndim)))
    for fn in (lambda t, L: t.narrow(dim, start, length), lambda t, L: t.select(dim, start % max(size, 1)) if size
               else t, lambda t, L: t.movedim(list(range(ndim)), perm), lambda t, L: t.swapaxes(dim, -1),
               lambda t, L: L.cat(t.tensor_split(sections, dim), dim), lambda t, L: L.cat(t.tensor_split(indices, dim), dim),
               lambda t, L: t.repeat_interleave(L.tensor(repeats, dtype=L.int64), dim=dim),
               lambda t, L: t.tile(reps), lambda t, L: t.ravel()):
        check(lambda t: fn(t, ourdl), lambda t: fn(t, torch), array)
    pieces_o, pieces_t = both(array)[0].tensor_split(indices, dim), torch.tensor(array).tensor_split(indices, dim)
    assert [tuple(p.shape) for p in pieces_o] == [tuple(p.shape) for p in pieces_t]


def test_repeat_interleave_of_counts_alone():
    assert_same(ourdl.repeat_interleave(ourdl.tensor([2, 0, 3])), torch.repeat_interleave(torch.tensor([2, 0, 3])))


ERRORS = {
    "narrow past the end": lambda L, x: x.narrow(1, 2, 2),
    "narrow start out of range": lambda L, x: x.narrow(1, 4, 0),
    "narrow start too negative": lambda L, x: L.narrow(x, 1, -4, 1),
    "select out of range": lambda L, x: x.select(0, 2),
    "movedim lengths": lambda L, x: x.movedim((0, 1), (1,)),
    "movedim repeated": lambda L, x: x.movedim((0, 0), (0, 1)),
    "movedim out of range": lambda L, x: x.movedim(2, 0),
    "repeat_interleave sizes": lambda L, x: L.repeat_interleave(x, L.tensor([1, 2, 3]), dim=0),
    "repeat_interleave negative": lambda L, x: L.repeat_interleave(x, L.tensor([1, -1]), dim=0),
    "fliplr 1-d": lambda L, x: L.fliplr(x[0]),
    "flipud 0-d": lambda L, x: L.flipud(x[0, 0]),
    "hstack empty": lambda L, x: L.hstack([]),
    "vstack shapes": lambda L, x: L.vstack([x, x[:, :2]]),
    "tensor_split zero": lambda L, x: x.tensor_split(0),
    "tensor_split 0-d": lambda L, x: L.tensor_split(x[0, 0], 2),
    "hsplit not divisible": lambda L, x: x.hsplit(2),
    "vsplit 1-d": lambda L, x: L.vsplit(x[0], 1),
    "view_as not viewable": lambda L, x: x.t().view_as(x.reshape(6)),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_like_torch(case):
    ours, theirs = both(np.arange(6.0).reshape(2, 3), requires_grad=False)
    with pytest.raises((RuntimeError, IndexError)) as expected:
        ERRORS[case](torch, theirs)
    with pytest.raises(expected.type):
        ERRORS[case](ourdl, ours)
