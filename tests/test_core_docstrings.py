"""The examples in the core's docstrings run and print what they say (doctest), and every public op has one."""

import doctest
import importlib
import pkgutil

import pytest

import ourdl

CORE = ["ourdl", "ourdl.tensor", "ourdl.tensor_repr", "ourdl.dtypes"] + [
    f"{package}.{info.name}"
    for package in ("ourdl.ops", "ourdl.autograd")
    for info in pkgutil.iter_modules(importlib.import_module(package).__path__)
]


@pytest.mark.parametrize("name", CORE)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed in {name}"


def test_every_public_op_documents_an_example():
    missing = [name for name in ourdl.__all__
               if callable(getattr(ourdl, name)) and ">>>" not in (getattr(ourdl, name).__doc__ or "")]
    assert not missing, f"public functions without a runnable example in their docstring: {missing}"
