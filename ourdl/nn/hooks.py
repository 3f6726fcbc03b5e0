"""``RemovableHandle``: what ``register_forward_hook`` returns; ``handle.remove()`` takes the hook off.

>>> hooks = {}
>>> handle = RemovableHandle(hooks, "key")
>>> hooks["key"] = print
>>> handle.remove(); hooks
{}
"""

from __future__ import annotations


class RemovableHandle:
    """Removes one entry from a hook dictionary; usable as a context manager."""

    def __init__(self, hooks: dict, key):
        self._hooks = hooks
        self.id = key

    def remove(self) -> None:
        self._hooks.pop(self.id, None)

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *exc) -> None:
        self.remove()
