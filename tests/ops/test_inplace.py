"""In-place ops: values like PyTorch, the leaf and version-counter errors, and gradients through them."""

import numpy as np
import pytest

import ourdl
from tests.oracle import assert_same, both, check, torch

INPLACE = {
    "add_": lambda t: t.add_(2.0),
    "add_ alpha": lambda t: t.add_(t.detach().clone(), alpha=0.5),
    "sub_": lambda t: t.sub_(1.5),
    "mul_": lambda t: t.mul_(3.0),
    "div_": lambda t: t.div_(4.0),
    "pow_": lambda t: t.pow_(2),
    "clamp_": lambda t: t.clamp_(-0.5, 0.5),
    "fill_": lambda t: t.fill_(7.0),
    "zero_": lambda t: t.zero_(),
    "copy_": lambda t: t.copy_(t.detach().clone() * 2),
    "iadd": lambda t: t.__iadd__(1.0),
    "isub": lambda t: t.__isub__(1.0),
    "imul": lambda t: t.__imul__(2.0),
    "itruediv": lambda t: t.__itruediv__(2.0),
    "masked_fill_": lambda t: t.masked_fill_(t > 0, 0.0),
}


@pytest.mark.parametrize("case", sorted(INPLACE))
def test_inplace_values_like_torch(case):
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    ours, theirs = both(x, requires_grad=False)
    result = INPLACE[case](ours)
    INPLACE[case](theirs)
    assert result is ours
    assert_same(ours, theirs)


@pytest.mark.parametrize("case", sorted(INPLACE))
def test_inplace_on_non_leaf_has_gradients_like_torch(case):
    x = np.random.default_rng(1).standard_normal((3, 4))

    def fn(t):
        y = t * 1.5
        INPLACE[case](y)
        return y * t

    check(fn, fn, x)


