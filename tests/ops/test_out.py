"""``out=`` on the ops that take it in PyTorch: the same values, dtypes, resizing, warnings and refusals."""

import warnings

import numpy as np
import pytest

import ourdl
from tests.oracle import torch

CALLS = {  # name -> (function of the library, the inputs as lists)
    "add": (lambda lib, a, b, **o: lib.add(a, b, **o), [[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]]),
    "mul": (lambda lib, a, b, **o: lib.mul(a, b, **o), [[1.0, 2.0, 3.0], [2.0, 2.0, 2.0]]),
    "div": (lambda lib, a, b, **o: lib.div(a, b, **o), [[1.0, 2.0, 3.0], [2.0, 4.0, 8.0]]),
    "pow": (lambda lib, a, b, **o: lib.pow(a, b, **o), [[1.0, 2.0, 3.0], [2.0, 2.0, 0.5]]),
    "maximum": (lambda lib, a, b, **o: lib.maximum(a, b, **o), [[1.0, 5.0, 3.0], [2.0, 2.0, 2.0]]),
    "exp": (lambda lib, a, **o: lib.exp(a, **o), [[0.0, 1.0, -1.0]]),
    "tanh": (lambda lib, a, **o: lib.tanh(a, **o), [[0.0, 1.0, -1.0]]),
    "sigmoid": (lambda lib, a, **o: lib.sigmoid(a, **o), [[0.0, 1.0, -1.0]]),
    "sqrt": (lambda lib, a, **o: lib.sqrt(a, **o), [[0.0, 4.0, 9.0]]),
    "round": (lambda lib, a, **o: lib.round(a, **o), [[0.5, 1.5, 2.4]]),
    "cat": (lambda lib, a, b, **o: lib.cat([a, b], **o), [[1.0, 2.0], [3.0]]),
    "stack": (lambda lib, a, b, **o: lib.stack([a, b], **o), [[1.0, 2.0], [3.0, 4.0]]),
    "matmul": (lambda lib, a, b, **o: lib.matmul(a, b, **o), [[[1.0, 2.0], [3.0, 4.0]], [[1.0, 0.0], [1.0, 1.0]]]),
    "mm": (lambda lib, a, b, **o: lib.mm(a, b, **o), [[[1.0, 2.0], [3.0, 4.0]], [[1.0, 0.0], [1.0, 1.0]]]),
    "outer": (lambda lib, a, b, **o: lib.outer(a, b, **o), [[1.0, 2.0], [3.0, 4.0, 5.0]]),
}


def _run(lib, name, out_shape=None, out_dtype=None):
    fn, inputs = CALLS[name]
    args = [lib.tensor(x) for x in inputs]
    expected = fn(lib, *args)
    shape = tuple(expected.shape) if out_shape is None else out_shape
    out = lib.zeros(*shape, dtype=getattr(lib, out_dtype) if out_dtype else expected.dtype)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn(lib, *args, out=out)
    return result, out, [str(w.message)[:40] for w in caught if issubclass(w.category, UserWarning)]


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("out_shape, out_dtype", [(None, None), ((0,), None), ((7,), None)])
def test_out_is_written_returned_cast_and_resized_like_torch(name, out_shape, out_dtype):
    ours, ours_out, ours_warnings = _run(ourdl, name, out_shape, out_dtype)
    theirs, theirs_out, theirs_warnings = _run(torch, name, out_shape, out_dtype)
    assert ours is ours_out and theirs is theirs_out
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
    assert ours_warnings == theirs_warnings


@pytest.mark.parametrize("name", sorted(set(CALLS) - {"matmul", "mm", "round"}))
def test_a_wider_out_dtype_receives_the_result_cast_like_torch(name):
    ours, _, _ = _run(ourdl, name, None, "float64")
    theirs, _, _ = _run(torch, name, None, "float64")
    assert ours.dtype == ourdl.float64 and theirs.dtype == torch.float64
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def _error(call):
    try:
        call()
    except Exception as error:  # noqa: BLE001  (the type is what is compared)
        return type(error), str(error).split(": ", 1)[-1]
    return None, None


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("out_dtype", ["int64", "float64"])
def test_out_dtypes_are_refused_where_torch_refuses_them_with_its_error(name, out_dtype):
    def call(lib):
        fn, inputs = CALLS[name]
        return lambda: fn(lib, *[lib.tensor(x) for x in inputs], out=lib.zeros(0, dtype=getattr(lib, out_dtype)))

    assert _error(call(ourdl)) == _error(call(torch))


@pytest.mark.parametrize("name", ["add", "exp", "matmul", "cat"])
def test_out_refuses_arguments_that_require_grad_like_torch(name):
    for lib in (ourdl, torch):
        fn, inputs = CALLS[name]
        args = [lib.tensor(x) for x in inputs]
        grad_args = [args[0].clone().requires_grad_(), *args[1:]]
        with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
            fn(lib, *grad_args, out=lib.zeros(1))
        with lib.no_grad():
            fn(lib, *grad_args, out=lib.zeros(0))
        with pytest.raises(TypeError, match="argument 'out' must be Tensor"):
            fn(lib, *args, out=[1.0])


def test_out_bumps_the_version_so_backward_notices():
    x = ourdl.ones(3, requires_grad=True)
    y = x.exp()
    saved = y.detach()
    ourdl.add(ourdl.ones(3), 1, out=saved)  # y's value, which exp's backward needs, changed behind its back
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
