"""The expression language of `ourdl graph`: ourdl ops and arithmetic only, never Python's eval."""

import numpy as np
import pytest

import ourdl
from ourdl.cli.common import CommandError
from ourdl.cli.expression import evaluate, parse_shapes


def test_evaluates_like_python_on_the_same_tensors():
    result, v = evaluate("relu(x @ w + b).sum() * 2 - (-b).mean() ** 2")
    expected = ourdl.relu(v["x"] @ v["w"] + v["b"]).sum() * 2 - (-v["b"]).mean() ** 2
    assert np.allclose(result.detach().numpy(), expected.detach().numpy())
    assert result.requires_grad


def test_methods_keywords_tuples_and_transpose():
    result, v = evaluate("tanh(x).sum(dim=(0, 1), keepdim=True) + (x.T @ x).mean()", {"x": (2, 5)})
    assert tuple(result.shape) == (1, 1)
    assert tuple(v["x"].shape) == (2, 5)


def test_same_seed_same_values():
    a, _ = evaluate("(x * y).sum()", {"y": (4, 3)}, seed=3)
    b, _ = evaluate("(x * y).sum()", {"y": (4, 3)}, seed=3)
    assert a.item() == b.item()


@pytest.mark.parametrize("text, message", [
    ("__import__('os').system('true')", "not an ourdl function"),
    ("open('/etc/passwd')", "not an ourdl function"),
    ("x.__class__", "not allowed"),
    ("x.__class__.__mro__", "not allowed"),
    ("(lambda: 1)()", "cannot call"),
    ("[i for i in x]", "not allowed"),
    ("x[0]", "not allowed"),
    ("relu('a')", "use a number"),
    ("x.numpy.__globals__", "not allowed"),
    ("relu", "is a function"),
    ("relu(x", "cannot parse"),
    ("x @ x", r"failed with variables x\[4, 3\]: matmul"),
    ("x.not_a_method()", "not a tensor method"),
    ("_secret + 1", "not allowed"),
    ("1 + 2", "not a tensor"),
])
def test_refuses_what_is_not_an_ourdl_expression(text, message):
    with pytest.raises(CommandError, match=message):
        evaluate(text)


def test_parse_shapes():
    assert parse_shapes(["x=4,3", "b=2"]) == {"x": (4, 3), "b": (2,)}
    with pytest.raises(CommandError, match="NAME=DIMS"):
        parse_shapes(["x=four"])
