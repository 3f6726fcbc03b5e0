"""Views and in-place changes in the graph: edges fixed when recorded, CopySlices on the base, views that follow
their base (AsStrided), each scenario run side by side with PyTorch."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
from ourdl.autograd import gradcheck, gradgradcheck
from ourdl.ops.views import window
from tests.oracle import assert_same, both, torch


def _then(*steps):
    """The last of ``steps``: lets a scenario run its in-place changes, in order, inside a lambda."""
    return steps[-1]


# Each scenario takes the library and a leaf x of shape (4, 3) and returns a scalar to differentiate.
SCENARIOS = {
    "a consumer recorded before the input changed in place": lambda lib, x: (
        lambda b: (lambda out: _then(b.mul_(2), out))((b * 3).sin().sum()))(x * 1),
    "a view read after its base changed in place": lambda lib, x: (
        lambda b: (lambda v: _then(b.mul_(x.detach() + 2), (v * v).sum()))(b[1:3]))(x * 1),
    "an in-place change of a row view": lambda lib, x: (
        lambda b: _then(b[1].mul_(5), (b * b).sum()))(x.sin()),
    "the view used after its own in-place change": lambda lib, x: (
        lambda b: (lambda v: _then(v.mul_(x[0, :2] * 3), (v.sin() + b.sum()).sum()))(b[2, 1:]))(x * 1),
    "setitem into a view": lambda lib, x: (
        lambda b: _then(b[:, 1:].__setitem__((0, 0), x[3, 2] * 7), (b * b).sum()))(x * 2),
    "an in-place change through a transposed view": lambda lib, x: (
        lambda b: _then(b.t()[0].add_(x[:, 2]), (b * b).sum()))(x * 1),
    "an in-place change through a reshaped view": lambda lib, x: (
        lambda b: _then(b.view(12)[::5].mul_(-2), (b.tanh() * b).sum()))(x * 1),
    "an in-place change of a view of a view": lambda lib, x: (
        lambda b: _then(b[1:][:, ::2][0].div_(x[0, :2] + 3), (b * b).sum()))(x * 1),
    "two views of one base, the second read after the first changed": lambda lib, x: (
        lambda b: (lambda v, w: _then(v.mul_(3), (w * w).sum()))(b[0:2], b[1:3]))(x * 1),
    "a base without grad given a value that has it, through a view": lambda lib, x: (
        lambda b: (lambda v: _then(b[2:].copy_(x[:2] * 5), (v * v).sum()))(b[1:]))(lib.zeros(4, 3, dtype=x.dtype)),
    "zero_ and fill_ on views": lambda lib, x: (
        lambda b: _then(b[0].zero_(), b[3, 1:].fill_(2.0), (b * b * x).sum()))(x * 1),
    "clamp_ on a view": lambda lib, x: (
        lambda b: _then(b[:, 0].clamp_(-0.2, 0.3), (b * b).sum()))(x * 1),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_scenario_values_and_gradients_like_torch(scenario, dtype):
    ours, theirs = both(np.random.default_rng(3).standard_normal((4, 3)).astype(dtype))
    out_ours, out_theirs = SCENARIOS[scenario](ourdl, ours), SCENARIOS[scenario](torch, theirs)
    assert_same(out_ours, out_theirs, what="output")
    out_ours.backward()
    out_theirs.backward()
    assert_same(ours.grad, theirs.grad, what="gradient")


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_scenario_second_derivatives_like_torch(scenario):
    ours, theirs = both(np.random.default_rng(4).standard_normal((4, 3)))
    (g_ours,) = ourdl.autograd.grad(SCENARIOS[scenario](ourdl, ours), ours, create_graph=True)
    (g_theirs,) = torch.autograd.grad(SCENARIOS[scenario](torch, theirs), theirs, create_graph=True)
    assert_same(g_ours, g_theirs, what="gradient")
    if not g_theirs.requires_grad:
        assert not g_ours.requires_grad
        return
    (gg_ours,) = ourdl.autograd.grad((g_ours * g_ours).sum(), ours)
    (gg_theirs,) = torch.autograd.grad((g_theirs * g_theirs).sum(), theirs)
    assert_same(gg_ours, gg_theirs, what="second derivative")


def test_a_single_element_is_a_view_like_torch():
    for lib in (ourdl, torch):
        b = lib.zeros(2, 3)
        element, through_reshape = b[0, 1], b.reshape(6)[5]
        b[0, 1] = 5.0
        b[1, 2] = 7.0
        assert (element.item(), through_reshape.item(), element.dim()) == (5.0, 7.0, 0)


def test_gradcheck_through_copy_slices():
    def f(x, v):
        b = x.sin()
        b[1:, ::2].mul_(v)
        return b * b.sum()

    x = ourdl.randn(3, 4, dtype=ourdl.float64, requires_grad=True)
    v = ourdl.randn(2, 2, dtype=ourdl.float64, requires_grad=True)
    assert gradcheck(f, (x, v))
    assert gradgradcheck(f, (x, v))


def test_node_names_like_torch():
    for lib in (ourdl, torch):
        x = lib.ones(4, requires_grad=True)
        base = x * 1
        view = base[1:3]
        view.mul_(2)
        assert (base.grad_fn.name().removeprefix("torch::autograd::"), view.grad_fn.name()) == (
            "CopySlices", "AsStridedBackward0")
    b = ourdl.ones(4, requires_grad=True) * 1
    later = b[:2]
    b.add_(1)
    assert later.grad_fn.name() == "AsStridedBackward0" and later.requires_grad


def test_view_of_a_leaf_that_requires_grad_is_refused_like_torch():
    for lib in (ourdl, torch):
        x = lib.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
            x[0:2].mul_(2)
        with lib.no_grad():
            x[0:2].mul_(2)  # allowed outside the graph
        assert x.tolist() == [2.0, 2.0, 1.0]


def test_view_made_under_no_grad_changed_in_place_with_grad_is_refused():
    for lib in (ourdl, torch):
        y = lib.ones(3, requires_grad=True) * 2
        with lib.no_grad():
            v = y[0:2]
        with pytest.raises(RuntimeError, match="created in no_grad mode"):
            v.mul_(3)


def test_saved_value_changed_through_a_view_still_caught():
    x = ourdl.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    z = y.sin()  # saves y
    y[0:2].mul_(0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_bad_in_place_on_a_view_leaves_the_base_untouched():
    x = ourdl.ones(4, 3, requires_grad=True)
    b = x * 1
    version = b._version.value
    with pytest.raises(RuntimeError, match=r"add_: output with shape \[3\] doesn't match the broadcast shape \[2, 3\]"):
        b[0].add_(ourdl.ones(2, 3))
    assert b._version.value == version and b.grad_fn.name() == "MulBackward0" and bool((b == 1).all())


_SLICES = st.tuples(st.integers(0, 2), st.integers(1, 3), st.integers(1, 2))


@settings(max_examples=60, deadline=None)
@given(rows=_SLICES, columns=_SLICES, transpose=st.booleans(), fortran=st.booleans())
def test_window_finds_every_element_of_a_view(rows, columns, transpose, fortran):
    base = np.arange(30.0).reshape(5, 6)
    if fortran:
        base = np.asfortranarray(base)
    view = base[rows[0]:rows[0] + rows[1] * rows[2]:rows[2], columns[0]:columns[0] + columns[1] * columns[2]:columns[2]]
    view = view.T if transpose else view
    assert np.array_equal(base[window(view, base)], view)


@settings(max_examples=40, deadline=None)
@given(start=st.integers(0, 3), step=st.integers(1, 3), factor=st.floats(-3, 3, allow_nan=False))
def test_random_view_changes_like_torch(start, step, factor):
    ours, theirs = both(np.random.default_rng(start * 7 + step).standard_normal((5, 4)))
    results = []
    for lib, x in ((ourdl, ours), (torch, theirs)):
        b = x.sin()
        b[start::step, 1:].mul_(factor)
        (b * b).sum().backward()
        results.append(x.grad)
    assert_same(*results, what="gradient")


# Random programs: a chain of views of an intermediate, in-place changes through some of them, then a loss
# that reads the base and the views; values and gradients must be PyTorch's.
_VIEWS = {
    "rows": lambda t: t[1:],
    "every other column": lambda t: t[:, ::2],
    "transpose": lambda t: t.t(),
    "row 0": lambda t: t[0],
    "flat": lambda t: t.reshape(-1),
}
_CHANGES = {
    "mul_": lambda lib, v, x: v.mul_(x.sum() * 0.5),
    "add_": lambda lib, v, x: v.add_(x.mean()),
    "zero_": lambda lib, v, x: v.zero_(),
    "sin then set": lambda lib, v, x: v.__setitem__(0, v[-1].sin() * x[0, 0]),
    "copy_": lambda lib, v, x: v.copy_(v.cos() * 2 + x.max()),
    "none": lambda lib, v, x: v,
}


def _program(lib, x, steps):
    base = x * 1.5
    views = []
    for view_names, change in steps:
        view = base
        for name in view_names:
            if view.dim() < 2 and name in ("every other column", "transpose", "row 0"):
                continue
            view = _VIEWS[name](view)
        _CHANGES[change](lib, view, x)
        views.append(view)
    return (base * base).sum() + sum((v * v).sum() for v in views)


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(st.tuples(st.lists(st.sampled_from(sorted(_VIEWS)), min_size=0, max_size=2),
                                st.sampled_from(sorted(_CHANGES))), min_size=1, max_size=3))
def test_random_programs_of_views_and_in_place_changes_like_torch(steps):
    ours, theirs = both(np.random.default_rng(len(steps)).standard_normal((4, 4)))
    out_theirs = _program(torch, theirs, steps)
    out_ours = _program(ourdl, ours, steps)
    assert_same(out_ours, out_theirs, what="output")
    try:
        out_theirs.backward()
    except RuntimeError as error:  # a value backward needs was changed in place
        assert "modified by an inplace operation" in str(error)
        try:
            out_ours.backward()
        except RuntimeError as ours:
            assert "modified by an inplace operation" in str(ours)
        else:  # PyTorch also visits values that only get zero gradients (the old value under a copy_); we don't
            assert gradcheck(lambda t: _program(ourdl, t, steps), (ours.detach().requires_grad_(),))
        return
    out_ours.backward()
    assert_same(ours.grad, theirs.grad, what="gradient")
