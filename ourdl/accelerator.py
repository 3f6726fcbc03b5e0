"""``ourdl.accelerator``: PyTorch's device-agnostic questions (``torch.accelerator``). ourdl has no accelerator.

>>> import ourdl
>>> device = ourdl.accelerator.current_accelerator().type if ourdl.accelerator.is_available() else "cpu"
>>> ourdl.ones(2, device=device).device
device(type='cpu')
"""

from __future__ import annotations

from .cuda import device_count, is_available  # the same answers: ourdl has no accelerator of any kind

__all__ = ["current_accelerator", "current_device_index", "device_count", "is_available"]


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
