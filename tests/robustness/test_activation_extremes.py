"""Every activation at the extremes of float32 and float64: its value and gradient either equal PyTorch's or are
closer to the exact value, computed with mpmath at 60 digits, or is listed here as one of the cases that are not
yet: ``NEAR`` (within two ulps of the exact value, PyTorch nearer) and ``FARTHER`` (both inaccurate, PyTorch less).
The test fails when a case moves between the tables, better or worse, so the tables stay the truth.

NumPy's float32 ``exp``/``expm1`` are not correctly rounded (a wrong last bit on 39% / 8% of inputs, measured
over [-30, 10]), nor are PyTorch's (SLEEF's, within 1 ulp): ourdl's float32 ELU family, mish and GLU compute through
float64 in their compiled kernels and round once (``ourdl/kernel_math.py``), so they are correctly rounded. Sigmoid,
SiLU, softplus and logsigmoid keep NumPy's float32 ``exp``: through float64 they cost 1.5-2.5x the time (measured),
so their few points an ulp away stay listed in ``NEAR``.
"""

import mpmath
import numpy as np
import pytest

import ourdl
import ourdl.activations as A
import ourdl.activations.functional as F
from tests.oracle import torch

mpmath.mp.dps = 60
mp = mpmath.mpf
TF = torch.nn.functional

SELU_ALPHA, SELU_SCALE = mp("1.6732632423543772848170429916717"), mp("1.0507009873554804934193349852946")


def _softplus(x):
    return x + mpmath.log1p(mpmath.exp(-x)) if x > 0 else mpmath.log1p(mpmath.exp(x))


def _sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


EXACT = {  # the published formulas, in mpmath
    "relu": lambda x: max(x, 0), "relu6": lambda x: min(max(x, 0), 6),
    "leaky_relu": lambda x: x if x > 0 else mp("0.01") * x,
    "elu": lambda x: x if x > 0 else mpmath.expm1(x),
    "selu": lambda x: SELU_SCALE * (x if x > 0 else SELU_ALPHA * mpmath.expm1(x)),
    "celu": lambda x: x if x > 0 else mpmath.expm1(x),
    "gelu": lambda x: x * mpmath.ncdf(x),
    "silu": lambda x: x * _sigmoid(x), "mish": lambda x: x * mpmath.tanh(_softplus(x)),
    "softplus": _softplus, "softsign": lambda x: x / (1 + abs(x)),
    "softshrink": lambda x: x - mp("0.5") if x > mp("0.5") else (x + mp("0.5") if x < -mp("0.5") else mp(0)),
    "hardshrink": lambda x: x if abs(x) > mp("0.5") else mp(0),
    "tanhshrink": lambda x: x - mpmath.tanh(x), "hardtanh": lambda x: min(max(x, -1), 1),
    "hardsigmoid": lambda x: min(max(x / 6 + mp("0.5"), 0), 1),
    "hardswish": lambda x: x * min(max(x + 3, 0), 6) / 6,
    "logsigmoid": lambda x: -_softplus(-x), "sigmoid": _sigmoid, "tanh": mpmath.tanh,
}

POINTS = [-3.4e38, -1e38, -1e10, -1000.0, -100.0, -88.0, -20.0, -17.0, -3.0, -1.0e-30, 1.0e-30, 3.0, 20.0, 30.0,
          88.0, 100.0, 1e10, 1e38]

# (name, dtype, x, "value" or "grad") where ourdl differs from PyTorch and is closer to the exact value: the
# issue's examples (other closer cases pass unlisted)
CLOSER = {("gelu", "float32", -3.0, "value"), ("gelu", "float32", -3.0, "grad"), ("mish", "float32", -100.0, "grad")}
# where PyTorch is closer and ourdl is within two ulps of the exact value: float64 mish's gradient at -17, where
# NumPy's exp(-17), a factor of the result, is rounded the other way from PyTorch's (over 400 random points in
# [-30, 6] ourdl's gradient is the nearer on average: 0.79 ulp against 0.84)
NEAR = {("mish", "float64", -17.0, "grad"), ("silu", "float32", -17.0, "grad"), ("softplus", "float32", -3.0, "value"),
        ("logsigmoid", "float32", 3.0, "value"), ("sigmoid", "float32", -20.0, "value"),
        ("sigmoid", "float32", -20.0, "grad")}
# where both are far from the exact value and PyTorch less so (none at present)
FARTHER: set = set()


def _exact(name, x):
    f = EXACT[name]
    x = mp(float(x))
    value = f(x)
    grad = mpmath.diff(f, x, h=abs(x) * mp(10) ** -40 if x else mp(10) ** -40)
    return value, grad


