"""Bad arguments to the pooling functions: PyTorch's exception type, with a message that names the function."""

import pytest

import ourdl
import ourdl.nn.functional as F
from ourdl.ops.pool_arguments import Pooling
from tests.oracle import torch

TF = torch.nn.functional

CASES = [
    ("max_pool2d", (1, 1, 4, 4), dict(kernel_size=2, padding=2)),  # padding over half the kernel
    ("max_pool2d", (1, 1, 4, 4), dict(kernel_size=5)),  # kernel larger than the input
    ("max_pool2d", (1, 1, 4, 4), dict(kernel_size=2, stride=0)),
    ("max_pool2d", (1, 1, 4, 4), dict(kernel_size=2, stride=-1)),
    ("max_pool2d", (1, 1, 4, 4), dict(kernel_size=0)),
    ("max_pool2d", (1, 1, 4, 4), dict(kernel_size=-1, stride=1)),
    ("max_pool2d", (1, 1, 4, 4), dict(kernel_size=2, dilation=0)),
    ("max_pool2d", (1, 1, 4, 4), dict(kernel_size=2, padding=-1)),
    ("max_pool2d", (1, 1, 4, 4), dict(kernel_size=(2, 2, 2))),
    ("max_pool2d", (1, 1, 4, 4), dict(kernel_size=2, stride=(1, 2, 3))),
    ("max_pool2d", (1, 1, 4, 4), dict(kernel_size=2.0)),
    ("max_pool2d", (4, 4), dict(kernel_size=2)),  # wrong rank
    ("max_pool2d", (1, 1, 1, 4, 4), dict(kernel_size=2)),
    ("max_pool2d", (1, 0, 4, 4), dict(kernel_size=2)),  # an empty channel dimension
    ("max_pool1d", (1, 1, 4), dict(kernel_size=5)),
    ("max_pool1d", (1, 1, 4), dict(kernel_size=2, padding=2)),
    ("max_pool1d", (4,), dict(kernel_size=2)),
    ("max_pool1d", (1, 1, 4), dict(kernel_size=2, stride=0)),
    ("avg_pool2d", (1, 1, 4, 4), dict(kernel_size=2, padding=2)),
    ("avg_pool2d", (1, 1, 4, 4), dict(kernel_size=5)),
    ("avg_pool2d", (1, 1, 4, 4), dict(kernel_size=2, stride=0)),
    ("avg_pool2d", (1, 1, 4, 4), dict(kernel_size=2, divisor_override=0)),
    ("avg_pool2d", (1, 1, 4, 4), dict(kernel_size=2, padding=-1)),
    ("avg_pool1d", (1, 1, 4), dict(kernel_size=5)),
    ("avg_pool1d", (1, 1, 4), dict(kernel_size=2, padding=2)),
    ("avg_pool1d", (1, 1, 4), dict(kernel_size=2, stride=0)),
    ("adaptive_avg_pool2d", (1, 1, 0, 4), dict(output_size=2)),
    ("adaptive_max_pool2d", (4, 4), dict(output_size=2)),
    ("adaptive_avg_pool2d", (1, 1, 4, 4), dict(output_size=-1)),
]


@pytest.mark.parametrize("name, shape, arguments", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_bad_arguments_raise_what_pytorch_raises(name, shape, arguments):
    with pytest.raises(Exception) as expected:
        getattr(TF, name)(torch.zeros(shape), **arguments)
    with pytest.raises(expected.type, match=name) as got:
        getattr(F, name)(ourdl.zeros(shape), **arguments)
    assert "numpy" not in str(got.value).lower()


def test_messages_say_what_was_wrong():
    with pytest.raises(RuntimeError, match=r"max_pool2d\(\): pad should be at most half of effective kernel size, "
                                           r"but got pad=2, kernel_size=2 and dilation=1"):
        F.max_pool2d(ourdl.zeros(1, 4, 4), 2, padding=2)
    with pytest.raises(RuntimeError, match=r"Given input size: \(1x4x4\)|Given input size: \(4x4\)"):
        F.max_pool2d(ourdl.zeros(1, 4, 4), 5)
    with pytest.raises(RuntimeError, match=r"Expected 3D or 4D .* but got: \[4, 4\]"):
        F.max_pool2d(ourdl.zeros(4, 4), 2)


@pytest.mark.parametrize("size, kernel, stride, padding, dilation, ceil_mode", [
    (28, 2, 2, 0, 1, False), (7, 3, 2, 1, 1, True), (5, 2, 2, 0, 1, True), (6, 3, 3, 1, 2, True), (9, 2, 3, 1, 1, True),
])
def test_output_sizes_are_pytorchs(size, kernel, stride, padding, dilation, ceil_mode):
    pooling = Pooling("max_pool1d", (kernel,), (stride,), (padding,), (dilation,), ceil_mode)
    expected = TF.max_pool1d(torch.zeros(1, size), kernel, stride, padding, dilation, ceil_mode).shape[-1]
    assert pooling.output_sizes((size,)) == (expected,)
