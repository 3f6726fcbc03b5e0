"""The backward engine's rules, each checked against PyTorch where it has an answer."""

import sys

import numpy as np
import pytest

import ourdl
from tests.oracle import assert_same, both, torch


def test_gradients_accumulate_until_zeroed():
    ours, theirs = both(np.array([1.0, 2.0], dtype=np.float32))
    for t in (ours, theirs):
        (t * t).sum().backward()
        (t * 3).sum().backward()
    assert_same(ours.grad, theirs.grad)
    ours.grad = None
    (ours * 3).sum().backward()
    assert ours.grad.tolist() == [3.0, 3.0]


def test_reused_node_gets_sum_of_gradients():
    def fn(x):
        y = x.exp()
        return y * y + y.sin() + (y @ y)

    ours, theirs = both(np.array([0.1, 0.2, 0.3]))
    fn(ours).sum().backward()
    fn(theirs).sum().backward()
    assert_same(ours.grad, theirs.grad)


def test_diamond_and_shared_leaf():
    def fn(a, b):
        c = a * b
        d = c + a
        e = d * c - b
        return (e * a).sum()

    (a, ta), (b, tb) = both(np.array([1.5, -2.0])), both(np.array([0.5, 3.0]))
    fn(a, b).backward()
    fn(ta, tb).backward()
    assert_same(a.grad, ta.grad)
    assert_same(b.grad, tb.grad)


def test_graph_freed_after_backward_then_error_names_retain_graph():
    x = ourdl.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time.*retain_graph=True"):
        y.backward()


def test_retain_graph_allows_second_backward_and_accumulates():
    x = ourdl.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.clone()
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * first.numpy(), rtol=1e-6)


def test_backward_on_non_scalar_requires_gradient():
    x = ourdl.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"grad can be implicitly created only for scalar outputs.*\[2, 3\]"):
        (x * 2).backward()
    (x * 2).backward(ourdl.ones(2, 3))
    assert x.grad.tolist() == [[2.0] * 3] * 2


def test_backward_on_tensor_without_grad():
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        ourdl.ones(2).sum().backward()


def test_backward_gradient_of_wrong_shape():
    x = ourdl.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Mismatch in shape.*\[2\].*\[3\]"):
        (x * 2).backward(ourdl.ones(2))


def test_deep_chain_has_no_recursion_limit():
    x = ourdl.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    assert 100_000 > sys.getrecursionlimit()
    y.backward()
    assert x.grad.item() == 1.0


def test_wide_fan_in():
    x = ourdl.tensor(2.0, requires_grad=True)
    total = sum(x * i for i in range(1000))
    total.backward()
    assert x.grad.item() == sum(range(1000))


def test_retain_grad_on_intermediate():
    ours, theirs = both(np.array([1.0, -2.0, 3.0]))
    results = []
    for x in (ours, theirs):
        h = x * 2
        h.retain_grad()
        out = (h.relu() ** 2).sum()
        out.backward()
        results.append(h.grad)
        assert h.retains_grad and not h.is_leaf
    assert_same(*results)


def test_non_leaf_grad_is_none_without_retain_grad():
    x = ourdl.ones(2, requires_grad=True)
    h = x * 2
    h.sum().backward()
    assert h.grad is None and x.grad is not None


def test_detach_cuts_the_graph_and_shares_memory():
    x = ourdl.tensor([1.0, 2.0], requires_grad=True)
    d = (x * 3).detach()
    assert not d.requires_grad and d.grad_fn is None
    y = (x * d).sum()
    y.backward()
    assert x.grad.tolist() == [3.0, 6.0]
    x2 = ourdl.ones(2, requires_grad=True)
    x2.detach().zero_()
    assert x2.tolist() == [0.0, 0.0]


def test_autograd_grad_returns_without_touching_dot_grad():
    x = ourdl.tensor([1.0, 2.0], requires_grad=True)
    (g,) = ourdl.autograd.grad((x ** 3).sum(), x)
    assert x.grad is None
    assert g.tolist() == [3.0, 12.0]


