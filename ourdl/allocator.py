"""How the C allocator treats NumPy's large arrays: kept for reuse rather than handed back to the system.

glibc's ``malloc`` maps a large block afresh from the system and unmaps it on ``free`` unless it
has learnt, from earlier frees, to keep such blocks; a fresh mapping costs a page fault per 4 KiB
on first touch. An activation's forward and backward on 4M float32 values allocate several 16 MB
arrays, and whether glibc keeps them depended on what the process had done before: after numba
compiled its kernels, GELU's forward+backward took 28 ms instead of 16 (measured here, quiet
machine). Setting the thresholds once makes it steady: blocks up to 32 MB come from the heap, and
up to 64 MB of freed heap is kept for the next arrays instead of being returned at once. Peak
memory is unchanged (freed memory is reused); what changes is that a process may hold that much
after a large computation ends. Only glibc (Linux) has these settings; elsewhere nothing changes.

>>> from ourdl.allocator import TUNED
>>> TUNED in (True, False)
True
"""

from __future__ import annotations

import ctypes

MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest allowed value on 64-bit machines
TRIM_THRESHOLD = 64 * 1024 * 1024
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameter numbers (malloc.h)


def _tune() -> bool:
    """Set glibc's thresholds; False where the C library is not glibc."""
    try:
        # the symbols already loaded in this process, libc's among them (find_library would run ldconfig: 25 ms)
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows): nothing to tune
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


TUNED = _tune()
"""Whether the thresholds were set (True on Linux with glibc)."""
