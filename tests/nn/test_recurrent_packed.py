"""RNN, LSTM (with and without projections) and GRU over PackedSequences against PyTorch: packed output, final
states and every gradient, sorted and unsorted batches, initial states, layers and directions."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
from ourdl.nn.utils import rnn as ours
from tests.nn.test_recurrent import TOLERANCE, make_pair
from tests.oracle import assert_same, torch


@settings(max_examples=30, deadline=None)
@given(kind=st.sampled_from(["RNN_TANH", "RNN_RELU", "LSTM", "GRU", "LSTM-proj"]),
       lengths=st.lists(st.integers(1, 5), min_size=1, max_size=4), enforce_sorted=st.booleans(),
       layers=st.integers(1, 2), bidirectional=st.booleans(), with_state=st.booleans(),
       dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2 ** 16))
def test_layers_over_packed_sequences_match_pytorch(kind, lengths, enforce_sorted, layers, bidirectional, with_state,
                                                    dtype, seed):
    if enforce_sorted:
        lengths = sorted(lengths, reverse=True)
    hidden, proj = 4, (2 if kind == "LSTM-proj" else 0)
    torch.manual_seed(seed)
    options = dict(bidirectional=bidirectional, dtype=dtype) | ({"proj_size": proj} if proj else {})
    o, t = make_pair(kind.split("-")[0], 3, hidden, layers, **options)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((max(lengths), len(lengths), 3)).astype(dtype)
    xo, xt = ourdl.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    lstm = kind.startswith("LSTM")
    sizes = [proj or hidden] + ([hidden] if lstm else [])
    arrays = [rng.standard_normal((layers * (1 + bidirectional), len(lengths), n)).astype(dtype) for n in sizes]
    ho = [ourdl.tensor(a, requires_grad=True) for a in arrays]
    ht = [torch.tensor(a, requires_grad=True) for a in arrays]
    state = (lambda hs: (tuple(hs) if lstm else hs[0]) if with_state else None)
    out_o, fin_o = o(ours.pack_padded_sequence(xo, lengths, enforce_sorted=enforce_sorted), state(ho))
    out_t, fin_t = t(torch.nn.utils.rnn.pack_padded_sequence(xt, lengths, enforce_sorted=enforce_sorted), state(ht))
    tol = TOLERANCE[dtype]
    assert_same(out_o.data, out_t.data, what="packed output", **tol)
    assert out_o.batch_sizes.tolist() == out_t.batch_sizes.tolist()
    fin_o, fin_t = (list(fin_o), list(fin_t)) if lstm else ([fin_o], [fin_t])
    loss_o, loss_t = (out_o.data ** 2).sum(), (out_t.data ** 2).sum()
    for k, (a, b) in enumerate(zip(fin_o, fin_t)):
        assert_same(a, b, what=f"final state {k}", **tol)
        loss_o, loss_t = loss_o + a.sum() * (k + 2), loss_t + b.sum() * (k + 2)
    loss_o.backward()
    loss_t.backward()
    assert_same(xo.grad, xt.grad, what="input gradient", **tol)
    if with_state:
        for a, b in zip(ho, ht):
            assert_same(a.grad, b.grad, what="initial state gradient", **tol)
    theirs = dict(t.named_parameters())
    for name, p in o.named_parameters():
        assert_same(p.grad, theirs[name].grad, what=f"gradient of {name}", **tol)