def test_autograd_grad_allow_unused():
    x, z = ourdl.ones(2, requires_grad=True), ourdl.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="not have been used in the graph.*allow_unused=True"):
        ourdl.autograd.grad((x * 2).sum(), [x, z])
    gx, gz = ourdl.autograd.grad((x * 2).sum(), [x, z], allow_unused=True)
    assert gz is None and gx.tolist() == [2.0, 2.0]


def test_autograd_grad_of_several_outputs_with_grad_outputs():
    (x, tx) = both(np.array([0.5, 1.5]))
    ours = ourdl.autograd.grad([x.sin(), x.exp()], [x], grad_outputs=[ourdl.ones(2), ourdl.full((2,), 2.0)])
    theirs = torch.autograd.grad([tx.sin(), tx.exp()], [tx], grad_outputs=[torch.ones(2), torch.full((2,), 2.0)])
    assert_same(ours[0], theirs[0])


def test_backward_inputs_restricts_accumulation():
    a, b = ourdl.ones(2, requires_grad=True), ourdl.ones(2, requires_grad=True)
    (a * b * 2).sum().backward(inputs=[a])
    assert a.grad is not None and b.grad is None


@pytest.mark.parametrize("order", [2, 3, 4])
def test_create_graph_higher_derivatives_like_torch(order):
    (x, tx) = both(np.array([0.3, -1.2, 2.0]))
    ours, theirs = x.tanh() * x.exp(), tx.tanh() * tx.exp()
    for _ in range(order):
        (ours,) = ourdl.autograd.grad(ours.sum(), x, create_graph=True)
        (theirs,) = torch.autograd.grad(theirs.sum(), tx, create_graph=True)
    assert_same(ours, theirs, rtol=1e-9, atol=1e-10)


def test_create_graph_backward_then_backward_again():
    x = ourdl.tensor(3.0, requires_grad=True)
    (x ** 3).backward(create_graph=True)
    g = x.grad
    assert g.item() == 27.0 and g.requires_grad
    x.grad = None
    g.backward()
    assert x.grad.item() == 18.0


def test_gradient_dtype_matches_input_dtype():
    x = ourdl.ones(3, dtype=ourdl.float64, requires_grad=True)
    (x.float() * 2).sum().backward()
    assert x.grad.dtype == ourdl.float64


def test_leaf_grad_is_not_aliased_with_other_arrays():
    a = ourdl.ones(2, requires_grad=True)
    b = ourdl.ones(2, requires_grad=True)
    (a + b).sum().backward()
    a.grad.add_(5)
    assert b.grad.tolist() == [1.0, 1.0]


def test_integer_outputs_are_not_differentiable():
    x = ourdl.tensor([0.2, 0.9], requires_grad=True)
    assert not x.argmax().requires_grad
    assert not (x > 0.5).requires_grad
    assert (x > 0.5).float().requires_grad is False


def describe_graph(node):
    """``next_functions`` as nested (kind, ((input, index), ...)) tuples, for comparing with PyTorch (whose op
    names differ in their numbering: ``SumBackward1``, ``MvBackward0``)."""
    if node is None:
        return None
    kind = "leaf" if node.name() == "torch::autograd::AccumulateGrad" else "node"
    return (kind, tuple((describe_graph(n), i) for n, i in node.next_functions))


