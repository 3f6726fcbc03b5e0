"""``Module``: the base class of every layer and model, with PyTorch's contract.

A Module owns parameters (:class:`Parameter` attributes), buffers (tensors
saved with the model but not trained, ``register_buffer``) and sub-modules
(Module attributes). Assigning one of these to an attribute registers it;
``named_parameters()``, ``state_dict()`` and ``repr`` then walk the tree
in the order of registration, with PyTorch's dotted names (``0.weight``,
``layers.1.bias``), so a state dict moves to and from PyTorch unchanged.

>>> import ourdl
>>> from ourdl import nn
>>> class Net(nn.Module):
...     def __init__(self):
...         super().__init__()
...         self.fc = nn.Linear(2, 1)
...     def forward(self, x):
...         return self.fc(x)
>>> [name for name, _ in Net().named_parameters()]
['fc.weight', 'fc.bias']
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from typing import Callable, Iterator, NamedTuple

import numpy as np

from ..autograd.hooks import RemovableHandle, add_hook
from ..dtypes import as_dtype
from ..ops.conversion import parse_to_args
from ..tensor import Tensor
from .backward_hooks import BackwardHook
from .parameter import Parameter


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` returns: the keys that did not match."""

    missing_keys: list
    unexpected_keys: list

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return f"_IncompatibleKeys(missing_keys={self.missing_keys}, unexpected_keys={self.unexpected_keys})"


