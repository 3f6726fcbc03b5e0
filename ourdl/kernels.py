"""Fused array kernels: the arithmetic around NumPy's vectorised ``exp``/``tanh``/``log`` in one pass each.

NumPy's ``exp``, ``expm1``, ``tanh`` and ``log`` are SIMD-vectorised and fast;
what makes a straightforward activation slow is the many full passes over
memory around them (``1 / (1 + e)``, ``g * (1 - y) * y``, masks, ``np.where``).
Each kernel here is a numba ufunc doing one such step in one pass, with the
branch-free arithmetic LLVM vectorises (both sides of a choice computed, then
one flat select: a nested ``a if c else (b if d else e)`` stays a
mispredicted branch and runs 20x slower), in the array's own precision (float32
stays float32), or widened to float64 and rounded once where a float32 result
must be exact. Transcendental functions stay in NumPy or come from
:mod:`ourdl.kernel_math`: numba calls the scalar libm for ``math.exp``, 10-20x
slower. Kernels take arrays of one shape (scalar arguments run a slower,
strided loop: keep them for cheap kernels, or use an :func:`element_loop`).
Never pass an input as ``out=``: a numba ufunc writing over its input runs 4x
slower than one writing a new array. A kernel called on a large array runs on
ourdl's threads, one block each (:mod:`ourdl.thread_split`).

**No call waits for numba.** Importing numba and loading the compiled kernels
takes about a second, which a student would see as a frozen first call. So a
kernel's first call asks a background thread to compile it, and until that is
done the kernel runs as NumPy code made from the same source: the kernel's
body with each ``a if c else b`` turned into ``np.where`` and each number typed
as numba types it, which gives the same numbers, bit for bit (tested), only
slower. Compiled kernels are cached on disk (``cache=True``).
"""

from __future__ import annotations

import functools
import threading
import warnings

import numpy as np

from .kernel_forms import with_numba_helpers, inline, numpy_form
from .thread_split import MIN_SIZE, split_pass

__all__ = ["COMPILER", "background_loop", "compile_all", "element_loop", "inline", "kernel", "loop", "numpy_form",
           "wait"]

_TYPES = ("float32", "float64")


class _Compiler:
    """The background thread that imports numba and compiles (or loads from the cache) the kernels asked for.

    Only kernels that have been called are compiled: compiling all of them would cost seconds of a core, and
    LLVM's allocations leave glibc's heap in a state where every large NumPy array is mapped afresh (measured:
    activations twice as slow after compiling every kernel than after compiling the few in use)."""

    def __init__(self):
        self.pending: list = []  # compile functions asked for and not yet run
        self.lock = threading.Lock()
        self.running = False  # set and cleared under the lock, so a request never misses a thread that is ending
        self.thread: threading.Thread | None = None

    def request(self, compile_one) -> None:
        """Compile ``compile_one``'s kernel on the background thread (started if idle)."""
        with self.lock:
            if compile_one in self.pending:
                return
            self.pending.append(compile_one)
            if self.running:
                return
            self.running = True
            self.thread = threading.Thread(target=self._run, name="ourdl-kernels", daemon=True)
            self.thread.start()  # under the lock, so that wait() never joins a thread not yet started

    def wait(self) -> None:
        """Block until every kernel asked for is compiled."""
        while True:
            with self.lock:
                if not self.running:
                    return
                thread = self.thread
            thread.join()

    def _run(self) -> None:
        try:
            while True:
                with self.lock:
                    if not self.pending:
                        return
                    compile_one = self.pending[0]
                try:
                    compile_one()  # a kernel numba fails to compile runs in its NumPy form (and a warning says so)
                finally:
                    with self.lock:
                        self.pending.remove(compile_one)
        finally:  # even if a warning was turned into an error: wait() must not wait for a thread that is gone
            with self.lock:
                self.running = False
                if self.pending:  # asked for while this thread was ending: run them on a fresh one
                    self.running = True
                    self.thread = threading.Thread(target=self._run, name="ourdl-kernels", daemon=True)
                    self.thread.start()


COMPILER = _Compiler()
_ALL: list = []  # every kernel's compile function, for compile_all


def wait() -> None:
    """Wait until the kernels called so far are compiled: what a benchmark does after a warm-up call, so that it
    times compiled kernels.

    >>> wait()
    """
    COMPILER.wait()


def compile_all() -> None:
    """Compile every kernel now (or load it from numba's cache) and wait for it: what the tests comparing the
    compiled kernels with their NumPy forms do.

    >>> compile_all()
    """
    for compile_one in _ALL:
        COMPILER.request(compile_one)
    COMPILER.wait()


