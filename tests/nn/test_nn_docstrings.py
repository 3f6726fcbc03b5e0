"""The examples in the docstrings of ourdl.nn and ourdl.optim run, and every public name has one."""

import doctest
import importlib
import inspect
import pkgutil

import pytest

import ourdl.nn
import ourdl.nn.activation

PACKAGES = ("ourdl.nn", "ourdl.nn.utils", "ourdl.optim")
MODULES = [f"{p}.{info.name}" for p in PACKAGES for info in pkgutil.iter_modules(importlib.import_module(p).__path__)
           if f"{p}.{info.name}" != "ourdl.nn.activation"]  # the activation Modules are tested with the catalog
NAMESPACES = ("ourdl.nn", "ourdl.nn.functional", "ourdl.nn.init", "ourdl.nn.utils", "ourdl.optim",
              "ourdl.optim.lr_scheduler")
CATALOG = set(vars(ourdl.nn.activation)) | set(vars(importlib.import_module("ourdl.activations.functional")))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed in {name}"


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_every_public_function_and_class_shows_an_example(namespace):
    module = importlib.import_module(namespace)
    public = [(name, obj) for name, obj in vars(module).items()
              if not name.startswith("_") and name not in CATALOG and (inspect.isfunction(obj) or inspect.isclass(obj))
              and obj.__module__.startswith(("ourdl.nn", "ourdl.optim"))]
    missing = [name for name, obj in public if ">>>" not in (obj.__doc__ or "")]
    assert not missing, f"{namespace}: public names without a runnable example: {missing}"
