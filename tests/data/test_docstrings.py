"""The examples in the docstrings of ourdl.data, ourdl.io and ourdl.train run, and every public name has one."""

import doctest
import importlib
import inspect
import pkgutil

import pytest

PACKAGES = ("ourdl.data", "ourdl.io", "ourdl.train")
MODULES = [f"{p}.{info.name}" for p in PACKAGES for info in pkgutil.iter_modules(importlib.import_module(p).__path__)]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    pytest.importorskip("sklearn")
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed in {name}"


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_function_and_class_shows_an_example(package):
    module = importlib.import_module(package)
    public = [(name, obj) for name, obj in vars(module).items()
              if not name.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
              and not (inspect.isclass(obj) and issubclass(obj, Exception))]
    missing = [name for name, obj in public if ">>>" not in (obj.__doc__ or "")]
    assert not missing, f"{package}: public names without a runnable example: {missing}"
