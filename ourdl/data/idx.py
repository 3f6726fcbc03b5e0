"""Reading and writing the IDX format of MNIST-style datasets (plain or gzipped).

An IDX file is a header, ``0x00 0x00 <type code> <number of dimensions>`` followed by one
big-endian ``uint32`` per dimension, and then the values in C order, big-endian.

>>> import os, tempfile, numpy as np
>>> path = os.path.join(tempfile.mkdtemp(), "labels-idx1-ubyte.gz")
>>> write_idx(path, np.array([3, 1, 4], dtype=np.uint8))
>>> read_idx(path)
array([3, 1, 4], dtype=uint8)
"""

from __future__ import annotations

import gzip
import math
import zlib

import numpy as np

from .files import atomic_write

TYPES = {0x08: np.dtype(">u1"), 0x09: np.dtype(">i1"), 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
         0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
CODES = {dtype.newbyteorder("="): code for code, dtype in TYPES.items()}
GZIP_MAGIC = b"\x1f\x8b"


class IDXError(ValueError):
    """A file that is not a valid IDX file: corrupt header, truncated data, bad compression."""


def read_idx(path) -> np.ndarray:
    """The array stored in the IDX file ``path`` (gzip-compressed or not, told by its first bytes).

    Raises :class:`IDXError` naming the file when the header is corrupt or the data is truncated.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "images-idx3-ubyte")
    >>> write_idx(path, np.zeros((2, 28, 28), np.uint8))
    >>> read_idx(path).shape
    (2, 28, 28)
    """
    raw = _read_bytes(path)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in TYPES:
        raise IDXError(f"{path}: not an IDX file (corrupt header: the first four bytes are {raw[:4].hex(' ') or 'missing'}; "
                       "expected 00 00 <type code 08/09/0b/0c/0d/0e> <number of dimensions>)")
    dtype, ndim = TYPES[raw[2]], raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise IDXError(f"{path}: truncated IDX header ({len(raw)} bytes, {header} expected for {ndim} dimensions)")
    shape = tuple(int(d) for d in np.frombuffer(raw, ">u4", ndim, 4))
    expected = header + math.prod(shape) * dtype.itemsize  # Python ints: sizes near 2**32 per axis overflow int64
    if len(raw) != expected:
        problem = "truncated" if len(raw) < expected else "longer than its header says"
        raise IDXError(f"{path}: IDX file is {problem}: the header announces shape {shape} of {dtype.name} "
                       f"({expected} bytes in all) but the file holds {len(raw)} bytes")
    return np.frombuffer(raw, dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def write_idx(path, array: np.ndarray, compress: bool | None = None) -> None:
    """Write ``array`` as an IDX file (gzipped when ``compress`` is true, or by default when ``path`` ends in ``.gz``).

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "x-idx1-ubyte")
    >>> write_idx(path, np.array([1, 2], np.int32))
    >>> open(path, "rb").read().hex()
    '00000c01000000020000000100000002'
    """
    array = np.asarray(array)
    code = CODES.get(array.dtype.newbyteorder("="))
    if code is None:
        raise TypeError(f"write_idx: IDX stores uint8, int8, int16, int32, float32 or float64, not {array.dtype}")
    raw = bytes([0, 0, code, array.ndim]) + np.array(array.shape, ">u4").tobytes() + array.astype(TYPES[code]).tobytes()
    if compress if compress is not None else str(path).endswith(".gz"):
        raw = gzip.compress(raw, mtime=0)
    with atomic_write(path) as stream:
        stream.write(raw)


def _read_bytes(path) -> bytes:
    with open(path, "rb") as stream:
        raw = stream.read()
    if raw[:2] != GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as error:
        raise IDXError(f"{path}: corrupt or truncated gzip data ({error})") from error
