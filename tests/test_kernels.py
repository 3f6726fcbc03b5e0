"""Every fused kernel gives the same bits as NumPy code made from its source (what runs while numba loads)."""

import time

import numpy as np
import pytest

import ourdl  # noqa: F401  (registers every kernel)
from ourdl import kernels
from ourdl.activations import (along_dim, composite, exponential_linear, gelu, learnable, piecewise, piecewise_extras,
                               sigmoid_based)
from ourdl.nn import batch_norm
from ourdl.ops import elementwise

KERNELS = sorted({(module.__name__, name): fn for module in (sigmoid_based, gelu, exponential_linear, along_dim, piecewise,
                                                             piecewise_extras, composite, learnable, elementwise,
                                                             batch_norm)
                  for name, fn in vars(module).items() if hasattr(fn, "numpy_form")}.items())
SPECIAL = [0.0, -0.0, 1.0, -1.0, 3.0, -3.0, 6.0, 0.5, -0.5, 1e-30, -1e-30, 1e30, -1e30, np.inf, -np.inf, np.nan]


def _arguments(arity, dtype, seed):
    rng = np.random.default_rng(seed)
    size = 4 * len(SPECIAL)
    columns = []
    for i in range(arity):
        values = np.concatenate([np.array(SPECIAL), rng.standard_normal(size - len(SPECIAL)) * 4])
        columns.append(rng.permutation(values).astype(dtype) if i else values.astype(dtype))
    return columns


@pytest.mark.parametrize("name, fn", KERNELS, ids=[".".join(key) for key, _ in KERNELS])
def test_numpy_form_is_bit_identical_to_the_compiled_kernel(name, fn):
    kernels.compile_all()
    assert set(fn.compiled) >= {np.dtype(t) for t in fn.types}, "compile_all left a kernel uncompiled"
    for dtype in fn.types:
        for seed in range(3):
            args = _arguments(fn.arity, np.dtype(dtype), seed)
            if hasattr(fn, "arrays"):  # a compiled loop's scalar arguments are scalars (a ufunc's may be arrays)
                args = args[:fn.arrays] + [a[seed] for a in args[fn.arrays:]]
            with np.errstate(all="ignore"):
                compiled = fn.compiled[np.dtype(dtype)](*args)
                numpy = np.asarray(fn.numpy_form(*args), dtype=args[0].dtype)
            assert numpy.dtype == compiled.dtype
            same = (numpy.view(f"u{numpy.itemsize}") == compiled.view(f"u{compiled.itemsize}")) | (
                np.isnan(numpy) & np.isnan(compiled))
            assert same.all(), (name, dtype, args[0][~same][:3], numpy[~same][:3], compiled[~same][:3])


def test_scalar_arguments_take_the_arrays_dtype_in_both_forms():
    kernels.compile_all()
    x = np.array([-2.0, 0.0, 2.0], np.float32)
    fast = learnable._prelu_input_grad(x, 0.1, np.ones(3, np.float32))
    slow = np.asarray(learnable._prelu_input_grad.numpy_form(x, np.float32(0.1), np.ones(3, np.float32)),
                      dtype=np.float32)
    assert fast.dtype == np.float32
    np.testing.assert_array_equal(fast, slow)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_a_compiled_loop_split_over_threads_and_in_other_dtypes_gives_its_numpy_forms_values(dtype):
    """Large arrays run in blocks on both threads; float16 (no compiled loop) goes through float32, as a ufunc."""
    kernels.compile_all()
    x = (np.random.default_rng(0).standard_normal(600_000) * 2).astype(dtype)
    g = np.ones_like(x)
    for fn, args in ((piecewise._hardtanh, (x, -1.0, 1.5)), (piecewise._shrink_backward, (x, g, 0.5))):
        fast = fn(*args)
        wide = [a.astype(np.float32) if isinstance(a, np.ndarray) and dtype == np.float16 else a for a in args]
        slow = fn.numpy_form(wide[0], *[a if isinstance(a, np.ndarray) else wide[0].dtype.type(a) for a in wide[1:]])
        assert fast.dtype == dtype
        np.testing.assert_array_equal(fast, np.asarray(slow).astype(dtype))


