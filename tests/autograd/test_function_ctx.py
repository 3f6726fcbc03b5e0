"""A user ``Function``'s outputs and ctx methods, as in PyTorch: several outputs, non-differentiable outputs, an
input handed back or changed in place, ``setup_context``, ``once_differentiable``."""

import numpy as np
import pytest

import ourdl
from ourdl.autograd import Function
from ourdl.autograd.function import once_differentiable
from tests.oracle import assert_same, torch


def two_outputs(lib, materialize=True):
    class SinCos(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale):
            ctx.set_materialize_grads(materialize)
            ctx.save_for_backward(x)
            ctx.scale = scale
            return x.sin() * scale, x.cos()

        @staticmethod
        def backward(ctx, grad_sin, grad_cos):
            (x,) = ctx.saved_tensors
            seen.append((grad_sin is None, grad_cos is None))
            total = 0
            if grad_sin is not None:
                total = total + grad_sin * ctx.scale * x.cos()
            if grad_cos is not None:
                total = total - grad_cos * x.sin()
            return total, None

    seen = []
    return SinCos, seen


@pytest.mark.parametrize("materialize", [True, False])
@pytest.mark.parametrize("use", ["both", "first", "second"])
def test_several_outputs_each_get_their_gradient_like_torch(use, materialize):
    grads, seen_by = [], []
    for lib in (ourdl, torch):
        SinCos, seen = two_outputs(lib, materialize)
        x = lib.tensor([0.3, 1.2], dtype=lib.float64, requires_grad=True)
        s, c = SinCos.apply(x, 2.0)
        assert s.grad_fn is c.grad_fn
        loss = {"both": s.sum() * c.sum(), "first": (s * s).sum(), "second": c.sum()}[use]
        (g,) = lib.autograd.grad(loss, x, create_graph=True)
        grads.append(lib.autograd.grad(g.sum(), x)[0])
        grads.append(g)
        seen_by.append(seen)
    assert_same(grads[1], grads[3])
    assert_same(grads[0], grads[2])
    assert seen_by[0] == seen_by[1]


def test_several_outputs_show_their_index_in_next_functions_and_take_hooks():
    SinCos, _ = two_outputs(ourdl)
    x = ourdl.tensor([0.5], requires_grad=True)
    s, c = SinCos.apply(x, 1.0)
    assert (s * c).grad_fn.next_functions == ((s.grad_fn, 0), (c.grad_fn, 1))
    c.register_hook(lambda grad: grad * 0)
    c.retain_grad()
    (s + c).sum().backward()
    assert x.grad.tolist() == pytest.approx([np.cos(0.5)]) and c.grad.tolist() == [0.0]  # after the hook, as PyTorch


def test_non_tensor_arguments_and_next_functions_like_torch():
    class Scaled(Function):
        @staticmethod
        def forward(ctx, x, k, y):
            return x * k + y

        @staticmethod
        def backward(ctx, grad):
            return grad * 3, None, grad

    x, y = ourdl.ones(2, requires_grad=True), ourdl.ones(2)
    out = Scaled.apply(x, 3, y)
    ((accumulator, i), (nothing, j)) = out.grad_fn.next_functions
    assert accumulator.variable is x and (i, nothing, j) == (0, None, 0)
    out.sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_forward_runs_without_recording_on_the_given_tensors():
    class Probe(Function):
        @staticmethod
        def forward(ctx, x):
            seen.append((ourdl.is_grad_enabled(), x.requires_grad, ctx.needs_input_grad))
            y = x * 2
            seen.append(y.requires_grad)
            return y

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    seen = []
    y = Probe.apply(ourdl.ones(2, requires_grad=True))
    assert seen == [(False, True, (True,)), False] and y.requires_grad and y.grad_fn.name() == "ProbeBackward"


def test_non_differentiable_outputs_and_an_input_handed_back():
    class SortValues(Function):
        @staticmethod
        def forward(ctx, x):
            values, indices = x.sort()
            ctx.mark_non_differentiable(indices)
            ctx.save_for_backward(indices)
            return values, indices

        @staticmethod
        def backward(ctx, grad_values, grad_indices):
            (indices,) = ctx.saved_tensors
            assert grad_indices.tolist() == [0, 0, 0]
            out = ourdl.zeros_like(grad_values)
            out[indices] = grad_values
            return out

    class Identity(Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad

    x = ourdl.tensor([3.0, 1.0, 2.0], requires_grad=True)
    values, indices = SortValues.apply(x)
    assert not indices.requires_grad and values.requires_grad
    (values * ourdl.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert x.grad.tolist() == [3.0, 1.0, 2.0]
    same = Identity.apply(x)
    assert same is not x and same._base is x and same.grad_fn.name() == "IdentityBackward"


def test_mark_dirty_makes_the_node_the_history_of_the_changed_input():
    class Double_(Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    a = ourdl.ones(2, requires_grad=True)
    b = a * 1
    assert Double_.apply(b) is b and b.grad_fn.name() == "Double_Backward"
    b.sum().backward()
    assert a.grad.tolist() == [2.0, 2.0]
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        Double_.apply(ourdl.ones(2, requires_grad=True))


def test_setup_context_style():
    class Square(Function):
        @staticmethod
        def forward(x):
            return x * x

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * x * grad

    x = ourdl.tensor([3.0], requires_grad=True)
    Square.apply(x).sum().backward()
    assert x.grad.tolist() == [6.0]


def test_once_differentiable_gives_first_derivatives_and_refuses_second():
    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)  # its output: saved, it is the output with this node as grad_fn
            return y

        @staticmethod
        @once_differentiable
        def backward(ctx, grad):
            (y,) = ctx.saved_tensors
            assert not ourdl.is_grad_enabled() and y.grad_fn is ctx
            return ourdl.from_numpy(y.detach().numpy() * grad.detach().numpy())

    x = ourdl.tensor([0.0], requires_grad=True)
    (g,) = ourdl.autograd.grad(Exp.apply(x).sum(), x)
    assert g.tolist() == [1.0]
    (g,) = ourdl.autograd.grad((Exp.apply(x) ** 2).sum(), x, create_graph=True)
    with pytest.raises(RuntimeError, match="differentiate twice a function that was marked with @once_differentiable"):
        g.sum().backward()
