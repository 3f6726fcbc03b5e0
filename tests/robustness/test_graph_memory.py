"""A graph's memory is freed when PyTorch frees it: saved values at ``backward()`` (unless ``retain_graph=True``),
and a forward pass that never runs backward by reference counting alone, with no cycle left for the collector."""

import gc
import tracemalloc
import weakref

import numpy as np
import pytest

import ourdl
import ourdl.kernels
import ourdl.nn.functional as F
from tests.oracle import torch

MB = 1e6


def _chain(x, length):
    y = x
    for _ in range(length):
        y = F.gelu((y * 1.01).tanh())
    return y.sum()


@pytest.fixture
def no_collector():
    _chain(ourdl.randn(500, 500, requires_grad=True), 1).backward()  # kernels compiled before memory is counted
    ourdl.kernels.wait()
    gc.collect()
    gc.disable()
    tracemalloc.start()
    yield
    tracemalloc.stop()
    gc.enable()


def test_backward_frees_the_saved_values(no_collector):
    x = ourdl.randn(500, 500, requires_grad=True)  # 1 MB
    loss = _chain(x, 20)
    held_by_graph = tracemalloc.get_traced_memory()[0]
    assert held_by_graph > 40 * MB
    loss.backward()
    # x, its gradient, and the kept loss: what PyTorch keeps too
    assert tracemalloc.get_traced_memory()[0] < 4 * MB


def test_a_second_backward_is_refused_as_in_pytorch():
    for lib in (ourdl, torch):
        x = lib.ones(3, requires_grad=True)
        loss = (x.exp() * 2).sum()
        loss.backward()
        with pytest.raises(RuntimeError, match="backward through the graph a second time"):
            loss.backward()


def test_retain_graph_keeps_it_and_backward_twice_accumulates():
    grads = []
    for lib, gelu in ((ourdl, F.gelu), (torch, torch.nn.functional.gelu)):
        x = lib.tensor([0.5, -1.0], requires_grad=True)
        loss = gelu(x).sum()
        loss.backward(retain_graph=True)
        loss.backward()
        grads.append(x.grad.tolist())
    assert grads[0] == pytest.approx(grads[1], rel=1e-6)


def test_a_node_that_saved_nothing_runs_backward_twice_as_in_pytorch():
    for lib in (ourdl, torch):
        x = lib.ones(2, requires_grad=True)
        loss = (x + 1).sum()
        loss.backward()
        loss.backward()
        assert x.grad.tolist() == [2.0, 2.0]


def test_a_forward_without_backward_is_freed_by_reference_counting(no_collector):
    x = ourdl.randn(500, 500, requires_grad=True)
    for _ in range(10):
        loss = _chain(x, 10)
    del loss
    assert tracemalloc.get_traced_memory()[0] < 3 * MB  # nothing waits for gc.collect()
    assert gc.collect() == 0 or tracemalloc.get_traced_memory()[0] < 3 * MB


def test_an_intermediate_no_op_saved_is_freed_during_the_forward_pass():
    """A node keeps its inputs' arrays, not the tensors: ``y * 2`` saves nothing of ``y``, so once the code drops
    ``y`` the tensor object is gone at once (fewer objects for the cyclic collector in long graphs), and backward
    still gives PyTorch's gradient."""
    x = ourdl.tensor([0.5, -1.0], dtype=ourdl.float64, requires_grad=True)
    y = x.sin()
    watch = weakref.ref(y)
    z = (y * 2).sum()
    del y
    assert watch() is None
    z.backward()
    xt = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    (xt.sin() * 2).sum().backward()
    assert x.grad.tolist() == xt.grad.tolist()


def test_a_user_function_saving_its_output_makes_no_cycle(no_collector):
    class Exp(ourdl.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    x = ourdl.randn(500, 500, requires_grad=True)
    before = tracemalloc.get_traced_memory()[0]
    y = Exp.apply(x)
    del y
    assert tracemalloc.get_traced_memory()[0] - before < 0.1 * MB
    x2 = ourdl.tensor(0.5, dtype=ourdl.float64, requires_grad=True)
    assert ourdl.autograd.gradgradcheck(Exp.apply, x2)


def test_higher_derivatives_read_a_saved_output_after_the_output_is_dropped():
    x = ourdl.tensor([0.3, -0.7], dtype=ourdl.float64, requires_grad=True)
    g = ourdl.autograd.grad(x.tanh().sum(), x, create_graph=True)[0]  # tanh's output is dropped, its node saved it
    (gg,) = ourdl.autograd.grad(g.sum(), x)
    xt = torch.tensor([0.3, -0.7], dtype=torch.float64, requires_grad=True)
    gt = torch.autograd.grad(xt.tanh().sum(), xt, create_graph=True)[0]
    assert gg.tolist() == pytest.approx(torch.autograd.grad(gt.sum(), xt)[0].tolist(), rel=1e-12)


def test_an_output_changed_in_place_is_still_caught():
    x = ourdl.ones(2, requires_grad=True)
    y = x.exp()
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_backward_frees_what_only_the_graph_held_and_leaves_what_the_user_holds():
    x = ourdl.tensor([0.5, -1.0], requires_grad=True)
    kept = x * 2
    loss = (kept.sin() * 3).sum()  # sin's output is held by the graph alone
    product = loss.grad_fn.next_functions[0][0]
    loss.backward()
    assert kept.tolist() == [1.0, -2.0]
    assert np.isnan(product.inputs[0]).all() and product.inputs[0].shape == (2,)  # its memory is given back
    assert product.next_functions[0][0].name() == "SinBackward0"  # its history stays, for drawings


def test_a_saved_output_read_under_create_graph_survives_its_consumer_freeing_the_graph():
    values = [0.3, -0.7]
    x = ourdl.tensor(values, dtype=ourdl.float64, requires_grad=True)
    (g,) = ourdl.autograd.grad(x.tanh().sum(), x, create_graph=True, retain_graph=False)
    xt = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    (gt,) = torch.autograd.grad(xt.tanh().sum(), xt, create_graph=True, retain_graph=False)
    assert g.tolist() == pytest.approx(gt.tolist(), rel=1e-12)
