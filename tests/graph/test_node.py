"""The walk: forward in topological order, backward by the chain rule in reverse, shared nodes, reuse, clear, rewiring."""

import math

import pytest

from ourdl.graph import Add, Mul, Op, Variable


def test_forward_and_backward_of_a_small_expression():
    w, x, b = Variable(2.0, name="w"), Variable(3.0, trainable=False, name="x"), Variable(1.0, name="b")
    y = w * x + b
    assert y.forward() == 7.0
    y.backward()
    assert (w.grad, x.grad, b.grad, y.grad) == (3.0, 2.0, 1.0, 1.0)


def test_a_node_used_twice_collects_both_paths():
    x = Variable(3.0)
    y = x * x + x            # 2x + 1 = 7
    y.forward()
    y.backward()
    assert x.grad == 7.0
    a = x * 2.0              # diamond: z = a * a with a = 2x → dz/dx = 8x
    z = a * a
    x.grad = 0.0
    z.forward()
    z.backward()
    assert x.grad == 24.0 and a.grad == 12.0


def test_the_graph_is_built_once_and_reused_with_new_values():
    x = Variable(0.0, trainable=False)
    w = Variable(2.0)
    y = w * x * x
    for value in (1.0, -2.0, 0.5):
        x.value = value
        assert y.forward() == 2.0 * value ** 2
        w.grad = x.grad = 0.0
        y.backward()
        assert x.grad == 4.0 * value and w.grad == value ** 2


def test_variables_accumulate_and_ops_hold_the_latest_backward():
    x = Variable(1.5)
    h = x * 2.0
    y = h * h
    y.forward()
    y.backward()
    y.backward()
    assert x.grad == 2 * 2 * (2 * 1.5) * 2          # two backward calls: twice dy/dx = 2 · 2h · 2
    assert h.grad == 2 * (2 * 1.5)                  # not accumulated


def test_forward_computes_only_what_the_node_depends_on():
    x = Variable(1.0)
    a = x + 1.0
    b = x * 10.0
    a.forward()
    assert a.value == 2.0 and b.value is None


def test_clear_resets_values_and_gradients_but_keeps_variables():
    x = Variable(3.0)
    y = x * 2.0 + 1.0
    y.forward()
    y.backward()
    y.clear()
    assert y.value is None and y.grad == 0.0 and x.value == 3.0 and x.grad == 0.0
    assert y.forward() == 7.0


def test_a_long_chain_needs_no_recursion():
    x = Variable(1.0)
    y = x
    for _ in range(100_000):
        y = y + x
    assert y.forward() == 100_001.0
    y.backward()
    assert x.grad == 100_001.0


def test_operators_with_numbers_on_either_side():
    x = Variable(2.0)
    cases = {lambda v: 1.0 + v: (3.0, 1.0), lambda v: v - 5: (-3.0, 1.0), lambda v: 5 - v: (3.0, -1.0),
             lambda v: 3 * v: (6.0, 3.0), lambda v: v / 4: (0.5, 0.25), lambda v: 1 / v: (0.5, -0.25),
             lambda v: v ** 3: (8.0, 12.0), lambda v: 2 ** v: (4.0, 4.0 * math.log(2.0)), lambda v: -v: (-2.0, -1.0)}
    for build, (value, grad) in cases.items():
        x.grad = 0.0
        y = build(x)
        assert y.forward() == pytest.approx(value)
        y.backward()
        assert x.grad == pytest.approx(grad)
    assert sum([x, x, x]).forward() == 6.0


def test_names_values_parents_and_children():
    x = Variable(2, name="x")
    assert x.value == 2.0 and isinstance(x.value, float) and x.parents == ()
    y = Mul(x, x, name="square")
    z = Add(y, x)
    assert y.parents == (x, x) and z.parents == (y, x)
    assert x.children == [y, z] and y.children == [z]
    assert z.name.startswith("add") and repr(y) == "Mul('square', value=None, grad=0.0)"
    del z
    assert x.children == [y]                       # children are not kept alive by their parents


def test_rewiring_an_op_is_seen_by_the_next_forward():
    a, b, c = Variable(2.0), Variable(3.0), Variable(10.0)
    y = a * b
    assert y.forward() == 6.0
    y.parents = (a, c)
    assert y.forward() == 20.0
    y.backward()
    assert c.grad == 2.0 and b.grad == 0.0
    assert b.children == [] and c.children == [y]


def test_a_users_op_with_any_number_of_parents():
    class Sum(Op):
        def compute(self):
            self.value = sum(p.value for p in self.parents)

        def get_parent_grad(self, parent):
            count = sum(p is parent for p in self.parents)
            return float(count) if count else Op.get_parent_grad(self, parent)

    a, b = Variable(1.0), Variable(2.0)
    s = Sum(a, b, a, 4.0)
    assert s.forward() == 8.0
    s.backward()
    assert (a.grad, b.grad) == (2.0, 1.0)
