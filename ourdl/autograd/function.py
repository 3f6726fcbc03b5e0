"""``Function``: a differentiable operation written by the user, on tensors, as in PyTorch.

``forward(ctx, *args)`` receives the arguments as given (tensors stay tensors) and runs under ``no_grad``;
it returns a tensor or a tuple of tensors. ``backward(ctx, *grad_outputs)`` receives one gradient per
output and returns one per argument of ``forward`` (``None`` for arguments that are not tensors or need
none). ``ctx.save_for_backward(*tensors)`` keeps tensors for ``backward`` (``ctx.saved_tensors``; a later
in-place change of one is an error), ``ctx.needs_input_grad`` says which arguments need a gradient,
``ctx.mark_non_differentiable``, ``ctx.mark_dirty`` and ``ctx.set_materialize_grads`` work as in PyTorch.
Under ``create_graph=True`` ``backward`` runs with gradients recorded, so a ``backward`` written with
differentiable ops gives second derivatives; :func:`once_differentiable` marks one that is not.
ourdl's own ops use :class:`~ourdl.autograd.array_function.ArrayFunction` (forward on arrays) instead.

PyTorch's tutorial example:

>>> import ourdl
>>> class MyReLU(Function):
...     @staticmethod
...     def forward(ctx, input):
...         ctx.save_for_backward(input)
...         return input.clamp(min=0)
...
...     @staticmethod
...     def backward(ctx, grad_output):
...         (input,) = ctx.saved_tensors
...         grad_input = grad_output.clone()
...         grad_input[input < 0] = 0
...         return grad_input
>>> x = ourdl.tensor([-1.0, 2.0], requires_grad=True)
>>> y = MyReLU.apply(x); y
tensor([0., 2.], grad_fn=<MyReLUBackward>)
>>> y.sum().backward(); x.grad
tensor([0., 1.])
"""

from __future__ import annotations

import functools

import numpy as np

from ..grad_mode import is_grad_enabled, no_grad, state
from ..tensor import Tensor
from ..view_tracking import make_view, version_of
from .array_function import ArrayFunction
from .node import Node, OutputSlot, SavedOutput, edge_of


