"""RNN, LSTM and GRU layers against PyTorch: values, final states and every gradient from the same weights, over
shapes and options; gradcheck and double backward; long sequences; dropout between layers; names, init, errors."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
from ourdl import nn
from ourdl.autograd import gradcheck, gradgradcheck
from ourdl.nn.recurrence import Cell, run
from tests.oracle import assert_same, to_numpy, torch

KINDS = {"RNN_TANH": ("RNN", {"nonlinearity": "tanh"}), "RNN_RELU": ("RNN", {"nonlinearity": "relu"}),
         "LSTM": ("LSTM", {}), "GRU": ("GRU", {})}
DTYPES = {np.float32: (ourdl.float32, torch.float32), np.float64: (ourdl.float64, torch.float64)}
# float32: BLAS sums in another order than PyTorch's kernels; over many steps the last bits drift
TOLERANCE = {np.float32: dict(rtol=2e-4, atol=2e-5), np.float64: dict(rtol=1e-9, atol=1e-11)}


def make_pair(kind: str, *args, dtype=np.float64, **options):
    """The same layer in ourdl and PyTorch: PyTorch's initial weights copied into ourdl's."""
    name, extra = KINDS[kind]
    theirs = getattr(torch.nn, name)(*args, **extra, **options).to(DTYPES[dtype][1])
    ours = getattr(nn, name)(*args, **extra, **options).to(DTYPES[dtype][0])
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


def compare(ours, theirs, x: np.ndarray, hx=None, seed: int = 0, tolerance=None):
    """Forward both layers on ``x`` (and the initial states ``hx``, arrays), backpropagate the same random
    gradients from the output and the final states, and compare everything."""
    tol = tolerance or TOLERANCE[x.dtype.type]
    lstm = isinstance(theirs, torch.nn.LSTM)
    xo, xt = ourdl.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    states = [] if hx is None else ([(ourdl.tensor(h, requires_grad=True), torch.tensor(h, requires_grad=True))
                                      for h in hx])
    if hx is None:
        out_o, out_t = ours(xo), theirs(xt)
    elif lstm:
        out_o, out_t = ours(xo, tuple(s[0] for s in states)), theirs(xt, tuple(s[1] for s in states))
    else:
        out_o, out_t = ours(xo, states[0][0]), theirs(xt, states[0][1])
    flat_o = [out_o[0], *(out_o[1] if lstm else [out_o[1]])]
    flat_t = [out_t[0], *(out_t[1] if lstm else [out_t[1]])]
    rng = np.random.default_rng(seed)
    loss_o = loss_t = 0
    for k, (a, b) in enumerate(zip(flat_o, flat_t)):
        assert_same(a, b, what=f"output {k}", **tol)
        v = rng.standard_normal(tuple(b.shape)).astype(x.dtype)
        loss_o, loss_t = loss_o + (a * ourdl.tensor(v)).sum(), loss_t + (b * torch.tensor(v)).sum()
    loss_o.backward()
    loss_t.backward()
    assert_same(xo.grad, xt.grad, what="input gradient", **tol)
    for k, (so, st_) in enumerate(states):
        assert_same(so.grad, st_.grad, what=f"initial state {k} gradient", **tol)
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        assert_same(p.grad, theirs_params[name].grad, what=f"gradient of {name}", **tol)


@settings(max_examples=40, deadline=None)
@given(kind=st.sampled_from(sorted(KINDS)), layers=st.integers(1, 3), bidirectional=st.booleans(),
       batch_first=st.booleans(), bias=st.booleans(), length=st.integers(1, 6), batch=st.integers(0, 3),
       sizes=st.tuples(st.integers(1, 4), st.integers(1, 5)), with_state=st.booleans(),
       dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2 ** 16))
def test_layers_match_pytorch(kind, layers, bidirectional, batch_first, bias, length, batch, sizes, with_state, dtype,
                              seed):
    """``batch`` 0 means unbatched input ``(L, H_in)``."""
    input_size, hidden = sizes
    torch.manual_seed(seed)
    ours, theirs = make_pair(kind, input_size, hidden, layers, bias=bias, batch_first=batch_first,
                             bidirectional=bidirectional, dtype=dtype)
    rng = np.random.default_rng(seed)
    shape = (length, input_size) if batch == 0 else \
        ((batch, length, input_size) if batch_first else (length, batch, input_size))
    x = rng.standard_normal(shape).astype(dtype)
    hx = None
    if with_state:
        state = (layers * (2 if bidirectional else 1),) + ((batch,) if batch else ()) + (hidden,)
        hx = [rng.standard_normal(state).astype(dtype) for _ in range(2 if kind == "LSTM" else 1)]
    compare(ours, theirs, x, hx, seed)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_length_200_sequence(kind, dtype):
    torch.manual_seed(1)
    ours, theirs = make_pair(kind, 5, 8, 2, dtype=dtype)
    x = np.random.default_rng(1).standard_normal((200, 3, 5)).astype(dtype)
    compare(ours, theirs, x, tolerance=dict(rtol=1e-3, atol=1e-5) if dtype == np.float32 else None)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("reverse", [False, True])
def test_gradcheck_and_gradgradcheck_of_the_recurrence(kind, reverse):
    cell = Cell[kind]
    gates = cell.gates
    rng = np.random.default_rng(2)
    shapes = [(3, 2, 2), (gates * 3, 2), (gates * 3, 3), (gates * 3,), (gates * 3,), (2, 3), (2, 3)]
    args = [ourdl.tensor(rng.standard_normal(s) * 0.7, dtype=ourdl.float64, requires_grad=True) for s in shapes]

    def layer(x, w_ih, w_hh, b_ih, b_hh, h0, c0):
        out, h_n, c_n = run(cell, x, h0, c0 if cell is Cell.LSTM else None, w_ih, w_hh, b_ih, b_hh, reverse)
        return out.sum(-1) + h_n.sum() * 0.5 + (c_n.sum() * 0.25 if c_n is not None else 0)

    assert gradcheck(layer, args)
    assert gradgradcheck(layer, args)


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN_TANH"])
def test_double_backward_matches_pytorch(kind):
    torch.manual_seed(3)
    ours, theirs = make_pair(kind, 3, 4, 2, bidirectional=True)
    x = np.random.default_rng(3).standard_normal((4, 2, 3))
    xo, xt = ourdl.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (go,) = ourdl.autograd.grad(ours(xo)[0].pow(2).sum(), xo, create_graph=True)
    (gt,) = torch.autograd.grad(theirs(xt)[0].pow(2).sum(), xt, create_graph=True)
    assert_same(go, gt, what="first derivative")
    w_o, w_t = ours.weight_hh_l0, theirs.weight_hh_l0
    (ho,) = ourdl.autograd.grad(go.pow(2).sum(), w_o)
    (ht,) = torch.autograd.grad(gt.pow(2).sum(), w_t)
    assert_same(ho, ht, what="second derivative")


def test_dropout_between_layers_is_the_identity_in_eval_mode():
    torch.manual_seed(4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours, theirs = make_pair("LSTM", 3, 5, 3, dropout=0.5)
    ours.eval()
    theirs.eval()
    compare(ours, theirs, np.random.default_rng(4).standard_normal((6, 2, 3)))


def test_dropout_between_layers_in_training_zeroes_and_scales():
    """A two-layer relu RNN whose layers pass a positive input through unchanged: its output is the dropout of it."""
    layer = nn.RNN(50, 50, num_layers=2, nonlinearity="relu", dropout=0.3, bias=False)
    with ourdl.no_grad():
        for k in range(2):
            getattr(layer, f"weight_ih_l{k}").copy_(ourdl.eye(50))
            getattr(layer, f"weight_hh_l{k}").zero_()
    x = ourdl.ones(40, 20, 50)
    y = layer(x)[0].detach().numpy()
    assert np.allclose(y[y != 0], 1 / 0.7)
    assert (y == 0).mean() == pytest.approx(0.3, abs=0.01)
    assert np.array_equal(layer.eval()(x)[0].detach().numpy(), x.numpy())


def test_dropout_is_drawn_from_ourdls_generator_between_each_pair_of_layers():
    layer = nn.GRU(3, 4, num_layers=3, dropout=0.4)
    x = ourdl.randn(5, 2, 3)
    ourdl.manual_seed(7)
    y = layer(x)[0]
    ourdl.manual_seed(7)
    h = x
    for k in range(3):
        weights = [getattr(layer, f"{w}_l{k}") for w in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
        h = run(Cell.GRU, h, ourdl.zeros(2, 4), None, *weights, False)[0]
        if k < 2:
            h = nn.functional.dropout(h, 0.4)
    assert_same(y, h)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_parameter_names_shapes_and_order_are_pytorchs_and_load_into_pytorch(kind):
    ours, theirs = make_pair(kind, 3, 4, 2, bidirectional=True, bias=True)
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    fresh = make_pair(kind, 3, 4, 2, bidirectional=True)[1]
    fresh.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(5).standard_normal((3, 2, 3))
    assert_same(ours(ourdl.tensor(x))[0], fresh(torch.tensor(x))[0])


@pytest.mark.parametrize("options", [dict(), dict(num_layers=2, bias=False, batch_first=True, dropout=0.2,
                                                  bidirectional=True)])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_repr_is_pytorchs(kind, options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = make_pair(kind, 10, 20, **options)
    assert repr(ours) == repr(theirs)


def test_default_init_is_uniform_within_one_over_sqrt_hidden():
    layer = nn.LSTM(30, 100, num_layers=2)
    values = np.concatenate([p.detach().numpy().ravel() for p in layer.parameters()])
    bound = 1 / np.sqrt(100)
    assert np.abs(values).max() <= bound and values.max() > 0.99 * bound and values.min() < -0.99 * bound
    assert np.std(values) == pytest.approx(bound / np.sqrt(3), rel=0.02)


def test_bad_construction_arguments_raise_like_pytorch():
    for args, kwargs in [((10, 20), dict(nonlinearity="sig")), ((10, 20), dict(dropout=1.5)),
                         ((10, 20), dict(num_layers=0)), ((10, 0), {}), ((0, 5), {}), ((10, 2.0), {})]:
        with pytest.raises(Exception) as theirs:
            torch.nn.RNN(*args, **kwargs)
        with pytest.raises(type(theirs.value)):
            nn.RNN(*args, **kwargs)
    with pytest.warns(UserWarning, match="dropout option adds dropout after all but last recurrent layer"):
        nn.LSTM(3, 4, dropout=0.5)


LSTM_CASES = [((5, 3, 10, 2), None), ((5, 3, 7), None), ((5, 3, 10), [(1, 3, 20), (2, 3, 20)]),
              ((5, 3, 10), [(2, 3, 20), (2, 4, 20)]), ((5, 3, 10), [(2, 20), (2, 20)]),
              ((5, 10), [(2, 3, 20), (2, 3, 20)]), ((0, 3, 10), None), ((5, 3), None)]
GRU_CASES = [((5, 3, 10), [(1, 3, 20)]), ((5, 3, 10), [(2, 3)]), ((5, 10), [(2, 3, 20)]), ((5, 3, 10), [(2, 4, 20)])]


@pytest.mark.parametrize("kind, shape, hx", [("LSTM", *c) for c in LSTM_CASES] + [("GRU", *c) for c in GRU_CASES])
def test_bad_input_and_state_raise_pytorchs_exception_naming_the_layer(kind, shape, hx):
    ours, theirs = make_pair(kind, 10, 20, 2, dtype=np.float32)

    def call(layer, lib):
        x = lib.zeros(*shape)
        if hx is None:
            return layer(x)
        states = [lib.zeros(*s) for s in hx]
        return layer(x, tuple(states) if kind == "LSTM" else states[0])

    with pytest.raises(Exception) as theirs_error:
        call(theirs, torch)
    with pytest.raises(type(theirs_error.value), match=rf"^{kind}\(10, 20, num_layers=2\): "):
        call(ours, ourdl)


def test_input_of_another_dtype_raises_pytorchs_value_error():
    with pytest.raises(ValueError, match=r"LSTM\(3, 4\): input dtype \(ourdl.float64\) does not match weight dtype"):
        nn.LSTM(3, 4)(ourdl.zeros(2, 1, 3, dtype=ourdl.float64))


def test_initial_states_are_not_changed_and_outputs_can_be_fed_back():
    torch.manual_seed(6)
    ours, theirs = make_pair("LSTM", 2, 3, dtype=np.float32)
    x = np.random.default_rng(6).standard_normal((4, 1, 2)).astype(np.float32)
    out_o, state_o = ours(ourdl.tensor(x[:2]))
    out_t, state_t = theirs(torch.tensor(x[:2]))
    out_o, _ = ours(ourdl.tensor(x[2:]), state_o)
    out_t, _ = theirs(torch.tensor(x[2:]), state_t)
    assert_same(out_o, out_t)
    assert to_numpy(state_o[0]).shape == (1, 1, 3)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_an_empty_batch_gives_empty_outputs_like_pytorch(kind):
    ours, theirs = make_pair(kind, 3, 4, 2, bidirectional=True)
    compare(ours, theirs, np.zeros((5, 0, 3)))
