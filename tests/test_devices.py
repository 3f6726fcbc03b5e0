"""Devices: ``ourdl.device`` parses as ``torch.device``; the CPU works everywhere, other devices fail clearly."""

import numpy as np
import pytest

import ourdl
from ourdl import nn
from ourdl.devices import BackendUnavailableError
from tests.oracle import torch

NAMES = ["cpu", "cuda", "cuda:1", "mps", "meta", "cpu:0", "xla:3"]


@pytest.mark.parametrize("name", NAMES)
def test_device_parses_as_torch(name):
    ours, theirs = ourdl.device(name), torch.device(name)
    assert (ours.type, ours.index, str(ours)) == (theirs.type, theirs.index, str(theirs))
    assert repr(ours) == repr(theirs)


def test_device_from_type_and_index_and_int():
    assert repr(ourdl.device("cuda", 2)) == repr(torch.device("cuda", 2))
    with pytest.raises(RuntimeError, match="Cannot access accelerator device when none is available"):
        torch.device(0)
    with pytest.raises(RuntimeError, match="Cannot access accelerator device when none is available"):
        ourdl.device(0)
    assert ourdl.device(ourdl.device("cpu")) == ourdl.device("cpu")
    assert (ourdl.device("cpu") == "cpu") == (torch.device("cpu") == "cpu")
    assert len({ourdl.device("cpu"), ourdl.device("cpu")}) == 1


@pytest.mark.parametrize("name", ["foo", "gpu", "cuda:x", "cpu:-1", "CUDA"])
def test_bad_device_string_gives_torchs_error(name):
    with pytest.raises(RuntimeError) as theirs:
        torch.device(name)
    with pytest.raises(RuntimeError) as ours:
        ourdl.device(name)
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(RuntimeError, match=str(theirs.value)[:20]):
        ourdl.zeros(2, device=name)


CREATORS = [
    lambda **kw: ourdl.tensor([1.0], **kw), lambda **kw: ourdl.as_tensor([1.0], **kw), lambda **kw: ourdl.zeros(2, **kw),
    lambda **kw: ourdl.ones(2, **kw), lambda **kw: ourdl.empty(2, **kw), lambda **kw: ourdl.full((2,), 1.0, **kw),
    lambda **kw: ourdl.eye(2, **kw), lambda **kw: ourdl.arange(3, **kw), lambda **kw: ourdl.linspace(0, 1, 3, **kw),
    lambda **kw: ourdl.rand(2, **kw), lambda **kw: ourdl.randn(2, **kw), lambda **kw: ourdl.randint(0, 3, (2,), **kw),
    lambda **kw: ourdl.randperm(3, **kw), lambda **kw: ourdl.normal(0.0, 1.0, size=(2,), **kw),
    lambda **kw: ourdl.zeros_like(ourdl.ones(2), **kw), lambda **kw: ourdl.ones_like(ourdl.ones(2), **kw),
    lambda **kw: ourdl.empty_like(ourdl.ones(2), **kw), lambda **kw: ourdl.full_like(ourdl.ones(2), 2.0, **kw),
    lambda **kw: ourdl.rand_like(ourdl.ones(2), **kw), lambda **kw: ourdl.randn_like(ourdl.ones(2), **kw),
    lambda **kw: ourdl.randint_like(ourdl.ones(2), 3, **kw), lambda **kw: ourdl.ones(1).new_zeros(2, **kw),
    lambda **kw: ourdl.ones(1).new_ones(2, **kw), lambda **kw: ourdl.ones(1).new_full((2,), 1.0, **kw),
    lambda **kw: ourdl.ones(1).new_empty(2, **kw), lambda **kw: ourdl.ones(1).new_tensor([1.0], **kw),
]


@pytest.mark.parametrize("make", CREATORS)
def test_every_creation_function_takes_device(make):
    for device in ("cpu", ourdl.device("cpu"), None):
        assert make(device=device).device == ourdl.device("cpu")
    for device in ("cuda", "cuda:0", ourdl.device("mps")):
        with pytest.raises(BackendUnavailableError, match="no accelerator backend"):
            make(device=device)


def test_to_and_cpu_and_cuda():
    x = ourdl.ones(2)
    assert x.to("cpu") is x and x.cpu() is x and x.to(ourdl.device("cpu"), ourdl.float64).dtype == ourdl.float64
    assert x.to(device="cpu", dtype=ourdl.float64).dtype == ourdl.float64
    for call in (lambda: x.to("cuda"), lambda: x.to("mps"), lambda: x.cuda(),
                 lambda: x.to(device="cuda:0")):
        with pytest.raises(BackendUnavailableError, match="ourdl has no accelerator backend"):
            call()
    with pytest.raises(RuntimeError, match="Expected one of cpu, cuda"):
        x.to("gpu")


def test_module_to_device():
    model = nn.Linear(2, 1)
    assert model.to("cpu") is model and model.cpu() is model
    with pytest.raises(BackendUnavailableError):
        model.to("cuda")
    with pytest.raises(BackendUnavailableError):
        model.cuda()


def test_default_device():
    assert repr(ourdl.get_default_device()) == repr(torch.get_default_device())
    try:
        ourdl.set_default_device("cuda")
        assert ourdl.get_default_device() == ourdl.device("cuda")
        with pytest.raises(BackendUnavailableError):
            ourdl.zeros(2)
        assert ourdl.zeros_like(ourdl.tensor([1.0], device="cpu")).device == ourdl.device("cpu")
        with pytest.raises(RuntimeError, match="Expected one of"):
            ourdl.set_default_device("gpu")
    finally:
        ourdl.set_default_device(None)
    assert ourdl.zeros(1).device == ourdl.device("cpu")


def test_the_usual_device_choice_runs():
    device = ourdl.device("cuda" if ourdl.cuda.is_available() else "mps" if ourdl.backends.mps.is_available() else "cpu")
    x = ourdl.randn(3, 2, device=device)
    model = nn.Linear(2, 1).to(device)
    assert model(x.to(device)).shape == (3, 1)


def test_accelerator_queries_answer_as_torch_without_one():
    assert ourdl.cuda.is_available() == torch.cuda.is_available() is False
    assert ourdl.cuda.device_count() == torch.cuda.device_count() == 0
    assert ourdl.cuda.is_initialized() is False
    assert ourdl.backends.mps.is_available() == torch.backends.mps.is_available() is False
    assert ourdl.backends.mps.is_built() == torch.backends.mps.is_built()
    assert ourdl.backends.cudnn.is_available() == torch.backends.cudnn.is_available()
    for flag in ("enabled", "deterministic", "benchmark", "allow_tf32"):
        assert getattr(ourdl.backends.cudnn, flag) == getattr(torch.backends.cudnn, flag)
    ourdl.cuda.manual_seed(0)
    ourdl.cuda.manual_seed_all(0)
    with pytest.raises(BackendUnavailableError):
        ourdl.cuda.current_device()
    assert np.array_equal(ourdl.zeros(1).numpy(), [0.0])


def test_accelerator_answers_as_torch_without_one():
    import torch

    assert ourdl.accelerator.is_available() == torch.accelerator.is_available() is False
    assert ourdl.accelerator.device_count() == torch.accelerator.device_count() == 0
    assert ourdl.accelerator.current_accelerator() is torch.accelerator.current_accelerator() is None
    for lib in (ourdl, torch):
        with pytest.raises(RuntimeError, match="none is available"):
            lib.accelerator.current_device_index()