class Module:
    """Base class for all neural network modules; subclasses define ``forward``.

    Call the module (``m(x)``), not ``m.forward(x)``, so that hooks run.
    ``training`` is True after construction; ``eval()`` switches layers such
    as Dropout and BatchNorm to inference behaviour.

    >>> import ourdl
    >>> from ourdl import nn
    >>> class Scale(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.w = nn.Parameter(ourdl.ones(2))
    ...     def forward(self, x):
    ...         return self.w * x
    >>> m = Scale()
    >>> m(ourdl.tensor([1.0, 2.0]))
    tensor([1., 2.], grad_fn=<MulBackward0>)
    >>> [name for name, _ in m.named_parameters()]
    ['w']
    >>> m.eval().training
    False
    """

    training: bool

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() got unexpected arguments; Module.__init__ takes none")
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = {}
        d["_buffers"] = {}
        d["_non_persistent_buffers_set"] = set()
        d["_modules"] = {}
        d["_forward_hooks"] = {}
        d["_forward_hooks_with_kwargs"] = {}
        d["_forward_hooks_always_called"] = {}
        d["_forward_pre_hooks"] = {}
        d["_forward_pre_hooks_with_kwargs"] = {}
        d["_backward_hooks"] = {}
        d["_backward_pre_hooks"] = {}

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    # -- calling -----------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if not (self._forward_pre_hooks or self._forward_hooks or self._backward_pre_hooks or self._backward_hooks):
            return self.forward(*args, **kwargs)
        return self._call_with_hooks(args, kwargs)

    def _call_with_hooks(self, args: tuple, kwargs: dict):
        """``forward`` between the hooks, in PyTorch's order: forward pre-hooks, the backward hooks' input side,
        ``forward``, forward hooks, the backward hooks' output side."""
        result = None
        called = set()
        try:
            for key, hook in list(self._forward_pre_hooks.items()):
                if key in self._forward_pre_hooks_with_kwargs:
                    new = hook(self, args, kwargs)
                    if new is not None:
                        if not (isinstance(new, tuple) and len(new) == 2):
                            raise RuntimeError(
                                f"forward pre-hook must return None or a tuple of (new_args, new_kwargs), but got {new}."
                            )
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

    # -- hooks ---------------------------------------------------------------------------
    def register_forward_pre_hook(self, hook: Callable, *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """Call ``hook`` before every forward; what it returns replaces the arguments.

        ``hook(module, args) -> None or new args`` (a value that is not a tuple
        is wrapped into one); with ``with_kwargs=True``,
        ``hook(module, args, kwargs) -> None or (new_args, new_kwargs)``.
        ``args`` holds the positional arguments only. Hooks run in the order
        of registration, or first with ``prepend=True``. Returns a handle
        whose ``remove()`` takes the hook off.

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

        ``hook(module, args, output)``, or ``hook(module, args, kwargs, output)``
        with ``with_kwargs=True``; ``args`` are the positional arguments the
        forward received (after the pre-hooks). With ``always_call=True`` the
        hook also runs when the forward (or a hook before it) raised, with
        ``output=None`` if there is none yet; the error is raised again
        afterwards, and an error in the hook itself is then only a warning.
        Hooks run in the order of registration, or first with ``prepend=True``.

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

        ``grad_output`` holds one entry per output (the forward's tensor or
        tuple): the gradient as a tensor, ``None`` for an output that is not a
        tensor, does not require grad or received no gradient. The hook may
        return a replacement tuple of the same length (entries of the outputs'
        shapes and dtypes, or None), which flows into the module's backward in
        place of ``grad_output``. The hook does not fire for a forward whose
        outputs do not require grad.

        The forward receives views of its input tensors and the caller gets
        views of the outputs; a forward that changes an input in place is an
        error.

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

        ``grad_input`` holds one entry per positional argument of the forward:
        the gradient as a tensor; ``None`` for an argument that is not a
        tensor; zeros for a tensor that received no gradient (it does not
        require grad or the forward did not use it). Keyword arguments are not
        included. ``grad_output`` is what the backward pre-hooks ended with
        (see :meth:`register_full_backward_pre_hook`). The hook may return a
        replacement tuple of the same length, which flows on to the inputs in
        place of ``grad_input``.

        When no input requires grad, the hook fires (with a warning) once the
        output gradients are known, with ``grad_input`` all ``None``, and must
        return ``None``. With ``create_graph=True`` the gradients are
        differentiable tensors. Hooks are those registered when the forward
        ran: removing one afterwards does not affect that call's backward.

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

    # -- registration ----------------------------------------------------------------------
    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or ``None``, a declared but absent parameter, like ``bias=False``)."""
        _check_name(self, name, "parameter")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{type(param).__name__}' object to parameter '{name}' (ourdl.nn.Parameter or None required)"
            )
        if param is not None and param.grad_fn is not None:
            raise ValueError(
                f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be created explicitly. "
                f"To express '{name}' as a function of another Tensor, compute the value in the forward() method."
            )
        self.__dict__.pop(name, None)
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a tensor that is part of the state (saved in ``state_dict`` if ``persistent``) but not trained.

        >>> import ourdl
        >>> from ourdl import nn
        >>> m = nn.Module(); m.register_buffer("running_mean", ourdl.zeros(3))
        >>> list(m.state_dict())
        ['running_mean']
        """
        _check_name(self, name, "buffer")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' (ourdl Tensor or None required)")
        self.__dict__.pop(name, None)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: "Module | None") -> None:
        """Add a sub-module under ``name`` (also done by assigning a Module to an attribute)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {type(name).__name__}")
        if "." in name or name == "":
            raise KeyError(f'module name can\'t contain ".", got: {name!r}' if name else 'module name can\'t be empty string ""')
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        self._modules[name] = module

    register_module = add_module

    def __setattr__(self, name: str, value) -> None:
        d = self.__dict__
        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            _forget(self, name)
            self.register_parameter(name, value)
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as parameter '{name}' (ourdl.nn.Parameter or None expected)"
                )
            params[name] = None
        elif isinstance(value, Module):
            if params is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            _forget(self, name)
            self._modules[name] = value
        elif params is not None and name in self._modules:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module '{name}' (ourdl.nn.Module or None expected)")
            self._modules[name] = None
        elif params is not None and name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' (ourdl.Tensor or None expected)")
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str):
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            members = d.get(store)
            if members is not None and name in members:
                return members[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for store in (self._parameters, self._buffers, self._modules):
            if name in store:
                del store[name]
                self._non_persistent_buffers_set.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers) | set(self._modules))

    # -- walking the tree ----------------------------------------------------------------------
    def named_modules(self, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True) -> Iterator:
        """``(name, module)`` for this module and every descendant, depth first, each once."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if self in memo:
                return
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            yield from module.named_modules(memo, prefix + ("." if prefix else "") + name, remove_duplicate)

    def modules(self) -> Iterator:
        """This module and every descendant, depth first, each once."""
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator:
        """``(name, module)`` for the direct sub-modules."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self) -> Iterator:
        """The direct sub-modules."""
        for _, module in self.named_children():
            yield module

    def _named_members(self, store: str, prefix: str, recurse: bool, remove_duplicate: bool = True) -> Iterator:
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        seen = set()
        for module_prefix, module in modules:
            for name, value in getattr(module, store).items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield module_prefix + ("." if module_prefix else "") + name, value

    def named_parameters(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True) -> Iterator:
        """``(name, parameter)`` pairs with dotted names, in registration order, each parameter once.

        >>> from ourdl import nn
        >>> [n for n, _ in nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)).named_parameters()]
        ['0.weight', '0.bias', '2.weight', '2.bias']
        """
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator:
        """Every parameter once (what an optimiser takes); ``recurse=False``: this module's own only."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True) -> Iterator:
        """``(name, buffer)`` pairs with dotted names (persistent or not)."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator:
        """Every buffer once."""
        for _, buf in self.named_buffers(recurse=recurse):
            yield buf

    def get_submodule(self, target: str) -> "Module":
        """The sub-module at a dotted path (``"layers.0"``)."""
        module = self
        for part in target.split(".") if target else []:
            if part not in module._modules:
                raise AttributeError(f"{module._get_name()} has no attribute `{part}`")
            module = module._modules[part]
        return module

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at a dotted path (``"layers.0.weight"``)."""
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if name not in module._parameters:
            raise AttributeError(f"{module._get_name()} has no parameter `{name}`")
        return module._parameters[name]

    # -- modes and gradients ---------------------------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        """Set training mode on this module and all descendants; returns ``self``."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> "Module":
        """Inference mode (``train(False)``): Dropout is the identity, BatchNorm uses its running statistics."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> "Module":
        """Switch gradient recording of every parameter on or off (e.g. to freeze a part); returns ``self``."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradients of all parameters (``None``, or zeros in place if ``set_to_none=False``)."""
        clear_grads(self.parameters(), set_to_none)

    def apply(self, fn: Callable) -> "Module":
        """Call ``fn`` on every sub-module (children first) and then on ``self``, e.g. to initialise weights."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # -- dtype --------------------------------------------------------------------------------------
    def _apply_to_tensors(self, convert: Callable) -> "Module":
        for module in self.modules():
            for store in (module._parameters, module._buffers):
                for t in store.values():
                    if t is None:
                        continue
                    t._data = convert(t._data)
                    if t._grad is not None:
                        t._grad._data = convert(t._grad._data)
        return self

    def to(self, *args, dtype=None, device=None, **kwargs) -> "Module":
        """Cast floating-point parameters and buffers to ``dtype`` in place (same Parameter objects); ``'cpu'`` is accepted.

        >>> import ourdl
        >>> from ourdl import nn
        >>> nn.Linear(2, 2).to(ourdl.float64).weight.dtype
        ourdl.float64
        """
        dtype = parse_to_args(args, dtype, device)
        if dtype is None:
            return self
        target = as_dtype(dtype)
        if not target.is_floating_point:
            raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got desired dtype={target}")
        numpy_dtype = target.numpy
        return self._apply_to_tensors(lambda a: a.astype(numpy_dtype) if a.dtype.kind == "f" and a.dtype != numpy_dtype else a)

    def float(self) -> "Module":
        """``to(float32)``."""
        return self.to("float32")

    def double(self) -> "Module":
        """``to(float64)``: for gradient checks and exact comparisons."""
        return self.to("float64")

    def half(self) -> "Module":
        """``to(float16)``."""
        return self.to("float16")

    def cpu(self) -> "Module":
        """``self``: ourdl runs on the CPU."""
        return self

    # -- state ----------------------------------------------------------------------------------------
    def state_dict(self, destination: dict | None = None, prefix: str = "", keep_vars: bool = False) -> "OrderedDict":
        """Parameters and persistent buffers by dotted name, PyTorch's layout; tensors share memory with the model.

        >>> from ourdl import nn
        >>> list(nn.Sequential(nn.Linear(2, 2)).state_dict())
        ['0.weight', '0.bias']
        """
        if destination is None:
            destination = OrderedDict()
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if keep_vars else buf.detach()
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination, prefix + name + ".", keep_vars)
        return destination

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False) -> IncompatibleKeys:
        """Copy values from ``state_dict`` into the parameters and buffers, in place.

        Values may be ourdl tensors, NumPy arrays or anything with ``__array__``
        (PyTorch tensors). With ``strict=True`` every missing and unexpected key
        is an error; a shape mismatch is always an error. All problems are
        named in one message. Returns the missing and unexpected keys.

        >>> from ourdl import nn
        >>> a, b = nn.Linear(2, 2), nn.Linear(2, 2)
        >>> b.load_state_dict(a.state_dict())
        <All keys matched successfully>
        """
        if not hasattr(state_dict, "keys"):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict).__name__}.")
        own = self.state_dict(keep_vars=True)
        missing = [key for key in own if key not in state_dict]
        unexpected = [key for key in state_dict if key not in own]
        errors = []
        updates = []
        for key, target in own.items():
            if key not in state_dict:
                continue
            array = state_array(state_dict[key])
            if array.shape != target._data.shape:
                errors.append(
                    f"size mismatch for {key}: copying a param with shape ourdl.Size({list(array.shape)}) from checkpoint, "
                    f"the shape in current model is ourdl.Size({list(target._data.shape)})."
                )
                continue
            updates.append((target, array))
        if strict:
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ". ")
            if unexpected:
                errors.insert(1 if missing else 0, "Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected) + ". ")
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {self._get_name()}:\n\t" + "\n\t".join(errors))
        for target, array in updates:
            if assign:
                target._data = np.array(array, dtype=target._data.dtype if target._data.dtype.kind != "f" else array.dtype)
            else:
                np.copyto(target._data, array, casting="unsafe")
            target._version.value += 1
        return IncompatibleKeys(missing, unexpected)

    # -- printing -------------------------------------------------------------------------------------
    def _get_name(self) -> str:
        return type(self).__name__

    def extra_repr(self) -> str:
        """The text inside this module's parentheses in ``repr`` (its settings); override it in a layer."""
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + _addindent(repr(module), 2) for name, module in self._modules.items()]
        lines = extra_lines + child_lines
        main = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                main += extra_lines[0]
            else:
                main += "\n  " + "\n  ".join(lines) + "\n"
        return main + ")"


