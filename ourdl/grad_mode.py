"""Whether operations record the graph: ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``inference_mode``.

Each works as a context manager and as a decorator, as in PyTorch.

>>> import ourdl
>>> w = ourdl.ones(2, requires_grad=True)
>>> with ourdl.no_grad():
...     (w * 2).requires_grad
False
"""

from __future__ import annotations

import functools
import threading


class _ThreadState(threading.local):
    """The switches of one thread, as PyTorch keeps grad mode per thread: ``no_grad`` in one thread (a server
    drawing a frame) leaves another thread's training recording. Every new thread starts with recording on."""

    def __init__(self):
        self.enabled = True
        self.inference = False


state = _ThreadState()
"""``state.enabled`` is read on every recorded op (an attribute of a ``threading.local`` is a C-level lookup)."""


def is_grad_enabled() -> bool:
    """True when new operations record the graph for ``backward``.

    >>> import ourdl
    >>> is_grad_enabled()
    True
    >>> with ourdl.no_grad():
    ...     is_grad_enabled()
    False
    """
    return state.enabled


class set_grad_enabled:
    """Turn graph recording on or off: as a call, a context manager or a decorator.

    >>> _ = set_grad_enabled(False); is_grad_enabled()
    False
    >>> _ = set_grad_enabled(True)
    """

    def __init__(self, mode: bool):
        self.prev = state.enabled
        self.mode = bool(mode)
        state.enabled = self.mode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        state.enabled = self.prev
        return False

    def __call__(self, fn):
        # Used as a decorator: the mode applies while fn runs; restore what the
        # constructor changed, since decoration happens at definition time.
        state.enabled = self.prev
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper


class _GradModeContext:
    mode: bool

    def __enter__(self):
        self.prev = state.enabled
        state.enabled = self.mode
        return self

    def __exit__(self, *exc):
        state.enabled = self.prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with type(self)():
                return fn(*args, **kwargs)

        return wrapper


class no_grad(_GradModeContext):
    """Operations inside record no graph: results have ``requires_grad=False``.

    Use it for evaluation and for in-place parameter updates::

        with ourdl.no_grad():
            w -= lr * w.grad

    >>> import ourdl
    >>> w = ourdl.ones(2, requires_grad=True)
    >>> with no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    >>> @no_grad()
    ... def evaluate(t):
    ...     return t * 2
    >>> evaluate(w).requires_grad
    False
    """

    mode = False


class enable_grad(_GradModeContext):
    """Record the graph again inside a ``no_grad`` block.

    >>> import ourdl
    >>> w = ourdl.ones(2, requires_grad=True)
    >>> with ourdl.no_grad():
    ...     with enable_grad():
    ...         y = w * 2
    >>> y
    tensor([2., 2.], grad_fn=<MulBackward0>)
    """

    mode = True


class inference_mode:
    """``no_grad`` for inference: nothing inside records the graph (``inference_mode(False)`` changes nothing).

    A context manager and a decorator, as in PyTorch. ourdl has no separate inference tensors: the
    results are ordinary tensors that do not require grad, as under :class:`no_grad`.

    >>> import ourdl
    >>> w = ourdl.ones(2, requires_grad=True)
    >>> with ourdl.inference_mode():
    ...     y = w * 2
    ...     is_inference_mode_enabled()
    True
    >>> y.requires_grad, is_inference_mode_enabled()
    (False, False)
    """

    def __init__(self, mode: bool = True):
        self.mode = bool(mode)

    def __enter__(self):
        self.prev = state.enabled, state.inference
        if self.mode:
            state.enabled, state.inference = False, True
        return self

    def __exit__(self, *exc):
        state.enabled, state.inference = self.prev
        return False

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(mode):
                return fn(*args, **kwargs)

        return wrapper


def is_inference_mode_enabled() -> bool:
    """True inside :class:`inference_mode`.

    >>> is_inference_mode_enabled()
    False
    """
    return state.inference
