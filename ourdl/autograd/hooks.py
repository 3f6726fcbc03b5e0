"""Tensor hooks: functions that see, and may replace, a tensor's gradient during ``backward``.

``t.register_hook(hook)`` calls ``hook(grad)`` whenever the gradient with respect to ``t``
has been summed over all its uses; a tensor returned replaces it from there on (in what
flows further back, in ``.grad`` and in what ``autograd.grad`` returns). A hook on a
non-leaf belongs to the node that made ``t``, as in PyTorch.
``leaf.register_post_accumulate_grad_hook(hook)`` calls ``hook(leaf)`` once ``leaf.grad``
has been updated, e.g. to step an optimiser parameter by parameter.

>>> import ourdl
>>> x = ourdl.tensor([1.0, 2.0], requires_grad=True)
>>> y = x * 3
>>> handle = y.register_hook(lambda grad: grad * 10)
>>> y.sum().backward(); x.grad
tensor([30., 30.])
>>> handle.remove()
"""

from __future__ import annotations

import itertools

import numpy as np

from ..tensor import Tensor
from .node import edge_of

_ids = itertools.count()


class RemovableHandle:
    """Removes one hook from the dictionary it was added to (and its entries in ``extra``, dictionaries of
    per-hook flags); usable as a context manager.

    >>> hooks, flags = {}, {}
    >>> handle = RemovableHandle(hooks, "key", (flags,))
    >>> hooks["key"] = print; flags["key"] = True
    >>> handle.remove(); hooks, flags
    ({}, {})
    """

    def __init__(self, hooks: dict, key, extra: tuple = ()):
        self._hooks = hooks
        self._extra = extra
        self.id = key

    def remove(self) -> None:
        self._hooks.pop(self.id, None)
        for flags in self._extra:
            flags.pop(self.id, None)

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


def add_hook(hooks: dict, hook, prepend: bool = False, extra: tuple = ()) -> RemovableHandle:
    """Add ``hook`` to ``hooks`` (last, or first with ``prepend``) under a fresh id and return its handle
    (which also removes the id from the ``extra`` flag dictionaries).

    >>> hooks = {}
    >>> _ = add_hook(hooks, print); _ = add_hook(hooks, repr, prepend=True)
    >>> list(hooks.values()) == [repr, print]
    True
    """
    key = next(_ids)
    hooks[key] = hook
    if prepend:
        hooks_in_order = [(key, hook)] + [(k, h) for k, h in hooks.items() if k != key]
        hooks.clear()
        hooks.update(hooks_in_order)
    return RemovableHandle(hooks, key, extra)


def register_hook(tensor: Tensor, hook) -> RemovableHandle:
    """Call ``hook(grad)`` each time the gradient with respect to ``tensor`` is computed; a returned tensor replaces it.

    >>> import ourdl
    >>> w = ourdl.ones(2, requires_grad=True)
    >>> _ = w.register_hook(lambda grad: grad.clamp(max=1.0))
    >>> (w * 5).sum().backward(); w.grad
    tensor([1., 1.])
    """
    if not tensor.requires_grad:
        raise RuntimeError("register_hook: cannot register a hook on a tensor that doesn't require gradient")
    key = edge_of(tensor)
    if key._hooks is None:
        key._hooks = {}
    return add_hook(key._hooks, hook)


def register_post_accumulate_grad_hook(tensor: Tensor, hook) -> RemovableHandle:
    """Call ``hook(tensor)`` after each accumulation into the leaf ``tensor``'s ``.grad``.

    >>> import ourdl
    >>> w = ourdl.ones(2, requires_grad=True)
    >>> _ = w.register_post_accumulate_grad_hook(lambda p: print("grad", p.grad))
    >>> (w * 2).sum().backward()
    grad tensor([2., 2.])
    """
    if tensor.grad_fn is not None:
        raise RuntimeError("register_post_accumulate_grad_hook: post accumulate grad hooks cannot be registered on "
                           "non-leaf tensors")
    if not tensor.requires_grad:
        raise RuntimeError("register_post_accumulate_grad_hook: cannot register a hook on a tensor that doesn't "
                           "require gradient")
    if tensor._post_accumulate_hooks is None:
        tensor._post_accumulate_hooks = {}
    return add_hook(tensor._post_accumulate_hooks, hook)


def run_hooks(hooks: dict, grad, tensor_mode: bool):
    """``grad`` passed through each hook in turn (an array, or a tensor under ``create_graph``)."""
    for hook in tuple(hooks.values()):
        result = hook(grad if tensor_mode else Tensor._make(grad))
        if result is None:
            continue
        if not isinstance(result, Tensor):
            raise TypeError(f"a tensor hook must return a Tensor or None, got {type(result).__name__} from {hook!r}")
        if tuple(result.shape) != tuple(np.shape(grad)):
            raise RuntimeError(f"hook {hook!r} returned a gradient of shape {list(result.shape)}; expected "
                               f"{list(np.shape(grad))}, the shape of the tensor it is registered on")
        grad = result if tensor_mode else result._data
    return grad
