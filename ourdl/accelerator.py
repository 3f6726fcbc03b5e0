"""``ourdl.accelerator``: PyTorch's device-agnostic questions (``torch.accelerator``). ourdl has no accelerator.

>>> import ourdl
>>> device = ourdl.accelerator.current_accelerator().type if ourdl.accelerator.is_available() else "cpu"
>>> ourdl.ones(2, device=device).device
device(type='cpu')
"""

from __future__ import annotations


def is_available() -> bool:
    """Always False: ourdl computes on the CPU.

    >>> is_available()
    False
    """
    return False


def device_count() -> int:
    """The number of accelerators ourdl can use: 0.

    >>> device_count()
    0
    """
    return 0


def current_accelerator(check_available: bool = False):
    """The accelerator in use: None, as PyTorch answers on a machine without one.

    >>> current_accelerator() is None
    True
    """
    return None


def current_device_index() -> int:
    """A RuntimeError, as PyTorch's when no accelerator is available.

    >>> current_device_index()
    Traceback (most recent call last):
    RuntimeError: Cannot access accelerator device when none is available.
    """
    raise RuntimeError("Cannot access accelerator device when none is available.")
