"""Checkpoints, saved files and data files that once misled silently: each now loads right or is refused,
naming the file and what is wrong, and a refused checkpoint changes nothing."""

import json
import os
import struct
import subprocess
import sys

import numpy as np
import pytest
import safetensors.numpy

import ourdl
from ourdl import nn
from ourdl.data.idx import IDXError, write_idx
from ourdl.io.checkpoint import load_checkpoint, save_checkpoint
from ourdl.io.weights import CheckpointError
from tests.oracle import torch


def test_a_checkpoint_whose_optimizer_does_not_fit_changes_nothing(tmp_path):
    path = tmp_path / "c.safetensors"
    source = nn.Linear(2, 2)
    save_checkpoint(path, model=source, optimizer=ourdl.optim.SGD(source.parameters(), lr=0.1), epoch=1)
    model = nn.Linear(2, 2)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    rng = ourdl.get_rng_state()
    with pytest.raises(ValueError, match="another kind of optimizer"):
        load_checkpoint(path, model=model, optimizer=ourdl.optim.Adam(model.parameters()))
    assert all(bool((model.state_dict()[k] == v).all()) for k, v in before.items())
    assert np.array_equal(np.asarray(ourdl.get_rng_state()), np.asarray(rng))


@pytest.mark.parametrize("header, words", [
    ({"format": "another-program", "version": 1}, "format"),
    ({"format": "ourdl-checkpoint", "version": 999}, "version 999"),
    ({"format": "ourdl-checkpoint", "version": "1"}, "version"),
    ({"format": "ourdl-checkpoint", "version": 1, "extra": {"__items__": 5}}, "malformed"),
    ({"format": "ourdl-checkpoint", "version": 1, "extra": {"__tensor__": "absent"}}, "malformed"),
    ("[" * 100_000 + "]" * 100_000, "not an ourdl checkpoint"),
])
def test_a_checkpoint_claiming_another_format_or_version_is_refused(tmp_path, header, words):
    path = tmp_path / "x.safetensors"
    text = header if isinstance(header, str) else json.dumps(header)
    safetensors.numpy.save_file({"a": np.zeros(1)}, str(path), metadata={"ourdl-checkpoint": text})
    with pytest.raises(CheckpointError, match=words) as raised:
        load_checkpoint(path)
    assert str(path) in str(raised.value)


def test_extra_values_whose_paths_coincide_keep_their_own_tensors(tmp_path):
    path = tmp_path / "c.safetensors"
    save_checkpoint(path, extra={"a.b": ourdl.ones(1), "a": {"b": ourdl.zeros(1)}})
    extra = load_checkpoint(path)["extra"]
    assert extra["a.b"].tolist() == [1.0] and extra["a"]["b"].tolist() == [0.0]


def test_a_bfloat16_file_names_the_file_and_the_fix(tmp_path):
    import safetensors.torch

    path = tmp_path / "b.safetensors"
    safetensors.torch.save_file({"w": torch.ones(2, dtype=torch.bfloat16)}, str(path))
    with pytest.raises(CheckpointError, match="float32") as raised:
        ourdl.io.load(path)
    assert str(path) in str(raised.value)


