"""``ourdl.backends.cudnn``: the flags scripts set for reproducibility; they change nothing on the CPU.

``ourdl.backends.cudnn.deterministic = True`` and ``benchmark = False`` are accepted and kept,
so a script that sets them runs unchanged; ourdl's CPU results are deterministic anyway.

>>> import ourdl
>>> ourdl.backends.cudnn.deterministic = True
>>> ourdl.backends.cudnn.is_available()
False
"""

enabled = True
deterministic = False
benchmark = False
allow_tf32 = True


def is_available() -> bool:
    """Always False: ourdl has no cuDNN.

    >>> is_available()
    False
    """
    return False


def version() -> None:
    """None: no cuDNN is loaded (PyTorch answers so without one).

    >>> version() is None
    True
    """
    return None


__all__ = ["enabled", "deterministic", "benchmark", "allow_tf32", "is_available", "version"]
