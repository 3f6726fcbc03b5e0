"""Module backward hooks: the gradients of one module call, caught in the graph and handed to its hooks.

``Module.__call__`` routes the module's tensor inputs and outputs through
identity nodes (:class:`BackwardHookFunction`), as PyTorch does. A node has
one output here, so each side (inputs, outputs) is one :class:`BackwardHookGate`
node over the side's tensors that require grad, plus one identity node per
tensor, fed by the gate's (empty) output. In backward every identity node
leaves its tensor's gradient with the call's :class:`BackwardHook`; the gate
runs once all of them have run and hands the side's gradients to the hooks
together:

- at the outputs, the backward pre-hooks see ``grad_output`` and may replace it;
- at the inputs, the full backward hooks see ``grad_input`` and ``grad_output``
  and may replace ``grad_input``; when no input requires grad they fire at the
  outputs instead, with ``grad_input`` all ``None``.

The identity outputs are views of the tensors they stand for. A forward that
changes a hooked input in place is an error, as in PyTorch: the change would go
around the hooks.

>>> import ourdl
>>> from ourdl import nn
>>> layer = nn.Linear(2, 1)
>>> _ = layer.register_full_backward_hook(lambda m, grad_input, grad_output: print(grad_input[0].shape))
>>> y = layer(ourdl.ones(3, 2, requires_grad=True)); y.grad_fn
<BackwardHookFunctionBackward0>
>>> y.sum().backward()
ourdl.Size([3, 2])
"""

from __future__ import annotations

import warnings

import numpy as np

from ..autograd.function import Function
from ..grad_mode import is_grad_enabled
from ..tensor import Tensor


class BackwardHookGate(Function):
    """Joins the tensors of one side of a module call; its backward hands their gradients to the hooks."""

    @staticmethod
    def forward(ctx, *tensors, side):
        ctx.side = side
        return np.zeros(0)

    @staticmethod
    def backward(ctx, grad):
        return ctx.side.hook.gradients_reached(ctx.side, isinstance(grad, Tensor))


class BackwardHookFunction(Function):
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


class _Side:
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
        side = _Side(self, values, is_input)
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
                    "changing it (x = x.clone()), or change it out of place."
                )

    # -- backward ------------------------------------------------------------------------
    def gradients_reached(self, side: _Side, tensor_mode: bool) -> tuple:
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

    def _as_tensors(self, side: _Side, arrived: list, zeros: bool) -> tuple:
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


def _replacement(hook, module, grads: tuple, side: _Side, what: str, hook_args: tuple) -> tuple:
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


def _pass_on(side: _Side, grads: tuple, arrived: list, tensor_mode: bool) -> tuple:
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
