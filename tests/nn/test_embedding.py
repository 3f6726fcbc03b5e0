"""Embedding and EmbeddingBag (and F.embedding, F.embedding_bag) against PyTorch: values and weight gradients with
padding_idx, max_norm, scale_grad_by_freq, bags with offsets, modes and per-sample weights; init, repr, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
import ourdl.nn.functional as F
from ourdl import nn
from ourdl.autograd import gradcheck, gradgradcheck
from tests.oracle import assert_same, both, torch

TF = torch.nn.functional
rng = np.random.default_rng(0)


def lookup_both(fn_ours, fn_theirs, indices, weight: np.ndarray, seed=0, **options):
    """Run both lookups on the same indices and weight; compare the output and the weight's gradient."""
    wo, wt = both(weight)
    out_o = fn_ours(ourdl.tensor(indices), wo, **options)
    out_t = fn_theirs(torch.tensor(indices), wt, **options)
    assert_same(out_o, out_t)
    v = np.random.default_rng(seed).standard_normal(tuple(out_t.shape)).astype(weight.dtype)
    (out_o * ourdl.tensor(v)).sum().backward()
    (out_t * torch.tensor(v)).sum().backward()
    assert_same(wo.grad, wt.grad, what="weight gradient")
    return wo, wt


@settings(max_examples=40, deadline=None)
@given(shape=st.lists(st.integers(0, 4), max_size=3), rows=st.integers(1, 6), dim=st.integers(1, 4),
       padding=st.one_of(st.none(), st.integers(-6, 5)), by_freq=st.booleans(),
       dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2 ** 16))
def test_embedding_matches_pytorch(shape, rows, dim, padding, by_freq, dtype, seed):
    if padding is not None and not -rows <= padding < rows:
        padding = None
    r = np.random.default_rng(seed)
    indices = r.integers(0, rows, size=shape)
    lookup_both(F.embedding, TF.embedding, indices, r.standard_normal((rows, dim)).astype(dtype), seed,
                padding_idx=padding, scale_grad_by_freq=by_freq)


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0])
def test_max_norm_renormalises_looked_up_rows_in_place_like_pytorch(norm_type):
    weight = rng.standard_normal((6, 4)) * 2
    indices = np.array([[0, 2], [2, 5]])
    wo, wt = lookup_both(F.embedding, TF.embedding, indices, weight, max_norm=1.5, norm_type=norm_type)
    assert_same(wo.detach(), wt.detach(), what="renormalised weight")
    assert np.array_equal(wo.detach().numpy()[[1, 3, 4]], weight[[1, 3, 4]])


def test_gradcheck_and_gradgradcheck_of_embedding():
    indices = ourdl.tensor([[1, 1], [0, 3]])
    weight = ourdl.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    assert gradcheck(lambda w: F.embedding(indices, w) ** 2, (weight,))  # padding_idx, scale_grad_by_freq: not derivatives
    assert gradgradcheck(lambda w: F.embedding(indices, w, padding_idx=0) ** 2, (weight,))


def test_module_init_repr_from_pretrained_and_state_dict():
    layer = nn.Embedding(1000, 20, padding_idx=-1)
    w = layer.weight.detach().numpy()
    assert layer.padding_idx == 999 and not w[999].any()
    assert abs(w[:999].mean()) < 0.01 and w[:999].std() == pytest.approx(1.0, rel=0.02)
    for options in [dict(), dict(padding_idx=2, max_norm=1.0), dict(norm_type=1.0, scale_grad_by_freq=True, sparse=True)]:
        assert repr(nn.Embedding(10, 3, **options)) == repr(torch.nn.Embedding(10, 3, **options))
    theirs = torch.nn.Embedding(10, 3, padding_idx=0)
    ours = nn.Embedding(10, 3, padding_idx=0)
    ours.load_state_dict(theirs.state_dict())
    index = np.array([[0, 4, 9], [1, 1, 0]])
    assert_same(ours(ourdl.tensor(index)), theirs(torch.tensor(index)))
    pretrained = nn.Embedding.from_pretrained(ourdl.tensor([[1.0, 2.0], [3.0, 4.0]]), freeze=False)
    assert pretrained.weight.requires_grad and pretrained(ourdl.tensor([1, 0])).tolist() == [[3.0, 4.0], [1.0, 2.0]]


@pytest.mark.parametrize("index", [[10], [-1], [[0, 12]]])
def test_index_out_of_range_raises_index_error_naming_the_layer(index):
    with pytest.raises(IndexError):
        torch.nn.Embedding(10, 3)(torch.tensor(index))
    with pytest.raises(IndexError, match=r"^Embedding\(10, 3\): index -?\d+ is out of range for a table of 10 "):
        nn.Embedding(10, 3)(ourdl.tensor(index))
    with pytest.raises(IndexError, match=r"^embedding: index"):
        F.embedding(ourdl.tensor(index), ourdl.zeros(10, 3))


def test_other_bad_arguments_raise_pytorchs_exceptions():
    with pytest.raises(RuntimeError, match=r"^Embedding\(10, 3\): Expected tensor for argument #1 'indices'"):
        nn.Embedding(10, 3)(ourdl.tensor([1.0]))
    for padding in (10, -11):
        with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
            nn.Embedding(10, 3, padding_idx=padding)


# -- EmbeddingBag ---------------------------------------------------------------------------------

