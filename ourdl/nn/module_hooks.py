"""Module hooks: forward pre-hooks, forward hooks, full backward pre-hooks and full backward hooks,
their registration and their running around a module call (the hook half of :class:`~ourdl.nn.Module`).

A call runs, in PyTorch's order: forward pre-hooks, the backward hooks' input side, ``forward``, forward
hooks, the backward hooks' output side. The backward side routes each side's tensors that require grad
(inputs, outputs) through one :class:`BackwardHookGate` node and one identity node
(:class:`BackwardHookFunction`, a view) per tensor, fed by the gate's empty output. In backward each
identity node leaves its gradient with the call's :class:`BackwardHook`; the gate runs once all have, and
hands the side's gradients to the hooks together: at the outputs the backward pre-hooks see and may replace
``grad_output``; at the inputs the full backward hooks see ``grad_input`` and ``grad_output`` and may replace
``grad_input`` (if no input requires grad they fire at the outputs, with ``grad_input`` all ``None``). A
forward that changes a hooked input in place is an error, as in PyTorch: the change would go around the hooks.
"""

from __future__ import annotations

import warnings
from typing import Callable

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..grad_mode import is_grad_enabled
from ..autograd.hooks import RemovableHandle, add_hook
from ..tensor import Tensor

# The attributes of a Module that hold its hooks (dictionaries by handle id), with PyTorch's names.
HOOK_STORES = ("_forward_hooks", "_forward_hooks_with_kwargs", "_forward_hooks_always_called", "_forward_pre_hooks",
               "_forward_pre_hooks_with_kwargs", "_backward_hooks", "_backward_pre_hooks")


