"""Bad input gets a clear error that names the node, with PyTorch-style exception types."""

import numpy as np
import pytest

from ourdl.graph import (Add, Exp, GradientDescent, LeakyRelu, Mul, Op, TinyNetwork, Variable, activation_op)


def test_wrong_number_of_parents():
    a, b, c = Variable(1.0), Variable(2.0), Variable(3.0)
    with pytest.raises(TypeError, match=r"Mul 'm' takes 2 parents, got 3"):
        Mul(a, b, c, name="m")
    with pytest.raises(TypeError, match=r"Exp '\w+' takes 1 parent, got 2"):
        Exp(a, b)
    y = Add(a, b, name="y")
    y.parents = (a,)
    with pytest.raises(TypeError, match=r"Add 'y' takes 2 parents, got 1"):
        y.forward()


def test_get_parent_grad_of_a_node_that_is_not_a_parent():
    a, b, z = Variable(1.0, name="a"), Variable(2.0, name="b"), Variable(0.0, name="z")
    y = Mul(a, b, name="y")
    y.forward()
    with pytest.raises(ValueError, match=r"Mul 'y'.get_parent_grad: Variable 'z' is not one of its parents "
                                         r"\(Variable 'a', Variable 'b'\)"):
        y.get_parent_grad(z)
    with pytest.raises(ValueError, match="is not one of its parents"):
        LeakyRelu(a).get_parent_grad(b)


def test_a_cycle_is_named():
    a = Variable(1.0, name="a")
    p = Add(a, 1.0, name="p")
    q = Mul(p, 2.0, name="q")
    p.parents = (a, q)
    with pytest.raises(RuntimeError, match=r"cycle: Add 'p' -> Mul 'q' -> Add 'p'|cycle: Mul 'q' -> Add 'p' -> Mul 'q'"):
        q.forward()


def test_backward_before_forward():
    x = Variable(1.0)
    y = Mul(x, 2.0, name="y")
    with pytest.raises(RuntimeError, match=r"Mul 'y' has no value; call y.forward\(\) first"):
        y.backward()
    y.forward()
    y.clear()
    with pytest.raises(RuntimeError, match="no value"):
        y.backward()


@pytest.mark.parametrize("bad", ["1.0", None, [1.0], 1j, True, np.array([1.0, 2.0])])
def test_a_value_that_is_not_a_real_number(bad):
    with pytest.raises(TypeError, match=r"Variable 'w': value .* must be a real number"):
        Variable(bad, name="w")
    x = Variable(1.0, name="x")
    y = x * 2.0
    x.value = bad
    with pytest.raises(TypeError, match=r"Variable 'x': value"):
        y.forward()


def test_array_hint_and_numpy_numbers():
    with pytest.raises(TypeError, match=r"\.item\(\)"):
        Variable(np.array([1.0]))
    assert Variable(np.float32(0.5)).value == 0.5 and type(Variable(np.int64(2)).value) is float


def test_a_users_op_that_computes_a_non_number_or_nothing():
    class Bad(Op):
        arity = 1

        def compute(self):
            self.value = "oops"

    class Lazy(Op):
        arity = 1

        def compute(self):
            pass

    class Unfinished(Op):
        arity = 1

    x = Variable(1.0)
    with pytest.raises(TypeError, match=r"Bad 'b': compute\(\) set self.value to str 'oops'"):
        Bad(x, name="b").forward()
    with pytest.raises(TypeError, match=r"Lazy 'l': compute\(\) did not set self.value"):
        Lazy(x, name="l").forward()
    with pytest.raises(NotImplementedError, match=r"Unfinished 'u': Unfinished must define compute"):
        Unfinished(x, name="u").forward()
    u = Unfinished(x, name="u")
    with pytest.raises(NotImplementedError, match="must define get_parent_grad"):
        u.get_parent_grad(x)


def test_parents_must_be_nodes_or_numbers():
    with pytest.raises(TypeError, match=r"Add '\w+': a parent must be a Node or a real number, got str"):
        Add(Variable(1.0), "2")
    with pytest.raises(TypeError, match="name must be a string"):
        Variable(1.0, name=3)
    with pytest.raises(AttributeError):
        Variable(1.0).parents = (Variable(2.0),)


def test_activation_parameters_and_kinds():
    x = Variable(1.0)
    with pytest.raises(TypeError, match="LeakyRelu: unknown parameter slope; its parameters: negative_slope"):
        LeakyRelu(x, slope=0.1)
    with pytest.raises(ValueError, match="softmax acts along a dimension"):
        activation_op("softmax")
    with pytest.raises(KeyError, match="unknown activation 'nope'"):
        activation_op("nope")


def test_optimiser_and_network_arguments():
    with pytest.raises(ValueError, match=r"Variable 'x' was made with trainable=False"):
        GradientDescent([Variable(1.0, trainable=False, name="x")], lr=0.1)
    with pytest.raises(TypeError, match="parameters must be Variables, got Mul"):
        GradientDescent([Variable(1.0) * 2.0], lr=0.1)
    for lr in (0, -1.0, float("nan"), "0.1"):
        with pytest.raises(ValueError, match="lr must be a positive number"):
            GradientDescent([Variable(1.0)], lr=lr)
    with pytest.raises(ValueError, match="hidden must be a positive number of units"):
        TinyNetwork(hidden=0)