def bags_both(indices, weight, offsets=None, psw=None, seed=0, **options):
    wo, wt = both(weight)
    po, pt = both(psw) if psw is not None else (None, None)
    off_o = None if offsets is None else ourdl.tensor(offsets)
    off_t = None if offsets is None else torch.tensor(offsets)
    out_o = F.embedding_bag(ourdl.tensor(indices), wo, off_o, per_sample_weights=po, **options)
    out_t = TF.embedding_bag(torch.tensor(indices), wt, off_t, per_sample_weights=pt, **options)
    assert_same(out_o, out_t)
    v = np.random.default_rng(seed).standard_normal(tuple(out_t.shape)).astype(weight.dtype)
    (out_o * ourdl.tensor(v)).sum().backward()
    (out_t * torch.tensor(v)).sum().backward()
    assert_same(wo.grad, wt.grad, what="weight gradient")
    if psw is not None:
        assert_same(po.grad, pt.grad, what="per_sample_weights gradient")


@settings(max_examples=50, deadline=None)
@given(length=st.integers(0, 10), bags=st.integers(1, 4), rows=st.integers(1, 6), mode=st.sampled_from(["sum", "mean", "max"]),
       padding=st.one_of(st.none(), st.integers(0, 5)), last=st.booleans(), weighted=st.booleans(),
       dtype=st.sampled_from([np.float32, np.float64]), seed=st.integers(0, 2 ** 16))
def test_bags_with_offsets_match_pytorch(length, bags, rows, mode, padding, last, weighted, dtype, seed):
    r = np.random.default_rng(seed)
    indices = r.integers(0, rows, size=length)
    offsets = np.sort(np.concatenate([[0], r.integers(0, length + 1, size=bags - 1)] + ([[length]] if last else [])))
    if padding is not None and padding >= rows:
        padding = None
    psw = r.standard_normal(length).astype(dtype) if weighted and mode == "sum" else None
    # distinct values per feature, so that max has one winner (PyTorch's choice among ties is unspecified)
    weight = r.permutation(rows * 3).reshape(rows, 3).astype(dtype)
    bags_both(indices, weight, offsets, psw, seed, mode=mode, padding_idx=padding, include_last_offset=last)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_fixed_length_bags_of_a_2d_input(mode):
    bags_both(np.array([[1, 2, 4], [4, 3, 9]]), rng.standard_normal((10, 4)), mode=mode)
    if mode == "sum":
        bags_both(np.array([[1, 1], [2, 3]]), rng.standard_normal((4, 2)), psw=rng.standard_normal((2, 2)), mode=mode)


def test_max_gives_the_gradient_to_the_first_of_tied_rows_like_pytorch():
    bags_both(np.array([0, 1, 2, 0]), np.array([[3.0, -3.0], [1.0, -1.0], [3.0, 5.0]]), np.array([0]), mode="max")


def test_embedding_bag_gradcheck_and_module():
    weight = ourdl.tensor(rng.standard_normal((5, 2)), requires_grad=True)
    psw = ourdl.tensor(rng.standard_normal(4), requires_grad=True)
    indices, offsets = ourdl.tensor([0, 3, 3, 1]), ourdl.tensor([0, 1, 1])
    assert gradcheck(lambda w, p: F.embedding_bag(indices, w, offsets, mode="sum", per_sample_weights=p) ** 2,
                     (weight, psw))
    assert gradgradcheck(lambda w: F.embedding_bag(indices, w, offsets, mode="mean") ** 2, (weight,))
    for options in [dict(), dict(mode="max", padding_idx=0), dict(max_norm=2.0, norm_type=1.0, mode="sum")]:
        assert repr(nn.EmbeddingBag(10, 3, **options)) == repr(torch.nn.EmbeddingBag(10, 3, **options))
    theirs, ours = torch.nn.EmbeddingBag(10, 3, mode="max"), nn.EmbeddingBag(10, 3, mode="max")
    ours.load_state_dict(theirs.state_dict())
    assert_same(ours(ourdl.tensor([1, 5, 2]), ourdl.tensor([0, 2])), theirs(torch.tensor([1, 5, 2]), torch.tensor([0, 2])))
    assert not nn.EmbeddingBag.from_pretrained(ourdl.ones(2, 2)).weight.requires_grad


BAG_CASES = [([1, 2, 3], None, {}), ([1, 2, 3], [1, 2], {}), ([[1, 2, 3]], [0], {}), ([1, 2, 30], [0], {}),
             ([1, 2, 3], [0, 5], {}), ([1, 2, 3], [0], dict(per_sample_weights=[1.0, 1.0, 1.0])),
             ([1, 2, 3], [0], dict(per_sample_weights=[1.0, 1.0], mode="sum")), ([[[1]]], None, {}),
             ([1.0], [0], {}), ([-1], [0], {}), ([1], [[0]], {}), ([1], [0], dict(mode="median"))]


@pytest.mark.parametrize("indices, offsets, options", BAG_CASES)
def test_bad_bags_raise_pytorchs_exceptions(indices, offsets, options):
    def call(lib, fn):
        extra = dict(options)
        if "per_sample_weights" in extra:
            extra["per_sample_weights"] = lib.tensor(extra["per_sample_weights"])
        return fn(lib.tensor(indices), lib.zeros(10, 3), None if offsets is None else lib.tensor(offsets), **extra)

    with pytest.raises(Exception) as theirs:
        call(torch, TF.embedding_bag)
    with pytest.raises(type(theirs.value), match="^embedding_bag: "):
        call(ourdl, F.embedding_bag)
