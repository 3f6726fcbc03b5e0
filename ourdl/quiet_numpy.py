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

import numpy as np

# the messages NumPy gives for floating-point exceptions (np.errstate's categories)
_MESSAGE = r"(overflow|underflow|invalid value|divide by zero) encountered"


def silence() -> None:
    """Ignore NumPy's floating-point RuntimeWarnings raised from ourdl's modules (done once at ``import ourdl``)."""
    warnings.filterwarnings("ignore", message=_MESSAGE, category=RuntimeWarning, module=r"ourdl(\.|$)")


try:  # NumPy 2 keeps its error state in a context variable: setting it directly costs a tenth of np.errstate's enter
    # and exit (0.1 against 0.8 microseconds), paid by every elementwise op
    from numpy._core._ufunc_config import _extobj_contextvar as _ERROR_STATE, _make_extobj
except ImportError:  # a NumPy without it: its public context manager
    _ERROR_STATE = None


def ignore_errors():
    """Make NumPy ignore floating-point errors (as ``np.errstate(all="ignore")`` does) until :func:`restore_errors`
    is called with what this returned: ops give inf and NaN silently, as PyTorch's do.

    >>> import numpy as np
    >>> token = ignore_errors()
    >>> np.float32(1e38) * np.float32(10)
    np.float32(inf)
    >>> restore_errors(token)
    """
    if _ERROR_STATE is None:
        state = np.errstate(all="ignore")
        state.__enter__()
        return state
    current = _ERROR_STATE.get()
    ignoring = _IGNORING.get(current)
    if ignoring is None:  # made once per state in force: NumPy's other settings (buffer size, callback) carry over
        ignoring = _make_extobj(all="ignore")
        if len(_IGNORING) < 64:
            _IGNORING[current] = ignoring
    return _ERROR_STATE.set(ignoring)


_IGNORING: dict = {}  # NumPy's error state in force -> the same state ignoring every floating-point error


def restore_errors(token) -> None:
    """Go back to the floating-point error handling that was in force before :func:`ignore_errors`.

    >>> import numpy as np
    >>> before = np.geterr()
    >>> restore_errors(ignore_errors())
    >>> np.geterr() == before
    True
    """
    if _ERROR_STATE is None:
        token.__exit__(None, None, None)
    else:
        _ERROR_STATE.reset(token)
