"""``ourdl.save``/``ourdl.load`` against ``torch.save``/``torch.load``: the same objects come back, no pickle."""

import io

import numpy as np
import pytest

import ourdl
from ourdl import nn
from ourdl.io import CheckpointError
from tests.oracle import assert_same, torch

safetensors_torch = pytest.importorskip("safetensors.torch")


def _round_trip(obj, tmp_path, name="x.pt"):
    ourdl.save(obj, tmp_path / name)
    return ourdl.load(tmp_path / name)


def _same_tree(ours, theirs):
    """ourdl's loaded object has the structure and values torch's has."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, ourdl.Tensor)
        assert_same(ours, theirs)
    elif isinstance(theirs, dict):
        assert isinstance(ours, dict) and list(ours) == list(theirs)
        for key in theirs:
            _same_tree(ours[key], theirs[key])
    elif isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _same_tree(a, b)
    else:
        assert ours == theirs and type(ours) is type(theirs)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "uint8", "bool", "float16"])
def test_tensor_round_trip_as_torch(tmp_path, dtype):
    array = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
    torch.save(torch.tensor(array), tmp_path / "t.pt")
    _same_tree(_round_trip(ourdl.tensor(array), tmp_path), torch.load(tmp_path / "t.pt"))
    _same_tree(_round_trip(ourdl.tensor(array).t(), tmp_path), torch.tensor(array).t())
    _same_tree(_round_trip(ourdl.tensor(array)[0, 0], tmp_path), torch.tensor(array)[0, 0])


def test_nested_objects_round_trip_as_torch(tmp_path):
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 3)).astype(np.float32), rng.normal(size=3)

    def build(lib):
        return {"epoch": 4, "loss": 0.25, "name": "run", "none": None, "flags": [True, False],
                "history": [1.0, 0.5], "shape": (2, 3), "weights": {"a": lib.tensor(a), "b": lib.tensor(b)},
                7: {"nested": [lib.tensor(b), {"deep": lib.tensor(a)}]}}

    torch.save(build(torch), tmp_path / "t.pt")
    _same_tree(_round_trip(build(ourdl), tmp_path), torch.load(tmp_path / "t.pt"))


def test_optimizer_state_dict_round_trip(tmp_path):
    model = nn.Linear(3, 2)
    optimizer = ourdl.optim.Adam(model.parameters(), lr=0.01)
    model(ourdl.randn(4, 3)).sum().backward()
    optimizer.step()
    state = optimizer.state_dict()
    back = _round_trip({"model": model.state_dict(), "optimizer": state, "epoch": 1}, tmp_path)
    fresh = ourdl.optim.Adam(nn.Linear(3, 2).parameters(), lr=0.5)
    fresh.load_state_dict(back["optimizer"])
    assert fresh.param_groups[0]["lr"] == 0.01 and back["epoch"] == 1
    for key in state["state"][0]:
        np.testing.assert_array_equal(np.asarray(fresh.state_dict()["state"][0][key]), np.asarray(state["state"][0][key]))


def test_state_dict_file_loads_in_torch_and_back(tmp_path):
    model = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2))
    ourdl.save(model.state_dict(), tmp_path / "m.pt")
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2))
    theirs.load_state_dict(safetensors_torch.load_file(str(tmp_path / "m.pt")))
    x = np.random.default_rng(1).normal(size=(5, 4)).astype(np.float32)
    assert_same(model(ourdl.tensor(x)).detach(), theirs(torch.tensor(x)).detach())
    safetensors_torch.save_file(theirs.state_dict(), str(tmp_path / "t.safetensors"))
    again = nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2))
    again.load_state_dict(ourdl.load(tmp_path / "t.safetensors"))
    assert_same(again(ourdl.tensor(x)).detach(), theirs(torch.tensor(x)).detach())


def test_file_objects(tmp_path):
    buffer = io.BytesIO()
    ourdl.save([ourdl.ones(2), 3], buffer)
    buffer.seek(0)
    _same_tree(ourdl.load(buffer), [torch.ones(2), 3])


@pytest.mark.parametrize("zipfile", [True, False])
def test_torch_save_files_are_refused_with_how_to_convert(tmp_path, zipfile):
    path = tmp_path / "model.pt"
    torch.save({"w": torch.ones(2)}, path, _use_new_zipfile_serialization=zipfile)
    kind = "zip archive written by torch.save" if zipfile else "a pickle"
    with pytest.raises(CheckpointError, match=f"model.pt: .*{kind}.*safetensors.torch.save_file"):
        ourdl.load(path)


def test_bad_files_and_objects(tmp_path):
    (tmp_path / "junk").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00not json at all")
    with pytest.raises(CheckpointError, match="junk: not a safetensors file"):
        ourdl.load(tmp_path / "junk")
    with pytest.raises(TypeError, match="save model.state_dict"):
        ourdl.save(nn.Linear(2, 2), tmp_path / "m.pt")
    with pytest.raises(TypeError, match="cannot store a object"):
        ourdl.save({"f": object()}, tmp_path / "m.pt")


def test_map_location(tmp_path):
    ourdl.save(ourdl.ones(1), tmp_path / "x")
    for location in ("cpu", ourdl.device("cpu"), None, {"cuda:0": "cpu"}, lambda storage, loc: storage):
        assert ourdl.load(tmp_path / "x", map_location=location).device == ourdl.device("cpu")
    with pytest.raises(ourdl.devices.BackendUnavailableError):
        ourdl.load(tmp_path / "x", map_location="cuda")
    assert ourdl.load(tmp_path / "x", weights_only=True).tolist() == [1.0]


def test_parameters_and_tensors_that_require_grad_round_trip_as_torch(tmp_path):
    def build(lib):
        x = lib.ones(2, requires_grad=True)
        return {"param": lib.nn.Parameter(lib.ones(3)), "frozen": lib.nn.Parameter(lib.ones(1), requires_grad=False),
                "leaf": x, "result": x * 2, "plain": lib.ones(1), "state": lib.nn.Linear(2, 1).state_dict()}

    torch.save(build(torch), tmp_path / "t.pt")
    theirs = torch.load(tmp_path / "t.pt")
    ours = _round_trip(build(ourdl), tmp_path)
    for key, value in theirs.items():
        pairs = zip(ours[key].values(), value.values()) if key == "state" else [(ours[key], value)]
        for a, b in pairs:
            assert type(a).__name__ == type(b).__name__, key
            assert a.requires_grad == b.requires_grad and a.is_leaf and b.is_leaf, key
