"""Saves and training killed with SIGKILL at seeded random moments, in real processes: the checkpoint on disk is
always a whole earlier one, the next save removes the dead saves' temporary files, nothing is unpickled, and a run
resumed after each kill ends bit for bit where an uninterrupted run ends."""

import os
import pickle
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from ourdl.io import load_checkpoint
from ourdl.io.weights import read
from ourdl.train import History

ROOT = Path(__file__).resolve().parents[2]
CHECKPOINT = "last.safetensors"


class Child:
    """``killable_training`` in a process of its own; its output lines are collected as they come."""

    def __init__(self, *args, on_line=None):
        self.process = subprocess.Popen([sys.executable, "-m", "tests.robustness.killable_training", *map(str, args)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                        env={**os.environ, "PYTHONPATH": str(ROOT)})
        self.lines, self.changed = [], threading.Condition()
        self.reader = threading.Thread(target=self._read, args=(on_line,), daemon=True)
        self.reader.start()

    def _read(self, on_line):
        for line in self.process.stdout:
            line = line.strip()
            if on_line is not None:
                on_line(self, line)
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.lines.append(None)  # the end: nothing more to wait for
            self.changed.notify_all()

    def kill_after(self, line: str, seconds: float, mid_save_in: Path | None = None) -> None:
        """SIGKILL ``seconds`` after it printed ``line``, or with ``mid_save_in`` at the first moment after that when
        one of its saves into that folder is under way; unless it ended first. Wait for it to end."""
        with self.changed:
            self.changed.wait_for(lambda: line in self.lines or None in self.lines, timeout=120)
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            while mid_save_in is not None and self.process.poll() is None and not self.saving(mid_save_in):
                pass  # a save lasts milliseconds: look without pause
            self.process.send_signal(signal.SIGKILL)
        self.finish()

    def saving(self, folder: Path) -> bool:
        return folder.is_dir() and any(f".{self.process.pid}." in p.name for p in folder.glob(".*.part"))

    def finish(self) -> None:
        self.process.wait(timeout=300)
        self.reader.join(timeout=60)
        errors = self.process.stderr.read()
        self.lines.remove(None)
        assert self.process.returncode in (0, -signal.SIGKILL), errors
        assert "Traceback" not in errors, errors


def foreign_part_files(folder: Path, pid: int) -> list:
    """Temporary files of saves by any process other than ``pid``."""
    return [p.name for p in folder.glob(".*.part") if f".{pid}." not in p.name]


@pytest.fixture
def no_unpickling(monkeypatch):
    """Loading a checkpoint that would unpickle anything fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a checkpoint load unpickled")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)


def comparable(path) -> dict:
    """A checkpoint's contents, less the wall-clock seconds its history records."""
    state = load_checkpoint(path, restore_rng=False)
    for record in state["extra"]["history"]:
        record.pop("seconds")
    return state


def assert_same(a, b, where=""):
    if isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            assert_same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{where}[{i}]")
    elif hasattr(a, "numpy") or isinstance(a, np.ndarray):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b), err_msg=where)
    else:
        assert a == b, where


