"""Downloading a dataset file from a list of mirrors, checking it, writing it atomically.

A file is fetched from the first mirror that answers with bytes whose checksum is right;
a mirror that fails (network error, HTTP error, a file cut short, wrong checksum) is
reported and the next one tried. The bytes go to a temporary file in the destination folder that is renamed
into place only once verified, so an interrupted download never leaves a partial file
under the real name.
"""

from __future__ import annotations

import hashlib
import http.client
import shutil
import urllib.request
from pathlib import Path

from .files import atomic_write, parse_checksum


class DownloadError(RuntimeError):
    """Every mirror failed for a file."""


def download(filename: str, folder, mirrors, checksum: str, timeout: float = 30.0) -> Path:
    """Fetch ``filename`` into ``folder`` from the first of ``mirrors`` (base URLs) that serves it with ``checksum``.

    ``checksum`` is ``"sha256:<hex>"`` or ``"md5:<hex>"``. Returns the file's path; raises
    :class:`DownloadError` listing what went wrong at each mirror.

    >>> download("x.gz", "/tmp/none", [], "md5:00")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ourdl.data.download.DownloadError: could not download x.gz: no mirror ...
    """
    algorithm, expected = parse_checksum(checksum)
    target = Path(folder) / filename
    failures = []
    for mirror in mirrors:
        url = mirror.rstrip("/") + "/" + filename
        try:
            digest = hashlib.new(algorithm)
            with urllib.request.urlopen(url, timeout=timeout) as response, atomic_write(target) as stream:
                received = _HashingReader(response, digest)
                shutil.copyfileobj(received, stream)
                announced = response.headers.get("Content-Length")
                if announced is not None and received.size != int(announced):
                    raise _BadDownload(f"cut short: received {received.size} of {announced} bytes")
                if digest.hexdigest() != expected:
                    raise _BadDownload(f"{algorithm} checksum {digest.hexdigest()} != expected {expected}")
            return target
        except (OSError, ValueError, http.client.HTTPException, _BadDownload) as error:
            failures.append(f"  {url}: {error}")
    tried = "\n".join(failures) if failures else "  no mirror was given"
    raise DownloadError(f"could not download {filename}: no mirror served it:\n{tried}\n"
                        f"Without a network, download {filename} elsewhere and put it in {Path(folder).resolve()}")


class _BadDownload(Exception):
    """What a mirror served is not the file: cut short, or the wrong checksum."""


class _HashingReader:
    """A readable stream that feeds what is read through a hash."""

    def __init__(self, stream, digest):
        self.stream, self.digest, self.size = stream, digest, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk
