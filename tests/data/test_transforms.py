"""Dataset transforms against torchvision's documented behaviour (torchvision itself is not installed): values
computed by hand or with torch ops, the random draws from ourdl's seeded generator, torchvision's errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
from ourdl.data import transforms as T
from tests.oracle import assert_same, torch

rng = np.random.default_rng(0)


def test_to_tensor_scales_uint8_moves_channels_first_and_keeps_other_dtypes():
    gray = rng.integers(0, 256, (5, 7)).astype(np.uint8)
    out = T.ToTensor()(gray)
    assert tuple(out.shape) == (1, 5, 7) and out.dtype == ourdl.float32
    np.testing.assert_allclose(out.numpy()[0], gray / 255, rtol=1e-6)
    assert out.numpy().min() >= 0 and out.numpy().max() <= 1
    rgb = rng.integers(0, 256, (4, 3, 3)).astype(np.uint8)
    np.testing.assert_allclose(T.ToTensor()(rgb).numpy(), rgb.transpose(2, 0, 1) / 255, rtol=1e-6)
    floats = rng.standard_normal((2, 3, 2))
    kept = T.ToTensor()(floats)
    assert kept.dtype == ourdl.float64
    np.testing.assert_array_equal(kept.numpy(), floats.transpose(2, 0, 1))
    ourdl.set_default_dtype(ourdl.float64)
    assert T.ToTensor()(gray).dtype == ourdl.float64
    t = ourdl.ones(1, 2, 2)
    assert T.ToTensor()(t) is t


def test_to_tensor_bad_input():
    with pytest.raises(ValueError, match="pic should be 2/3 dimensional. Got 4 dimensions"):
        T.ToTensor()(np.zeros((1, 2, 2, 2), np.uint8))
    with pytest.raises(TypeError, match="pic should be an ndarray"):
        T.ToTensor()([[1, 2]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(3, 4, 5), (2, 3, 4, 5)])
def test_normalize_matches_torch_ops_and_is_differentiable(shape, dtype):
    mean, std = (0.1, 0.5, -0.2), (0.3, 2.0, 1.5)
    x = rng.standard_normal(shape).astype(dtype)
    ours = ourdl.tensor(x, requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True)
    y = T.Normalize(mean, std)(ours)
    yt = (theirs - torch.tensor(mean, dtype=theirs.dtype).view(-1, 1, 1)) / torch.tensor(std, dtype=theirs.dtype).view(-1, 1, 1)
    assert_same(y, yt)
    y.sum().backward(), yt.sum().backward()
    assert_same(ours.grad, theirs.grad)


def test_normalize_inplace_one_value_for_all_channels_and_errors():
    x = ourdl.ones(2, 2, 2)
    assert T.Normalize(0.5, 0.25, inplace=True)(x) is x
    np.testing.assert_array_equal(x.numpy(), 2.0)
    assert repr(T.Normalize((0.5,), (0.5,))) == "Normalize(mean=(0.5,), std=(0.5,))"
    with pytest.raises(TypeError, match="Input tensor should be a float tensor"):
        T.Normalize(0, 1)(ourdl.ones(1, 2, 2, dtype=ourdl.int64))
    with pytest.raises(ValueError, match=r"Expected tensor to be a tensor image of size \(..., C, H, W\)"):
        T.Normalize(0, 1)(ourdl.ones(2, 2))
    with pytest.raises(ValueError, match="std evaluated to zero after conversion to"):
        T.Normalize((0.0, 0.0), (1.0, 0.0))(ourdl.ones(2, 2, 2))
    with pytest.raises(ValueError, match="mean has 2 values for an image of 3 channels"):
        T.Normalize((0.0, 0.0), 1.0)(ourdl.ones(3, 2, 2))


@pytest.mark.parametrize("mode, torch_mode", [("constant", "constant"), ("edge", "replicate"), ("reflect", "reflect")])
def test_pad_modes_match_torch_pad(mode, torch_mode):
    x = rng.standard_normal((2, 4, 5)).astype(np.float32)
    left, top, right, bottom = 1, 2, 3, 1
    ours = T.pad(ourdl.tensor(x), (left, top, right, bottom), fill=0, padding_mode=mode)
    theirs = torch.nn.functional.pad(torch.tensor(x)[None], (left, right, top, bottom), mode=torch_mode)[0]
    assert_same(ours, theirs)


def test_pad_symmetric_and_fill_and_padding_forms():
    row = ourdl.tensor([[1.0, 2.0, 3.0]])
    assert T.pad(row, (2, 0), padding_mode="symmetric").tolist() == [[2.0, 1.0, 1.0, 2.0, 3.0, 3.0, 2.0]]
    assert T.pad(row, (1, 0), fill=9).tolist() == [[9.0, 1.0, 2.0, 3.0, 9.0]]
    assert T.pad(row, 1).shape == (3, 5) and T.pad(row, [1]).shape == (3, 5)
    assert T.pad(np.ones((2, 2, 3), np.uint8), (1, 2)).shape == (6, 4, 3)   # an (H, W, C) array: channels untouched
    with pytest.raises(ValueError, match="Padding must be an int or a 1, 2, or 4 element tuple, not a 3 element"):
        T.pad(row, (1, 2, 3))
    with pytest.raises(ValueError, match="Padding mode should be either constant, edge, reflect or symmetric"):
        T.RandomCrop(2, padding_mode="circular")


@settings(max_examples=30, deadline=None)
@given(h=st.integers(1, 8), w=st.integers(1, 8), th=st.integers(1, 8), tw=st.integers(1, 8), padding=st.integers(0, 3),
       seed=st.integers(0, 1000))
def test_random_crop_is_a_window_of_the_padded_image(h, w, th, tw, padding, seed):
    image = ourdl.arange(float(h * w)).reshape(1, h, w) + 1
    crop = T.RandomCrop((th, tw), padding=padding, pad_if_needed=True)
    ourdl.manual_seed(seed)
    out = crop(image)
    assert tuple(out.shape) == (1, th, tw)
    padded = T.pad(image, padding).numpy()[0]
    if padded.shape[1] < tw:
        padded = np.pad(padded, ((0, 0), (tw - padded.shape[1],) * 2))
    if padded.shape[0] < th:
        padded = np.pad(padded, ((th - padded.shape[0],) * 2, (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (th, tw)).reshape(-1, th, tw)
    assert any(np.array_equal(out.numpy()[0], window) for window in windows)
    ourdl.manual_seed(seed)
    np.testing.assert_array_equal(crop(image).numpy(), out.numpy())


def test_random_crop_covers_every_offset_uniformly_and_reports_too_large_crops():
    image = ourdl.arange(9.0).reshape(1, 3, 3)
    corners = [T.RandomCrop(2)(image).numpy()[0, 0, 0] for _ in range(900)]
    counts = np.bincount(np.array(corners, dtype=int), minlength=9)[[0, 1, 3, 4]]
    assert counts.sum() == 900 and counts.min() > 175
    assert T.RandomCrop(3)(image) is not None and T.RandomCrop(3)(image).tolist() == image.tolist()
    with pytest.raises(ValueError, match=r"Required crop size \(4, 4\) is larger than input image size \(3, 3\)"):
        T.RandomCrop(4)(image)
    assert repr(T.RandomCrop(28, padding=4)) == "RandomCrop(size=(28, 28), padding=4)"
    array = np.arange(16, dtype=np.uint8).reshape(4, 4)
    assert T.RandomCrop(2)(array).shape == (2, 2)


def test_random_horizontal_flip_rate_seed_and_what_it_flips():
    image = ourdl.tensor([[[1.0, 2.0, 3.0]]])
    assert T.RandomHorizontalFlip(1.0)(image).tolist() == [[[3.0, 2.0, 1.0]]]
    assert T.RandomHorizontalFlip(0.0)(image) is image
    flips = [T.RandomHorizontalFlip(0.3)(image).tolist()[0][0][0] == 3.0 for _ in range(2000)]
    assert np.mean(flips) == pytest.approx(0.3, abs=0.04)
    ourdl.manual_seed(1)
    first = [T.RandomHorizontalFlip()(image).tolist() for _ in range(10)]
    ourdl.manual_seed(1)
    assert [T.RandomHorizontalFlip()(image).tolist() for _ in range(10)] == first
    np.testing.assert_array_equal(T.RandomHorizontalFlip(1.0)(np.arange(6).reshape(2, 3)), [[2, 1, 0], [5, 4, 3]])
    assert repr(T.RandomHorizontalFlip()) == "RandomHorizontalFlip(p=0.5)"


def test_compose_and_lambda():
    pipeline = T.Compose([T.ToTensor(), T.Lambda(lambda t: t * 2)])
    assert pipeline(np.full((1, 1), 255, np.uint8)).tolist() == [[[2.0]]]
    assert repr(pipeline).startswith("Compose(\n    ToTensor()\n    Lambda()\n)")
    with pytest.raises(TypeError, match="Argument lambd should be callable, got 'int'"):
        T.Lambda(3)
    assert ourdl.data.transforms is T
