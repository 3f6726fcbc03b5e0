"""Weights and checkpoints: safetensors round trips with PyTorch, atomic saves, clear errors on bad files."""

import contextlib
import json

import numpy as np
import pytest

import ourdl
from ourdl import nn
from ourdl.io import CheckpointError, load, load_checkpoint, save, save_checkpoint
from ourdl.io.state_tree import flatten, unflatten
from tests.oracle import torch

safetensors_torch = pytest.importorskip("safetensors.torch")


def _ours():
    return nn.Sequential(nn.Linear(4, 8), nn.Linear(8, 3))


def _theirs():
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Linear(8, 3))


class FakeOptimizer:
    """A state dict shaped like torch.optim's: int keys, tensors, tuples, floats."""

    def __init__(self):
        self.state = {0: {"step": ourdl.tensor(3.0), "exp_avg": ourdl.randn(2, 2)}, 1: {"step": ourdl.tensor(3.0)}}
        self.param_groups = [{"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "amsgrad": False, "params": [0, 1]}]

    def state_dict(self):
        return {"state": self.state, "param_groups": self.param_groups}

    def load_state_dict(self, state):
        self.state, self.param_groups = state["state"], state["param_groups"]


def test_weights_load_into_torch_and_back(tmp_path):
    model = _ours()
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    save(model.state_dict(), tmp_path / "w.safetensors")
    theirs = _theirs()
    theirs.load_state_dict(safetensors_torch.load_file(str(tmp_path / "w.safetensors")))
    np.testing.assert_allclose(theirs(torch.tensor(x)).detach().numpy(), model(ourdl.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)

    safetensors_torch.save_file(_theirs().state_dict(), str(tmp_path / "t.safetensors"))
    back = _ours()
    back.load_state_dict(load(tmp_path / "t.safetensors"))
    reference = safetensors_torch.load_file(str(tmp_path / "t.safetensors"))
    for name, value in back.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), reference[name].numpy())


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.uint8, np.bool_])
def test_save_load_keeps_dtype_shape_and_values(tmp_path, dtype):
    array = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
    save({"a": ourdl.tensor(array), "scalar": np.array(2.5), "view": ourdl.tensor(array).t()}, tmp_path / "x")
    back = load(tmp_path / "x")
    assert back["a"].dtype == ourdl.tensor(array).dtype
    np.testing.assert_array_equal(back["a"].numpy(), array)
    np.testing.assert_array_equal(back["view"].numpy(), array.T)
    assert back["scalar"].shape == ()


def test_save_refuses_what_it_cannot_store(tmp_path):
    with pytest.raises(TypeError, match="'lr' is a float"):
        save({"lr": 0.1}, tmp_path / "x")


@contextlib.contextmanager
def _failing_after(real_atomic_write, path, keep):
    """An atomic write that dies after ``keep`` bytes, as a full disk or a kill would."""

    class Dying:
        def __init__(self, stream):
            self.stream = stream

        def write(self, data):
            self.stream.write(bytes(data[:keep]))
            raise OSError("No space left on device")

    with real_atomic_write(path) as stream:
        yield Dying(stream)


def test_interrupted_save_keeps_the_last_good_file(tmp_path, monkeypatch):
    import ourdl.io.weights as weights

    path = tmp_path / "model.safetensors"
    model = _ours()
    save(model.state_dict(), path)
    good = path.read_bytes()
    real = weights.atomic_write
    monkeypatch.setattr(weights, "atomic_write", lambda p: _failing_after(real, p, 100))
    with pytest.raises(OSError, match="No space left"):
        save(_ours().state_dict(), path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["model.safetensors"]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_corrupt_or_truncated_file_names_the_file(tmp_path, damage):
    path = tmp_path / "broken.safetensors"
    save(_ours().state_dict(), path)
    raw = path.read_bytes()
    path.write_bytes({"truncate": raw[:-7], "garbage": b"\x01" * 50, "empty": b""}[damage])
    with pytest.raises(CheckpointError, match="broken.safetensors: not a valid safetensors file"):
        load(path)
    with pytest.raises(CheckpointError, match="broken.safetensors"):
        load_checkpoint(path, model=_ours())


def test_checkpoint_round_trip_restores_everything(tmp_path):
    model, optimizer = _ours(), FakeOptimizer()
    ourdl.manual_seed(7)
    ourdl.rand(3)
    save_checkpoint(tmp_path / "c", model=model, optimizer=optimizer, epoch=4,
                    extra={"history": {"loss": [1.5, float("inf")]}, "ids": (1, 2)})
    expected_next = ourdl.rand(3)
    fresh, fresh_opt = _ours(), FakeOptimizer()
    fresh_opt.state, fresh_opt.param_groups = {}, []
    ourdl.manual_seed(0)
    state = load_checkpoint(tmp_path / "c", model=fresh, optimizer=fresh_opt)
    assert state["epoch"] == 4 and state["extra"] == {"history": {"loss": [1.5, float("inf")]}, "ids": (1, 2)}
    for (name, a), (_, b) in zip(model.state_dict().items(), fresh.state_dict().items()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
    assert fresh_opt.param_groups == optimizer.param_groups
    assert set(fresh_opt.state) == {0, 1}
    np.testing.assert_array_equal(fresh_opt.state[0]["exp_avg"].numpy(), optimizer.state[0]["exp_avg"].numpy())
    np.testing.assert_array_equal(ourdl.rand(3).numpy(), expected_next.numpy())


def test_checkpoint_holds_no_pickle(tmp_path):
    save_checkpoint(tmp_path / "c", model=_ours(), optimizer=FakeOptimizer(), epoch=1)
    import safetensors

    with safetensors.safe_open(str(tmp_path / "c"), framework="numpy") as handle:
        header = json.loads(handle.metadata()["ourdl-checkpoint"])
        names = set(handle.keys())
    assert header["epoch"] == 1 and "optimizer.state.0.exp_avg" in names and "model.0.weight" in names


def test_checkpoint_of_another_model_names_every_key_and_changes_nothing(tmp_path):
    save_checkpoint(tmp_path / "c", model=nn.Sequential(nn.Linear(4, 8), nn.Linear(8, 5), nn.Linear(5, 2)))
    target = _ours()
    before = {k: v.numpy().copy() for k, v in target.state_dict().items()}
    with pytest.raises(RuntimeError) as info:
        load_checkpoint(tmp_path / "c", model=target)
    message = str(info.value)
    for key in ("2.weight", "2.bias", "1.weight", "1.bias"):
        assert key in message
    assert "size mismatch" in message and str(tmp_path / "c") in message
    for k, v in target.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), before[k])


def test_plain_weights_are_not_a_checkpoint(tmp_path):
    save(_ours().state_dict(), tmp_path / "w")
    with pytest.raises(CheckpointError, match="not an ourdl checkpoint"):
        load_checkpoint(tmp_path / "w", model=_ours())
    save_checkpoint(tmp_path / "m", model=_ours())
    with pytest.raises(CheckpointError, match="no optimizer state"):
        load_checkpoint(tmp_path / "m", optimizer=FakeOptimizer())


def test_tree_refuses_objects_it_would_need_pickle_for():
    with pytest.raises(TypeError, match=r"cannot store a function at 'scheduler.lr_lambda'"):
        flatten({"lr_lambda": lambda epoch: 0.9}, "scheduler")
    tensors, tree = flatten({"__tensor__": 1, 2: None}, "x")
    assert unflatten(json.loads(json.dumps(tree)), tensors) == {"__tensor__": 1, 2: None}
