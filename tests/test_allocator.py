"""glibc is told to keep large freed arrays for reuse (ourdl/allocator.py)."""

import platform

from ourdl import allocator


def test_glibc_keeps_large_freed_arrays_for_reuse():
    assert allocator.TUNED == (platform.libc_ver()[0] == "glibc")
