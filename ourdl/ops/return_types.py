"""Named result tuples printed as PyTorch prints its ``torch.return_types`` (``values``/``indices`` and others).

>>> import ourdl
>>> ourdl.tensor([1.0, 7.0, 3.0]).max(dim=0)
ourdl.return_types.max(values=tensor(7.), indices=tensor(1))
"""

from __future__ import annotations

from collections import namedtuple

__all__: list[str] = ["return_type"]


def return_type(name: str, fields=("values", "indices")) -> type:
    """A named tuple that prints as PyTorch prints its ``torch.return_types``.

    >>> return_type("max")(1, 2)
    ourdl.return_types.max(values=1, indices=2)
    """
    cls = namedtuple(name, fields)
    cls.__repr__ = lambda self: (f"ourdl.return_types.{name}("
                                 + ", ".join(f"{field}={value!r}" for field, value in zip(fields, self)) + ")")
    return cls