def _distance(approx, exact):
    if np.isnan(approx):
        return mpmath.inf
    return abs(mp(float(approx)) - exact)


def _cases():
    for name in EXACT:
        kinks = set(A.get(name).kinks)
        for dtype in ("float32", "float64"):
            for x in POINTS:
                if np.float32(x) in kinks or x in kinks:
                    continue
                yield name, dtype, x


def _compare(name, dtype, x):
    ours_x = ourdl.tensor([x], dtype=getattr(ourdl, dtype), requires_grad=True)
    theirs_x = torch.tensor([x], dtype=getattr(torch, dtype), requires_grad=True)
    ours, theirs = getattr(F, name)(ours_x), getattr(TF, name)(theirs_x)
    ours.sum().backward()
    theirs.sum().backward()
    exact = _exact(name, ours_x.detach().numpy()[0])
    found = {}
    for kind, o, t, e in (("value", ours, theirs, exact[0]), ("grad", ours_x.grad, theirs_x.grad, exact[1])):
        o, t = o.detach().numpy()[0], t.detach().numpy()[0]
        if o == t or (np.isnan(o) and np.isnan(t)):
            found[kind] = "equal"
        elif _distance(o, e) <= _distance(t, e):
            found[kind] = "closer"
        else:
            ulp = np.spacing(np.abs(np.asarray(o, dtype=dtype)))
            found[kind] = "near" if _distance(o, e) <= 2 * ulp else "farther"
    return found


@pytest.mark.parametrize("name, dtype, x", list(_cases()))
def test_equal_to_pytorch_or_closer_to_exact(name, dtype, x):
    for kind, outcome in _compare(name, dtype, x).items():
        key = (name, dtype, x, kind)
        expected = "closer" if key in CLOSER else "near" if key in NEAR else "farther" if key in FARTHER else "equal"
        if expected == "equal" and outcome == "closer":
            continue  # a difference from PyTorch that is nearer the exact value: better, not listed one by one
        assert outcome == expected, f"{key}: {outcome}"


def test_the_listed_differences_are_still_there():
    """The tables stay true: a listed case that now equals PyTorch should leave the table."""
    for name, dtype, x, kind in CLOSER | NEAR | FARTHER:
        assert _compare(name, dtype, x)[kind] != "equal", (name, dtype, x, kind)


def _mp_squareplus(x, b=4):
    root = mpmath.sqrt(x * x + b)
    return (x + root) / 2 if x >= 0 else b / (2 * (root - x))  # no cancellation at -1e38, even at 60 digits


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_squareplus_at_the_extremes_is_exact_to_an_ulp(dtype):
    """PyTorch has no squareplus: against mpmath directly (it was inf at 1e38 and 0 at -1e38)."""
    xs = [-3.4e38, -1e38, -1e19, -1e10, -3.0, 0.0, 3.0, 1e10, 1e19, 1e38, 3.4e38]
    x = ourdl.tensor(xs, dtype=getattr(ourdl, dtype), requires_grad=True)
    y = F.squareplus(x)
    y.backward(ourdl.ones_like(y))  # not y.sum(): the sum of values near 3.4e38 overflows
    for xi, yi, gi in zip(x.detach().numpy(), y.detach().numpy(), x.grad.numpy()):
        exact = _mp_squareplus(mp(float(xi)))
        slope = mpmath.diff(_mp_squareplus, mp(float(xi)))
        assert abs(mp(float(yi)) - exact) <= 2 * np.spacing(np.asarray(exact, dtype=dtype)), (xi, yi, exact)
        assert abs(mp(float(gi)) - slope) <= 2 * np.spacing(np.asarray(slope, dtype=dtype)) + mp(10) ** -300, (xi, gi)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sparsemax_of_huge_and_close_logits(dtype):
    """Sparsemax is shift-invariant: rows with ±1e38 or logits past 1e7 (float32) give the exact projection."""
    rows = [[1e38, -1e38, 1.0], [3e7, 1.0, 3e7 - 4], [1e16, 1e16 - 0.5 * 2 ** 4, 0.0], [-1e38, -1e38, -1e38]]
    x = ourdl.tensor(rows, dtype=getattr(ourdl, dtype))
    y = F.sparsemax(x, dim=1).numpy()
    assert np.isfinite(y).all() and np.allclose(y.sum(1), 1)
    assert y[0].tolist() == [1.0, 0.0, 0.0]
    assert y[3].tolist() == pytest.approx([1 / 3] * 3)
    z = x.numpy().astype(np.float64)[1]
    gap = z[0] - z[2]  # 4 apart: past the 2-apart support rule, so only the largest survives
    assert y[1].tolist() == ([1.0, 0.0, 0.0] if gap >= 1 else [(1 + gap) / 2, 0.0, (1 - gap) / 2])
