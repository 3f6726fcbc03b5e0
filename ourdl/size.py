"""``Size``: a tensor's shape, a tuple that prints like PyTorch's ``torch.Size``.

>>> import ourdl
>>> ourdl.ones(2, 3).shape
ourdl.Size([2, 3])
"""

from __future__ import annotations


class Size(tuple):
    """A tensor's shape: a tuple that prints like PyTorch's ``torch.Size``."""

    def __repr__(self) -> str:
        return f"ourdl.Size({list(self)})"

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds.

        >>> Size([2, 3]).numel()
        6
        """
        n = 1
        for s in self:
            n *= s
        return n
