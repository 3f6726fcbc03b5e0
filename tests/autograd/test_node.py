"""``Node``: what graph drawings read from every node (its tensor inputs and their description), and what it
keeps once backward has run."""

import weakref

import numpy as np
import pytest

import ourdl
from tests.oracle import assert_same, torch


def test_node_describes_every_tensor_input():
    """Graph drawings read ``inputs`` (the arrays of tensors needing grad) and ``input_meta`` (every tensor's shape
    and dtype)."""
    w = ourdl.ones(3, 2, requires_grad=True)
    x = ourdl.ones(4, 3, dtype=ourdl.float32)
    node = (x @ w).grad_fn
    assert node.inputs[0] is None and node.inputs[1] is w._data
    assert node.input_meta == ((x.shape, np.dtype(np.float32)), (w.shape, np.dtype(np.float32)))


def test_backward_releases_the_arguments_but_keeps_their_description():
    """A kept loss (``losses.append(loss)``) must not keep every batch alive once backward has run."""
    w = ourdl.ones(3, 2, requires_grad=True)
    x = ourdl.ones(4, 3)
    loss = (x @ w).sum()
    node = loss.grad_fn.next_functions[0][0]
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