def clear_grads(params, set_to_none: bool = True) -> None:
    """Set each ``.grad`` to ``None``, or to zeros in place (detached from any graph)."""
    for p in params:
        if p.grad is None:
            continue
        if set_to_none:
            p.grad = None
        else:
            p.grad._grad_fn = None
            p.grad._requires_grad = False
            p.grad._data[...] = 0


def state_array(value) -> np.ndarray:
    """The array of a saved value: an ourdl tensor, a NumPy array, or another library's tensor (e.g. PyTorch's)."""
    if isinstance(value, Tensor):
        return value._data
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        return value.detach().numpy()
    return np.asarray(value)


def _addindent(text: str, spaces: int) -> str:
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * spaces + line for line in lines[1:])


def _check_name(module: Module, name: str, kind: str) -> None:
    if "_parameters" not in module.__dict__:
        raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
    if not isinstance(name, str):
        raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
    if "." in name or name == "":
        raise KeyError(f'{kind} name can\'t contain "."' if name else f'{kind} name can\'t be empty string ""')
    members = module._parameters if kind == "parameter" else module._buffers
    if name not in members and name in module.__dict__:
        raise KeyError(f"attribute '{name}' already exists")


def _forget(module: Module, name: str) -> None:
    """Remove ``name`` from every store before it is registered in another."""
    module.__dict__.pop(name, None)
    for store in (module._parameters, module._buffers, module._modules):
        store.pop(name, None)
    module._non_persistent_buffers_set.discard(name)