def train_with_kills(tmp_path, seed: int, kills: int, epochs: int) -> list:
    """Kill a training run ``kills`` times at random moments, resuming it each time, then let it finish; after
    every kill the checkpoint is the whole one of the last epoch any run reported (or of a later one it had saved
    when killed), equal to the uninterrupted run's. The first kill comes within an epoch's time of the start, each
    later one within an epoch's time of a random epoch still to come; every other kill waits for a checkpoint save
    to be under way.
    Returns the epoch each kill left on disk."""
    reference, epoch_ends = tmp_path / "reference", []
    Child("train", reference, epochs, tmp_path / "snapshots",
          on_line=lambda child, line: line.startswith("epoch") and epoch_ends.append(time.monotonic())).finish()
    # kills come within an epoch's time of a line, whatever this machine's speed: on a fast one the whole run
    # takes a fraction of a second, and a fixed delay would let every run finish before its kill
    epoch_seconds = (epoch_ends[-1] - epoch_ends[0]) / (epochs - 1)
    snapshots = {int(p.stem.split("-")[1]): comparable(p) for p in (tmp_path / "snapshots").iterdir()}
    assert sorted(snapshots) == list(range(1, epochs + 1))

    folder, draw, reported, left = tmp_path / "killed", random.Random(seed), 0, []
    stray = []

    def check_parts(child, line):  # the first save after a kill has removed every dead save's temporary file
        if line.startswith("epoch"):
            stray.extend(foreign_part_files(folder, child.process.pid))

    for kill in range(kills):
        child = Child("train", folder, epochs, on_line=check_parts)
        after = f"epoch {draw.randint(reported + 1, epochs - 1)}" if 0 < kill and reported + 1 < epochs else "ready"
        child.kill_after(after, draw.uniform(0.0, epoch_seconds), mid_save_in=folder if kill % 2 else None)
        reported = max([reported] + [int(line.split()[1]) for line in child.lines if line.startswith("epoch")])
        if (folder / CHECKPOINT).exists():
            state = comparable(folder / CHECKPOINT)
            assert state["epoch"] >= reported  # an acknowledged checkpoint is never lost or torn
            assert_same(state, snapshots[state["epoch"]], f"checkpoint of epoch {state['epoch']}")
            left.append(state["epoch"])
        else:
            assert reported == 0
            left.append(None)
        if child.process.returncode == 0:
            break
    else:
        Child("train", folder, epochs, on_line=check_parts).finish()
    assert stray == []
    assert not list(folder.glob("*.part"))
    saved = History.load(folder / "history.json").records  # not an epoch behind, as a kill between the saves left it
    assert saved == load_checkpoint(folder / CHECKPOINT, restore_rng=False)["extra"]["history"]
    final, expected = read(folder / "final.safetensors")[0], read(reference / "final.safetensors")[0]
    assert_same(final, expected, "final weights")
    assert_same(comparable(folder / CHECKPOINT), snapshots[epochs], "last checkpoint")
    return left


def test_training_killed_at_random_resumes_bit_exact(tmp_path, no_unpickling):
    left = train_with_kills(tmp_path, seed=1, kills=2, epochs=6, )
    assert left


@pytest.mark.slow
@pytest.mark.parametrize("seed", [2, 3])
def test_training_killed_many_times_resumes_bit_exact(tmp_path, seed, no_unpickling):
    left = train_with_kills(tmp_path, seed=seed, kills=8, epochs=12, )
    assert any(epoch is not None and 0 < epoch < 12 for epoch in left)  # some kill fell inside the training


@pytest.mark.slow
def test_saves_killed_at_random_keep_the_last_whole_checkpoint(tmp_path, no_unpickling):
    path, draw, on_disk, killed_mid_save, stray = tmp_path / "c.safetensors", random.Random(4), 0, 0, []

    def check_parts(child, line):
        if line.startswith("saved"):
            stray.extend(foreign_part_files(tmp_path, child.process.pid))

    for kill in range(4):
        child = Child("save", path, on_disk + 1, on_line=check_parts)
        child.kill_after("ready", draw.uniform(0.05, 0.4), mid_save_in=tmp_path if kill % 2 else None)
        assert child.process.returncode == -signal.SIGKILL
        acknowledged = max([on_disk] + [int(line.split()[1]) for line in child.lines if line.startswith("saved")])
        killed_mid_save += bool(foreign_part_files(tmp_path, -1))
        if not path.exists():
            assert acknowledged == 0
            continue
        state = load_checkpoint(path, restore_rng=False)
        assert state["epoch"] >= acknowledged  # the last acknowledged save, or one made after it: never torn
        for name, value in state["model"].items():
            assert (value.numpy() == state["epoch"]).all(), name
        on_disk = state["epoch"]
    assert on_disk and stray == []
    assert killed_mid_save  # kills caught saves under way, whose files the next save removed
