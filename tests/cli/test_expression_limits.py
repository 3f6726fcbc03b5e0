"""Expressions that would hang, recurse or exhaust memory are refused quickly, naming the bound they hit."""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ourdl.cli.common import CommandError
from ourdl.cli.expression import evaluate
from ourdl.cli.expression_limits import LimitExceeded, Limits
from ourdl.cli.graph import model_loss


@pytest.mark.parametrize("text, bound", [
    ("9**9**9", "bound on plain numbers"),
    ("10**10**10", "bound on plain numbers"),
    ("(10**100000) * x", "bound on plain numbers"),
    ("2**100 * x", "bound on plain numbers"),
    ("10.0**400 * x", "bound on plain numbers"),
    ("+".join(["x"] * 600), "bound on depth"),
    ("+".join(["x"] * 5000), "characters, beyond the bound of 2000"),
    ("x * " + "-" * 1500 + "x", "bound on depth"),
    ("x * " + "-" * 100_000 + "x", "characters, beyond the bound"),
    ("relu(" * 100 + "x" + ")" * 100, "bound on depth"),
    ("ones(100000, 100000)", "10,000,000,000, beyond the bound of 10,000,000 elements"),
    ("zeros((100000, 100000))", "beyond the bound of 10,000,000 elements"),
    ("eye(100000)", "beyond the bound of 10,000,000 elements"),
    ("arange(10**12)", "would hold 1,000,000,000,000 elements"),
    ("arange(0.0, 1e12)", "would hold 1,000,000,000,000 elements"),
    ("arange(5, end=10**9, step=1)", "would hold 999,999,995 elements"),
    ("x.repeat(3000, 3000)", "product is 108,000,000"),
    ("ones(10000, 1) @ ones(1, 10000)", "would hold 100,000,000 elements"),
    ("ones(3000, 3000) @ ones(3000, 3000)", "27,000,000,000 multiply-adds"),
    ("ones(4000, 1) + ones(1, 4000)", "would hold 16,000,000 elements"),
])
def test_each_bound_is_named_and_hit_before_the_work(text, bound):
    start = time.perf_counter()
    with pytest.raises(LimitExceeded, match=bound):
        evaluate(text)
    assert time.perf_counter() - start < 2


def test_a_variable_too_large_for_the_bound():
    with pytest.raises(LimitExceeded, match="the variable x"):
        evaluate("x.sum()", {"x": (100_000, 100_000)})


def test_the_time_bound():
    with pytest.raises(LimitExceeded, match="still running after 0 s, the bound on time"):
        evaluate("(x * x).sum() + (x * x).sum()", limits=Limits(seconds=0.0))


@pytest.mark.parametrize("spec, message", [
    ("mlp:100000,100000", "a 100000 → 100000 layer holds 10,000,000,000 weights"),
    ("mlp:" + ",".join(["2"] * 100), "100 layer sizes, beyond the bound of 64 on depth"),
    ("mlp:2,0,1", "each at least 1"),
])
def test_model_specs_are_bounded(spec, message):
    with pytest.raises(CommandError, match=message):
        model_loss(spec)


def test_within_the_bounds_everything_still_works():
    result, _ = evaluate("(ones(100, 100) @ ones(100, 100)).sum() + 2**62 * 0 + arange(1000).sum()")
    assert result.item() == 100 * 100 * 100 + 999 * 1000 // 2


ATOMS = st.sampled_from(["x", "w", "b", "y", "2", "0", "-1", "1e308", "0.5", "9", "relu(x)", "x.T", "x.sum()",
                         "ones(3)", "arange(4)"])


def expressions():
    return st.recursive(ATOMS, lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "@", "**"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda e: f"-{e}"),
        st.tuples(st.sampled_from(["relu", "tanh", "exp", "softmax", "sum", "ones", "zeros"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"),
    ), max_leaves=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(expressions(), st.text(max_size=40)))
def test_any_text_gives_a_tensor_or_a_command_error(text):
    try:
        evaluate(text)
    except CommandError:
        pass


@pytest.mark.slow
def test_the_time_bound_stops_one_long_operation():
    # The product (3.4e11 multiply-adds, 3 s on two cores with BLAS on both) is the last term: no check of the clock
    # follows it, so only the timer can stop it.
    with pytest.raises(LimitExceeded, match="still running after 1 s, the bound on time"):
        evaluate("(ones(7000, 7000) @ ones(7000, 7000)).sum()", limits=Limits(seconds=1.0, work=10**12, elements=10**8))
