"""RNNCell, LSTMCell and GRUCell against PyTorch: values and every gradient from the same weights, a loop over a
sequence, names, repr, init and errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
from ourdl import nn
from ourdl.autograd import gradcheck, gradgradcheck
from tests.oracle import assert_same, torch

CELLS = {"RNNCell": {}, "RNNCell-relu": {"nonlinearity": "relu"}, "LSTMCell": {}, "GRUCell": {}}
DTYPES = {np.float32: (ourdl.float32, torch.float32), np.float64: (ourdl.float64, torch.float64)}


def make_pair(kind: str, *args, dtype=np.float64, **options):
    name = kind.split("-")[0]
    theirs = getattr(torch.nn, name)(*args, **CELLS[kind], **options).to(DTYPES[dtype][1])
    ours = getattr(nn, name)(*args, **CELLS[kind], **options).to(DTYPES[dtype][0])
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


def states_of(kind: str, lib, arrays):
    if arrays is None:
        return None
    states = [lib.tensor(a, requires_grad=True) for a in arrays]
    return tuple(states) if kind == "LSTMCell" else states[0]


@settings(max_examples=30, deadline=None)
@given(kind=st.sampled_from(sorted(CELLS)), bias=st.booleans(), batch=st.integers(0, 3),
       sizes=st.tuples(st.integers(1, 4), st.integers(1, 5)), with_state=st.booleans(), steps=st.integers(1, 4),
       dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2 ** 16))
def test_cells_match_pytorch_step_by_step(kind, bias, batch, sizes, with_state, steps, dtype, seed):
    """``batch`` 0 is an unbatched input ``(input_size)``; the cell runs ``steps`` times, feeding its state back."""
    input_size, hidden = sizes
    torch.manual_seed(seed)
    ours, theirs = make_pair(kind, input_size, hidden, bias=bias, dtype=dtype)
    rng = np.random.default_rng(seed)
    lead = (batch,) if batch else ()
    xs = rng.standard_normal((steps, *lead, input_size)).astype(dtype)
    arrays = [rng.standard_normal((*lead, hidden)).astype(dtype) for _ in range(2 if kind == "LSTMCell" else 1)]
    first_o, first_t = (states_of(kind, lib, arrays if with_state else None) for lib in (ourdl, torch))
    xo, xt = ourdl.tensor(xs, requires_grad=True), torch.tensor(xs, requires_grad=True)
    state_o, state_t = first_o, first_t
    for t in range(steps):
        state_o, state_t = ours(xo[t], state_o), theirs(xt[t], state_t)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else {}
    final_o = state_o if kind == "LSTMCell" else (state_o,)
    final_t = state_t if kind == "LSTMCell" else (state_t,)
    for a, b in zip(final_o, final_t):
        assert_same(a, b, **tol)
    weights = rng.standard_normal((len(final_t), *final_t[0].shape)).astype(dtype)
    sum(((a * ourdl.tensor(w)).sum() for a, w in zip(final_o, weights)), ourdl.tensor(0.0, dtype=xo.dtype)).backward()
    sum((a * torch.tensor(w)).sum() for a, w in zip(final_t, weights)).backward()
    assert_same(xo.grad, xt.grad, what="input gradient", **tol)
    if with_state:
        for a, b in zip(first_o if kind == "LSTMCell" else (first_o,), first_t if kind == "LSTMCell" else (first_t,)):
            assert_same(a.grad, b.grad, what="state gradient", **tol)
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        assert_same(p.grad, theirs_params[name].grad, what=f"gradient of {name}", **tol)


@pytest.mark.parametrize("kind", sorted(CELLS))
def test_gradcheck_and_gradgradcheck_of_a_cell(kind):
    ours, _ = make_pair(kind, 2, 3)
    rng = np.random.default_rng(0)
    x = ourdl.tensor(rng.standard_normal((2, 2)), requires_grad=True)
    h = ourdl.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    c = ourdl.tensor(rng.standard_normal((2, 3)), requires_grad=True)

    def step(x, h, c):
        out = ours(x, (h, c) if kind == "LSTMCell" else h)
        return out[0] + 0.5 * out[1] if kind == "LSTMCell" else out + 0 * c

    assert gradcheck(step, (x, h, c))
    assert gradgradcheck(step, (x, h, c))


@pytest.mark.parametrize("kind", sorted(CELLS))
def test_names_repr_and_init_are_pytorchs(kind):
    ours, theirs = make_pair(kind, 3, 4, bias=False)
    assert repr(ours) == repr(theirs)
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    fresh = getattr(nn, kind.split("-")[0])(3, 100)
    values = np.concatenate([p.detach().numpy().ravel() for p in fresh.parameters()])
    assert np.abs(values).max() <= 0.1 and values.max() > 0.099


CASES = [((3, 10, 1), None), ((3, 7), None), ((3, 10), (4, 20)), ((3, 10), (3, 21)), ((3, 10), (3, 20, 1)),
         ((10,), (3, 20))]


@pytest.mark.parametrize("shape, hx", CASES)
@pytest.mark.parametrize("kind", ["LSTMCell", "GRUCell", "RNNCell"])
def test_bad_input_and_state_raise_pytorchs_exception_naming_the_cell(kind, shape, hx):
    ours, theirs = make_pair(kind, 10, 20, dtype=np.float32)

    def call(cell, lib):
        states = None if hx is None else [lib.zeros(*hx) for _ in range(2 if kind == "LSTMCell" else 1)]
        return cell(lib.zeros(*shape), None if states is None else (tuple(states) if kind == "LSTMCell" else states[0]))

    with pytest.raises(Exception) as theirs_error:
        call(theirs, torch)
    with pytest.raises(type(theirs_error.value), match=rf"^{kind}\(10, 20\): "):
        call(ours, ourdl)


def test_bad_nonlinearity_and_sizes_raise():
    with pytest.raises(ValueError, match="Unknown nonlinearity"):
        nn.RNNCell(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="hidden_size must be greater than zero"):
        nn.GRUCell(3, 0)
