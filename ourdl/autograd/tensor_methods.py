"""The autograd methods of :class:`~ourdl.tensor.Tensor`: ``backward``, ``register_hook`` and
``register_post_accumulate_grad_hook`` (bound by :mod:`ourdl.ops.methods`, with every other method).

>>> import ourdl
>>> x = ourdl.tensor(2.0, requires_grad=True)
>>> (x * x).backward(); x.grad
tensor(4.)
"""

from __future__ import annotations

from . import engine, hooks

METHODS = ["backward", "register_hook", "register_post_accumulate_grad_hook"]


def backward(self, gradient=None, retain_graph=None, create_graph: bool = False, inputs=None) -> None:
    """Accumulate d(self)/d(leaf) into ``leaf.grad`` for every leaf that requires grad.

    ``gradient`` is required unless ``self`` has one element. The graph is
    freed afterwards unless ``retain_graph=True``; ``create_graph=True``
    records the backward pass itself, for higher derivatives.

    >>> import ourdl
    >>> x = ourdl.tensor(3.0, requires_grad=True)
    >>> (x ** 2).backward(); x.grad
    tensor(6.)
    """
    engine.backward(self, gradient, retain_graph=retain_graph, create_graph=create_graph, inputs=inputs)


def register_hook(self, hook):
    """Call ``hook(grad)`` whenever the gradient with respect to this tensor is computed; a tensor it
    returns replaces the gradient. Returns a handle whose ``remove()`` takes the hook off.

    >>> import ourdl
    >>> x = ourdl.tensor([1.0, -1.0], requires_grad=True)
    >>> _ = x.register_hook(lambda grad: print("d/dx:", grad))
    >>> (x * x).sum().backward()
    d/dx: tensor([ 2., -2.])
    """
    return hooks.register_hook(self, hook)


def register_post_accumulate_grad_hook(self, hook):
    """Call ``hook(self)`` after each accumulation into this leaf's ``.grad``.

    >>> import ourdl
    >>> w = ourdl.ones(1, requires_grad=True)
    >>> _ = w.register_post_accumulate_grad_hook(lambda p: print(p.grad))
    >>> (3 * w).sum().backward()
    tensor([3.])
    """
    return hooks.register_post_accumulate_grad_hook(self, hook)
