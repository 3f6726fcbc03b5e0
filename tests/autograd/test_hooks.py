"""Tensor hooks (register_hook, register_post_accumulate_grad_hook) against PyTorch: when they fire, what they
see, what their return value changes."""

import numpy as np
import pytest

import ourdl
from tests.oracle import assert_same, both, torch


def _trace(lib, x, seen):
    """A graph with hooks on a leaf, an intermediate used twice and the output; returns the output."""
    y = x * 3
    y.register_hook(lambda g: seen.append(("y first", g.detach().clone())))
    y.register_hook(lambda g: g * 10)
    y.register_hook(lambda g: seen.append(("y after", g.detach().clone())))
    y.retain_grad()
    out = (y * y + y.sin()).sum()
    out.register_hook(lambda g: seen.append(("out", g.detach().clone())))
    x.register_hook(lambda g: seen.append(("x", g.detach().clone())))
    x.register_post_accumulate_grad_hook(lambda p: seen.append(("x accumulated", p.grad.detach().clone())))
    return out, y


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hooks_fire_in_torch_order_with_torch_values(dtype):
    ours, theirs = both(np.random.default_rng(0).standard_normal(5).astype(dtype))
    traces = []
    for lib, x in ((ourdl, ours), (torch, theirs)):
        seen = []
        out, y = _trace(lib, x, seen)
        out.backward()
        traces.append((seen, x.grad, y.grad))
    (seen_ours, grad_ours, y_ours), (seen_theirs, grad_theirs, y_theirs) = traces
    assert [name for name, _ in seen_ours] == [name for name, _ in seen_theirs]
    for (name, a), (_, b) in zip(seen_ours, seen_theirs):
        assert_same(a, b, what=name)
    assert_same(grad_ours, grad_theirs, what="x.grad")
    assert_same(y_ours, y_theirs, what="y.grad (retain_grad sees the hooks' result)")


@pytest.mark.parametrize("wrt", ["x", "y"])
def test_hooks_change_what_autograd_grad_returns_like_torch(wrt):
    ours, theirs = both(np.array([0.5, -1.0, 2.0]))
    results = []
    for lib, x in ((ourdl, ours), (torch, theirs)):
        y = x.exp()
        y.register_hook(lambda g: g + 1)
        x.register_hook(lambda g: g * 2)
        results.append(lib.autograd.grad((y * x).sum(), {"x": x, "y": y}[wrt]))
    assert_same(results[0][0], results[1][0])


def test_hooks_under_create_graph_are_differentiated_like_torch():
    ours, theirs = both(np.array([0.3, 1.7]))
    seconds = []
    for lib, x in ((ourdl, ours), (torch, theirs)):
        y = x * x
        y.register_hook(lambda g: g * y)  # the hook's own operation enters the graph
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        seconds.append(lib.autograd.grad(g.sum(), x)[0])
    assert_same(*seconds, what="second derivative")


def test_removed_hook_no_longer_fires():
    x = ourdl.ones(2, requires_grad=True)
    calls = []
    handle = x.register_hook(lambda g: calls.append(1))
    (x * 2).sum().backward()
    handle.remove()
    (x * 2).sum().backward()
    assert calls == [1]
    with x.register_hook(lambda g: g * 0):
        (x * 2).sum().backward()
    assert x.grad.tolist() == [4.0, 4.0]  # 2 + 2 + 0: the hook applied only inside the with block


def test_hook_on_a_tensor_changed_in_place_later_keeps_its_node_like_torch():
    ours, theirs = both(np.array([1.0, 2.0]))
    grads = []
    for lib, x in ((ourdl, ours), (torch, theirs)):
        y = x * 1
        y.register_hook(lambda g: g * 100)
        y.mul_(2)
        y.sum().backward()
        grads.append(x.grad)
    assert_same(*grads)


def test_post_accumulate_hook_can_step_a_parameter():
    w = ourdl.tensor([1.0, 2.0], requires_grad=True)

    def step(p):
        with ourdl.no_grad():
            p -= 0.5 * p.grad
        p.grad = None

    w.register_post_accumulate_grad_hook(step)
    (w * w).sum().backward()
    assert w.tolist() == [0.0, 0.0] and w.grad is None


def test_hook_errors_are_clear():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        ourdl.ones(2).register_hook(print)
    x = ourdl.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="non-leaf"):
        (x * 2).register_post_accumulate_grad_hook(print)
    x.register_hook(lambda g: g.sum())
    with pytest.raises(RuntimeError, match=r"returned a gradient of shape \[\]; expected \[2\]"):
        (x * 2).sum().backward()
    y = ourdl.ones(2, requires_grad=True)
    y.register_hook(lambda g: g.numpy())
    with pytest.raises(TypeError, match="must return a Tensor or None, got ndarray"):
        (y * 2).sum().backward()
