"""Run an ourdl function and its PyTorch twin side by side; compare values and gradients.

Under ``CI=true`` a missing torch is an error, elsewhere those tests skip.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import ourdl

if os.environ.get("CI") == "true":
    import torch
else:
    torch = pytest.importorskip("torch")

TORCH_DTYPES = {np.float32: torch.float32, np.float64: torch.float64, np.int64: torch.int64, np.int32: torch.int32,
                np.bool_: torch.bool}
TOLERANCE = {np.float32: dict(rtol=1e-5, atol=1e-6), np.float64: dict(rtol=1e-10, atol=1e-12)}


def both(array: np.ndarray, requires_grad: bool = True):
    """The same values as an ourdl tensor and a torch tensor."""
    array = np.asarray(array)
    grad = requires_grad and array.dtype.kind == "f"
    ours = ourdl.tensor(array.copy(), requires_grad=grad)
    theirs = torch.tensor(array.copy(), requires_grad=grad)
    return ours, theirs


def to_numpy(t) -> np.ndarray:
    if isinstance(t, ourdl.Tensor):
        return t.detach().numpy()
    return t.detach().numpy(force=True)  # force: torch's lazily-zero tensors


def assert_same(ours, theirs, rtol=None, atol=None, what="value", signed_zeros=False):
    """Same shape, dtype and values (NaN where NaN, inf where inf)."""
    a, b = to_numpy(ours), to_numpy(theirs)
    assert a.shape == b.shape, f"{what}: shape {a.shape} != torch's {b.shape}"
    assert a.dtype == b.dtype, f"{what}: dtype {a.dtype} != torch's {b.dtype}"
    tol = TOLERANCE.get(a.dtype.type, dict(rtol=0, atol=0))
    np.testing.assert_allclose(a, b, rtol=rtol if rtol is not None else tol["rtol"],
                               atol=atol if atol is not None else tol["atol"], equal_nan=True, err_msg=what)
    if signed_zeros:
        zeros = (b == 0)
        assert np.array_equal(np.signbit(a[zeros]), np.signbit(b[zeros])), f"{what}: signs of zeros differ from torch's"


def check(ours_fn, torch_fn, *arrays, rtol=None, atol=None, grad=True, seed=0, signed_zeros=False):
    """Compare ``ours_fn(*tensors)`` with ``torch_fn(*tensors)``: forward values, then gradients
    for the same random upstream gradient."""
    pairs = [both(a) for a in arrays]
    out_ours = ours_fn(*[p[0] for p in pairs])
    out_theirs = torch_fn(*[p[1] for p in pairs])
    assert_same(out_ours, out_theirs, rtol, atol, "forward", signed_zeros)
    if not grad or not out_theirs.requires_grad:
        return out_ours, out_theirs
    upstream = np.random.default_rng(seed).standard_normal(out_theirs.shape).astype(to_numpy(out_theirs).dtype)
    out_ours.backward(ourdl.tensor(upstream))
    out_theirs.backward(torch.tensor(upstream))
    for i, (o, t) in enumerate(pairs):
        if t.requires_grad:
            if t.grad is None:
                assert o.grad is None or not np.any(to_numpy(o.grad)), f"input {i}: torch has no gradient, ours is nonzero"
                continue
            assert o.grad is not None, f"input {i}: ourdl produced no gradient"
            assert_same(o.grad, t.grad, rtol, atol, f"gradient of input {i}", signed_zeros)
    return out_ours, out_theirs


def check_double(ours_fn, torch_fn, *arrays, rtol=1e-9, atol=1e-10, seed=1):
    """Second derivatives in float64: d/dx of (dy/dx · v), compared with torch's double backward."""
    arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    pairs = [both(a) for a in arrays]
    out_o = ours_fn(*[p[0] for p in pairs])
    out_t = torch_fn(*[p[1] for p in pairs])
    v = np.random.default_rng(seed).standard_normal(out_t.shape)
    grads_o = ourdl.autograd.grad(out_o, [p[0] for p in pairs], ourdl.tensor(v), create_graph=True)
    grads_t = torch.autograd.grad(out_t, [p[1] for p in pairs], torch.tensor(v), create_graph=True)
    total_o = sum((g * g).sum() for g in grads_o)
    total_t = sum((g * g).sum() for g in grads_t)
    # A first derivative that does not depend on the inputs (linear, piecewise linear) has zero second derivative:
    # either side may then have recorded nothing.
    second_o = _grads_or_none(total_o, [p[0] for p in pairs], ourdl.autograd.grad)
    second_t = _grads_or_none(total_t, [p[1] for p in pairs], torch.autograd.grad)
    for i, (a, b) in enumerate(zip(second_o, second_t)):
        if b is None or a is None:
            other = a if b is None else b
            assert other is None or not np.any(to_numpy(other)), f"second derivative, input {i}: one side is None"
            continue
        assert_same(a, b, rtol, atol, f"second derivative, input {i}")


def _grads_or_none(total, inputs, grad):
    if not total.requires_grad:
        return [None] * len(inputs)
    return grad(total, inputs, allow_unused=True)
