"""Channel-wise dropout (Dropout1d/2d/3d): whole channels zeroed, PyTorch's rank rules, warnings and errors."""

import warnings

import numpy as np
import pytest

import ourdl
import ourdl.nn.functional as F
from ourdl import nn
from tests.oracle import torch


def _channels_constant(y: np.ndarray, first_spatial: int) -> bool:
    axes = tuple(range(first_spatial, y.ndim))
    return bool((y.max(axes) == y.min(axes)).all())


@pytest.mark.parametrize("fn, shape, first_spatial", [(F.dropout1d, (40, 30, 7), 2), (F.dropout1d, (300, 7), 1),
                                                      (F.dropout2d, (40, 30, 3, 4), 2),
                                                      (F.dropout3d, (40, 30, 2, 2, 2), 2),
                                                      (F.dropout3d, (300, 2, 2, 2), 1)])
def test_whole_channels_dropped_scaled_and_the_gradient_is_the_mask(fn, shape, first_spatial):
    x = ourdl.ones(*shape, dtype=ourdl.float64, requires_grad=True)
    y = fn(x, 0.25)
    values = y.detach().numpy()
    assert set(np.unique(values).tolist()) == {0.0, 1 / 0.75}
    assert _channels_constant(values, first_spatial)
    dropped = (values == 0).reshape(values.shape[:first_spatial] + (-1,))[..., 0]
    assert dropped.mean() == pytest.approx(0.25, abs=0.06)
    y.backward(ourdl.ones_like(y) * 3)
    np.testing.assert_array_equal(x.grad.numpy(), values * 3)


def test_seed_repeats_the_mask_eval_and_p_zero_are_the_identity_and_p_one_zeroes():
    x = ourdl.randn(8, 6, 3, 3)
    ourdl.manual_seed(5)
    first = F.dropout2d(x).numpy()
    ourdl.manual_seed(5)
    np.testing.assert_array_equal(F.dropout2d(x).numpy(), first)
    layer = nn.Dropout2d(0.5).eval()
    assert layer(x) is x and F.dropout2d(x, 0.0) is x
    assert not F.dropout2d(x, 1.0).numpy().any()
    nan = ourdl.full((2, 2, 2, 2), float("nan"))
    assert np.isnan(F.dropout2d(nan, 1.0).numpy()).all() == np.isnan(
        torch.nn.functional.dropout2d(torch.full((2, 2, 2, 2), float("nan")), 1.0).numpy()).all()


def test_inplace_changes_the_input():
    x = ourdl.ones(10, 8, 2, 2)
    y = nn.Dropout2d(0.5, inplace=True)(x)
    assert y is x and _channels_constant(x.numpy(), 2) and (x.numpy() == 0).any()


def test_dropout2d_on_3d_input_drops_per_sample_and_channel_with_torch_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        y = F.dropout2d(ourdl.ones(50, 40, 6))
        torch.nn.functional.dropout2d(torch.ones(50, 40, 6))
    ours, theirs = (str(w.message) for w in caught)
    assert ours == theirs and "interpreted as shape (N, C, L)" in ours
    assert _channels_constant(y.numpy(), 2)
    assert 0.3 < (y.numpy()[:, :, 0] == 0).mean() < 0.7


@pytest.mark.parametrize("fn, rank", [(F.dropout2d, 5), (F.dropout2d, 2), (F.dropout3d, 3)])
def test_other_ranks_warn_with_torch_message(fn, rank):
    shape = (4, 3, 2, 2, 2)[:rank]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn(ourdl.ones(*shape))
        getattr(torch.nn.functional, fn.__name__)(torch.ones(*shape))
    assert [str(w.message) for w in caught][0] == [str(w.message) for w in caught][1]
    assert all(w.category is UserWarning for w in caught)


def test_bad_input():
    with pytest.raises(RuntimeError, match="dropout1d: Expected 2D or 3D input, but received a 4D input"):
        F.dropout1d(ourdl.ones(2, 3, 4, 5))
    with pytest.raises(RuntimeError, match="Feature dropout requires at least 2 dimensions in the input"), \
            pytest.warns(UserWarning, match="Received a 1-D input to dropout2d"):
        F.dropout2d(ourdl.ones(5))
    for fn in (F.dropout1d, F.dropout2d, F.dropout3d):
        with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
            fn(ourdl.ones(2, 2, 2, 2, 2), 1.5)
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got -0.1"):
        nn.Dropout2d(-0.1)
    assert repr(nn.Dropout2d()) == repr(torch.nn.Dropout2d()) and repr(nn.Dropout1d(0.2, True)) == repr(
        torch.nn.Dropout1d(0.2, True))
