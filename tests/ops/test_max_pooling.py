"""max_pool1d/2d against PyTorch: values, indices and gradients over drawn shapes and arguments, with ties,
infinities and NaN; second derivatives; integer inputs; the tie-breaking rules one by one."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import ourdl
import ourdl.ops.pool_arguments
import ourdl.nn.functional as F
from tests.oracle import torch
from tests.ops.pooling_cases import compare, double_backward, images, nonfinite_gradient, windows

TF = torch.nn.functional


def pool_arguments(spatial: int):
    return windows(spatial, dilation=True)


def every_window_touches_the_input(shape, arguments, spatial: int) -> bool:
    """PyTorch writes out of bounds in the backward of a window lying wholly in the padding and beyond the input
    (possible with ceil_mode and dilation): such cases are not compared."""
    def per_dim(value, d):
        return value[d] if isinstance(value, tuple) else value

    for d, n in enumerate(shape[-spatial:]):
        k, p, dil = (per_dim(arguments[a], d) for a in ("kernel_size", "padding", "dilation"))
        s = per_dim(arguments["stride"] if arguments["stride"] is not None else arguments["kernel_size"], d)
        out = ourdl.ops.pool_arguments.Pooling("test", (k,), (s,), (p,), (dil,), arguments["ceil_mode"])._one_size(
            n, k, s, p, dil)
        if any(not any(0 <= o * s - p + i * dil < n for i in range(k)) for o in range(max(out, 0))):
            return False
    return True


@settings(max_examples=40, deadline=None)
@given(x=images(2), arguments=pool_arguments(2), with_indices=st.booleans())
def test_max_pool2d_matches_torch(x, arguments, with_indices):
    assume(every_window_touches_the_input(x.shape, arguments, 2))
    compare(lambda t: F.max_pool2d(t, **arguments, return_indices=with_indices),
            lambda t: TF.max_pool2d(t, **arguments, return_indices=with_indices), x, indices=with_indices)


@settings(max_examples=25, deadline=None)
@given(x=images(1, max_size=12), arguments=pool_arguments(1))
def test_max_pool1d_matches_torch(x, arguments):
    assume(every_window_touches_the_input(x.shape, arguments, 1))
    compare(lambda t: F.max_pool1d(t, **arguments, return_indices=True),
            lambda t: TF.max_pool1d(t, **arguments, return_indices=True), x, indices=True)


@settings(max_examples=10, deadline=None)
@given(x=images(2, specials=()), arguments=pool_arguments(2))
def test_max_pool2d_second_derivatives_match_torch(x, arguments):
    assume(every_window_touches_the_input(x.shape, arguments, 2))
    x = x + np.arange(x.size).reshape(x.shape) * 1e-3  # no ties: finite differences see one maximum
    double_backward(lambda t: F.max_pool2d(t, **arguments), lambda t: TF.max_pool2d(t, **arguments), x)


def test_gradcheck_and_gradgradcheck():
    x = ourdl.tensor(np.random.default_rng(0).permutation(50).reshape(2, 5, 5) / 7.0, dtype=ourdl.float64,
                     requires_grad=True)
    for fn in (lambda t: F.max_pool2d(t, 3, 2, 1, ceil_mode=True), lambda t: F.max_pool2d(t, (2, 3), 1, dilation=2),
               lambda t: F.max_pool1d(t, 2, 1, 1)):
        assert ourdl.autograd.gradcheck(fn, x)
        assert ourdl.autograd.gradgradcheck(fn, x)


@pytest.mark.parametrize("case, index", [
    ([[3.0, 3.0], [3.0, 1.0]], 0),  # ties: the first in row-major order
    ([[1.0, np.nan], [np.nan, 5.0]], 2),  # NaN wins, the last one
    ([[-np.inf, -np.inf], [-np.inf, -np.inf]], 0),  # nothing above -inf: the first element
    ([[-0.0, 0.0], [0.0, -1.0]], 0),  # signed zeros are equal
])
def test_which_element_a_window_chooses(case, index):
    x = ourdl.tensor([[case]], requires_grad=True)
    values, indices = F.max_pool2d(x, 2, return_indices=True)
    assert indices.item() == index
    values.sum().backward()
    assert x.grad.reshape(-1).tolist() == [float(i == index) for i in range(4)]


def test_all_minus_infinity_with_padding_chooses_the_first_element_inside():
    x = np.full((1, 3, 3), -np.inf, dtype=np.float32)
    compare(lambda t: F.max_pool2d(t, 2, 1, 1, return_indices=True),
            lambda t: TF.max_pool2d(t, 2, 1, 1, return_indices=True), x, indices=True)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8])
def test_integer_inputs_pool_without_gradient(dtype):
    x = np.random.default_rng(0).integers(0, 9, size=(2, 5, 7)).astype(dtype)
    compare(lambda t: F.max_pool2d(t, 3, 2, 1, ceil_mode=True, return_indices=True),
            lambda t: TF.max_pool2d(t, 3, 2, 1, ceil_mode=True, return_indices=True), x, indices=True, grad=False)


def test_with_indices_forms_and_the_node_name():
    x = ourdl.rand(1, 4, 4, requires_grad=True)
    values, indices = F.max_pool2d_with_indices(x, 2)
    assert values.grad_fn.name() == "MaxPool2DWithIndicesBackward0"
    np.testing.assert_array_equal(indices.numpy(), F.max_pool2d(x, 2, return_indices=True)[1].numpy())
    assert len(F.max_pool1d_with_indices(x[0], 2)) == 2


def test_lenet_sized_pool_is_exact():
    x = np.random.default_rng(3).standard_normal((16, 6, 28, 28)).astype(np.float32)
    compare(lambda t: F.max_pool2d(t, 2, return_indices=True), lambda t: TF.max_pool2d(t, 2, return_indices=True), x,
            indices=True)


@pytest.mark.parametrize("arguments", [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1),
                                       dict(kernel_size=2, stride=3, dilation=2)])
def test_an_infinite_or_nan_gradient_reaches_the_maxima_only(arguments):
    nonfinite_gradient(lambda t: F.max_pool2d(t, **arguments), lambda t: TF.max_pool2d(t, **arguments),
                       np.random.default_rng(4).standard_normal((2, 3, 7, 8)))


@settings(max_examples=20, deadline=None)
@given(x=images(2, specials=()), arguments=pool_arguments(2))
def test_max_unpool2d_inverts_max_pool2d_as_pytorch(x, arguments):
    assume(every_window_touches_the_input(x.shape, arguments, 2) and x.shape[-3] > 0)
    unpool = dict(kernel_size=arguments["kernel_size"], stride=arguments["stride"], padding=arguments["padding"],
                  output_size=x.shape[-2:])
    if arguments["dilation"] != 1 or arguments["ceil_mode"]:
        return  # the unpooled size would not be the input's
    try:
        _, indices = TF.max_pool2d(torch.tensor(x), **arguments, return_indices=True)
    except RuntimeError:
        return
    planes = indices.reshape(-1, indices.shape[-2] * indices.shape[-1]).numpy()
    # overlapping windows that pick one element write several values there: which one stays is unspecified
    # (PyTorch's documentation), so only windows with distinct maxima are compared
    assume(all(len(set(plane)) == plane.size for plane in planes))
    values = np.random.default_rng(0).standard_normal(tuple(indices.shape)).astype(x.dtype)
    ours_indices = ourdl.tensor(indices.numpy())
    compare(lambda t: F.max_unpool2d(t, ours_indices, **unpool), lambda t: TF.max_unpool2d(t, indices, **unpool),
            values)


def test_max_unpool_errors_are_pytorchs():
    values, indices = F.max_pool2d(ourdl.arange(16.0).reshape(1, 1, 4, 4), 2, return_indices=True)
    with pytest.raises(ValueError, match=r"max_unpool2d.*must be between 2 and 6"):
        F.max_unpool2d(values, indices, 2, output_size=(7, 7))
    with pytest.raises(RuntimeError, match=r"max_unpool2d.*invalid max index: 105 \(output volumes are of size 4x4\)"):
        F.max_unpool2d(values, indices + 100, 2)
    with pytest.raises(RuntimeError, match=r"max_unpool2d.*int64"):
        F.max_unpool2d(values, indices.int(), 2)
    with pytest.raises(RuntimeError, match=r"max_unpool2d.*3d or 4d"):
        F.max_unpool2d(values[0, 0], indices[0, 0], 2)
    x = ourdl.tensor([[1.0, 4.0, 2.0, 3.0]], requires_grad=True)
    values, indices = F.max_pool1d(x, 2, return_indices=True)
    assert F.max_unpool1d(values, indices, 2).tolist() == [[0.0, 4.0, 0.0, 3.0]]
    assert ourdl.autograd.gradgradcheck(lambda t: F.max_unpool1d(t, indices, 2), values.detach().double().requires_grad_())


@pytest.mark.parametrize("arguments", [dict(kernel_size=3, stride=2, padding=1), dict(kernel_size=2, stride=1),
                                       dict(kernel_size=(3, 2), stride=1, padding=1, dilation=2, ceil_mode=True)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_many_small_planes_with_overlapping_windows(arguments, dtype):
    rng = np.random.default_rng(6)
    x = rng.integers(-2, 3, size=(16, 8, 9, 7)).astype(dtype)  # ties
    x.reshape(-1)[rng.integers(0, x.size, 40)] = np.nan
    x.reshape(-1)[rng.integers(0, x.size, 40)] = -np.inf
    x[3, 2] = -np.inf  # a plane where every window is -inf
    compare(lambda t: F.max_pool2d(t, **arguments, return_indices=True),
            lambda t: TF.max_pool2d(t, **arguments, return_indices=True), x, indices=True)
    double_backward(lambda t: F.max_pool2d(t, **arguments), lambda t: TF.max_pool2d(t, **arguments),
                    rng.permutation(x.size).reshape(x.shape) / x.size)
