"""Every docstring example in ourdl runs and prints what it says, and every public name shows one."""

import doctest
import importlib
import inspect
import pkgutil

import pytest

import ourdl

MODULES = sorted(info.name for info in pkgutil.walk_packages(ourdl.__path__, "ourdl."))
NAMESPACES = ("ourdl", "ourdl.nn", "ourdl.nn.functional", "ourdl.nn.init", "ourdl.nn.utils", "ourdl.optim",
              "ourdl.optim.lr_scheduler", "ourdl.data", "ourdl.data.transforms", "ourdl.models", "ourdl.io", "ourdl.train", "ourdl.activations", "ourdl.viz",
              "ourdl.lab", "ourdl.playground", "ourdl.autograd", "ourdl.linalg", "ourdl.graph", "ourdl.cuda", "ourdl.accelerator", "ourdl.allocator", "ourdl.backends.mps",
              "ourdl.backends.cudnn", "ourdl.autograd.functional", "ourdl.utils.data", "ourdl.utils.tensorboard")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name, monkeypatch):
    from ourdl.activations import registry

    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))  # some examples register an activation
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed in {name}"


def _public(namespace):
    module = importlib.import_module(namespace)
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    for name in names:
        obj = getattr(module, name)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and getattr(obj, "__module__", "").startswith("ourdl") \
                and not (inspect.isclass(obj) and issubclass(obj, Exception)):
            yield name, obj


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_every_public_function_and_class_shows_an_example(namespace):
    missing = [name for name, obj in _public(namespace) if ">>>" not in (obj.__doc__ or "")]
    assert not missing, f"{namespace}: public names without a runnable example in their docstring: {missing}"