def test_the_next_save_removes_the_part_files_of_killed_saves(tmp_path):
    path = tmp_path / "w.safetensors"
    big = "import ourdl, sys; ourdl.save({'w': ourdl.zeros(8_000_000)}, sys.argv[1]); print('saved')"
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    for _ in range(3):  # killed while writing: each leaves its temporary file
        process = subprocess.Popen([sys.executable, "-c", big, str(path)], env=env)
        try:
            process.wait(timeout=0.3 + 0.3 * _)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    (tmp_path / f".{path.name}.999999999.dead.part").write_bytes(b"x" * 1000)  # certainly a dead writer
    ourdl.save({"w": ourdl.ones(2)}, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.safetensors"]
    assert ourdl.io.load(path)["w"].tolist() == [1.0, 1.0]


def test_a_csv_naming_a_column_twice_or_without_features_is_refused(tmp_path):
    twice = tmp_path / "twice.csv"
    twice.write_text("x,x,y\n1,2,0\n3,4,1\n")
    with pytest.raises(ValueError, match="'x' more than once"):
        ourdl.data.CSVDataset(twice, target="y")
    only_target = tmp_path / "target.csv"
    only_target.write_text("y\n0\n1\n")
    with pytest.raises(ValueError, match="no feature column"):
        ourdl.data.CSVDataset(only_target, target="y")


def test_idx_sizes_that_overflow_int64_are_a_named_error(tmp_path):
    path = tmp_path / "huge-idx3-ubyte"
    path.write_bytes(bytes([0, 0, 8, 4]) + struct.pack(">4I", 2 ** 32 - 1, 2 ** 32 - 1, 2 ** 32 - 1, 2 ** 16))
    with pytest.raises(IDXError, match="truncated") as raised:
        ourdl.data.idx.read_idx(path)
    assert str(path) in str(raised.value)


def test_negative_mnist_labels_are_refused(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    write_idx(raw / "train-images-idx3-ubyte", np.zeros((2, 28, 28), np.uint8))
    write_idx(raw / "train-labels-idx1-ubyte", np.array([3, -1], np.int8))
    with pytest.raises(IDXError, match="label -1 out of range"):
        ourdl.data.MNIST(tmp_path)


def test_fit_refuses_a_negative_epoch_count_and_an_empty_loader():
    from ourdl.data import DataLoader, TensorDataset

    model = nn.Linear(2, 2)
    optimizer = ourdl.optim.SGD(model.parameters(), lr=0.1)
    loader = DataLoader(TensorDataset(ourdl.ones(4, 2), ourdl.zeros(4, dtype=ourdl.int64)), batch_size=2)
    for epochs in (-5, 0, 2.0, True):
        with pytest.raises(ValueError, match="epochs"):
            ourdl.train.fit(model, nn.CrossEntropyLoss(), optimizer, loader, epochs=epochs, progress=False)
    empty = DataLoader(TensorDataset(ourdl.ones(0, 2), ourdl.zeros(0, dtype=ourdl.int64)), batch_size=2)
    with pytest.raises(ValueError, match="no samples"):
        ourdl.train.fit(model, nn.CrossEntropyLoss(), optimizer, empty, epochs=1, progress=False)


@pytest.mark.parametrize("load", [ourdl.load, ourdl.io.load, load_checkpoint])
def test_loading_what_is_not_a_file_names_the_path(tmp_path, load):
    with pytest.raises(FileNotFoundError, match="No such file or directory") as raised:
        load(tmp_path / "absent.safetensors")
    assert str(tmp_path / "absent.safetensors") in str(raised.value)
    with pytest.raises(IsADirectoryError) as raised:  # safetensors' own words: "No such device (os error 19)"
        load(tmp_path)
    assert str(tmp_path) in str(raised.value)
    with pytest.raises(CheckpointError, match="/dev/null"):  # a device: nothing to map, nothing to read
        load("/dev/null")


def _read_a_little(pipe):
    with open(pipe, "rb") as stream:
        stream.read(10)


def test_saving_into_a_pipe_or_a_link_writes_through_it(tmp_path):
    import stat
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    closed_early = threading.Thread(target=_read_a_little, args=(pipe,))
    closed_early.start()
    with pytest.raises(BrokenPipeError) as raised:  # the system's error names no file; this one names the pipe
        ourdl.save({"w": ourdl.ones(100_000)}, pipe)
    closed_early.join(timeout=30)
    assert str(pipe) in str(raised.value)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    ourdl.save({"w": ourdl.ones(2)}, pipe)  # written into the pipe, not replaced by a file
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode) and received and received[0][8:9] == b"{"
    target, link = tmp_path / "target.safetensors", tmp_path / "link.safetensors"
    ourdl.save({"w": ourdl.zeros(1)}, target)
    link.symlink_to(target)
    ourdl.save({"w": ourdl.ones(1)}, link)
    assert link.is_symlink() and ourdl.load(target)["w"].tolist() == [1.0]


def test_an_optimizer_state_without_its_parts_is_a_keyerror_that_says_what_is_missing():
    optimizer = ourdl.optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1)
    with pytest.raises(KeyError, match="no 'param_groups'.*holds 'state' and 'param_groups'"):  # PyTorch: KeyError
        optimizer.load_state_dict({"state": {}})


def test_get_buffer_finds_a_buffer_or_names_what_is_missing_as_pytorch():
    ours, theirs = nn.Sequential(nn.BatchNorm1d(2)), torch.nn.Sequential(torch.nn.BatchNorm1d(2))
    assert ours.get_buffer("0.running_var").tolist() == theirs.get_buffer("0.running_var").tolist()
    for model in (ours, theirs):
        with pytest.raises(AttributeError, match="BatchNorm1d has no attribute `nope`"):
            model.get_buffer("0.nope")