def test_a_fresh_process_gets_its_first_activation_without_waiting_for_numba():
    import subprocess
    import sys

    script = ("import time; t = time.perf_counter(); import ourdl, ourdl.nn.functional as F, sys; "
              "x = ourdl.randn(64, 128, requires_grad=True); s = time.perf_counter(); F.gelu(x).sum().backward(); "
              "print(time.perf_counter() - s, 'numba' in sys.modules and 'compiled' or 'numpy')")
    seconds = float(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
                    .stdout.split()[0])
    assert seconds < 0.5, f"the first gelu took {seconds:.2f} s"  # a generous bound; the benchmark measures it


def test_compile_all_is_idempotent():
    start = time.perf_counter()
    kernels.compile_all()
    kernels.compile_all()
    assert time.perf_counter() - start < 60


def test_a_kernel_numba_cannot_compile_keeps_its_numpy_form_and_says_so(monkeypatch):
    import numba

    @kernels.kernel(2)
    def halve_then_add(x, y):
        return x / 2 + y

    def refuse(*args, **kwargs):
        raise RuntimeError("no compiler here")

    monkeypatch.setattr(numba, "vectorize", refuse)
    x = np.array([2.0, 4.0], np.float32)
    with pytest.warns(RuntimeWarning, match="numba could not compile the kernel halve_then_add"):
        np.testing.assert_array_equal(halve_then_add(x, x), [3.0, 6.0])  # the NumPy form, at once
        kernels.wait()
    result = halve_then_add(x, x)
    assert result.dtype == np.float32
    np.testing.assert_array_equal(result, [3.0, 6.0])


def test_a_dtype_compiles_its_own_loop_only_when_it_is_called():
    @kernels.kernel(2)
    def scaled_sum(x, y):
        return 2 * x + y

    x = np.array([1.0, -2.0], np.float32)
    np.testing.assert_array_equal(scaled_sum(x, x), [3.0, -6.0])
    kernels.wait()
    assert list(scaled_sum.compiled) == [np.dtype("float32")]  # the float64 loop is not built for float32 data
    assert scaled_sum.compiled[np.dtype("float32")].types == ["ff->f"]
    assert scaled_sum(x.astype(np.float64), x.astype(np.float64)).dtype == np.float64  # NumPy form until compiled
    kernels.wait()
    assert scaled_sum(x.astype(np.float64), x.astype(np.float64)).dtype == np.float64
    assert scaled_sum.compiled[np.dtype("float64")].types == ["dd->d"]
    half = x.astype(np.float16)
    scaled_sum(half, half)
    kernels.wait()  # a dtype without a loop of its own gets every loop, and NumPy picks one as for any ufunc
    assert scaled_sum.compiled[np.dtype("float16")].types == ["ff->f", "dd->d"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_compiled_axpy_gives_numpys_bits(dtype):
    """SGD's in-place y += alpha x: the compiled loop rounds the product and the sum as NumPy's two passes do."""
    from ourdl.optim import optimizer

    kernels.compile_all()
    assert optimizer._axpy_loop.compiled and optimizer._axpy_loop.compiled[0] is not optimizer._axpy_numpy
    rng = np.random.default_rng(0)
    x = np.concatenate([np.array(SPECIAL), rng.standard_normal(1000) * 1e3]).astype(dtype)
    y = rng.permutation(np.concatenate([np.array(SPECIAL), rng.standard_normal(1000)])).astype(dtype)
    for alpha in (-0.01, 0.1, 3.0):
        fast, slow = y.copy(), y.copy()
        with np.errstate(all="ignore"):
            optimizer.axpy(alpha, x, fast)
            optimizer._axpy_numpy(x, alpha, slow)
        assert np.array_equal(fast.view(f"u{fast.itemsize}"), slow.view(f"u{slow.itemsize}"))
