"""Devices: ``ourdl.device``, the default device, and the check every creation function makes.

ourdl computes on the CPU with NumPy. PyTorch scripts name devices anyway (``device="cuda" if
ourdl.cuda.is_available() else "cpu"``), so every device name PyTorch knows is accepted as a
name; making or moving a tensor onto anything but the CPU raises :class:`BackendUnavailableError`
saying that no accelerator backend is available. A string that names no device at all gets
PyTorch's error.

>>> import ourdl
>>> ourdl.device("cpu")
device(type='cpu')
>>> ourdl.zeros(2, device="cpu").device
device(type='cpu')
"""

from __future__ import annotations

import re

# The device types PyTorch's parser knows, in its order (its error message lists them so).
TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia", "xla",
         "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone")
_SPEC = re.compile(r"([a-z]+)(?::(\d+))?")


class BackendUnavailableError(RuntimeError):
    """A tensor asked for on a device other than the CPU: ourdl has no accelerator backend."""


class device:
    """Where a tensor lives: a type (``'cpu'``, ``'cuda'``, ``'mps'``, ...) and an optional index.

    Made from ``"cpu"``, ``"cuda:1"``, ``("cuda", 1)`` or another device; an index alone names an
    accelerator, so it gets PyTorch's error. Equal to devices of the same type and index, never to strings.

    >>> device("cuda:1")
    device(type='cuda', index=1)
    >>> str(device("cpu", 0)), device("cpu").index
    ('cpu:0', None)
    >>> device("gpu")
    Traceback (most recent call last):
    ...
    RuntimeError: Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: gpu
    """

    __slots__ = ("type", "index")

    def __init__(self, type, index: int | None = None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool):
            raise RuntimeError("Cannot access accelerator device when none is available.")
        elif not isinstance(type, str):
            raise TypeError(f"device(): expected a string, a device or an int, got {type.__class__.__name__}")
        else:
            type, index = _parse(type, index)
        if index is not None and index < 0:
            raise RuntimeError(f"Device index must not be negative, got {index}")
        self.type, self.index = type, index

    def __repr__(self) -> str:
        return f"device(type={self.type!r})" if self.index is None else f"device(type={self.type!r}, index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other) -> bool:
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


def _parse(text: str, index: int | None) -> tuple[str, int | None]:
    match = _SPEC.fullmatch(text)
    if match is None or match.group(1) not in TYPES:
        name = re.match(r"[a-z]*", text).group(0)
        if name in TYPES:
            raise RuntimeError(f"Invalid device string: {text!r}")
        raise RuntimeError(f"Expected one of {', '.join(TYPES)} device type at start of device string: {text}")
    if match.group(2) is not None:
        if index is not None:
            raise RuntimeError(f"type (string) must not include an index because index was passed explicitly: {text}")
        index = int(match.group(2))
    return match.group(1), index


CPU = device("cpu")
_default = [CPU]


def get_default_device() -> device:
    """The device creation functions use when given none (the CPU unless :func:`set_default_device` changed it).

    >>> get_default_device()
    device(type='cpu')
    """
    return _default[0]


def set_default_device(device_) -> None:
    """Set the device creation functions use when given none; ``None`` resets it to the CPU.

    As in PyTorch the name is checked now and the device when a tensor is made, so after
    ``set_default_device("cuda")`` the next ``ourdl.zeros(2)`` says no accelerator backend is available.

    >>> import ourdl
    >>> set_default_device("cpu"); ourdl.ones(1).device
    device(type='cpu')
    """
    _default[0] = CPU if device_ is None else device(device_)


def check_device(device_=None, op: str = "") -> device:
    """The CPU device when ``device_`` (or, when it is None, the default device) is the CPU; otherwise
    :class:`BackendUnavailableError` naming the device, or PyTorch's error for a name that is no device.

    >>> check_device("cpu")
    device(type='cpu')
    >>> check_device("cuda", "zeros")
    Traceback (most recent call last):
    ...
    ourdl.devices.BackendUnavailableError: zeros: device 'cuda' is not available: ourdl has no accelerator backend (no CUDA, MPS or other), it computes on the CPU with NumPy; use device='cpu' (or pick it with ourdl.cuda.is_available())
    """
    wanted = _default[0] if device_ is None else device_ if isinstance(device_, device) else device(device_)
    if wanted.type != "cpu":
        where = f"{op}: " if op else ""
        raise BackendUnavailableError(
            f"{where}device {str(wanted)!r} is not available: ourdl has no accelerator backend (no CUDA, MPS or "
            "other), it computes on the CPU with NumPy; use device='cpu' (or pick it with ourdl.cuda.is_available())")
    return CPU