class ModuleHooks:
    """The hooks of a :class:`~ourdl.nn.Module` (its base class): their registration and their running.

    >>> from ourdl import nn
    >>> issubclass(nn.Module, ModuleHooks)
    True
    """

    def _call_with_hooks(self, args: tuple, kwargs: dict):
        """``forward`` between the hooks, in the order the module docstring gives (PyTorch's)."""
        result = None
        called = set()
        try:
            for key, hook in list(self._forward_pre_hooks.items()):
                if key in self._forward_pre_hooks_with_kwargs:
                    new = hook(self, args, kwargs)
                    if new is not None:
                        if not (isinstance(new, tuple) and len(new) == 2):
                            raise RuntimeError("forward pre-hook must return None or a tuple of "
                                               f"(new_args, new_kwargs), but got {new}.")
                        args, kwargs = new
                else:
                    new = hook(self, args)
                    if new is not None:
                        args = new if isinstance(new, tuple) else (new,)
            backward_hook = None
            if self._backward_hooks or self._backward_pre_hooks:
                # The hooks of this call are those registered now, as in PyTorch.
                backward_hook = BackwardHook(self, list(self._backward_hooks.values()),
                                             list(self._backward_pre_hooks.values()))
                args = backward_hook.setup_input_hook(args)
            result = self.forward(*args, **kwargs)
            for key, hook in list(self._forward_hooks.items()):
                if key in self._forward_hooks_always_called:
                    called.add(key)
                result = self._run_forward_hook(key, hook, args, kwargs, result)
            if backward_hook is not None:
                result = backward_hook.setup_output_hook(result)
            return result
        except Exception:
            for key, hook in list(self._forward_hooks.items()):
                if key not in self._forward_hooks_always_called or key in called:
                    continue
                try:
                    result = self._run_forward_hook(key, hook, args, kwargs, result)
                except Exception as error:
                    warnings.warn("module forward hook with ``always_call=True`` raised an exception that was "
                                  f"silenced as another error was raised in forward: {error}", stacklevel=3)
            raise

    def _run_forward_hook(self, key, hook: Callable, args: tuple, kwargs: dict, result):
        """The output after one forward hook: what it returned, or ``result`` if that is None."""
        if key in self._forward_hooks_with_kwargs:
            new = hook(self, args, kwargs, result)
        else:
            new = hook(self, args, result)
        return result if new is None else new

    # -- registration ----------------------------------------------------------------------
    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """Call ``hook`` before every forward; what it returns replaces the arguments.

        ``hook(module, args) -> None or new args`` (a value that is not a tuple is wrapped into one); with
        ``with_kwargs=True``, ``hook(module, args, kwargs) -> None or (new_args, new_kwargs)``. ``args`` holds the
        positional arguments only. Hooks run in the order of registration, or first with ``prepend=True``. Returns a
        handle whose ``remove()`` takes the hook off.

        >>> import ourdl
        >>> from ourdl import nn
        >>> layer = nn.Identity()
        >>> handle = layer.register_forward_pre_hook(lambda m, args: args[0] * 10)
        >>> layer(ourdl.tensor([1.0, 2.0]))
        tensor([10., 20.])
        >>> handle.remove(); layer(ourdl.tensor([1.0, 2.0]))
        tensor([1., 2.])
        >>> class Scale(nn.Module):
        ...     def forward(self, x, factor=1.0):
        ...         return x * factor
        >>> m = Scale()
        >>> _ = m.register_forward_pre_hook(lambda m, args, kwargs: (args, {"factor": 3.0}), with_kwargs=True)
        >>> m(ourdl.tensor([1.0]))
        tensor([3.])
        """
        handle = add_hook(self._forward_pre_hooks, hook, prepend, (self._forward_pre_hooks_with_kwargs,))
        if with_kwargs:
            self._forward_pre_hooks_with_kwargs[handle.id] = True
        return handle

    def register_forward_hook(self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """Call ``hook`` after every forward; a non-None return replaces the output.

        ``hook(module, args, output)``, or ``hook(module, args, kwargs, output)`` with ``with_kwargs=True``; ``args``
        are the positional arguments the forward received (after the pre-hooks). With ``always_call=True`` the hook
        also runs when the forward (or a hook before it) raised, with ``output=None`` if there is none yet; the error
        is raised again afterwards, and an error in the hook itself is then only a warning. Hooks run in the order of
        registration, or first with ``prepend=True``.

        >>> import ourdl
        >>> from ourdl import nn
        >>> seen = []
        >>> layer = nn.Linear(2, 3)
        >>> handle = layer.register_forward_hook(lambda m, args, out: seen.append(out.shape))
        >>> _ = layer(ourdl.ones(4, 2)); seen
        [ourdl.Size([4, 3])]
        >>> handle.remove()
        >>> def check(m, args, out):
        ...     seen.append("checked")
        >>> _ = layer.register_forward_hook(check, always_call=True)
        >>> layer(ourdl.ones(4, 5))
        Traceback (most recent call last):
        ...
        RuntimeError: ...
        >>> seen[-1]
        'checked'
        """
        handle = add_hook(self._forward_hooks, hook, prepend,
                          (self._forward_hooks_with_kwargs, self._forward_hooks_always_called))
        if with_kwargs:
            self._forward_hooks_with_kwargs[handle.id] = True
        if always_call:
            self._forward_hooks_always_called[handle.id] = True
        return handle

    def register_full_backward_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Call ``hook(module, grad_output)`` when the gradients of this module's outputs are computed.

        ``grad_output`` holds one entry per output (the forward's tensor or tuple): the gradient as a tensor, ``None``
        for an output that is not a tensor, does not require grad or received no gradient. The hook may return a
        replacement tuple of the same length (entries of the outputs' shapes and dtypes, or None), which flows into
        the module's backward in place of ``grad_output``. The hook does not fire for a forward whose outputs do not
        require grad.

        The forward receives views of its input tensors and the caller gets views of the outputs; a forward that
        changes an input in place is an error.

        >>> import ourdl
        >>> from ourdl import nn
        >>> layer = nn.Linear(2, 1)
        >>> _ = layer.register_full_backward_pre_hook(lambda m, grad_output: (grad_output[0] * 0,))
        >>> x = ourdl.ones(1, 2, requires_grad=True)
        >>> layer(x).sum().backward(); x.grad
        tensor([[0., 0.]])
        """
        return add_hook(self._backward_pre_hooks, hook, prepend)

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Call ``hook(module, grad_input, grad_output)`` when the gradients of this module's inputs are computed.

        ``grad_input`` holds one entry per positional argument of the forward: the gradient as a tensor; ``None`` for
        an argument that is not a tensor; zeros for a tensor that received no gradient (it does not require grad or
        the forward did not use it). Keyword arguments are not included. ``grad_output`` is what the backward
        pre-hooks ended with (see :meth:`register_full_backward_pre_hook`). The hook may return a replacement tuple of
        the same length, which flows on to the inputs in place of ``grad_input``.

        When no input requires grad, the hook fires (with a warning) once the output gradients are known, with
        ``grad_input`` all ``None``, and must return ``None``. With ``create_graph=True`` the gradients are
        differentiable tensors. Hooks are those registered when the forward ran: removing one afterwards does not
        affect that call's backward.

        >>> import ourdl
        >>> from ourdl import nn
        >>> layer = nn.Linear(2, 1)
        >>> _ = layer.register_full_backward_hook(lambda m, grad_input, grad_output: (grad_input[0] * 2,))
        >>> with ourdl.no_grad():
        ...     _ = layer.weight.copy_(ourdl.tensor([[1.0, -1.0]]))
        >>> x = ourdl.ones(1, 2, requires_grad=True)
        >>> layer(x).sum().backward(); x.grad
        tensor([[ 2., -2.]])
        """
        return add_hook(self._backward_hooks, hook, prepend)


class BackwardHookGate(ArrayFunction):
    """Joins the tensors of one side of a module call; its backward hands their gradients to the hooks."""

    @staticmethod
    def forward(ctx, *tensors, side):
        ctx.side = side
        return np.zeros(0)

    @staticmethod
    def backward(ctx, grad):
        return ctx.side.hook.gradients_reached(ctx.side, isinstance(grad, Tensor))


class BackwardHookFunction(ArrayFunction):
    """The identity on one tensor (a view of it); its backward leaves the gradient with the gate's side."""

    is_view = True
    view_changes_allowed = False  # as in PyTorch: the hooks would not see a gradient changed in place

    @staticmethod
    def forward(ctx, value, gate, *, side, slot):
        ctx.side = side
        ctx.slot = slot
        return value

    @staticmethod
    def backward(ctx, grad):
        ctx.side.arrived[ctx.slot] = grad
        empty = np.zeros(0)
        return None, Tensor._make(empty) if isinstance(grad, Tensor) else empty


class _HookedSide:
    """The positional values of one side of a call: which are tensors, which are wrapped, what reached them."""

    __slots__ = ("hook", "is_input", "size", "meta", "wrapped", "arrived", "versions")

    def __init__(self, hook: "BackwardHook", values: tuple, is_input: bool):
        self.hook = hook
        self.is_input = is_input
        self.size = len(values)
        self.meta = {i: (v._data.shape, v._data.dtype) for i, v in enumerate(values) if isinstance(v, Tensor)}
        self.wrapped = [i for i in self.meta if values[i]._requires_grad]
        self.arrived = [None] * len(self.wrapped)
        self.versions = ()  # of the hooked inputs' views, to catch a forward that changes one in place


class BackwardHook:
    """The backward pre-hooks and full backward hooks of one module call, and the gradients between them.

    ``setup_input_hook(args)`` before the forward and ``setup_output_hook(result)``
    after it return the values with their tensors routed through the hook nodes.

    >>> import ourdl
    >>> from ourdl import nn
    >>> seen = []
    >>> layer = nn.Linear(2, 2)
    >>> hook = BackwardHook(layer, [lambda m, gi, go: seen.append("full")], [lambda m, go: seen.append("pre")])
    >>> (x,) = hook.setup_input_hook((ourdl.ones(1, 2, requires_grad=True),))
    >>> hook.setup_output_hook(layer.forward(x)).sum().backward(); seen
    ['pre', 'full']
    """

    def __init__(self, module, hooks: list, pre_hooks: list):
        self.module = module
        self.hooks = hooks
        self.pre_hooks = pre_hooks
        self.grad_outputs = None
        self.n_inputs = 0
        self.inputs = None  # the wrapped input side; None when no input requires grad

    def setup_input_hook(self, args: tuple) -> tuple:
        """``args`` with each tensor that requires grad replaced by a hooked view of it."""
        self.n_inputs = len(args)
        self.inputs, args = self._wrap(args, is_input=True)
        return args

    def setup_output_hook(self, result):
        """``result`` (a tensor or a tuple) with each tensor that requires grad replaced by a hooked view of it.

        Raises if the forward (or a forward hook) changed one of the hooked inputs in place."""
        self._check_inputs_unchanged()
        if not isinstance(result, (Tensor, tuple)):
            warnings.warn("For backward hooks to be called, module output should be a Tensor or a tuple of Tensors"
                          f" but received {type(result)}", stacklevel=4)
        if isinstance(result, tuple):
            return self._wrap(result, is_input=False)[1]
        return self._wrap((result,), is_input=False)[1][0]

    def _wrap(self, values: tuple, is_input: bool):
        """The side's record (None if nothing is wrapped) and ``values`` with their tensors routed through the gate."""
        side = _HookedSide(self, values, is_input)
        if not side.wrapped or not is_grad_enabled():
            return None, values
        gate = BackwardHookGate.apply(*[values[i] for i in side.wrapped], side=side)
        new = list(values)
        for slot, i in enumerate(side.wrapped):
            new[i] = BackwardHookFunction.apply(values[i], gate, side=side, slot=slot)
        if is_input:
            side.versions = [(i, new[i]._version, new[i]._version.value) for i in side.wrapped]
        return side, tuple(new) if type(values) is tuple else type(values)(*new)  # a named tuple keeps its type

    def _check_inputs_unchanged(self) -> None:
        for i, counter, version in self.inputs.versions if self.inputs is not None else ():
            if counter.value != version:
                raise RuntimeError(
                    f"{type(self.module).__name__}.forward changed its input {i} in place. With backward hooks "
                    "registered the forward receives a view of each input, and an in-place change of it would go "
                    "around the hooks, giving them wrong gradients (PyTorch forbids it too). Clone the input before "
                    "changing it (x = x.clone()), or change it out of place.")

    # -- backward ------------------------------------------------------------------------
    def gradients_reached(self, side: _HookedSide, tensor_mode: bool) -> tuple:
        """Called by a gate once every gradient of its side is in: run the hooks, return the gradients to pass on."""
        arrived, side.arrived = side.arrived, [None] * len(side.wrapped)
        if side.is_input:
            if self.grad_outputs is None:  # reached without passing through the outputs (e.g. a double backward)
                return tuple(arrived)
            grads = self._as_tensors(side, arrived, zeros=True)
            for hook in self.hooks:
                grads = _replacement(hook, self.module, grads, side, "grad_input", (grads, self.grad_outputs))
            self.grad_outputs = None
        else:
            grads = self._as_tensors(side, arrived, zeros=False)
            for hook in self.pre_hooks:
                grads = _replacement(hook, self.module, grads, side, "grad_output", (grads,))
            self.grad_outputs = grads
            if self.inputs is None and self.hooks:
                self._call_without_inputs()
        return _pass_on(side, grads, arrived, tensor_mode)

    def _as_tensors(self, side: _HookedSide, arrived: list, zeros: bool) -> tuple:
        """One entry per positional value: its gradient as a tensor; ``None`` for non-tensors. A tensor that
        received no gradient gets zeros on the input side (PyTorch's materialised gradient), ``None`` on the output side."""
        received = dict(zip(side.wrapped, arrived))
        grads = [None] * side.size
        for i, (shape, dtype) in side.meta.items():
            g = received.get(i)
            if g is not None:
                grads[i] = g if isinstance(g, Tensor) else Tensor._make(g)
            elif zeros:
                grads[i] = Tensor._make(np.zeros(shape, dtype))
        return tuple(grads)

    def _call_without_inputs(self) -> None:
        warnings.warn("Full backward hook is firing when gradients are computed with respect to module outputs since "
                      "no inputs require gradients. See the docstring of Module.register_full_backward_hook.",
                      stacklevel=2)
        grad_input = (None,) * self.n_inputs
        for hook in self.hooks:
            result = hook(self.module, grad_input, self.grad_outputs)
            if result is not None and not (isinstance(result, tuple) and all(r is None for r in result)):
                raise RuntimeError("Backward hook for Modules where no input requires gradient should always "
                                   "return None or None for all gradients.")
        self.grad_outputs = None


def _replacement(hook, module, grads: tuple, side: _HookedSide, what: str, hook_args: tuple) -> tuple:
    """Call ``hook`` and check what it returned: ``grads`` unchanged, or its replacement."""
    result = hook(module, *hook_args)
    if result is None:
        return grads
    kind = "Backward hook" if side.is_input else "Backward pre hook"
    if len(result) != len(grads):
        raise RuntimeError(f"{kind} returned an invalid number of {what}, got {len(result)}, but expected {len(grads)}")
    name = getattr(hook, "__name__", type(hook).__name__)
    for i in side.wrapped:
        g = result[i]
        if g is None:
            continue
        if not isinstance(g, Tensor):
            raise TypeError(f"{kind} {name!r} returned a {type(g).__name__} in {what}[{i}]; expected a Tensor or None")
        shape, dtype = side.meta[i]
        if g._data.shape != shape:
            raise RuntimeError(f"hook {name!r} has changed the size of value in {what}[{i}] "
                               f"(was {list(shape)} got {list(g._data.shape)})")
        if g._data.dtype != dtype:
            raise RuntimeError(f"hook {name!r} has changed the type of value in {what}[{i}] "
                               f"(was {dtype} got {g._data.dtype})")
    return tuple(result)


def _pass_on(side: _HookedSide, grads: tuple, arrived: list, tensor_mode: bool) -> tuple:
    """The gradients for the gate's inputs: what arrived where no hook replaced it, else the replacement
    (copied outside ``create_graph``, so that accumulating into ``.grad`` never writes into a hook's tensor)."""
    out = []
    for i, g in zip(side.wrapped, arrived):
        new = grads[i]
        if new is None or tensor_mode:
            out.append(new)
        elif g is not None and new._data is g:
            out.append(g)
        else:
            out.append(new._data.copy())
    return tuple(out)
