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
import os
import zlib

import numpy as np

from .files import atomic_write

TYPES = {0x08: np.dtype(">u1"), 0x09: np.dtype(">i1"), 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
         0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
CODES = {dtype.newbyteorder("="): code for code, dtype in TYPES.items()}
GZIP_MAGIC = b"\x1f\x8b"


class IDXError(ValueError):
    """A file that is not a valid IDX file: corrupt header, truncated data, bad compression."""


def read_idx(path, limit: int | None = None) -> np.ndarray:
    """The array stored in the IDX file ``path`` (gzip-compressed or not, told by its first bytes).

    ``limit`` keeps the first ``limit`` entries along the first axis, and reads (and decompresses) no more
    of the file than they take: the memory is that of the entries kept, never the whole file's. Raises
    :class:`IDXError` naming the file when the header is corrupt or the data is truncated.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "images-idx3-ubyte.gz")
    >>> write_idx(path, np.arange(5 * 2 * 2, dtype=np.uint8).reshape(5, 2, 2))
    >>> read_idx(path).shape, read_idx(path, limit=2).shape
    ((5, 2, 2), (2, 2, 2))
    >>> read_idx(path, limit=2)[1].tolist()
    [[4, 5], [6, 7]]
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 0):
        raise ValueError(f"read_idx: limit must be a non-negative integer or None, got {limit!r}")
    with open(path, "rb") as plain:
        size = os.fstat(plain.fileno()).st_size
        compressed = plain.read(2) == GZIP_MAGIC
        plain.seek(0)
        stream = gzip.GzipFile(fileobj=plain) if compressed else plain
        try:
            return _read_stream(path, stream, size, compressed, limit)
        except (EOFError, OSError, zlib.error) as error:
            raise IDXError(f"{path}: corrupt or truncated gzip data ({error})") from error


def _read_stream(path, stream, size: int, compressed: bool, limit: int | None) -> np.ndarray:
    magic = stream.read(4)
    if len(magic) < 4 or magic[0] != 0 or magic[1] != 0 or magic[2] not in TYPES:
        raise IDXError(f"{path}: not an IDX file (corrupt header: the first four bytes are {magic.hex(' ') or 'missing'}; "
                       "expected 00 00 <type code 08/09/0b/0c/0d/0e> <number of dimensions>)")
    dtype, ndim = TYPES[magic[2]], magic[3]
    header = 4 + 4 * ndim
    dims = stream.read(4 * ndim)
    if len(dims) < 4 * ndim:
        raise IDXError(f"{path}: truncated IDX header ({4 + len(dims)} bytes, {header} expected for {ndim} dimensions)")
    shape = tuple(int(d) for d in np.frombuffer(dims, ">u4"))
    expected = header + math.prod(shape) * dtype.itemsize  # Python ints: sizes near 2**32 per axis overflow int64
    if limit is not None and shape:
        shape = (min(limit, shape[0]),) + shape[1:]
    wanted = math.prod(shape) * dtype.itemsize
    # What the file can hold at most: its size, or for gzip what deflate's best ratio (1032:1) gives.
    most = size * 1032 if compressed else size - header
    if wanted > most:
        raise IDXError(f"{path}: IDX file is truncated: the header announces shape {shape} of {dtype.name} "
                       f"({expected} bytes in all) but the file holds at most {most + header} bytes")
    buffer = bytearray(wanted)
    view, got = memoryview(buffer), 0
    while got < wanted:
        count = stream.readinto(view[got:])
        if not count:
            raise IDXError(f"{path}: IDX file is truncated: the header announces shape {shape} of {dtype.name} "
                           f"({expected} bytes in all) but the file holds {header + got} bytes")
        got += count
    if header + wanted == expected and stream.read(1):
        raise IDXError(f"{path}: IDX file is longer than its header says: the header announces shape {shape} of "
                       f"{dtype.name} ({expected} bytes in all)")
    # One-byte values need no byte swap: the array is the buffer itself, never a second copy of the images.
    return np.frombuffer(buffer, dtype).reshape(shape).astype(dtype.newbyteorder("="), copy=False)


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
