"""Every public op that PyTorch also has, given a list, a tuple, a number, None or a NumPy array where a tensor goes
after the first argument (``add(t, [1, 2])``, ``mm(t, 2)``, the second tensor of ``cat``): PyTorch's exception
type, its words where they are its standard ``NAME(): argument 'other' (position 2) must be Tensor, not list``, or
PyTorch's result where it accepts the value (a number where its schema says Scalar: ``add(t, 2)``)."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings

import ourdl
from tests.oracle import torch
from tests.robustness.test_non_tensor_inputs import (LISTS, OPS, STANDARD, attempt, each_kind_once, non_tensors,
                                                     tensors, valid_call)


def later_tensors(name):
    """The positions of the tensors after the first in the call the table gives ``name`` (``-1``: the second
    tensor of a list argument)."""
    if name == "einsum":
        return []
    rest = valid_call(name)[1]
    return ([-1] if name in LISTS else []) + [i for i, a in enumerate(rest) if isinstance(a, str)]


CASES = [(name, at) for name in OPS for at in later_tensors(name)]


def call(lib, name, at, value):
    first, rest = valid_call(name)
    named = tensors(lib, name)
    args = [value if i == at else named[a] if isinstance(a, str) else a for i, a in enumerate(rest)]
    if name in LISTS:
        return getattr(lib, name)([lib.tensor(first), value if at == -1 else named["M"]], *args)
    if name == "polygamma":
        return lib.polygamma(1, lib.tensor(first))
    return getattr(lib, name)(lib.tensor(first), *args)


def outcome(lib, name, at, value):
    return attempt(lambda: call(lib, name, at, value))


def values(result):
    results = result if isinstance(result, (tuple, list)) else (result,)
    return [np.asarray(r.detach() if hasattr(r, "detach") else r, dtype=float) for r in results]


@pytest.mark.parametrize(("name", "at"), CASES)
@settings(max_examples=3, deadline=None, derandomize=True)
@given(value=non_tensors)
@each_kind_once
def test_a_non_tensor_later_argument_is_treated_as_pytorch_treats_it(name, at, value):
    ours, our_error = outcome(ourdl, name, at, value)
    theirs, their_error = outcome(torch, name, at, value)
    if their_error is None:
        assert our_error is None, f"PyTorch accepts {value!r}, ourdl raised {our_error!r}"
        for o, t in zip(values(ours), values(theirs)):
            np.testing.assert_allclose(o, t, rtol=1e-6)
        return
    assert our_error is not None, f"PyTorch refuses {value!r} ({their_error}), ourdl accepts it"
    assert isinstance(our_error, type(their_error)) or isinstance(their_error, type(our_error)), \
        (our_error, their_error)
    standard = STANDARD.match(str(their_error))
    if standard and standard.group(1) == name and getattr(ourdl, name).__name__ == name:
        assert str(our_error) == str(their_error)


def operands(lib):
    return lib.tensor([1.0, 2.0]), np.array([1.0, 2.0]), [1.0, 2.0]


@pytest.mark.parametrize("symbol", ["+", "-", "*", "/", "**", "//", "%", "@", "&", "==", "!=", "<", ">="])
def test_an_operator_with_a_list_gives_pythons_answer_as_pytorch(symbol):
    """A refused operand makes the operator NotImplemented: Python's TypeError, or for ``==`` identity."""
    outcomes = []
    for lib in (ourdl, torch):
        t, _, values = operands(lib)
        try:
            outcomes.append(repr(eval(f"t {symbol} values")))  # noqa: S307  (the operator under test)
        except TypeError as error:
            outcomes.append(str(error))
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize("symbol", ["+", "-", "*", "/", "**", "@"])
def test_a_tensor_operator_with_an_array_is_numpys_as_in_pytorch(symbol):
    """``t + array`` is NumPy's ufunc on the tensor: the array's dtype wins, as in PyTorch. (ourdl also takes
    ``array + t``, which PyTorch's operators refuse only because NumPy defers to them and they decline.)"""
    results = []
    for lib in (ourdl, torch):
        t, array, _ = operands(lib)
        t = t.double() if symbol == "@" else t  # matmul wants one dtype
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PyTorch's __array_wrap__ deprecation
            results.append(eval(f"t {symbol} array"))  # noqa: S307  (the operator under test)
    assert isinstance(results[0], ourdl.Tensor) and str(results[0].dtype) == "ourdl.float64"
    np.testing.assert_allclose(values(results[0])[0], values(results[1])[0])


def test_in_place_operators_refuse_a_list_and_rebind_for_an_array_as_pytorch():
    for lib in (ourdl, torch):
        t, array, listed = operands(lib)
        with pytest.raises(TypeError):
            t += listed
        before = t
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t += array  # not in place: NumPy's add gives a new float64 tensor
        assert t is not before and before.tolist() == [1.0, 2.0] and t.tolist() == [2.0, 4.0]
