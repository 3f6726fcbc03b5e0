"""Splitting a nested state (dicts, lists, numbers, tensors) into tensors and JSON, and back.

A tensor keeps what ``torch.save`` keeps of it: a ``Parameter`` comes back a ``Parameter`` (with its
``requires_grad``), a tensor that requires grad a leaf that requires grad. Optimiser and scheduler state dicts mix tensors (momentum buffers) with plain values
(learning rates, step counts) in nested dicts and lists, some keyed by integers. A
checkpoint stores the tensors as safetensors tensors and the rest as JSON, each tensor
replaced by a reference to its name; nothing needs pickle.

>>> import ourdl
>>> tensors, tree = flatten({"state": {0: {"step": 3, "buf": ourdl.zeros(2)}}, "lr": [0.1]}, "opt")
>>> sorted(tensors), tree["state"]
(['opt.state.0.buf'], {'__items__': [[0, {'step': 3, 'buf': {'__tensor__': 'opt.state.0.buf'}}]]})
>>> unflatten(tree, tensors)["state"][0]["buf"]
tensor([0., 0.])
>>> from ourdl import nn
>>> unflatten(*reversed(flatten([nn.Parameter(ourdl.ones(1)), ourdl.ones(1, requires_grad=True)], "x")))
[Parameter containing:
tensor([1.], requires_grad=True), tensor([1.], requires_grad=True)]
"""

from __future__ import annotations

import numbers

import numpy as np

from ..nn.parameter import Parameter
from ..tensor import Tensor

_MARKS = ("__tensor__", "__ndarray__", "__items__", "__tuple__")


def flatten(value, name: str) -> tuple[dict, object]:
    """(name -> array for every tensor/array inside ``value``, a JSON-friendly copy of ``value`` referring to them).

    The arrays are named by their path from ``name``, dot-separated; with ``name=""`` a state dict's tensors
    keep their keys (``0.weight``), so the file is also a plain state dict for ``safetensors.torch.load_file``.
    """
    tensors: dict = {}
    return tensors, _encode(value, name, tensors)


def unflatten(tree, tensors: dict):
    """Rebuild the value that :func:`flatten` split, from its JSON tree and its arrays."""
    if isinstance(tree, list):
        return [unflatten(item, tensors) for item in tree]
    if not isinstance(tree, dict):
        return tree
    if "__tensor__" in tree:
        tensor = Tensor._make(tensors[tree["__tensor__"]])
        if tree.get("parameter"):
            return Parameter(tensor, requires_grad=tree.get("requires_grad", False))
        return tensor.requires_grad_() if tree.get("requires_grad") else tensor
    if "__ndarray__" in tree:
        return tensors[tree["__ndarray__"]]
    if "__tuple__" in tree:
        return tuple(unflatten(item, tensors) for item in tree["__tuple__"])
    if "__items__" in tree:
        return {unflatten(k, tensors): unflatten(v, tensors) for k, v in tree["__items__"]}
    return {key: unflatten(item, tensors) for key, item in tree.items()}


def _encode(value, name: str, tensors: dict):
    if isinstance(value, (Tensor, np.ndarray)):
        name = _unique(name, tensors)
        tensors[name] = np.asarray(value._data if isinstance(value, Tensor) else value, order="C")
        if not isinstance(value, Tensor):
            return {"__ndarray__": name}
        # as torch.save: a Parameter comes back a Parameter, a tensor that requires grad a leaf that does
        marks = {"parameter": True} if isinstance(value, Parameter) else {}
        return {"__tensor__": name, **marks, **({"requires_grad": True} if value.requires_grad else {})}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (str, bool, numbers.Number)):
        return value
    if isinstance(value, (list, tuple)):
        items = [_encode(item, _child(name, i), tensors) for i, item in enumerate(value)]
        return {"__tuple__": items} if isinstance(value, tuple) else items
    if isinstance(value, dict):
        if all(isinstance(k, str) and k not in _MARKS for k in value):
            return {k: _encode(v, _child(name, k), tensors) for k, v in value.items()}
        return {"__items__": [[_encode(k, _child(name, "key"), tensors), _encode(v, _child(name, k), tensors)]
                              for k, v in value.items()]}
    raise TypeError(f"cannot store a {type(value).__name__} at {name!r} in a checkpoint: only tensors, arrays, "
                    "numbers, strings, None, lists, tuples and dicts are stored (no pickle)")


def _unique(name: str, tensors: dict) -> str:
    """``name``, or ``name~1``, ``name~2``, ...: paths can coincide (``{'a.b': x, 'a': {'b': y}}``), stored names not."""
    unique, n = name, 0
    while unique in tensors:
        n += 1
        unique = f"{name}~{n}"
    return unique


def _child(name: str, key) -> str:
    return f"{name}.{key}" if name else str(key)
