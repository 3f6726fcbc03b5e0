"""The state of a :class:`~ourdl.nn.Module` as a whole: ``state_dict``, ``load_state_dict`` and casting with ``to``.

The state is the parameters and the persistent buffers, by PyTorch's dotted names
(``0.weight``, ``layers.1.bias``), so a state dict moves to and from PyTorch unchanged.

>>> from ourdl import nn
>>> list(nn.Sequential(nn.Linear(2, 2)).state_dict())
['0.weight', '0.bias']
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable, NamedTuple

import numpy as np

from .. import devices
from ..dtypes import as_dtype
from ..ops.conversion import parse_to_args
from ..tensor import Tensor


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` returns: the keys that did not match."""

    missing_keys: list
    unexpected_keys: list

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return f"_IncompatibleKeys(missing_keys={self.missing_keys}, unexpected_keys={self.unexpected_keys})"


class ModuleState:
    """Saving, loading and casting the parameters and buffers of a :class:`~ourdl.nn.Module` (its base class).

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Linear(2, 2).double().state_dict()["weight"].dtype
    ourdl.float64
    """

    # -- dtype --------------------------------------------------------------------------------------
    def _apply_to_tensors(self, convert: Callable) -> "ModuleState":
        for module in self.modules():
            for store in (module._parameters, module._buffers):
                for t in store.values():
                    if t is None:
                        continue
                    t._data = convert(t._data)
                    if t._grad is not None:
                        t._grad._data = convert(t._grad._data)
        return self

    def to(self, *args, dtype=None, device=None, **kwargs) -> "ModuleState":
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

    def float(self) -> "ModuleState":
        """``to(float32)``."""
        return self.to("float32")

    def double(self) -> "ModuleState":
        """``to(float64)``: for gradient checks and exact comparisons."""
        return self.to("float64")

    def half(self) -> "ModuleState":
        """``to(float16)``."""
        return self.to("float16")

    def cpu(self) -> "ModuleState":
        """``self``: ourdl runs on the CPU."""
        return self

    def cuda(self, device=None) -> "ModuleState":
        """Refused with :class:`~ourdl.devices.BackendUnavailableError`: ourdl has no accelerator backend."""
        return self.to(devices.device("cuda", device) if device is not None else "cuda")

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
            value = state_dict[key]
            if not (isinstance(value, np.ndarray) or hasattr(value, "__array__")):  # a list, a number
                errors.append(f'While copying the parameter named "{key}", expected Tensor or Tensor-like object '
                              f"from checkpoint but received {type(value)}")
                continue
            array = state_array(value)
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


def state_array(value) -> np.ndarray:
    """The array of a saved value: an ourdl tensor, a NumPy array, or another library's tensor (e.g. PyTorch's)."""
    if isinstance(value, Tensor):
        return value._data
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        return value.detach().numpy()
    return np.asarray(value)