def _background_kernel(fn, numpy_source, build, types):
    """The callable of a kernel: ``build(dtype_names)`` (numba's compiled form, made on the background thread) once
    it is ready for the array's dtype, split over the threads for large arrays; ``numpy_source``'s NumPy form until
    then, or for good if numba fails (with a warning).

    Each dtype's loop is compiled when that dtype is first called: numba caches a kernel's element function on disk
    but builds its loops afresh in every process (tens of milliseconds of LLVM each), and a float32 network never
    calls the float64 loop. A dtype outside ``types`` gets every loop, as NumPy casts it."""
    compiled = {}  # dtype -> its compiled form, filled on the background thread
    compilers = {}  # dtype -> the request compiling its loop (one object per dtype: requests are deduplicated)
    numpy_forms = []  # made on first use: parsing every kernel's source at import would cost ~20 ms

    def as_numpy(*args):
        if not numpy_forms:
            numpy_forms.append(numpy_form(numpy_source))
        return numpy_forms[0](*args)

    def compile_for(dtype):
        if dtype in compiled:
            return
        try:
            compiled[dtype] = build((dtype.name,) if dtype.name in types else types)
        except Exception as error:  # noqa: BLE001  (any failure of numba: the NumPy form gives the same values)
            compiled[dtype] = _fallback(as_numpy)
            _numba_failed("kernel", fn, error)

    def compiler(dtype):
        return compilers.setdefault(dtype, functools.partial(compile_for, dtype))

    _ALL.extend(compiler(np.dtype(t)) for t in types)

    def call(first, *args):
        # scalars in the array's dtype: a Python float would make NumPy cast through small buffers (5x slower)
        scalar = first.dtype.type
        args = [a if isinstance(a, np.ndarray) else scalar(a) for a in args]
        with np.errstate(all="ignore"):  # NaN compared in a vector lane raises the flag; PyTorch is silent
            ready = compiled.get(first.dtype)
            if ready is not None:
                if first.size < MIN_SIZE or any(a.shape != first.shape for a in args if isinstance(a, np.ndarray)):
                    return ready(first, *args)
                return split_pass(ready, (first, *args), np.empty(first.shape, first.dtype))
            COMPILER.request(compiler(first.dtype))
            return np.asarray(as_numpy(first, *args), dtype=first.dtype)

    call.__name__ = call.__qualname__ = fn.__name__
    call.__doc__ = fn.__doc__
    call.numpy_form = as_numpy
    call.compiled = compiled
    return call


def kernel(arity: int, types=_TYPES):
    """Decorator: ``fn`` becomes a numba ufunc of ``arity`` inputs (float32 and float64), each dtype's loop compiled
    in the background from that dtype's first call on; until then its NumPy form computes the same values.

    A kernel is written for one element and called on arrays (here SiLU's ``x / (1 + e)``, ``e = exp(-x)``):

    >>> import numpy as np
    >>> from ourdl.activations.sigmoid_based import silu_from_exp
    >>> silu_from_exp(np.array([2.0], np.float32), np.array([0.5], np.float32))
    array([1.3333334], dtype=float32)
    """

    def wrap(fn):
        def build(names):
            from numba import vectorize  # deferred: numba takes ~130 ms to import; most programs never need it

            signatures = [f"{t}({', '.join([t] * arity)})" for t in names]
            return vectorize(signatures, cache=True)(with_numba_helpers(fn)).ufunc  # the plain ufunc: less overhead

        call = _background_kernel(fn, fn, build, types)
        call.arity, call.types = arity, types
        return call

    return wrap


def element_loop(element, arrays: int = 1, types=_TYPES):
    """Decorator: ``fn(*arrays, *scalars, out)``, a loop writing ``element`` of each element into ``out``, becomes
    a kernel called as ``fn(*arrays, *scalars)`` like one of :func:`kernel` (compiled in the background, split over
    the threads, ``element``'s NumPy form until then). ``element`` is an :func:`inline` function.

    For long elements (a float32 kernel computing ``exp`` through float64): LLVM vectorises numba's own loop over
    them, where it leaves a ufunc of the same element scalar (measured 3x slower); and scalar arguments stay
    scalars, where a ufunc runs its strided loop.

    >>> import numpy as np
    >>> from ourdl.activations.sigmoid_based import mish_wide
    >>> mish_wide(np.array([2.0], np.float32))
    array([1.943959], dtype=float32)
    """

    def wrap(fn):
        count = fn.__code__.co_argcount - 1  # the arguments before out

        def build(names):
            from numba import njit  # deferred: numba takes ~130 ms to import

            jitted = njit(cache=True, nogil=True, error_model="numpy")(with_numba_helpers(fn))  # threads run blocks
            for name in names:  # compiled here, on the background thread, not at a first call
                one = np.zeros(1, name)
                jitted(*[one] * arrays, *[one[0]] * (count - arrays), np.empty(1, name))
            return _flat_loop(jitted, names)

        call = _background_kernel(fn, element, build, types)
        call.arity, call.arrays, call.types = count, arrays, types
        return call

    return wrap


