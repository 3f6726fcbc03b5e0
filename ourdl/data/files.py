"""Safe file writing and checksums, shared by downloads and checkpoints.

``atomic_write`` writes to a temporary file in the destination's folder and
renames it over the destination only when every byte is on disk: a crash or an
exception mid-write leaves the previous file untouched.

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> with atomic_write(os.path.join(folder, "a.txt")) as f:
...     _ = f.write(b"hello")
>>> open(os.path.join(folder, "a.txt"), "rb").read()
b'hello'
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_write(path):
    """Open a binary temporary file next to ``path``; on a clean exit it replaces ``path`` (``os.replace``).

    On an exception the temporary file is removed and ``path`` keeps its old content. A process killed while
    writing cannot remove its temporary file: the next write to ``path`` removes those whose writer has died
    (the writer's process id is in the name, so a save under way in another process is left alone).

    A symbolic link is written through (its target is replaced, the link stays); a device or a pipe
    (``/dev/null``) is written into, as there is no file to replace. An error of the system names ``path``.
    """
    path = Path(os.path.realpath(path))
    with _naming(path):
        if path.exists() and not path.is_file() and not path.is_dir():
            with open(path, "wb") as stream:
                yield stream
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(path)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as stream:
                yield stream
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.remove(temporary)
            raise


@contextlib.contextmanager
def _naming(path: Path):
    """Give an OSError that names no file (a full disk: ``No space left on device``) the name of ``path``."""
    try:
        yield
    except OSError as error:
        if error.filename is None and error.errno is not None:
            raise type(error)(error.errno, error.strerror, str(path)) from error
        raise


def _remove_abandoned(path: Path) -> None:
    """Remove the temporary files of earlier writes to ``path`` whose process no longer runs."""
    prefix = f".{path.name}."
    for candidate in path.parent.glob(f"{glob.escape(prefix)}*.part"):
        pid = candidate.name[len(prefix):].split(".")[0]
        if pid.isdigit() and _running(int(pid)):
            continue
        with contextlib.suppress(OSError):
            candidate.unlink()


def _running(pid: int) -> bool:
    if os.name == "nt":  # os.kill there terminates the process: keep every file rather than ask
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by someone else
        return True
    return True


def parse_checksum(checksum: str) -> tuple[str, str]:
    """Split ``"sha256:<hex>"`` or ``"md5:<hex>"`` into (algorithm, lowercase hex digest).

    >>> parse_checksum("md5:ABC")
    ('md5', 'abc')
    """
    algorithm, sep, digest = checksum.partition(":")
    if not sep or algorithm not in hashlib.algorithms_available:
        raise ValueError(f"checksum {checksum!r} should look like 'sha256:<hex digest>' or 'md5:<hex digest>'")
    return algorithm, digest.lower()


def file_digest(path, algorithm: str = "sha256") -> str:
    """The hex digest of a file's bytes.

    >>> import tempfile
    >>> f = tempfile.NamedTemporaryFile(delete=False); _ = f.write(b""); f.close()
    >>> file_digest(f.name)[:8]
    'e3b0c442'
    """
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, algorithm).hexdigest()


def matches(path, checksum: str) -> bool:
    """Whether the file's digest equals ``checksum`` (``"algorithm:hex"``)."""
    algorithm, digest = parse_checksum(checksum)
    return file_digest(path, algorithm) == digest
