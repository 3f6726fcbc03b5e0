"""GroupNorm and InstanceNorm against PyTorch: values, gradients of two orders, running statistics, bad input."""

import warnings

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


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 3), groups=st.integers(1, 3), per_group=st.integers(1, 3),
       spatial=st.lists(st.integers(1, 4), max_size=3), dtype=st.sampled_from(DTYPES), affine=st.booleans(),
       seed=st.integers(0, 99))
def test_group_norm_matches_torch(n, groups, per_group, spatial, dtype, affine, seed):
    draw = np.random.default_rng(seed)
    c = groups * per_group
    x = (draw.standard_normal((n, c, *spatial)) * 3 + 1).astype(dtype)
    wb = [draw.uniform(0.5, 1.5, c).astype(dtype), draw.standard_normal(c).astype(dtype)] if affine else []
    if n * per_group * int(np.prod(spatial)) == 1:  # one value per group: both refuse
        with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when training, got input size"):
            torch.nn.functional.group_norm(torch.tensor(x), groups)
        with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when training, got input size"):
            F.group_norm(ourdl.tensor(x), groups)
        return
    values = per_group * int(np.prod(spatial))  # per group and sample
    if values == 1:
        # x - mean is exactly 0, so the output is exactly the bias (or 0): ourdl gives that, where PyTorch's float32
        # variance is not exactly 0 and its output is off by up to ~2e-5
        out = F.group_norm(ourdl.tensor(x), groups, *map(ourdl.tensor, wb), eps=1e-3).numpy()
        bias = wb[1] if affine else np.zeros(c, dtype)
        np.testing.assert_array_equal(out, np.broadcast_to(bias.reshape(1, c, *[1] * len(spatial)), x.shape))
    # the input's gradient is a difference of terms of size |g| w / sigma: absolute float32 rounding error ~1e-7 of
    # those, on both sides, and more where a group of a few values has a small sigma (measured up to 6e-5 apart,
    # ourdl the nearer to the float64 answer in the cases checked)
    atol = (1e-4 if values < 8 else 1e-5) if dtype == np.float32 else None
    check(lambda x, *wb: F.group_norm(x, groups, *wb, eps=1e-3),
          lambda x, *wb: torch.nn.functional.group_norm(x, groups, *wb, eps=1e-3), x, *wb, atol=atol)


def test_group_norm_module_state_dict_second_derivatives_and_gradcheck():
    ours, theirs = nn.GroupNorm(2, 6), torch.nn.GroupNorm(2, 6)
    with torch.no_grad():
        theirs.weight.uniform_(0.5, 1.5), theirs.bias.uniform_(-1, 1)
    ours.load_state_dict(theirs.state_dict())
    assert list(ours.state_dict()) == list(theirs.state_dict()) and repr(ours) == repr(theirs)
    assert list(nn.GroupNorm(2, 6, bias=False).state_dict()) == list(torch.nn.GroupNorm(2, 6, bias=False).state_dict())
    check(ours, theirs, rng.standard_normal((3, 6, 4, 4)).astype(np.float32))
    check_double(lambda x, w, b: F.group_norm(x, 3, w, b), lambda x, w, b: torch.nn.functional.group_norm(x, 3, w, b),
                 rng.standard_normal((2, 6, 3)), rng.uniform(0.5, 1.5, 6), rng.standard_normal(6))
    x, w = (ourdl.tensor(rng.standard_normal(s), requires_grad=True) for s in ((2, 4, 3), (4,)))
    assert gradcheck(lambda x, w: F.group_norm(x, 2, w), (x, w))
    assert gradgradcheck(lambda x, w: F.group_norm(x, 2, w), (x, w))


def test_group_norm_edge_cases_as_torch():
    # one value per group: zeros, no error; the gradient is 0 up to rounding scaled by 1/sqrt(eps) on both sides
    check(lambda x: F.group_norm(x, 4), lambda x: torch.nn.functional.group_norm(x, 4),
          rng.standard_normal((2, 4, 1)).astype(np.float32), atol=1e-4)
    assert tuple(F.group_norm(ourdl.zeros(0, 6, 3), 3).shape) == (0, 6, 3)


