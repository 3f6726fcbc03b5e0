"""LSTM with projections (proj_size) against PyTorch: parameter names and shapes, values and every gradient over
layers, directions and dtypes, double backward, repr and the construction errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
from ourdl import nn
from tests.nn.test_recurrent import compare, make_pair
from tests.oracle import assert_same, torch


@settings(max_examples=25, deadline=None)
@given(layers=st.integers(1, 3), bidirectional=st.booleans(), batch_first=st.booleans(), bias=st.booleans(),
       length=st.integers(1, 5), batch=st.integers(0, 3), sizes=st.tuples(st.integers(1, 4), st.integers(2, 5)),
       with_state=st.booleans(), dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2 ** 16),
       data=st.data())
def test_projected_lstm_matches_pytorch(layers, bidirectional, batch_first, bias, length, batch, sizes, with_state,
                                        dtype, seed, data):
    input_size, hidden = sizes
    proj = data.draw(st.integers(1, hidden - 1))
    torch.manual_seed(seed)
    ours, theirs = make_pair("LSTM", input_size, hidden, layers, bias=bias, batch_first=batch_first,
                             bidirectional=bidirectional, proj_size=proj, dtype=dtype)
    rng = np.random.default_rng(seed)
    shape = (length, input_size) if batch == 0 else \
        ((batch, length, input_size) if batch_first else (length, batch, input_size))
    hx = None
    if with_state:
        lead = (layers * (2 if bidirectional else 1),) + ((batch,) if batch else ())
        hx = [rng.standard_normal(lead + (proj,)).astype(dtype), rng.standard_normal(lead + (hidden,)).astype(dtype)]
    compare(ours, theirs, rng.standard_normal(shape).astype(dtype), hx, seed)


def test_parameter_names_shapes_and_state_dict_are_pytorchs():
    ours, theirs = make_pair("LSTM", 3, 6, 2, bidirectional=True, proj_size=4)
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    assert ours.weight_hr_l1_reverse.shape == (4, 6) and ours.weight_ih_l1.shape == (24, 8)
    no_bias = nn.LSTM(3, 6, proj_size=2, bias=False)
    assert [n for n, _ in no_bias.named_parameters()] == ["weight_ih_l0", "weight_hh_l0", "weight_hr_l0"]
    assert [tuple(w.shape) for w in no_bias.all_weights[0]] == [(24, 3), (24, 2), (2, 6)]


def test_double_backward_matches_pytorch():
    torch.manual_seed(3)
    ours, theirs = make_pair("LSTM", 3, 4, 2, proj_size=2, bidirectional=True)
    x = np.random.default_rng(3).standard_normal((4, 2, 3))
    xo, xt = ourdl.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (go,) = ourdl.autograd.grad(ours(xo)[0].pow(2).sum(), xo, create_graph=True)
    (gt,) = torch.autograd.grad(theirs(xt)[0].pow(2).sum(), xt, create_graph=True)
    assert_same(go, gt, what="first derivative")
    (ho,) = ourdl.autograd.grad(go.pow(2).sum(), ours.weight_hr_l0)
    (ht,) = torch.autograd.grad(gt.pow(2).sum(), theirs.weight_hr_l0)
    assert_same(ho, ht, what="second derivative")


def test_repr_is_pytorchs():
    assert repr(nn.LSTM(10, 20, proj_size=5)) == repr(torch.nn.LSTM(10, 20, proj_size=5))


@pytest.mark.parametrize("proj_size", [-1, 6, 7, 2.0])
def test_bad_proj_size_raises_pytorchs_exception(proj_size):
    with pytest.raises(Exception) as theirs:
        torch.nn.LSTM(3, 6, proj_size=proj_size)
    message = str(theirs.value) if isinstance(proj_size, int) else "proj_size should be of type int"
    with pytest.raises(type(theirs.value), match=message):
        nn.LSTM(3, 6, proj_size=proj_size)
    with pytest.raises(ValueError, match="only supported for LSTM"):
        nn.RNNBase("GRU", 3, 6, proj_size=2)


@pytest.mark.parametrize("layer", ["RNN", "GRU"])
@pytest.mark.parametrize("proj_size", [0, 2, 7, -1, 2.0])
def test_rnn_and_gru_refuse_proj_size_as_pytorch(layer, proj_size):
    with pytest.raises(ValueError) as theirs:
        getattr(torch.nn, layer)(3, 6, proj_size=proj_size)
    with pytest.raises(ValueError) as ours:
        getattr(nn, layer)(3, 6, proj_size=proj_size)
    assert str(ours.value) == str(theirs.value) == "proj_size argument is only supported for LSTM, not RNN or GRU"


@pytest.mark.parametrize("layer", ["RNN", "GRU"])
def test_rnn_and_gru_refuse_an_unknown_keyword_as_pytorch(layer):
    with pytest.raises(TypeError, match="unexpected keyword argument 'size'"):
        getattr(torch.nn, layer)(3, 6, size=2)
    with pytest.raises(TypeError, match=f"^{layer}.__init__\\(\\) got an unexpected keyword argument 'size'$"):
        getattr(nn, layer)(3, 6, size=2)


def test_initial_state_of_the_wrong_size_names_proj_size():
    layer = nn.LSTM(3, 6, proj_size=2)
    with pytest.raises(RuntimeError, match=r"LSTM\(3, 6, proj_size=2\): Expected hidden\[0\] size \(1, 1, 2\)"):
        layer(ourdl.zeros(4, 1, 3), (ourdl.zeros(1, 1, 6), ourdl.zeros(1, 1, 6)))
    with pytest.raises(RuntimeError):
        torch.nn.LSTM(3, 6, proj_size=2)(torch.zeros(4, 1, 3), (torch.zeros(1, 1, 6), torch.zeros(1, 1, 6)))
