"""``ParameterList`` and ``ParameterDict``: parameters held in a list or a dict, registered with the Module.

A plain tensor put in one becomes a :class:`~ourdl.nn.Parameter`, as in PyTorch; the parameters
are named by position (``0``, ``1``, ...) or by key in ``named_parameters`` and ``state_dict``.

>>> import ourdl
>>> from ourdl import nn
>>> weights = nn.ParameterList([nn.Parameter(ourdl.ones(2)), ourdl.zeros(3)])
>>> [name for name, _ in weights.named_parameters()]
['0', '1']
"""

from __future__ import annotations

from ..tensor import Tensor
from .module import Module
from .parameter import Parameter


def _as_parameter(value):
    return value if isinstance(value, Parameter) or not isinstance(value, Tensor) else Parameter(value)


def _describe(value, type_name: str) -> str:
    if not isinstance(value, Tensor):
        return f"Object of type: {type(value).__name__}"
    size = "x".join(str(s) for s in value.shape)
    kind = "Parameter containing" if isinstance(value, Parameter) else "Tensor"
    return f"{kind}: [{type_name} of size {size}]"


class ParameterList(Module):
    """A list of parameters: index, iterate, ``append``, ``extend``; each is registered under its position.

    >>> import ourdl
    >>> from ourdl import nn
    >>> params = nn.ParameterList([ourdl.ones(2)])
    >>> params.append(ourdl.zeros(2, 3))
    ParameterList(
        (0): Parameter containing: [ourdl.float32 of size 2]
        (1): Parameter containing: [ourdl.float32 of size 2x3]
    )
    """

    def __init__(self, values=None):
        super().__init__()
        self._size = 0
        if values is not None:
            self.extend(values)

    def __len__(self) -> int:
        return self._size

    def __iter__(self):
        return (self[i] for i in range(self._size))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ParameterList(list(self)[index])
        if not -self._size <= index < self._size:
            raise IndexError(f"index {index} is out of range")
        return getattr(self, str(index % self._size))

    def __setitem__(self, index: int, value) -> None:
        if not -self._size <= index < self._size:
            raise IndexError(f"index {index} is out of range")
        setattr(self, str(index % self._size), _as_parameter(value))

    def append(self, value) -> "ParameterList":
        self._size += 1
        self[self._size - 1] = value
        return self

    def extend(self, values) -> "ParameterList":
        for value in values:
            self.append(value)
        return self

    def __repr__(self) -> str:
        lines = [f"    ({i}): {_describe(p, repr(p.dtype) if isinstance(p, Tensor) else '')}" for i, p in enumerate(self)]
        return "ParameterList(" + "".join("\n" + line for line in lines) + ("\n)" if lines else ")")


class ParameterDict(Module):
    """A dict of parameters by string key, in insertion order: ``d[key]``, ``keys``, ``items``, ``update``, ``pop``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> params = nn.ParameterDict({"scale": ourdl.ones(2)})
    >>> params["shift"] = nn.Parameter(ourdl.zeros(2))
    >>> list(params.state_dict())
    ['scale', 'shift']
    """

    def __init__(self, parameters=None):
        super().__init__()
        self._keys: dict = {}
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key: str):
        return getattr(self, key)

    def __setitem__(self, key: str, value) -> None:
        self._keys[key] = None
        setattr(self, key, _as_parameter(value))

    def __delitem__(self, key: str) -> None:
        del self._keys[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self):
        return iter(self._keys)

    def __contains__(self, key) -> bool:
        return key in self._keys

    def keys(self):
        return self._keys.keys()

    def items(self):
        return ((key, self[key]) for key in self._keys)

    def values(self):
        return (self[key] for key in self._keys)

    def get(self, key: str, default=None):
        return self[key] if key in self._keys else default

    def pop(self, key: str):
        value = self[key]
        del self[key]
        return value

    def clear(self) -> None:
        for key in list(self._keys):
            del self[key]

    def update(self, parameters) -> None:
        for key, value in (parameters.items() if hasattr(parameters, "items") else parameters):
            self[key] = value

    def __repr__(self) -> str:
        lines = [f"    ({key}): {_describe(value, value.type() if isinstance(value, Tensor) else '')}"
                 for key, value in self.items()]
        return "ParameterDict(" + "".join("\n" + line for line in lines) + ("\n)" if lines else ")")
