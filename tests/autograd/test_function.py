"""User-defined ops with ``Function``: the documented pattern works, including second derivatives."""

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
    assert y.tolist() == [8.0] and y.grad_fn.name() == "CubeBackward0"


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


def test_node_describes_every_tensor_input():
    """Graph drawings read ``inputs`` (tensors needing grad) and ``input_meta`` (every tensor's shape, dtype)."""
    w = ourdl.ones(3, 2, requires_grad=True)
    x = ourdl.ones(4, 3, dtype=ourdl.float32)
    node = (x @ w).grad_fn
    assert node.inputs == (None, w)
    assert node.input_meta == ((x.shape, np.dtype(np.float32)), (w.shape, np.dtype(np.float32)))


def test_backward_releases_the_arguments_but_keeps_their_description():
    """A kept loss (``losses.append(loss)``) must not keep every batch alive once backward has run."""
    import weakref

    w = ourdl.ones(3, 2, requires_grad=True)
    x = ourdl.ones(4, 3)
    loss = (x @ w).sum()
    node = loss.grad_fn.next_functions()[0]
    watch = weakref.ref(x)
    loss.backward()
    del x
    assert watch() is None
    assert node.input_meta == (((4, 3), np.dtype(np.float32)), ((3, 2), np.dtype(np.float32)))


ZERO_D_RESULTS = {
    "sqrt": lambda x: (x * x).sum().sqrt(), "exp": lambda x: (x * x).sum().exp(),
    "rsqrt": lambda x: (x * x).sum().rsqrt(), "reciprocal": lambda x: (x * x).sum().reciprocal(),
    "tanh": lambda x: x.sum().tanh(), "sigmoid": lambda x: x.sum().sigmoid(), "std": lambda x: x.std(),
    "norm": lambda x: x.norm(), "logsumexp": lambda x: x.logsumexp(0),
}


@pytest.mark.parametrize("name", sorted(ZERO_D_RESULTS))
def test_second_derivatives_through_a_kept_0d_output_match_torch(name):
    # NumPy returns a scalar, not an array, for a 0-d result: the node must still know it kept its own output
    array = np.random.default_rng(0).standard_normal(3)
    results = []
    for lib in (ourdl, torch):
        x = lib.tensor(array, requires_grad=True)
        (g,) = lib.autograd.grad(ZERO_D_RESULTS[name](x), x, create_graph=True)
        results.append(lib.autograd.grad((g * g).sum(), x)[0])
    assert_same(*results, what="second derivative")
