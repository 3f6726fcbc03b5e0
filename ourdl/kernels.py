"""Fused array kernels: the arithmetic around NumPy's vectorised ``exp``/``tanh``/``log`` in one pass each.

NumPy's ``exp``, ``expm1``, ``tanh`` and ``log`` are SIMD-vectorised and fast;
what makes a straightforward activation slow is the many full passes over
memory around them (``1 / (1 + e)``, ``g * (1 - y) * y``, masks, ``np.where``).
Each kernel here is a numba ufunc doing one such step in one pass, with the
branch-free arithmetic LLVM vectorises (both sides of a choice computed, then
one flat select: a nested ``a if c else (b if d else e)`` stays a
mispredicted branch and runs 20x slower), in the array's own precision (float32
stays float32). Transcendental functions stay in NumPy: numba calls the scalar
libm for them, several times slower. Kernels take arrays of one shape
(scalar arguments run a slower, strided loop: keep them for cheap kernels).
Kernels compile on first use and are cached on disk (``cache=True``); numba itself is imported then, so importing
ourdl costs nothing. Never pass
an input as ``out=``: a numba ufunc writing over its input runs 4x slower than
one writing a new array.
"""

from __future__ import annotations

import numpy as np

_TYPES = ("float32", "float64")


def kernel(arity: int, types=_TYPES):
    """Decorator: ``fn`` becomes a numba ufunc of ``arity`` inputs (float32 and float64), compiled on first call.

    A kernel is written for one element and called on arrays (here SiLU's ``x / (1 + e)``, ``e = exp(-x)``):

    >>> import numpy as np
    >>> from ourdl.activations.kernels import silu_from_exp
    >>> silu_from_exp(np.array([2.0], np.float32), np.array([0.5], np.float32))
    array([1.3333334], dtype=float32)
    """

    def wrap(fn):
        signatures = [f"{t}({', '.join([t] * arity)})" for t in types]
        compiled = []

        def call(first, *args):
            if not compiled:
                from numba import vectorize  # deferred: numba takes ~130 ms to import; most programs never need it

                compiled.append(vectorize(signatures, cache=True)(fn).ufunc)  # the plain ufunc: less overhead
            # scalars in the array's dtype: a Python float would make NumPy cast through small buffers (5x slower)
            scalar = first.dtype.type
            with np.errstate(all="ignore"):  # NaN compared in a vector lane raises the flag; PyTorch is silent
                return compiled[0](first, *[a if isinstance(a, np.ndarray) else scalar(a) for a in args])

        call.__name__ = call.__qualname__ = fn.__name__
        call.__doc__ = fn.__doc__
        return call

    return wrap


# reassociation lets the sums vectorise; no nnan/ninf flags, so NaN and inf propagate as in PyTorch
_REASSOCIATE = {"reassoc", "contract"}


def loop(fn):
    """Decorator: ``fn``, a Python loop over arrays, is compiled by numba (``njit``, cached on disk) on first call.

    >>> import numpy as np
    >>> from ourdl.activations.rows import normalise_rows
    >>> e = np.array([[1.0, 3.0]])
    >>> normalise_rows(e); e
    array([[0.25, 0.75]])
    """
    compiled = []

    def call(*args):
        if not compiled:
            from numba import njit  # deferred: numba takes ~130 ms to import; most programs never need it

            compiled.append(njit(cache=True, fastmath=_REASSOCIATE, error_model="numpy")(fn))
        return compiled[0](*args)

    call.__name__ = call.__qualname__ = fn.__name__
    call.__doc__ = fn.__doc__
    return call
