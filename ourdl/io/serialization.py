"""``ourdl.save`` and ``ourdl.load``: ``torch.save``/``torch.load`` for tensors and nested state, without pickle.

What is saved (a tensor, a state dict, an optimiser's ``state_dict()``, a dict of those with
epochs and losses) is split by :mod:`~ourdl.io.state_tree`: every tensor becomes a safetensors
tensor named by its path (a state dict's tensors keep their keys, so ``safetensors.torch.load_file``
reads the file as a state dict), everything else (numbers, strings, lists, dicts with integer keys)
JSON in the file's metadata. Loading runs no code. A file written by ``torch.save`` (a zip archive
or a pickle) is refused with an error naming its format and saying how to convert it.

>>> import io, ourdl
>>> buffer = io.BytesIO()
>>> ourdl.save({"epoch": 3, "weights": {"w": ourdl.ones(2)}}, buffer)
>>> ourdl.load(io.BytesIO(buffer.getvalue()))
{'epoch': 3, 'weights': {'w': tensor([1., 1.])}}
"""

from __future__ import annotations

import json
import os
import stat

import safetensors
import safetensors.numpy

from ..data.files import atomic_write
from ..devices import check_device
from ..tensor import Tensor
from .state_tree import flatten, unflatten
from .weights import CheckpointError

FORMAT = "ourdl-object"
_ZIP_MAGIC = b"PK\x03\x04"
_PICKLE_PROTOCOL = b"\x80"  # pickle's PROTO opcode, then the protocol number
_PROTOCOLS = [bytes([n]) for n in range(2, 6)]
_CONVERT = ("convert it once in PyTorch: `import torch, safetensors.torch; safetensors.torch.save_file("
            "torch.load(path, map_location='cpu'), 'model.safetensors')` (a state dict of tensors; for a whole model "
            "save model.state_dict() first), then ourdl.load('model.safetensors')")


def save(obj, f, pickle_module=None, pickle_protocol=None, _use_new_zipfile_serialization: bool = True) -> None:
    """Write ``obj`` (a tensor, or dicts, lists and tuples of tensors, arrays, numbers, strings and None) to ``f``,
    a path or a binary file object, as a safetensors file. A path is replaced atomically.

    The pickle options of ``torch.save`` are accepted and ignored. A Module or another object that only
    pickle could store is refused: save its ``state_dict()``.

    >>> import os, tempfile, ourdl
    >>> from ourdl import nn
    >>> path = os.path.join(tempfile.mkdtemp(), "model.pt")
    >>> model = nn.Linear(2, 1)
    >>> save(model.state_dict(), path)
    >>> nn.Linear(2, 1).load_state_dict(load(path))
    <All keys matched successfully>
    >>> save(model, path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: ourdl.save: cannot store a Linear ... save model.state_dict() instead
    """
    try:
        tensors, tree = flatten(obj, "tensor" if isinstance(obj, Tensor) else "")
    except TypeError as error:
        raise TypeError(f"ourdl.save: {error}; for a Module or an optimizer save model.state_dict() instead") from None
    payload = safetensors.numpy.save(tensors, metadata={FORMAT: json.dumps(tree)})
    if hasattr(f, "write"):
        f.write(payload)
        return
    with atomic_write(f) as stream:
        stream.write(payload)


def load(f, map_location=None, pickle_module=None, *, weights_only: bool = True, mmap=None, **pickle_load_args):
    """What :func:`save` wrote to ``f`` (a path or a binary file object); a plain safetensors file gives its dict
    of tensors.

    ``map_location`` may name the CPU (or be a dict or function, which have nothing to move); another
    device raises :class:`~ourdl.devices.BackendUnavailableError`. A ``torch.save`` file raises
    :class:`~ourdl.io.CheckpointError` saying how to convert it.

    >>> import io
    >>> load(io.BytesIO(b"PK\\x03\\x04...."))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ourdl.io.weights.CheckpointError: <file object>: a zip archive written by torch.save ... convert it once in PyTorch: ...
    """
    if isinstance(map_location, str) or hasattr(map_location, "type"):
        check_device(map_location, "load")
    name = os.fspath(f) if isinstance(f, (str, os.PathLike)) else "<file object>"
    if hasattr(f, "read"):
        data = f.read()
    else:
        with open(f, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # /dev/zero would be read without end
                raise CheckpointError(f"{name}: not a regular file (a device or a pipe); ourdl.load reads files")
            data = stream.read()
    _refuse_pickle(data, name)
    try:
        arrays = safetensors.numpy.load(data)
        metadata = _metadata(data)
    except (safetensors.SafetensorError, ValueError) as error:
        raise CheckpointError(f"{name}: not a safetensors file written by ourdl.save (corrupt or truncated?): "
                              f"{error}") from error
    if FORMAT not in metadata:
        return {key: Tensor._make(array) for key, array in arrays.items()}
    return unflatten(json.loads(metadata[FORMAT]), arrays)


def _refuse_pickle(data: bytes, name: str) -> None:
    if data[:4] == _ZIP_MAGIC:
        kind = "a zip archive written by torch.save (PyTorch's pickle-based format)"
    elif data[:1] == _PICKLE_PROTOCOL and data[1:2] in _PROTOCOLS and data[8:9] != b"{":
        # a safetensors file starts with its header's length, whose first byte may be 0x80 too, then "{"
        kind = f"a pickle (protocol {data[1] if len(data) > 1 else '?'}), PyTorch's legacy torch.save format"
    else:
        return
    raise CheckpointError(f"{name}: {kind}; ourdl never unpickles (loading a pickle can run any code): {_CONVERT}")


def _metadata(data: bytes) -> dict:
    """The string table of a safetensors file's JSON header (8 bytes of little-endian length, then the header)."""
    size = int.from_bytes(data[:8], "little")
    return json.loads(data[8:8 + size]).get("__metadata__") or {}


__all__ = ["save", "load"]
