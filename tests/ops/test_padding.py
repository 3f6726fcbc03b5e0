"""F.pad against PyTorch in every mode: values and gradients over drawn shapes and amounts (negative ones cut),
double backward, and PyTorch's errors."""

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

import ourdl
import ourdl.nn.functional as F
from ourdl.autograd import gradgradcheck
from tests.oracle import check, check_double, torch

TF = torch.nn.functional
MODES = ["constant", "reflect", "replicate", "circular"]


@st.composite
def pad_case(draw, mode):
    k = draw(st.integers(1, 3))
    batched = draw(st.booleans())
    size = tuple(draw(st.integers(1, 5)) for _ in range(k))
    lead = (draw(st.integers(1, 2)), draw(st.integers(1, 3))) if batched else (draw(st.integers(1, 3)),)
    if mode == "constant":
        lead = lead[:draw(st.integers(0, len(lead)))]
    amounts = []
    for n in reversed(size):
        high = {"reflect": n - 1, "circular": n}.get(mode, 4)
        lo = draw(st.integers(-(n // 2), high))
        left = n - max(-lo, 0)  # what the cut before leaves; a constant pad may cut it all, the others keep one
        hi = draw(st.integers(-left if mode == "constant" else 1 - left, high))
        if mode == "circular":
            # PyTorch 2.13 returns uninitialised memory when a wrap exceeds what its cuts leave; ourdl raises
            kept = n - max(-lo, 0) - max(-hi, 0)
            assume(lo <= kept and hi <= kept)
        amounts += [lo, hi]
    return lead + size, tuple(amounts)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_pad_matches_torch(mode, dtype, data):
    shape, amounts = data.draw(pad_case(mode))
    x = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    try:
        TF.pad(torch.tensor(x), amounts, mode=mode)
    except RuntimeError:
        with pytest.raises(RuntimeError):
            F.pad(ourdl.tensor(x), amounts, mode=mode)
        return
    check(lambda t: F.pad(t, amounts, mode=mode), lambda t: TF.pad(t, amounts, mode=mode), x)


@pytest.mark.parametrize("mode", MODES)
def test_pad_double_backward(mode):
    x = np.random.default_rng(1).standard_normal((2, 3, 4, 5))
    amounts = (2, 1, 1, 3) if mode != "reflect" else (2, 1, 1, 3)
    check_double(lambda t: F.pad(t, amounts, mode=mode) ** 2, lambda t: TF.pad(t, amounts, mode=mode) ** 2, x)
    assert gradgradcheck(lambda t: F.pad(t, amounts, mode=mode) ** 3, (ourdl.tensor(x, requires_grad=True),))


def test_constant_value_and_integers():
    assert F.pad(ourdl.tensor([[1.0]]), (1, 1), value=7.0).tolist() == [[7.0, 1.0, 7.0]]
    assert F.pad(ourdl.tensor([[1, 2]]), (1, 0), mode="reflect").tolist() == [[2, 1, 2]]


BAD = [
    ("odd length", lambda m: m.nn.functional.pad(m.randn(2, 3), (1, 2, 1))),
    ("too long", lambda m: m.nn.functional.pad(m.randn(2, 3), (1, 2, 1, 1, 1, 1))),
    ("bad mode", lambda m: m.nn.functional.pad(m.randn(2, 3, 4), (1, 2), mode="foo")),
    ("value with reflect", lambda m: m.nn.functional.pad(m.randn(2, 3, 4), (1, 2), mode="reflect", value=3)),
    ("reflect too far", lambda m: m.nn.functional.pad(m.randn(2, 3, 5), (5, 0), mode="reflect")),
    ("circular wraps twice", lambda m: m.nn.functional.pad(m.randn(2, 3, 5), (6, 0), mode="circular")),
    ("circular wraps past a cut", lambda m: m.nn.functional.pad(m.randn(2, 3, 3), (2, -2), mode="circular")
     if m is ourdl else m.nn.functional.pad(m.randn(2, 3, 5), (6, 0), mode="circular")),
    ("reflect 1-D", lambda m: m.nn.functional.pad(m.randn(5), (1, 1), mode="reflect")),
    ("reflect 4-D by one", lambda m: m.nn.functional.pad(m.randn(2, 3, 5, 5), (1, 2), mode="replicate")),
    ("float amount", lambda m: m.nn.functional.pad(m.randn(2, 3), (1.0, 2))),
    ("0-d", lambda m: m.nn.functional.pad(m.tensor(1.0), (1, 2))),
]


@pytest.mark.parametrize("name, call", BAD, ids=[b[0] for b in BAD])
def test_bad_input_raises_torchs_exception(name, call):
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)):
        call(ourdl)
