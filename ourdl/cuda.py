"""``ourdl.cuda``: the answers a script asks before choosing a device. ourdl has no CUDA backend.

>>> import ourdl
>>> device = "cuda" if ourdl.cuda.is_available() else "cpu"
>>> ourdl.zeros(2, device=device).device
device(type='cpu')
"""

from __future__ import annotations

from .devices import check_device


def is_available() -> bool:
    """Always False: ourdl computes on the CPU.

    >>> is_available()
    False
    """
    return False


def device_count() -> int:
    """The number of CUDA devices ourdl can use: 0.

    >>> device_count()
    0
    """
    return 0


def is_initialized() -> bool:
    """Always False: there is nothing to initialise.

    >>> is_initialized()
    False
    """
    return False


def manual_seed(seed: int) -> None:
    """Nothing to seed (no CUDA generator); accepted, as PyTorch accepts it without a GPU.

    >>> manual_seed(0)
    """


def manual_seed_all(seed: int) -> None:
    """Nothing to seed (no CUDA generators); accepted, as PyTorch accepts it without a GPU.

    >>> manual_seed_all(0)
    """


def current_device() -> int:
    """Refused: there is no current CUDA device.

    >>> current_device()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ourdl.devices.BackendUnavailableError: current_device: device 'cuda' is not available: ...
    """
    check_device("cuda", "current_device")
    return 0


def synchronize(device=None) -> None:
    """Refused: there is no CUDA device to wait for.

    >>> synchronize()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ourdl.devices.BackendUnavailableError: synchronize: device 'cuda' is not available: ...
    """
    check_device("cuda", "synchronize")


__all__ = ["is_available", "device_count", "is_initialized", "manual_seed", "manual_seed_all", "current_device",
           "synchronize"]
