"""``ourdl.autograd.functional`` against ``torch.autograd.functional``: values, nesting and second order."""

import numpy as np
import pytest

import ourdl
from ourdl.autograd import functional as F
from tests.oracle import assert_same, torch

TF = torch.autograd.functional
rng = np.random.default_rng(0)
X = rng.normal(size=3)
Y = rng.normal(size=(2, 3))
V3 = rng.normal(size=3)


def _both(*arrays):
    return tuple(ourdl.tensor(a) for a in arrays), tuple(torch.tensor(a) for a in arrays)


def _same_tree(ours, theirs, what="result"):
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs), what
        for i, (a, b) in enumerate(zip(ours, theirs)):
            _same_tree(a, b, f"{what}[{i}]")
    else:
        assert isinstance(ours, ourdl.Tensor), what
        assert_same(ours, theirs, what=what)


def pair(ours_lib):
    """Functions written once, run with either library."""
    return {
        "square": lambda x: x ** 2,
        "mix": lambda x: ours_lib.sin(x) * x.sum() + ours_lib.exp(x[:2]).sum(),
        "matrix": lambda w: ours_lib.tanh(w @ w.t()),
        "scalar": lambda x: (x ** 3).sum() + (x[0] * x[1]) ** 2,
    }


OURS, THEIRS = pair(ourdl), pair(torch)


@pytest.mark.parametrize("name,array", [("square", X), ("mix", X), ("matrix", Y), ("scalar", X)])
def test_jacobian_of_one_input(name, array):
    (a,), (b,) = _both(array)
    _same_tree(F.jacobian(OURS[name], a), TF.jacobian(THEIRS[name], b))


def test_jacobian_of_tuples():
    def fn(lib):
        return lambda a, b: (a * b, (a ** 2).sum() + lib.exp(b).sum())
    ours_in, theirs_in = _both(X, V3)
    _same_tree(F.jacobian(fn(ourdl), ours_in), TF.jacobian(fn(torch), theirs_in))
    _same_tree(F.jacobian(lambda a, b: a * b, ours_in), TF.jacobian(lambda a, b: a * b, theirs_in))


def test_unused_input_gives_zeros_and_strict_refuses():
    ours_in, theirs_in = _both(X, V3)
    _same_tree(F.jacobian(lambda a, b: a * 2, ours_in), TF.jacobian(lambda a, b: a * 2, theirs_in))
    with pytest.raises(RuntimeError, match="independent of input 1"):
        F.jacobian(lambda a, b: a * 2, ours_in, strict=True)
    (a,), (b,) = _both(X)
    _same_tree(F.jacobian(lambda x: x.sum() * 0 + 1.0, a), TF.jacobian(lambda x: x.sum() * 0 + 1.0, b))


@pytest.mark.parametrize("name", ["scalar", "mix_sum"])
def test_hessian(name):
    (a,), (b,) = _both(X)
    ours = OURS.get(name) or (lambda x: OURS["mix"](x).sum())
    theirs = THEIRS.get(name) or (lambda x: THEIRS["mix"](x).sum())
    _same_tree(F.hessian(ours, a), TF.hessian(theirs, b))


def test_hessian_of_tuple_inputs():
    def fn(lib):
        return lambda a, b: (lib.tanh(a) * b).sum() + (a ** 2 * b[0]).sum()
    ours_in, theirs_in = _both(X, V3)
    _same_tree(F.hessian(fn(ourdl), ours_in), TF.hessian(fn(torch), theirs_in))


def test_hessian_of_a_tiny_network_through_several_activations():
    w1, w2, x = rng.normal(size=(4, 3)), rng.normal(size=(1, 4)), rng.normal(size=(5, 3))

    def net(lib, act):
        def loss(a, b):
            hidden = act(lib)(lib.tensor(x) @ a.t())
            return ((hidden @ b.t()).sigmoid() ** 2).mean()
        return loss

    activations = {"tanh": lambda lib: lib.tanh, "sigmoid": lambda lib: lib.sigmoid,
                   "softplus": lambda lib: lib.nn.functional.softplus, "gelu": lambda lib: lib.nn.functional.gelu,
                   "elu": lambda lib: lib.nn.functional.elu, "silu": lambda lib: lib.nn.functional.silu}
    for act in activations.values():
        ours_in, theirs_in = _both(w1, w2)
        _same_tree(F.hessian(net(ourdl, act), ours_in), TF.hessian(net(torch, act), theirs_in))


@pytest.mark.parametrize("fn_name", ["vjp", "jvp"])
def test_vjp_and_jvp(fn_name):
    (a,), (b,) = _both(X)
    (v,), (tv,) = _both(V3)
    _same_tree(getattr(F, fn_name)(OURS["mix"], a, v), getattr(TF, fn_name)(THEIRS["mix"], b, tv))
    ours_in, theirs_in = _both(X, V3)
    vs, tvs = _both(V3, X)
    func = lambda lib: (lambda p, q: (p * q, lib.sin(p)))  # noqa: E731
    if fn_name == "vjp":
        _same_tree(F.vjp(func(ourdl), ours_in, vs), TF.vjp(func(torch), theirs_in, tvs))
    else:
        _same_tree(F.jvp(func(ourdl), ours_in, vs), TF.jvp(func(torch), theirs_in, tvs))


@pytest.mark.parametrize("fn_name", ["hvp", "vhp"])
def test_hessian_vector_products(fn_name):
    (a,), (b,) = _both(X)
    (v,), (tv,) = _both(V3)
    _same_tree(getattr(F, fn_name)(OURS["scalar"], a, v), getattr(TF, fn_name)(THEIRS["scalar"], b, tv))


def test_v_may_be_omitted_only_for_one_element():
    (a,), (b,) = _both(X)
    _same_tree(F.vjp(lambda x: x.sum(), a), TF.vjp(lambda x: x.sum(), b))
    with pytest.raises(RuntimeError, match="single Tensor with a single element"):
        F.vjp(lambda x: x * 2, a)
    with pytest.raises(RuntimeError, match="single element"):
        F.jvp(lambda x: x * 2, a)


def test_create_graph_keeps_results_differentiable():
    a = ourdl.tensor(X, requires_grad=True)
    b = torch.tensor(X, requires_grad=True)
    ours = F.jacobian(lambda x: x ** 3, a, create_graph=True)
    theirs = TF.jacobian(lambda x: x ** 3, b, create_graph=True)
    assert ours.requires_grad and theirs.requires_grad
    ours.sum().backward()
    theirs.sum().backward()
    assert_same(a.grad, b.grad)
    plain = F.jacobian(lambda x: x ** 3, a)
    assert not plain.requires_grad and a.grad_fn is None


def test_inputs_must_be_tensors():
    with pytest.raises(TypeError, match="must be a Tensor"):
        F.jacobian(lambda x: x, [1.0])
