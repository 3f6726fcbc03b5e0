"""How views share their base: one version counter for a base and all its views, and a view that reads its
base again after an in-place change of either (PyTorch's view tracking). The graph nodes this needs
(``AsStrided``, ``CopySlices``) are ops, in :mod:`ourdl.ops.views`, which installs them here.

>>> import ourdl
>>> x = ourdl.ones(3, requires_grad=True)
>>> base = x * 1
>>> view = base[:2]
>>> view._version is base._version
True
"""

from __future__ import annotations

from .grad_mode import state as grad_mode


class VersionCounter:
    """Counts in-place changes to an array; views of one array share one counter."""

    __slots__ = ("value",)

    def __init__(self):
        self.value = 0


def version_of(t) -> int:
    """How many times ``t`` (or a view sharing its memory) was changed in place: 0 while it has no counter yet.

    >>> import ourdl
    >>> x = ourdl.zeros(2)
    >>> version_of(x), version_of(x.add_(1))
    (0, 1)
    """
    counter = t._counter
    return 0 if counter is None else counter.value


def make_view(view, source) -> None:
    """Mark ``view`` as sharing ``source``'s memory: same base, same version counter.

    A view made while gradients are recorded follows later in-place changes of its base (see :func:`sync_view`).
    """
    view._base = source._base if source._base is not None else source
    view._version = source._version
    view._view_version = view._version.value if grad_mode.enabled else None


def sync_view(view) -> None:
    """After an in-place change of a view's base (or of another view of it), make the view read from the base's
    new value: its ``grad_fn`` becomes an :class:`~ourdl.ops.views.AsStrided` node on the base, as PyTorch
    regenerates a view's ``grad_fn``. Views made under ``no_grad`` stay out of the graph."""
    version = view._version.value
    if view._view_version is None or view._view_version == version:
        return
    view._view_version = version
    base = view._base
    if base._requires_grad:
        view._grad_fn = ViewFollowing.node(base, view._data)
        view._requires_grad = True


class ViewFollowing:
    """Where :func:`sync_view` gets the node that reads a view's window out of its base: :mod:`ourdl.ops.views`
    installs its ``view_node`` here when it is imported (the node is an op, and ops sit above this module)."""

    node = None