def test_group_norm_bad_input():
    with pytest.raises(ValueError, match=r"num_channels \(6\) must be divisible by num_groups \(4\)"):
        nn.GroupNorm(4, 6)
    with pytest.raises(RuntimeError, match=r"Expected number of channels in input to be divisible by num_groups, but "
                                           r"got input of shape \[2, 6, 4\] and num_groups=4"):
        F.group_norm(ourdl.ones(2, 6, 4), 4)
    with pytest.raises(RuntimeError, match=r"Expected weight to be a vector of size equal to the number of channels "
                                           r"in input, but got weight of shape \[5\] and input of shape \[2, 6, 4\]"):
        F.group_norm(ourdl.ones(2, 6, 4), 3, ourdl.ones(5))
    with pytest.raises(RuntimeError, match="Expected at least 2 dimensions for input tensor but received 1"):
        F.group_norm(ourdl.ones(6), 3)
    with pytest.raises(RuntimeError, match=r"GroupNorm\(3, 6\): expected input of shape \(N, 6, \*\), got input of "
                                           r"shape \[2, 5, 4\]"):
        nn.GroupNorm(3, 6)(ourdl.ones(2, 5, 4))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name, shape", [("InstanceNorm1d", (3, 4, 5)), ("InstanceNorm2d", (2, 4, 3, 5)),
                                         ("InstanceNorm2d", (4, 3, 5)), ("InstanceNorm3d", (2, 4, 2, 3, 2))])
@pytest.mark.parametrize("options", [{}, dict(affine=True), dict(track_running_stats=True, momentum=0.3)])
def test_instance_norm_matches_torch(name, shape, options, dtype):
    ours, theirs = getattr(nn, name)(4, **options), getattr(torch.nn, name)(4, **options)
    if dtype == np.float64:
        ours.double(), theirs.double()
    if options.get("affine"):
        with torch.no_grad():
            theirs.weight.uniform_(0.5, 1.5), theirs.bias.uniform_(-1, 1)
        ours.load_state_dict(theirs.state_dict())
    assert list(ours.state_dict()) == list(theirs.state_dict()) and repr(ours) == repr(theirs)
    for step in range(2):
        check(ours, theirs, (rng.standard_normal(shape) * 2 + step).astype(dtype))
    for key, value in theirs.state_dict().items():
        assert_same(ours.state_dict()[key], value, what=key)
    ours.eval(), theirs.eval()
    check(ours, theirs, rng.standard_normal(shape).astype(dtype))


def test_instance_norm_second_derivatives():
    check_double(lambda x, w, b: F.instance_norm(x, weight=w, bias=b),
                 lambda x, w, b: torch.nn.functional.instance_norm(x, weight=w, bias=b),
                 rng.standard_normal((2, 3, 4)), rng.uniform(0.5, 1.5, 3), rng.standard_normal(3))


def test_instance_norm_bad_input():
    with pytest.raises(ValueError, match=r"Expected more than 1 spatial element when training, got input size "
                                         r"ourdl.Size\(\[2, 3, 1, 1\]\)"):
        nn.InstanceNorm2d(3)(ourdl.ones(2, 3, 1, 1))
    with pytest.raises(ValueError, match=r"InstanceNorm2d: expected 3D or 4D input .*got 2D input"):
        nn.InstanceNorm2d(3)(ourdl.ones(4, 4))
    with pytest.raises(ValueError, match=r"expected input's size at dim=1 to match num_features \(3\), but got: 4."):
        nn.InstanceNorm2d(3, affine=True)(ourdl.ones(2, 4, 4, 4))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nn.InstanceNorm2d(3)(ourdl.randn(2, 4, 4, 4))
    assert "input's size at dim=1 does not match num_features" in str(caught[0].message)
