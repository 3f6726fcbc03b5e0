"""Saving and loading state dicts as safetensors files: PyTorch reads them, nothing is unpickled.

A safetensors file is a JSON header (names, dtypes, shapes, offsets, and a string-to-string
metadata table) followed by the raw bytes of each tensor; loading it runs no code. The names
are the state dict's keys, PyTorch's (``0.weight``, ``layers.1.bias``), so
``safetensors.torch.load_file`` gives a dict that ``torch.nn.Module.load_state_dict`` takes,
and a file saved from PyTorch loads into the same ourdl model.

>>> import os, tempfile, ourdl
>>> from ourdl import nn
>>> path = os.path.join(tempfile.mkdtemp(), "model.safetensors")
>>> model = nn.Linear(3, 2)
>>> save(model.state_dict(), path)
>>> other = nn.Linear(3, 2)
>>> other.load_state_dict(load(path))
<All keys matched successfully>
>>> bool((other.weight == model.weight).all())
True
"""

from __future__ import annotations

import errno
import os

import numpy as np
import safetensors
import safetensors.numpy

from ..data.files import atomic_write
from ..tensor import Tensor


class CheckpointError(ValueError):
    """A file that cannot be read as a safetensors file or an ourdl checkpoint: corrupt, truncated, foreign."""


def save(state_dict, path, metadata: dict | None = None) -> None:
    """Write ``state_dict`` (name -> tensor or array) to ``path`` in the safetensors format, atomically.

    The bytes go to a temporary file in the same folder, which replaces ``path`` only once
    complete: an interrupted save leaves the previous file as it was. ``metadata`` is an
    optional table of strings stored in the header.

    >>> import os, tempfile, ourdl
    >>> path = os.path.join(tempfile.mkdtemp(), "w.safetensors")
    >>> save({"bias": ourdl.zeros(2)}, path, metadata={"note": "zeros"})
    >>> read(path)[1]
    {'note': 'zeros'}
    """
    arrays = {}
    for name, value in state_dict.items():
        if not isinstance(name, str):
            raise TypeError(f"save: state dict keys must be strings, got {name!r}")
        if not isinstance(value, (Tensor, np.ndarray)):
            raise TypeError(f"save: {name!r} is a {type(value).__name__}; a state dict for save() holds tensors or arrays")
        arrays[name] = np.asarray(value._data if isinstance(value, Tensor) else value, order="C")
    payload = safetensors.numpy.save(arrays, metadata=metadata)
    with atomic_write(path) as stream:
        stream.write(payload)


def load(path) -> dict:
    """The tensors of the safetensors file ``path``, by name (a dict of ourdl tensors).

    Raises :class:`CheckpointError` naming the file when it is corrupt or truncated.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "broken.safetensors")
    >>> _ = open(path, "wb").write(b"not a safetensors file")
    >>> load(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ourdl.io.weights.CheckpointError: ...broken.safetensors: not a valid safetensors file (corrupt or truncated?): ...
    """
    return {name: Tensor._make(array) for name, array in read(path)[0].items()}


def read(path) -> tuple[dict, dict]:
    """(name -> NumPy array, metadata table) of the safetensors file ``path``.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.safetensors")
    >>> save({"a": np.arange(3)}, path)
    >>> read(path)
    ({'a': array([0, 1, 2])}, {})
    """
    if os.path.isdir(path):  # safetensors' own words would be "No such device"
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    try:
        with safetensors.safe_open(str(path), framework="numpy") as handle:
            return {name: handle.get_tensor(name) for name in handle.keys()}, handle.metadata() or {}
    except FileNotFoundError as error:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path)) from error
    except OSError as error:  # "No such device": a device, a pipe or a /proc file cannot be mapped into memory
        raise CheckpointError(f"{path}: cannot be read as a safetensors file, which is mapped into memory "
                              f"({error}); read it from a regular file") from error
    except safetensors.SafetensorError as error:
        raise CheckpointError(f"{path}: not a valid safetensors file (corrupt or truncated?): {error}") from error
    except TypeError as error:  # NumPy has no such dtype: bfloat16, float8
        raise CheckpointError(f"{path}: holds a tensor of a dtype NumPy cannot represent ({error}); convert it "
                              "to float32 where it was saved, e.g. tensor.float() in PyTorch") from error
