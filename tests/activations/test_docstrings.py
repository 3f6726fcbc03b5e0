"""The examples in the catalog's docstrings (generated ones included) run and print what they say."""

import doctest
import importlib

import pytest

MODULES = ["ourdl.activations", "ourdl.activations.registry", "ourdl.activations.functional",
           "ourdl.activations.piecewise", "ourdl.activations.smooth", "ourdl.activations.composite",
           "ourdl.activations.along_dim", "ourdl.activations.learnable", "ourdl.nn.activation"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, monkeypatch):
    from ourdl.activations import registry

    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))  # an example registers an activation
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
    assert result.attempted > 0