@pytest.mark.parametrize("case", sorted(INPLACE))
def test_inplace_on_leaf_requiring_grad_refused(case):
    x = ourdl.ones(2, 2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad.*in-place.*no_grad"):
        INPLACE[case](x)


def test_inplace_on_leaf_allowed_under_no_grad():
    w = ourdl.ones(3, requires_grad=True)
    with ourdl.no_grad():
        w -= 0.5
        w.mul_(2)
    assert w.tolist() == [1.0, 1.0, 1.0] and w.requires_grad and w.is_leaf


def test_version_counter_error_when_saved_tensor_changed():
    x = ourdl.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    z = y * y
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation.*version 1; expected version 0"):
        z.sum().backward()
    theirs = torch.tensor([1.0, 2.0], requires_grad=True)
    ty = theirs.exp()
    tz = ty * ty
    ty.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        tz.sum().backward()


def test_version_counter_seen_through_views():
    x = ourdl.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    z = y.sin()
    with ourdl.no_grad():
        y[0:2].mul_(0)  # a view of y: same version counter
    with pytest.raises(RuntimeError, match="inplace"):
        z.sum().backward()


def test_unsaved_tensor_may_change():
    x = ourdl.tensor([1.0, 2.0], requires_grad=True)
    y = x + 1  # add saves nothing
    z = y * 3
    y.add_(1)
    z.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_version_increments():
    x = ourdl.zeros(2)
    v = x._version_value
    x.add_(1)
    x[0] = 2
    x.zero_()
    assert x._version_value == v + 3


def test_inplace_on_expanded_view_refused():
    x = ourdl.ones(1, 3).expand(2, 3)
    with pytest.raises(RuntimeError, match="clone"):
        x.add_(1)


def test_inplace_dtype_rules():
    x = ourdl.tensor([1, 2])
    with pytest.raises(RuntimeError, match="can't be cast"):
        x.add_(0.5)
    y = ourdl.ones(2)
    y.add_(ourdl.tensor([1, 2]))
    assert y.dtype == ourdl.float32 and y.tolist() == [2.0, 3.0]


def test_inplace_shape_error():
    with pytest.raises(RuntimeError, match=r"output with shape \[3\].*broadcast shape \[2, 3\]"):
        ourdl.ones(3).add_(ourdl.ones(2, 3))


def test_grad_zeroing_idioms():
    x = ourdl.ones(2, requires_grad=True)
    (x * 3).sum().backward()
    x.grad.zero_()
    assert x.grad.tolist() == [0.0, 0.0]
    (x * 3).sum().backward()
    x.grad.data.zero_()
    assert x.grad.tolist() == [0.0, 0.0]


def test_optimiser_style_update_writes_in_place_with_broadcasting():
    p = ourdl.ones(2, 3, requires_grad=True)
    memory = p._data
    g = ourdl.tensor([1.0, 2.0, 3.0])
    with ourdl.no_grad():
        p.add_(g, alpha=-0.5)
        p.mul_(2)
        p.sub_(1)
    assert p._data is memory and p.requires_grad and p.is_leaf
    assert p.tolist() == [[0.0, -1.0, -2.0]] * 2
    with pytest.raises(RuntimeError, match=r"output with shape \[3\].*\[2\]|broadcast"):
        ourdl.ones(3).add_(ourdl.ones(2))


# Ops whose inputs or output are changed in place after use. PyTorch refuses backward when a value it kept
# was changed; ours must never refuse where PyTorch works (and then give its gradient). Where PyTorch refuses,
# ours either refuses too or (keeping a private copy) gives the gradient of the computation as it ran.
AFTER_USE = {
    "pow": lambda lib, a, b: a ** 2, "pow tensor": lambda lib, a, b: a.abs() ** b, "mul": lambda lib, a, b: a * b,
    "div": lambda lib, a, b: a / b, "matmul": lambda lib, a, b: a @ b.t(), "exp": lambda lib, a, b: a.exp(),
    "sin": lambda lib, a, b: a.sin(), "sum": lambda lib, a, b: a.sum(1), "amax": lambda lib, a, b: a.amax(1),
    "var": lambda lib, a, b: a.var(1), "logsumexp": lambda lib, a, b: a.logsumexp(1),
    "cross_entropy": lambda lib, a, b: lib.nn.functional.cross_entropy(a, lib.tensor([0, 1, 2])),
    "mse_loss": lambda lib, a, b: lib.nn.functional.mse_loss(a, b),
    "linear": lambda lib, a, b: lib.nn.functional.linear(a, b),
    "layer_norm": lambda lib, a, b: lib.nn.functional.layer_norm(a, (3,)),
}


def _after_use(lib, op, changed, x, w, in_place=True):
    """The gradients of ``(y * 1.5).sum()`` with ``changed`` doubled after ``y = op(a, b)``: in place, or out of
    place (the same computation without the in-place change); None when backward refuses."""
    a, b = x * 1, w * 1
    y = AFTER_USE[op](lib, a, b)
    if in_place:
        {"first input": a, "second input": b, "output": y}[changed].mul_(2)
    elif changed == "output":
        y = y * 2
    try:
        (y * 1.5).sum().backward()
    except RuntimeError as error:
        assert "modified by an inplace operation" in str(error)
        return None
    return x.grad, w.grad


@pytest.mark.parametrize("changed", ["first input", "second input", "output"])
@pytest.mark.parametrize("op", sorted(AFTER_USE))
def test_changes_after_use_refused_only_where_torchs_are(op, changed):
    data = [np.random.default_rng(s).standard_normal((3, 3)) + 0.1 for s in (0, 1)]
    ours = _after_use(ourdl, op, changed, *(ourdl.tensor(d, requires_grad=True) for d in data))
    theirs = _after_use(torch, op, changed, *(torch.tensor(d, requires_grad=True) for d in data))
    if theirs is not None:
        assert ours is not None, "refused where PyTorch's backward works"
        expected = theirs
    elif ours is None:
        return
    else:  # PyTorch refuses; ours must give the gradient of the computation as it ran
        expected = _after_use(torch, op, changed, *(torch.tensor(d, requires_grad=True) for d in data), in_place=False)
    for mine, reference in zip(ours, expected):
        if reference is None:
            assert mine is None or not np.any(mine.numpy())
        else:
            assert_same(mine, reference)
