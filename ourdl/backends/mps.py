"""``ourdl.backends.mps``: Apple's Metal backend, which ourdl does not have.

>>> import ourdl
>>> ourdl.backends.mps.is_available()
False
"""


def is_available() -> bool:
    """Always False: ourdl computes on the CPU.

    >>> is_available()
    False
    """
    return False


def is_built() -> bool:
    """Always False: ourdl is not built with MPS.

    >>> is_built()
    False
    """
    return False


__all__ = ["is_available", "is_built"]
