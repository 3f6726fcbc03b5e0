"""gradcheck and gradgradcheck: they pass on correct gradients and catch wrong ones."""

import warnings

import numpy as np
import pytest

import ourdl
from ourdl.autograd import Function, gradcheck, gradgradcheck
from ourdl.autograd.gradcheck import GradcheckError


class WrongSquare(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x  # wrong: should be 2x


class SquareWithFirstOrderOnlyBackward(Function):
    """Right first derivative, but computed with NumPy on raw arrays: no second derivative."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        x = np.asarray(x)
        return g * ourdl.tensor(2 * x) if isinstance(g, ourdl.Tensor) else g * 2 * x


def _x(*shape, seed=0):
    return ourdl.tensor(np.random.default_rng(seed).standard_normal(shape), requires_grad=True)


def test_passes_on_composite_function():
    a, b = _x(3, 2), _x(2, seed=1)
    assert gradcheck(lambda x, y: (x * y).tanh().sum(1) / (y * y).sum(), (a, b))
    assert gradgradcheck(lambda x, y: (x * y).tanh().sum(1) / (y * y).sum(), (a, b))


def test_catches_a_wrong_first_derivative():
    with pytest.raises(GradcheckError, match="Jacobian mismatch.*input 0"):
        gradcheck(WrongSquare.apply, (_x(3),))
    assert gradcheck(WrongSquare.apply, (_x(3),), raise_exception=False) is False


def test_gradgradcheck_catches_a_missing_second_derivative():
    assert gradcheck(SquareWithFirstOrderOnlyBackward.apply, (_x(3),))
    with pytest.raises(GradcheckError):
        gradgradcheck(SquareWithFirstOrderOnlyBackward.apply, (_x(3),))


def test_several_outputs_and_non_differentiable_inputs():
    def fn(x, scale):
        return x.sin() * scale, x.exp().sum()

    assert gradcheck(fn, (_x(2, 2), 3.0))
    assert gradgradcheck(fn, (_x(2, 2), 3.0))


def test_float32_input_warns():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gradcheck(lambda t: t * 2, (ourdl.ones(2, requires_grad=True),), eps=1e-2, atol=1e-2)
    assert any("float64" in str(w.message) for w in caught)
