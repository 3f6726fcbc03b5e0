"""Layers given a list, a NumPy array, a number or None as input: PyTorch's TypeError from the one argument check,
naming the layer's function (``linear()``, ``lstm()``, ``batch_norm()``, ...) and the type it got, word for word
where PyTorch words it so. Where PyTorch's layer is written in Python and fails on a method of the argument
(an AttributeError: ``'list' object has no attribute 'dim'``), ourdl raises the TypeError all the same."""

import warnings

import numpy as np
import pytest

import ourdl
from tests.oracle import torch
from ourdl.ops.tensor_argument import type_name
from tests.robustness.test_non_tensor_inputs import STANDARD

LAYERS = {  # the layer's name: how to make it, from a library's nn
    "Linear": lambda nn: nn.Linear(2, 3), "Conv1d": lambda nn: nn.Conv1d(1, 1, 2),
    "Conv2d": lambda nn: nn.Conv2d(1, 1, 2), "Conv2d circular": lambda nn: nn.Conv2d(1, 1, 2, padding_mode="circular"),
    "ConvTranspose2d": lambda nn: nn.ConvTranspose2d(1, 1, 2), "RNN": lambda nn: nn.RNN(2, 3),
    "RNN relu": lambda nn: nn.RNN(2, 3, nonlinearity="relu"), "LSTM": lambda nn: nn.LSTM(2, 3),
    "GRU": lambda nn: nn.GRU(2, 3), "RNNCell": lambda nn: nn.RNNCell(2, 3), "LSTMCell": lambda nn: nn.LSTMCell(2, 3),
    "GRUCell": lambda nn: nn.GRUCell(2, 3), "Embedding": lambda nn: nn.Embedding(4, 2),
    "EmbeddingBag": lambda nn: nn.EmbeddingBag(4, 2), "BatchNorm1d": lambda nn: nn.BatchNorm1d(2),
    "LayerNorm": lambda nn: nn.LayerNorm(2), "GroupNorm": lambda nn: nn.GroupNorm(1, 2),
    "InstanceNorm1d": lambda nn: nn.InstanceNorm1d(2), "MaxPool2d": lambda nn: nn.MaxPool2d(2),
    "AdaptiveAvgPool2d": lambda nn: nn.AdaptiveAvgPool2d(1), "Dropout": lambda nn: nn.Dropout(),
    "Flatten": lambda nn: nn.Flatten(), "Softmax": lambda nn: nn.Softmax(1), "Upsample": lambda nn: nn.Upsample(2),
    "Unfold": lambda nn: nn.Unfold(2), "Sequential": lambda nn: nn.Sequential(nn.Linear(2, 3)),
}
# PyTorch names these by the kernel the function calls: unfold's im2col, cross_entropy's cross_entropy_loss
KERNELS = {"im2col", "cross_entropy_loss"}
LOSSES = {"MSELoss": lambda nn: nn.MSELoss(), "CrossEntropyLoss": lambda nn: nn.CrossEntropyLoss()}


def raised(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call()
        except Exception as error:  # noqa: BLE001  (its type and words are what is compared)
            return error
    raise AssertionError("accepted a non-tensor input")


@pytest.mark.parametrize("name", [*LAYERS, *LOSSES])
@pytest.mark.parametrize("value", [[1.0, 2.0], np.ones((1, 2), dtype=np.float32), 2.0, None], ids=type)
def test_a_layer_refuses_a_non_tensor_input_naming_its_function(name, value):
    make = LAYERS.get(name) or LOSSES[name]
    ours, theirs = make(ourdl.nn), make(torch.nn)
    if name in LOSSES:
        our_error = raised(lambda: ours(value, ourdl.ones(2)))
        their_error = raised(lambda: theirs(value, torch.ones(2)))
    else:
        our_error, their_error = raised(lambda: ours(value)), raised(lambda: theirs(value))
    assert isinstance(their_error, (TypeError, AttributeError)), their_error
    assert type(our_error) is TypeError and STANDARD.match(str(our_error)), our_error
    assert str(our_error).endswith(f"must be Tensor, not {type_name(value)}")
    standard = STANDARD.match(str(their_error))
    if standard and standard.group(1) in KERNELS:  # ourdl names the function called, not its kernel
        assert str(our_error).split("(): ")[1] == str(their_error).split("(): ")[1]
    elif standard:
        assert str(our_error) == str(their_error)


# a functional form's later tensor argument replaced: (the call, given the library and the value)
LATER = {
    "linear weight": lambda lib, v: lib.nn.functional.linear(lib.ones(2, 2), v),
    "linear bias": lambda lib, v: lib.nn.functional.linear(lib.ones(2, 2), lib.ones(2, 2), v),
    "conv2d weight": lambda lib, v: lib.nn.functional.conv2d(lib.ones(1, 1, 4, 4), v),
    "cross_entropy target": lambda lib, v: lib.nn.functional.cross_entropy(lib.ones(2, 2), v),
    "nll_loss target": lambda lib, v: lib.nn.functional.nll_loss(lib.ones(2, 2), v),
    "embedding weight": lambda lib, v: lib.nn.functional.embedding(lib.tensor([0, 1]), v),
    "layer_norm weight": lambda lib, v: lib.nn.functional.layer_norm(lib.ones(2, 2), (2,), v),
    "layer_norm bias": lambda lib, v: lib.nn.functional.layer_norm(lib.ones(2, 2), (2,), None, v),
    "batch_norm running_mean": lambda lib, v: lib.nn.functional.batch_norm(lib.ones(2, 2), v, None, training=True),
    "batch_norm weight": lambda lib, v: lib.nn.functional.batch_norm(lib.ones(2, 2), None, None, v, training=True),
}
KERNELS_LATER = {"nll_loss_nd", "cross_entropy_loss"}


@pytest.mark.parametrize("name", LATER)
@pytest.mark.parametrize("value", [[[1.0, 2.0], [3.0, 4.0]], np.ones((2, 2), dtype=np.float32), 2.0], ids=type)
def test_a_functional_forms_later_tensor_refuses_a_non_tensor_as_pytorch(name, value):
    our_error = raised(lambda: LATER[name](ourdl, value))
    their_error = raised(lambda: LATER[name](torch, value))
    assert type(our_error) is TypeError and type(their_error) is TypeError, (our_error, their_error)
    standard = STANDARD.match(str(their_error))
    assert STANDARD.match(str(our_error)), our_error
    if not standard:  # PyTorch's "invalid combination of arguments" (conv2d's overloads): the type is what counts
        return
    if standard.group(1) in KERNELS_LATER:
        assert str(our_error).split("(): ")[1] == str(their_error).split("(): ")[1]
    else:
        assert str(our_error) == str(their_error)
