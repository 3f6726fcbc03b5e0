"""Batch normalisation of any rank against PyTorch: values, gradients of two orders, running statistics,
state dicts, options and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
import ourdl.nn.functional as F
from ourdl import nn
from ourdl.autograd import gradcheck, gradgradcheck
from tests.oracle import assert_same, check, check_double, torch

rng = np.random.default_rng(0)
DTYPES = [np.float32, np.float64]
TORCH = {np.float32: torch.float32, np.float64: torch.float64}
OURS = {np.float32: ourdl.float32, np.float64: ourdl.float64}
MODULES = {2: "BatchNorm1d", 3: "BatchNorm1d", 4: "BatchNorm2d", 5: "BatchNorm3d"}


def _pair(name, channels, dtype, **options):
    ours, theirs = getattr(nn, name)(channels, **options), getattr(torch.nn, name)(channels, **options)
    theirs.to(TORCH[dtype])
    with torch.no_grad():
        for p in theirs.parameters():
            p.uniform_(0.5, 1.5)
    ours.to(OURS[dtype]).load_state_dict(theirs.state_dict())
    return ours, theirs


@settings(max_examples=40, deadline=None)
@given(shape=st.lists(st.integers(1, 5), min_size=2, max_size=5), dtype=st.sampled_from(DTYPES),
       training=st.booleans(), affine=st.booleans(), scale=st.sampled_from([1.0, 1e3]), seed=st.integers(0, 99))
def test_functional_matches_torch_for_any_rank(shape, dtype, training, affine, scale, seed):
    if training and np.prod(shape) // shape[1] == 1:
        shape[0] += 1
    draw = np.random.default_rng(seed)
    x = (draw.standard_normal(shape) * scale + scale).astype(dtype)
    c = shape[1]
    stats = [draw.standard_normal(c).astype(dtype), draw.uniform(0.5, 2, c).astype(dtype)]
    affine_arrays = [draw.uniform(0.5, 1.5, c).astype(dtype), draw.standard_normal(c).astype(dtype)] if affine else []
    stats_o = [ourdl.tensor(s.copy()) for s in stats]
    # With few values per channel the input's gradient is a difference of terms of size |g| / sigma (it is 0 for
    # two values and eps = 0): its absolute rounding error is ~1e-7 of those terms, on both sides.
    stats_t = [torch.tensor(s.copy()) for s in stats]
    check(lambda x, *wb: F.batch_norm(x, *stats_o, *wb, training=training, momentum=0.3),
          lambda x, *wb: torch.nn.functional.batch_norm(x, *stats_t, *wb, training=training, momentum=0.3),
          x, *affine_arrays, atol=1e-5 if dtype == np.float32 else None)
    # PyTorch's float32 mean of values near 1e3 can lose digits to cancellation: where ours differs it must be at
    # least as near the exact update (computed in float64)
    exact = stats
    if training:
        axes, wide = tuple(i for i in range(len(shape)) if i != 1), x.astype(np.float64)
        exact = [0.7 * stats[0] + 0.3 * wide.mean(axis=axes), 0.7 * stats[1] + 0.3 * wide.var(axis=axes, ddof=1)]
    for o, t, e in zip(stats_o, stats_t, exact):
        o, t = o.numpy(), t.numpy()
        close = np.isclose(o, t, rtol=1e-5, atol=1e-6)
        assert np.all(close | (np.abs(o - e) <= np.abs(t - e))), ("running statistics", o, t, e)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("rank", [2, 3, 4, 5])
@pytest.mark.parametrize("momentum", [0.1, None])
def test_module_training_steps_running_statistics_and_eval(rank, momentum, dtype):
    ours, theirs = _pair(MODULES[rank], 3, dtype, momentum=momentum)
    shape = (4, 3, 5, 4, 2)[:rank]
    for step in range(3):
        check(ours, theirs, (rng.standard_normal(shape) * 3 + step).astype(dtype))
    for name, value in theirs.state_dict().items():
        assert_same(ours.state_dict()[name], value, what=name)
    assert ours.num_batches_tracked.item() == 3 and ours.num_batches_tracked.dtype == ourdl.int64
    ours.eval(), theirs.eval()
    check(ours, theirs, rng.standard_normal(shape).astype(dtype))
    assert ours.num_batches_tracked.item() == 3


@pytest.mark.parametrize("options", [dict(affine=False), dict(track_running_stats=False), dict(bias=False),
                                     dict(affine=False, track_running_stats=False)])
def test_options_state_dict_keys_and_both_modes(options):
    ours, theirs = _pair("BatchNorm2d", 3, np.float64, **options)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    for mode in ("train", "eval", "train"):
        getattr(ours, mode)(), getattr(theirs, mode)()
        check(ours, theirs, rng.standard_normal((6, 3, 2, 3)))
    for name, value in theirs.state_dict().items():
        assert_same(ours.state_dict()[name], value, what=name)


def test_a_pytorch_state_dict_loads_and_gives_the_same_eval_output():
    theirs = torch.nn.BatchNorm2d(4)
    for _ in range(5):
        theirs(torch.randn(8, 4, 3, 3) * 2 + 1)
    ours = nn.BatchNorm2d(4)
    ours.load_state_dict(theirs.state_dict())
    assert ours.num_batches_tracked.item() == 5
    ours.eval(), theirs.eval()
    check(ours, theirs, rng.standard_normal((2, 4, 3, 3)).astype(np.float32))
    assert list(ours.state_dict()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("affine", [True, False])
def test_second_derivatives_match_torch(training, affine):
    c = 3
    stats = [rng.standard_normal(c), rng.uniform(0.5, 2, c)]
    arrays = [rng.standard_normal((4, c, 2, 3)) * 2 + 1] + ([rng.uniform(0.5, 1.5, c), rng.standard_normal(c)]
                                                             if affine else [])
    check_double(lambda x, *wb: F.batch_norm(x, *[ourdl.tensor(s) for s in stats], *wb, training=training),
                 lambda x, *wb: torch.nn.functional.batch_norm(x, *[torch.tensor(s) for s in stats], *wb,
                                                               training=training), *arrays)


@pytest.mark.parametrize("training", [True, False])
def test_gradcheck_and_gradgradcheck(training):
    x = ourdl.tensor(rng.standard_normal((3, 2, 2, 2)), requires_grad=True)
    w = ourdl.tensor(rng.uniform(0.5, 1.5, 2), requires_grad=True)
    b = ourdl.tensor(rng.standard_normal(2), requires_grad=True)
    mean, var = ourdl.tensor(rng.standard_normal(2)), ourdl.tensor(rng.uniform(0.5, 2, 2))

    def fn(x, w, b):
        return F.batch_norm(x, mean, var, w, b, training=training, momentum=0.0)

    assert gradcheck(fn, (x, w, b))
    assert gradgradcheck(fn, (x, w, b))


def test_gradient_of_weight_alone_and_of_input_alone():
    for needs in ((False, True), (True, False)):
        x = ourdl.tensor(rng.standard_normal((4, 2, 3)), requires_grad=needs[0])
        w = ourdl.tensor([1.5, 0.5], dtype=ourdl.float64, requires_grad=needs[1])
        xt = torch.tensor(x.detach().numpy(), requires_grad=needs[0])
        wt = torch.tensor(w.detach().numpy(), requires_grad=needs[1])
        for training in (True, False):
            stats = [torch.zeros(2, dtype=torch.float64), torch.ones(2, dtype=torch.float64) * 2]
            y = F.batch_norm(x, ourdl.tensor(stats[0].numpy()), ourdl.tensor(stats[1].numpy()), w, training=training)
            yt = torch.nn.functional.batch_norm(xt, *stats, wt, training=training)
            g = rng.standard_normal(y.shape)
            ours = ourdl.autograd.grad(y, [x if needs[0] else w], ourdl.tensor(g))
            theirs = torch.autograd.grad(yt, [xt if needs[0] else wt], torch.tensor(g))
            assert_same(ours[0], theirs[0])


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_non_finite_inputs_spread_as_in_torch(value):
    x = rng.standard_normal((4, 2, 3)).astype(np.float32)
    x[1, 0, 2] = value
    check(lambda t: F.batch_norm(t, None, None, training=True), lambda t: torch.nn.functional.batch_norm(
        t, None, None, training=True), x)


def test_empty_batch_gives_an_empty_output_and_keeps_running_statistics():
    ours, theirs = nn.BatchNorm2d(3), torch.nn.BatchNorm2d(3)
    y = ours(ourdl.zeros(0, 3, 4, 4))
    assert tuple(y.shape) == tuple(theirs(torch.zeros(0, 3, 4, 4)).shape) == (0, 3, 4, 4)
    assert_same(ours.running_mean, theirs.running_mean)
    assert ours.num_batches_tracked.item() == theirs.num_batches_tracked.item() == 1


def test_eval_mode_does_not_touch_the_running_statistics_and_updates_bump_versions():
    layer = nn.BatchNorm2d(2)
    version = layer.running_mean._version.value
    layer(ourdl.randn(3, 2, 2, 2))
    assert layer.running_mean._version.value == version + 1
    before = layer.running_var.numpy().copy()
    layer.eval()(ourdl.randn(3, 2, 2, 2))
    np.testing.assert_array_equal(layer.running_var.numpy(), before)


def test_an_input_changed_in_place_after_the_forward_is_refused_in_backward():
    x = ourdl.randn(4, 2, 3, requires_grad=True)
    h = x * 1
    y = F.batch_norm(h, None, None, training=True)
    h.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_wrong_channel_count_and_rank_name_the_layer_and_shapes():
    with pytest.raises(RuntimeError, match=r"BatchNorm2d\(3\): expected input with 3 channels \(shape \(N, 3, H, W\)\), "
                                           r"got input of shape \[4, 2, 5, 5\]: running_mean should contain 2 elements "
                                           r"not 3"):
        nn.BatchNorm2d(3)(ourdl.ones(4, 2, 5, 5))
    with pytest.raises(ValueError, match=r"BatchNorm2d: expected 4D input .* \(got 3D input of shape \[4, 3, 5\]\)"):
        nn.BatchNorm2d(3)(ourdl.ones(4, 3, 5))
    with pytest.raises(ValueError, match=r"BatchNorm1d: expected 2D or 3D input .*got 4D input"):
        nn.BatchNorm1d(3)(ourdl.ones(4, 3, 5, 5))
    with pytest.raises(ValueError, match=r"BatchNorm3d: expected 5D input .*got 4D input"):
        nn.BatchNorm3d(3)(ourdl.ones(4, 3, 5, 5))
    with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when training, got input size "
                                         r"ourdl.Size\(\[1, 3, 1, 1\]\)"):
        nn.BatchNorm2d(3)(ourdl.ones(1, 3, 1, 1))
    with pytest.raises(IndexError, match="batch_norm: expected an input of shape \\(N, C, \\*\\)"):
        F.batch_norm(ourdl.ones(4), None, None, training=True)
    with pytest.raises(RuntimeError, match="batch_norm: weight should contain 3 elements not 2"):
        F.batch_norm(ourdl.ones(4, 3, 2), None, None, ourdl.ones(2), training=True)
    with pytest.raises(RuntimeError, match="running_mean must be defined in evaluation mode"):
        F.batch_norm(ourdl.ones(4, 3, 2), None, None)


def test_without_per_channel_tensors_any_channel_count_is_accepted_as_in_torch():
    ours = nn.BatchNorm2d(3, affine=False, track_running_stats=False)
    theirs = torch.nn.BatchNorm2d(3, affine=False, track_running_stats=False)
    check(ours, theirs, rng.standard_normal((4, 5, 2, 2)).astype(np.float32))