class Function(Node):
    """Base class of user-defined differentiable operations; an instance is the graph node and the ``ctx``.

    Several outputs each get their gradient in ``backward``; gradients of unused outputs are zeros (or
    ``None`` after ``ctx.set_materialize_grads(False)``).

    >>> import ourdl
    >>> class SinCos(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x.sin(), x.cos()
    ...
    ...     @staticmethod
    ...     def backward(ctx, grad_sin, grad_cos):
    ...         (x,) = ctx.saved_tensors
    ...         return grad_sin * x.cos() - grad_cos * x.sin()
    >>> x = ourdl.tensor(0.0, requires_grad=True)
    >>> s, c = SinCos.apply(x)
    >>> s.grad_fn is c.grad_fn, s.grad_fn.next_functions[0][0].variable is x
    (True, True)
    >>> (s + c).backward(); x.grad
    tensor(1.)
    """

    grads_are_fresh = False  # the user's backward may hand back a tensor it keeps (a saved one, grad_output)
    _tensor_mode = True
    _materialize = True
    _dirty = ()
    _non_differentiable = ()
    _output_meta = (None,)

    # -- defined by subclasses ---------------------------------------------------
    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs: tuple, output) -> None:
        """Optional: with it, ``forward(*args)`` takes no ``ctx`` and this fills ``ctx`` from inputs and output."""
        raise NotImplementedError("setup_context is not overridden: forward receives ctx")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    def __call__(self, *args, **kwargs):
        raise RuntimeError("Legacy autograd function with non-static forward method is deprecated. Please use "
                           "new-style autograd function with static forward method: call YourFunction.apply(...).")

    # -- what forward may say about its outputs ------------------------------------------
    def mark_non_differentiable(self, *outputs: Tensor) -> None:
        """These outputs get no gradient (``requires_grad=False``); ``backward`` receives zeros for them."""
        self._non_differentiable = self._non_differentiable + tuple(id(t) for t in outputs)

    def mark_dirty(self, *tensors: Tensor) -> None:
        """These inputs were changed in place by ``forward`` (and are returned): this node becomes their history."""
        self._dirty = self._dirty + tuple(id(t) for t in tensors)

    def set_materialize_grads(self, value: bool) -> None:
        """``False``: gradients of outputs that got none reach ``backward`` as ``None``, not as zeros."""
        self._materialize = bool(value)

    def save_for_backward(self, *tensors) -> None:
        """Keep tensors (or ``None``) for ``backward``; read them back with ``ctx.saved_tensors``."""
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save variables, but argument {i} is of type "
                                f"{type(t).__name__}")
        self._saved = tensors

    def name(self) -> str:
        return type(self).__name__ + "Backward"

    # -- running -------------------------------------------------------------------
    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward`` under ``no_grad`` on ``args``; record the node if a tensor argument requires grad."""
        if cls.forward is Function.forward:
            raise NotImplementedError("You must implement the forward function for custom autograd.Function.")
        needing = [a if isinstance(a, Tensor) and a._requires_grad else None for a in args]
        recording = state.enabled and any(t is not None for t in needing)
        ctx = object.__new__(cls)
        ctx._recording = recording
        ctx.inputs = tuple([None if t is None else t._data for t in needing])
        ctx.edges = tuple([None if t is None else edge_of(t) for t in needing])
        with no_grad():
            if cls.setup_context is Function.setup_context:
                output = cls.forward(ctx, *args, **kwargs)
            else:
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, output)
        if not recording:
            return output
        several = isinstance(output, tuple)
        outputs = list(output) if several else [output]
        seen = {id(a) for a in args if isinstance(a, Tensor)}
        differentiable = {}
        for i, out in enumerate(outputs):
            if not isinstance(out, Tensor):
                continue
            if id(out) in ctx._dirty:
                if out._grad_fn is None and out._requires_grad:
                    raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
            elif id(out) in seen:  # an input (or an earlier output) handed back: the output is a view of it
                alias = Tensor._make(out._data)
                make_view(alias, out)
                out = outputs[i] = alias
            seen.add(id(out))
            if out._data.dtype.kind in "fc" and id(out) not in ctx._non_differentiable:
                out._grad_fn, out._requires_grad = ctx, True
                differentiable[id(out)] = i
            else:
                out._grad_fn, out._requires_grad = None, False
        ctx._output_meta = tuple((o._data.shape, o._data.dtype) if isinstance(o, Tensor) else None for o in outputs)
        if several:
            ctx.output_ids = differentiable
            ctx._slots = tuple(OutputSlot(ctx, i, len(outputs)) for i in range(len(outputs)))
        ctx._args = args
        ctx._versions = tuple(None if t is None else version_of(t) for t in ctx._saved)
        if ctx._saved:  # outputs saved as they are would make output -> node -> output cycles
            made = {id(t): i for i, t in enumerate(outputs) if isinstance(t, Tensor) and t._grad_fn is ctx}
            ctx._saved = tuple(SavedOutput(t, made[id(t)]) if id(t) in made else t for t in ctx._saved)
        return tuple(outputs) if several else outputs[0]

    def _backward(self, grad, tensor_mode: bool) -> tuple:
        given = []
        for g, meta in zip(grad if self.output_ids is not None else (grad,), self._output_meta):
            if g is None:
                if self._materialize and meta is not None:
                    g = Tensor._make(np.zeros(meta[0], dtype=meta[1]))
            elif not tensor_mode:
                g = Tensor._make(g)
            given.append(g)
        result = type(self).backward(self, *given)
        if not isinstance(result, tuple):
            result = (result,)
        expected = len(self.inputs)
        if len(result) > expected and all(r is None for r in result[expected:]):
            result = result[:expected]
        if len(result) != expected:
            raise RuntimeError(f"function {self.name()} returned an incorrect number of gradients "
                               f"(expected {expected}, got {len(result)})")
        grads = []
        for i, (r, needed, meta) in enumerate(zip(result, self.inputs, self.input_meta)):
            if r is None:
                grads.append(None)
                continue
            if not isinstance(r, Tensor):
                raise RuntimeError(f"function {self.name()} returned a gradient of type {type(r).__name__} at "
                                   f"position {i + 1}: expected Tensor or None")
            if meta is None:
                raise RuntimeError(f"function {self.name()} returned a gradient different than None at position "
                                   f"{i + 1}, but the corresponding forward input was not a Variable")
            grads.append(None if needed is None else r if tensor_mode else r._data)
        return tuple(grads)


class DelayedError(ArrayFunction):
    """The identity, whose backward raises: marks results of a ``once_differentiable`` backward computed while
    gradients are recorded, so that differentiating them again fails loudly instead of giving zeros."""

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError("trying to differentiate twice a function that was marked with @once_differentiable")


def once_differentiable(backward):
    """Mark a ``backward`` that is not itself differentiable: it runs under ``no_grad`` (so it may use anything,
    even NumPy), and a second derivative through it raises instead of coming out wrong.

    >>> import ourdl
    >>> class Square(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x
    ...
    ...     @staticmethod
    ...     @once_differentiable
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return ourdl.from_numpy(2 * x.detach().numpy() * grad.detach().numpy())
    >>> x = ourdl.tensor([3.0], requires_grad=True)
    >>> Square.apply(x).sum().backward(); x.grad
    tensor([6.])
    """

    @functools.wraps(backward)
    def wrapper(ctx, *grad_outputs):
        with no_grad():
            result = backward(ctx, *grad_outputs)
        if not is_grad_enabled() or not any(isinstance(g, Tensor) and g.requires_grad for g in grad_outputs):
            return result
        several = isinstance(result, tuple)
        # A detached alias that requires grad, so that the error node is recorded whatever ``result`` was made of.
        marked = tuple(DelayedError.apply(r.detach().requires_grad_()) if isinstance(r, Tensor) else r
                       for r in (result if several else (result,)))
        return marked if several else marked[0]

    return wrapper
