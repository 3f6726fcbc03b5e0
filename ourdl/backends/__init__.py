"""``ourdl.backends``: what a script asks about accelerator backends (``mps``) and sets for ``cudnn``.

ourdl computes on the CPU with NumPy; these answer as PyTorch does on a machine without them.

>>> import ourdl
>>> ourdl.backends.mps.is_available(), ourdl.backends.cudnn.is_available()
(False, False)
"""

from . import cudnn, mps

__all__ = ["cudnn", "mps"]
