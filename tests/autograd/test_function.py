"""User-defined ops with ``Function``, written as for PyTorch: tensors in forward and backward, several outputs,
the ctx methods, second derivatives, PyTorch's errors."""

import numpy as np
import pytest

import ourdl
from ourdl.autograd import Function
from tests.oracle import assert_same, both, torch


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x ** 2


class ScaledAdd(Function):
    """Two tensor inputs, a non-tensor argument, broadcasting handled centrally."""

    @staticmethod
    def forward(ctx, a, b, scale):
        ctx.scale = scale
        return a + scale * b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad * ctx.scale, None


class TorchCube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x ** 2


def test_documented_example():
    y = Cube.apply(ourdl.tensor([2.0], requires_grad=True))
    assert y.tolist() == [8.0] and y.grad_fn.name() == "CubeBackward"


def test_user_function_first_and_second_derivative_like_torch():
    (x, tx) = both(np.array([0.5, -1.0, 2.0]))
    (g,) = ourdl.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
    (tg,) = torch.autograd.grad(TorchCube.apply(tx).sum(), tx, create_graph=True)
    assert_same(g, tg)
    g.sum().backward()
    tg.sum().backward()
    assert_same(x.grad, tx.grad)
    assert ourdl.autograd.gradgradcheck(Cube.apply, (ourdl.tensor([0.3, 1.2], dtype=ourdl.float64, requires_grad=True),))


def test_broadcasting_undone_centrally():
    a = ourdl.ones(2, 3, requires_grad=True)
    b = ourdl.ones(3, requires_grad=True)
    ScaledAdd.apply(a, b, 2.0).sum().backward()
    assert b.grad.tolist() == [4.0, 4.0, 4.0] and a.grad.shape == (2, 3)


def test_needs_input_grad_and_no_recording_without_grad():
    seen = {}

    class Probe(Function):
        @staticmethod
        def forward(ctx, a, b):
            seen["needs"] = ctx.needs_input_grad
            return a * b

        @staticmethod
        def backward(ctx, grad):
            return grad, grad

    out = Probe.apply(ourdl.ones(1, requires_grad=True), ourdl.ones(1))
    assert seen["needs"] == (True, False) and out.requires_grad
    assert not Probe.apply(ourdl.ones(1), ourdl.ones(1)).requires_grad
    with ourdl.no_grad():
        assert not Probe.apply(ourdl.ones(1, requires_grad=True), ourdl.ones(1)).requires_grad


def test_wrong_number_of_gradients():
    class TooFew(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, grad):
            return (grad,)

    with pytest.raises(RuntimeError, match="incorrect number of gradients.*expected 2, got 1"):
        TooFew.apply(ourdl.ones(1, requires_grad=True), ourdl.ones(1, requires_grad=True)).sum().backward()


def test_missing_forward_or_backward():
    class NoBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    y = NoBackward.apply(ourdl.ones(1, requires_grad=True))
    with pytest.raises(NotImplementedError, match="backward"):
        y.sum().backward()


def tutorial_functions(lib):
    """PyTorch's tutorial examples (custom ReLU, LegendrePolynomial3), written once for either library."""

    class MyReLU(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return input.clamp(min=0)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            grad_input = grad_output.clone()
            grad_input[input < 0] = 0
            return grad_input

    class LegendrePolynomial3(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input ** 2 - 1)

    return MyReLU, LegendrePolynomial3


def test_tutorial_polynomial_fit_matches_torch():
    results = []
    for lib in (ourdl, torch):
        _, P3 = tutorial_functions(lib)
        x = lib.linspace(-np.pi, np.pi, 200, dtype=lib.float64)
        y = lib.sin(x)
        a, b, c, d = (lib.full((), v, dtype=lib.float64, requires_grad=True) for v in (0.0, -1.0, 0.0, 0.3))
        for _ in range(20):
            loss = (a + b * P3.apply(c + d * x) - y).pow(2).sum()
            loss.backward()
            with lib.no_grad():
                for p in (a, b, c, d):
                    p -= 5e-6 * p.grad
                    p.grad = None
        results.append([a, b, c, d, loss])
    for ours, theirs in zip(*results):
        assert_same(ours, theirs)


@pytest.mark.parametrize("which", [0, 1], ids=["MyReLU", "LegendrePolynomial3"])
def test_tutorial_functions_first_and_second_derivatives_match_torch(which):
    x, tx = both(np.array([-1.5, -0.2, 0.4, 2.0]))
    f, tf = tutorial_functions(ourdl)[which], tutorial_functions(torch)[which]
    assert_same(f.apply(x), tf.apply(tx))
    (g,) = ourdl.autograd.grad((f.apply(x) * x).sum(), x, create_graph=True)
    (tg,) = torch.autograd.grad((tf.apply(tx) * tx).sum(), tx, create_graph=True)
    assert_same(g, tg)
    assert_same(*(lib.autograd.grad((h ** 2).sum(), v)[0] for lib, h, v in ((ourdl, g, x), (torch, tg, tx))))
    assert ourdl.autograd.gradcheck(f.apply, (ourdl.tensor([-0.7, 0.3, 1.1], dtype=ourdl.float64, requires_grad=True),))
    assert ourdl.autograd.gradgradcheck(f.apply, (ourdl.tensor([-0.7, 0.3, 1.1], dtype=ourdl.float64,
                                                               requires_grad=True),))

def bad_backward(result):
    class Bad(Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, grad):
            return result(grad)

    return Bad


@pytest.mark.parametrize("result,error,message", [
    (lambda g: g, RuntimeError, r"BadBackward returned an incorrect number of gradients \(expected 2, got 1\)"),
    (lambda g: (g, None, g), RuntimeError, r"incorrect number of gradients \(expected 2, got 3\)"),
    (lambda g: (g, g), RuntimeError, "different than None at position 2, but the corresponding forward input was not"),
    (lambda g: ("a", None), RuntimeError, "expected Tensor or None"),
    (lambda g: (ourdl.ones(3), None), RuntimeError, r"shape \[3\] cannot be reduced to the input shape \[2\]"),
])
def test_wrong_gradients_raise_like_torch(result, error, message):
    with pytest.raises(error, match=message):
        bad_backward(result).apply(ourdl.ones(2, requires_grad=True), 2.0).sum().backward()
    bad_backward(lambda g: (g * 2, None, None)).apply(ourdl.ones(2, requires_grad=True), 2.0).sum().backward()


def test_misuse_raises_like_torch():
    with pytest.raises(NotImplementedError, match="You must implement the forward function"):
        Function.apply(ourdl.ones(1))
    with pytest.raises(RuntimeError, match="Legacy autograd function"):
        Cube()(ourdl.ones(1))

    class SavesANumber(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, 3)
            return x

    with pytest.raises(TypeError, match="save_for_backward can only save variables, but argument 1 is of type int"):
        SavesANumber.apply(ourdl.ones(1, requires_grad=True))
    y = Cube.apply(ourdl.ones(1, requires_grad=True))
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_a_saved_output_gives_second_derivatives_like_torch():
    results = []
    for lib in (ourdl, torch):
        class Exp(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                y = x.exp()
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, grad):
                (y,) = ctx.saved_tensors
                return grad * y

        x = lib.tensor([0.2, -0.4], dtype=lib.float64, requires_grad=True)
        (g,) = lib.autograd.grad((Exp.apply(x) * x).sum(), x, create_graph=True)
        results.append((g, lib.autograd.grad(g.sum(), x)[0]))
    for ours, theirs in zip(*results):
        assert_same(ours, theirs)