def _flat_loop(jitted, names):
    """A compiled loop over flat arrays, called as a ufunc is: ``f(*args, out=None)`` (``out`` C-contiguous); a
    dtype without a loop of its own (float16) is computed in the first of ``names`` and rounded back, as NumPy
    runs a ufunc."""

    def ufunc(*args, out=None):
        dtype = args[0].dtype
        if dtype.name not in names:
            wide = np.dtype(names[0])
            result = ufunc(*[a.astype(wide) if isinstance(a, np.ndarray) else wide.type(a) for a in args])
            if out is None:
                return result.astype(dtype)
            out[...] = result
            return out
        if out is None:
            out = np.empty(args[0].shape, args[0].dtype)
        jitted(*[a.reshape(-1) if isinstance(a, np.ndarray) else a for a in args], out.reshape(-1))
        return out

    return ufunc


def _numba_failed(kind: str, fn, error: Exception) -> None:
    """Say that ``fn`` keeps running as NumPy code because numba could not compile it."""
    warnings.warn(f"ourdl: numba could not compile the {kind} {fn.__name__} ({type(error).__name__}: {error}); it "
                  "keeps running as NumPy code, with the same values, more slowly", RuntimeWarning, stacklevel=2)


def _fallback(as_numpy):
    """A kernel's NumPy form standing in for its ufunc (numba failed): same call, ``out=`` included."""

    def ufunc(*args, out=None):
        result = np.asarray(as_numpy(*args), dtype=args[0].dtype)
        if out is None:
            return result
        out[...] = result
        return out

    return ufunc


# reassociation lets the sums vectorise; no nnan/ninf flags, so NaN and inf propagate as in PyTorch
_REASSOCIATE = {"reassoc", "contract"}


def loop(fn=None, *, reassociate: bool = True):
    """Decorator: ``fn``, a Python loop over arrays, is compiled by numba (``njit``, cached on disk, releasing the
    GIL so that :func:`ourdl.thread_split.split_rows` runs it on several threads) on first call. With
    ``reassociate`` (the default) sums vectorise; without it the arithmetic is exact as written, which
    :mod:`ourdl.kernel_math`'s helpers need.

    >>> import numpy as np
    >>> from ourdl.activations.rows import normalise_rows
    >>> e = np.array([[1.0, 3.0]])
    >>> normalise_rows(e); e
    array([[0.25, 0.75]])
    """
    if fn is None:
        return lambda f: loop(f, reassociate=reassociate)
    compiled = []

    def call(*args):
        if not compiled:
            from numba import njit  # deferred: numba takes ~130 ms to import; most programs never need it

            flags = _REASSOCIATE if reassociate else False
            compiled.append(njit(cache=True, nogil=True, fastmath=flags, error_model="numpy")(with_numba_helpers(fn)))
        return compiled[0](*args)

    call.__name__ = call.__qualname__ = fn.__name__
    call.__doc__ = fn.__doc__
    return call


def background_loop(signatures, fallback):
    """Decorator: ``fn``, a loop over arrays written in place, compiled by numba for ``signatures`` (numba's
    signature strings, arithmetic exact as written) on the background thread from its first call on; until then, or
    if numba fails, ``fallback`` (NumPy code computing the same values) runs. The caller passes only arguments the
    signatures take.

    >>> import numpy as np
    >>> from ourdl.optim.optimizer import axpy
    >>> y = np.ones(3, np.float32); axpy(2.0, np.arange(3, dtype=np.float32), y); y
    array([1., 3., 5.], dtype=float32)
    """

    def wrap(fn):
        compiled = []

        def compile_one():
            try:
                from numba import njit  # deferred: numba takes ~130 ms to import

                compiled.append(njit(signatures, cache=True, nogil=True, error_model="numpy")(fn))
            except Exception as error:  # noqa: BLE001  (any failure of numba: the fallback gives the same values)
                compiled.append(fallback)
                _numba_failed("loop", fn, error)

        _ALL.append(compile_one)

        def call(*args):
            if compiled:
                return compiled[0](*args)
            COMPILER.request(compile_one)
            return fallback(*args)

        call.__name__ = call.__qualname__ = fn.__name__
        call.__doc__ = fn.__doc__
        call.compiled = compiled
        return call

    return wrap
