"""What the pooling tests share: inputs full of ties, infinities and NaN, and a side-by-side run against PyTorch that
compares values, indices and gradients, or the exception both raise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import strategies as st

import ourdl
from tests.oracle import assert_same, torch

DTYPES = (np.float32, np.float64)


@st.composite
def images(draw, spatial: int, max_size: int = 8, specials: tuple = (-np.inf, np.inf, np.nan)):
    """An array ``(N, C, *spatial)`` or ``(C, *spatial)`` of small integers (many ties), sometimes with a few of the
    ``specials``; float32 or float64."""
    batched = draw(st.booleans())
    shape = ((draw(st.integers(0, 2)),) if batched else ()) + (draw(st.integers(1, 3)),) + \
        tuple(draw(st.integers(1, max_size)) for _ in range(spatial))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    x = rng.integers(-3, 4, size=shape).astype(draw(st.sampled_from(DTYPES)))
    if specials and x.size and draw(st.booleans()):
        flat = x.reshape(-1)
        for value in specials:
            flat[rng.integers(0, flat.size, size=rng.integers(0, 3))] = value
    if not specials or draw(st.booleans()):  # distinct values too, where the order of the sum matters
        x = x + rng.standard_normal(shape).astype(x.dtype) * 0.25
    return x


@st.composite
def windows(draw, spatial: int, dilation: bool = False):
    """Pooling arguments: ``kernel_size``, ``stride`` (sometimes None), ``padding`` (at most half the kernel),
    ``ceil_mode``, and ``dilation`` if asked; each an int or (in 2-d) a pair."""
    def sizes(low, high):
        one = st.integers(low, high)
        return one if spatial == 1 else st.one_of(one, st.tuples(one, one))

    kernel = draw(sizes(1, 4))
    smallest = min(kernel) if isinstance(kernel, tuple) else kernel
    arguments = dict(kernel_size=kernel, stride=draw(st.one_of(st.none(), sizes(1, 3))),
                     padding=draw(sizes(0, smallest // 2)), ceil_mode=draw(st.booleans()))
    if dilation:
        arguments["dilation"] = draw(sizes(1, 2))
    return arguments


def compare(ours_fn, torch_fn, x: np.ndarray, *, indices: bool = False, grad: bool = True):
    """Run both on ``x``: the same exception type, or the same values (and indices) and the same gradient of a
    random upstream gradient."""
    ours_x = ourdl.tensor(x, requires_grad=grad)
    theirs_x = torch.tensor(x, requires_grad=grad)
    try:
        expected = torch_fn(theirs_x)
    except Exception as error:  # noqa: BLE001  (whatever PyTorch raises, ourdl must raise the same type)
        with pytest.raises(type(error)):
            ours_fn(ours_x)
        return
    got = ours_fn(ours_x)
    if indices:
        (got, got_indices), (expected, expected_indices) = got, expected
        np.testing.assert_array_equal(got_indices.numpy(), expected_indices.numpy())
        assert got_indices.dtype == ourdl.int64
    assert_same(got, expected, what="forward")
    if not grad:
        return
    if expected.numel() == 0:  # PyTorch's adaptive max pooling refuses a gradient of no elements; ourdl's is zero
        got.sum().backward()
        assert ours_x.grad.shape == ours_x.shape and not ours_x.grad.numpy().any()
        return
    upstream = np.random.default_rng(0).standard_normal(tuple(expected.shape)).astype(x.dtype)
    got.backward(ourdl.tensor(upstream))
    expected.backward(torch.tensor(upstream))
    assert_same(ours_x.grad, theirs_x.grad, what="gradient")


def double_backward(ours_fn, torch_fn, x: np.ndarray):
    """Second derivatives through the op, float64: d/dx of the squared norm of d(op(x^2)^2)/dx . v, both sides."""
    try:
        if torch_fn(torch.tensor(x)).numel() == 0:  # nothing to differentiate (PyTorch refuses to)
            return
    except RuntimeError:  # the arguments are refused: compare() checks that ourdl refuses them too
        return
    results = []
    for lib, fn in ((ourdl, ours_fn), (torch, torch_fn)):
        t = lib.tensor(x, dtype=lib.float64, requires_grad=True)
        y = fn(t * t) ** 2
        v = lib.tensor(np.random.default_rng(1).standard_normal(tuple(y.shape)))
        (g,) = lib.autograd.grad(y, [t], v, create_graph=True)
        (second,) = lib.autograd.grad((g * g).sum(), [t])
        results.append(second)
    assert_same(*results, what="second derivative")


def nonfinite_gradient(ours_fn, torch_fn, x: np.ndarray):
    """The gradient of an upstream gradient holding inf, NaN and -inf: the same on both sides (float64)."""
    upstream = np.random.default_rng(5).standard_normal(tuple(torch_fn(torch.tensor(x)).shape))
    upstream.reshape(-1)[[0, 3, 7]] = [np.inf, np.nan, -np.inf]
    ours, theirs = ourdl.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours_fn(ours).backward(ourdl.tensor(upstream))
    torch_fn(theirs).backward(torch.tensor(upstream))
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-12)  # overlaps may add in another order
