"""ourdl.nn.utils.rnn against torch.nn.utils.rnn: packing, padding and their inverses, values, indices and
gradients, both batch layouts, sorted and unsorted batches, and PyTorch's errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
from ourdl.nn.utils import rnn as ours
from tests.oracle import assert_same, torch

theirs = torch.nn.utils.rnn


def assert_packed_same(a, b):
    assert type(a).__name__ == "PackedSequence"
    assert_same(a.data, b.data, what="data")
    assert a.batch_sizes.tolist() == b.batch_sizes.tolist()
    for name in ("sorted_indices", "unsorted_indices"):
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None) and (x is None or x.tolist() == y.tolist()), name


@settings(max_examples=40, deadline=None)
@given(lengths=st.lists(st.integers(1, 5), min_size=1, max_size=5), batch_first=st.booleans(),
       enforce_sorted=st.booleans(), features=st.sampled_from([(), (2,), (2, 3)]), extra=st.integers(0, 2),
       dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2 ** 16))
def test_pack_and_pad_match_pytorch_with_gradients(lengths, batch_first, enforce_sorted, features, extra, dtype, seed):
    if enforce_sorted:
        lengths = sorted(lengths, reverse=True)
    steps, batch = max(lengths) + extra, len(lengths)
    shape = ((batch, steps) if batch_first else (steps, batch)) + features
    x = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    xo, xt = ourdl.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    po = ours.pack_padded_sequence(xo, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
    pt = theirs.pack_padded_sequence(xt, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
    assert_packed_same(po, pt)
    total = max(lengths) + extra
    (yo, lo), (yt, lt) = (ours.pad_packed_sequence(po, batch_first, -1.5, total),
                          theirs.pad_packed_sequence(pt, batch_first, -1.5, total))
    assert_same(yo, yt, what="padded")
    assert lo.tolist() == lt.tolist() and lo.dtype == ourdl.int64
    weights = np.random.default_rng(seed + 1).standard_normal(tuple(yt.shape)).astype(dtype)
    (yo * ourdl.tensor(weights)).sum().backward()
    (yt * torch.tensor(weights)).sum().backward()
    assert_same(xo.grad, xt.grad, what="gradient")
    for a, b in zip(ours.unpack_sequence(po), theirs.unpack_sequence(pt)):
        assert_same(a, b, what="unpacked")


@settings(max_examples=30, deadline=None)
@given(lengths=st.lists(st.integers(0, 4), min_size=1, max_size=4), batch_first=st.booleans(),
       side=st.sampled_from(["right", "left"]), seed=st.integers(0, 2 ** 16))
def test_pad_sequence_and_unpad_match_pytorch(lengths, batch_first, side, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal((n, 2)) for n in lengths]
    so = [ourdl.tensor(a, requires_grad=True) for a in arrays]
    st_ = [torch.tensor(a, requires_grad=True) for a in arrays]
    yo = ours.pad_sequence(so, batch_first, 0.5, side)
    yt = theirs.pad_sequence(st_, batch_first, 0.5, side)
    assert_same(yo, yt)
    (yo ** 2).sum().backward()
    (yt ** 2).sum().backward()
    for a, b in zip(so, st_):
        assert_same(a.grad, b.grad)
    if side == "right":
        for a, b in zip(ours.unpad_sequence(yo, ourdl.tensor(lengths), batch_first),
                        theirs.unpad_sequence(yt, torch.tensor(lengths), batch_first)):
            assert_same(a, b)


def test_pack_sequence_and_the_packed_sequence_type_are_pytorchs():
    seqs = [np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0]), np.array([6.0])]
    po = ours.pack_sequence([ourdl.tensor(s) for s in seqs], enforce_sorted=False)
    pt = theirs.pack_sequence([torch.tensor(s) for s in seqs], enforce_sorted=False)
    assert_packed_same(po, pt)
    data, batch_sizes, sorted_indices, unsorted_indices = po
    assert po._fields == pt._fields and data is po.data
    assert po.float().data.dtype == ourdl.float32 and po.to(ourdl.float64).data.dtype == ourdl.float64
    assert po.is_cuda is False and ourdl.nn.utils.rnn.PackedSequence is ours.PackedSequence
    assert repr(ours.pack_sequence([ourdl.tensor([1.0])])) == \
        "PackedSequence(data=tensor([1.]), batch_sizes=tensor([1]), sorted_indices=None, unsorted_indices=None)"


@pytest.mark.parametrize("call", [
    lambda m, lib: m.pack_padded_sequence(lib.zeros(4, 3, 2), [2, 3, 1]),
    lambda m, lib: m.pack_padded_sequence(lib.zeros(4, 3, 2), [3, 2, 0]),
    lambda m, lib: m.pack_padded_sequence(lib.zeros(4, 3, 2), [3, 2]),
    lambda m, lib: m.pad_packed_sequence(m.pack_padded_sequence(lib.zeros(4, 2), [3, 1]), total_length=2),
    lambda m, lib: m.pad_sequence([]),
    lambda m, lib: m.pad_sequence([lib.zeros(2, 3), lib.zeros(2, 2)]),
])
def test_bad_input_raises_pytorchs_exception(call):
    with pytest.raises(Exception) as error:
        call(theirs, torch)
    with pytest.raises(type(error.value)):
        call(ours, ourdl)