GRAPHS = {  # one entry per tensor argument; ourdl keeps Python numbers out of the graph
    "chain": lambda x, w: (x * x.detach()).exp(),
    "binary": lambda x, w: (x * w).sum(),
    "needs_no_grad": lambda x, w: x + w.detach(),
    "reduction": lambda x, w: x.sum(0),
    "shared_input": lambda x, w: x * x,
    "matmul": lambda x, w: (w @ x).tanh(),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_next_functions_like_torch(name):
    described = []
    for lib in (ourdl, torch):
        x = lib.ones(2, requires_grad=True)
        w = lib.ones(3, 2, requires_grad=True)
        described.append(describe_graph(GRAPHS[name](x, w).grad_fn))
    assert described[0] == described[1]


def test_next_functions_lead_to_the_accumulator_of_each_leaf():
    x = ourdl.ones(2, requires_grad=True)
    y = (x * 2).exp()
    assert y.grad_fn.name() == "ExpBackward0"
    ((mul_node, index),) = y.grad_fn.next_functions
    assert mul_node.name() == "MulBackward0" and index == 0
    accumulator = mul_node.next_functions[0][0]
    assert accumulator.variable is x and accumulator.next_functions == ()
    assert accumulator is (x + 1).grad_fn.next_functions[0][0]  # one per leaf while it is held, as in PyTorch


def test_grad_runs_only_the_part_of_the_graph_it_needs():
    """Like PyTorch: grad with respect to an intermediate neither runs nor frees what lies beyond it."""
    for lib in (ourdl, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        h = x.exp()
        loss = (h * h).sum()
        (gh,) = lib.autograd.grad(loss, h, retain_graph=True)
        assert gh.tolist() == pytest.approx((2 * np.exp([1.0, 2.0])).tolist())
        h2 = x.sin()
        (g,) = lib.autograd.grad((h2 * 3).sum(), h2)  # does not free sin's saved input
        h2.sum().backward()
        assert x.grad.tolist() == pytest.approx(np.cos([1.0, 2.0]).tolist())


def test_backward_inputs_skips_unneeded_branches():
    a = ourdl.ones(2, requires_grad=True)
    b = ourdl.ones(2, requires_grad=True)
    side = b.exp()
    (a * 2 + side).sum().backward(inputs=[a], retain_graph=False)
    side.sum().backward()  # exp's saved output was not freed: its branch never ran
    assert a.grad.tolist() == [2.0, 2.0] and b.grad.tolist() == pytest.approx([np.e, np.e])


def test_gradients_are_owned_writeable_arrays_never_aliases():
    """A gradient is a real array owned by its tensor: not a NumPy scalar, a read-only broadcast view, or the
    memory of a tensor the user holds."""
    w = ourdl.tensor(2.0, requires_grad=True)
    (w * w * ourdl.ones(3)).sum().backward()  # a 0-d leaf used twice, its gradient summed out of a broadcast
    assert type(w.grad.numpy()) is np.ndarray and w.grad.item() == 12.0
    x = ourdl.ones(3, requires_grad=True)
    (g,) = ourdl.autograd.grad(x.sum(), x)
    g.zero_()  # not a read-only broadcast view
    upstream = ourdl.ones(3)
    x.backward(upstream)
    x.grad.mul_(5)
    assert upstream.tolist() == [1.0, 1.0, 1.0]
    y = ourdl.ones(3, requires_grad=True)
    replacement = ourdl.full((3,), 2.0)
    y.register_hook(lambda grad: replacement)
    (y * 1).sum().backward()
    y.grad.zero_()
    assert replacement.tolist() == [2.0, 2.0, 2.0]


def test_a_fresh_gradient_is_taken_over_even_where_a_dead_array_had_its_id():
    import weakref

    from ourdl.autograd import engine

    leaf = ourdl.zeros(3, requires_grad=True)
    fresh = np.ones(3, np.float32)
    other = np.ones(3, np.float32)
    claimed = {id(fresh): weakref.ref(other)}  # what an array that died leaves: its id, now another array's
    engine._accumulate(leaf, fresh, False, claimed)
    assert leaf.grad._data is fresh  # taken over, not copied
    held = np.ones(3, np.float32)
    engine._claim(claimed, held)
    second = ourdl.zeros(3, requires_grad=True)
    engine._accumulate(second, held, False, claimed)
    assert second.grad._data is not held  # someone else holds it: copied


def test_a_hook_may_change_the_implicit_gradient_in_place_as_in_pytorch():
    """The implicit 1 of a one-element output is shared between backward calls unless a hook could write into it."""
    results = []
    for lib in (ourdl, torch):
        x = lib.tensor(2.0, requires_grad=True)
        y = x * 3
        y.register_hook(lambda g: g.mul_(2))
        y.backward()
        leaf = lib.tensor(2.0, requires_grad=True)
        leaf.register_hook(lambda g: g.mul_(5))
        leaf.backward()
        z = lib.tensor(1.0, requires_grad=True)
        (z * 4).backward()  # after the hooks: the shared 1 is still 1
        results.append((x.grad.item(), leaf.grad.item(), z.grad.item()))
    assert results[0] == results[1] == (6.0, 5.0, 4.0)
