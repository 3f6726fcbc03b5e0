"""NumPy's floating-point warnings from inside ourdl are silenced: PyTorch gives inf and NaN without a word.

NumPy warns (``RuntimeWarning: overflow encountered in multiply``) where PyTorch silently returns inf or NaN:
``1e38 * 10`` in float32, ``0 / 0``, the mean of an empty tensor. Wrapping every array call in
``np.errstate`` would cost each op about a microsecond; a warnings filter scoped to ourdl's own modules costs
nothing until a warning is raised, and leaves the user's own NumPy code warning as before. It sees warnings
raised in ourdl's own frames: ufuncs called from ourdl (``np.add.reduce``), not NumPy's Python wrappers
(``np.cumsum``), whose frame is NumPy's; and a user's ``warnings.simplefilter`` placed after ``import ourdl``
takes precedence over it.

>>> import warnings, numpy as np, ourdl
>>> with warnings.catch_warnings():
...     warnings.simplefilter("error")
...     silence()
...     ourdl.tensor([1e38]) * 10
tensor([inf])
"""

from __future__ import annotations

import warnings

# the messages NumPy gives for floating-point exceptions (np.errstate's categories)
_MESSAGE = r"(overflow|underflow|invalid value|divide by zero) encountered"


def silence() -> None:
    """Ignore NumPy's floating-point RuntimeWarnings raised from ourdl's modules (done once at ``import ourdl``)."""
    warnings.filterwarnings("ignore", message=_MESSAGE, category=RuntimeWarning, module=r"ourdl(\.|$)")
