"""``repr`` reads like PyTorch's: the same string with ``torch`` replaced by ``ourdl``."""

import numpy as np
import pytest

import ourdl
from tests.oracle import torch

CASES = {
    "floats": lambda m: m.tensor([1.0, 2.0]),
    "requires grad": lambda m: m.tensor([1.0, 2.0], requires_grad=True),
    "grad_fn": lambda m: m.tensor([1.0, 2.0], requires_grad=True) * 2,
    "fractions": lambda m: m.tensor([0.5, 1.25, -3.0]),
    "ints": lambda m: m.tensor([1, -20, 300]),
    "bools": lambda m: m.tensor([True, False]),
    "scalar": lambda m: m.tensor(3.5),
    "int scalar": lambda m: m.tensor(7),
    "matrix": lambda m: m.tensor([[1.0, 2.5], [3.0, 4.0]]),
    "3-d": lambda m: m.arange(12.0).reshape(2, 3, 2),
    "float64": lambda m: m.tensor([1.0, 2.0], dtype=m.float64),
    "int32": lambda m: m.tensor([1, 2], dtype=m.int32),
    "empty": lambda m: m.tensor([]),
    "empty 2-d": lambda m: m.zeros(0, 3),
    "nan inf": lambda m: m.tensor([float("nan"), float("inf"), -float("inf"), 1.0]),
    "large": lambda m: m.tensor([1e10, 1.0]),
    "small": lambda m: m.tensor([1e-5, 1.0]),
    "negative zero": lambda m: m.tensor([-0.0, 1.0]),
    "negative zero fraction": lambda m: m.tensor([-0.0, 0.5]),
    "zeros only": lambda m: m.tensor([0.0, -0.0]),
    "nan padded": lambda m: m.tensor([float("nan"), 1.5, -2.0]),
    "sci with nan": lambda m: m.tensor([1e-8, float("nan"), 1.0]),
    "matrix with grad": lambda m: m.ones(2, 2, requires_grad=True) * 0.5,
    "long vector": lambda m: m.arange(2000.0),
    "big matrix": lambda m: m.arange(10000).reshape(100, 100),
    "arange tutorial": lambda m: m.arange(-1.0, 1.0, 0.25),
    "sum grad_fn": lambda m: m.ones(2, requires_grad=True).sum(),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_repr_matches_torch(case):
    ours = repr(CASES[case](ourdl))
    theirs = repr(CASES[case](torch)).replace("torch.", "ourdl.")
    assert ours == theirs


def test_str_is_repr():
    x = ourdl.tensor([1.0, 2.0])
    assert str(x) == repr(x)


def test_printoptions_not_required_for_numpy_interop():
    np.set_printoptions(precision=2)
    try:
        assert repr(ourdl.tensor([1.23456])) == "tensor([1.2346])"
    finally:
        np.set_printoptions(precision=8)
