"""`ourdl train` stopped by Ctrl-C saves a checkpoint after the batch in progress; `--resume` continues it exactly."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ourdl
from ourdl.cli import main

ROOT = Path(__file__).resolve().parents[2]
RUN = ("train", "digits", "--hidden", "32", "--batch-size", "8", "--lr", "0.01", "--seed", "3")


def weights(path):
    return {k: v.numpy() for k, v in ourdl.io.load(path).items()}


@pytest.mark.slow
def test_sigint_leaves_a_checkpoint_that_resume_continues_exactly(tmp_path, capsys):
    interrupted = tmp_path / "interrupted"
    process = subprocess.Popen([sys.executable, "-m", "ourdl.cli", *RUN, "--epochs", "5", "-o", str(interrupted)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = []
    for line in process.stdout:  # not a terminal: one line per epoch, no progress bars
        lines.append(line)
        if line.startswith("epoch 2/5"):
            process.send_signal(signal.SIGINT)
            break
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, (lines, out, err)
    assert "Traceback" not in err and "\r" not in "".join(lines)
    message = err.strip()
    assert "\n" not in message and "interrupted" in message and "--resume" in message, err
    checkpoint = interrupted / "digits-mlp-checkpoint" / "last.safetensors"
    state = ourdl.io.load_checkpoint(checkpoint)
    partial = state["extra"].get("partial")  # Ctrl-C ends the batch in progress and saves there
    if partial is not None:
        assert partial["epoch"] == state["epoch"] + 1 >= 3 and partial["step"] >= 1
        assert f"checkpoint saved in epoch {partial['epoch']} after step {partial['step']}: {checkpoint}" in message
    else:  # it came after an epoch's last batch
        assert f"checkpoint saved in epoch {state['epoch']}: {checkpoint}" in message
    assert not (interrupted / "digits-mlp.safetensors").exists()  # the run did not finish

    assert main([*RUN, "--epochs", "5", "-o", str(interrupted), "--resume"]) == 0
    resumed_log = capsys.readouterr().out
    assert "epoch 1/5" not in resumed_log and "epoch 5/5" in resumed_log
    assert main([*RUN, "--epochs", "5", "-o", str(tmp_path / "whole")]) == 0
    resumed, whole = weights(interrupted / "digits-mlp.safetensors"), weights(tmp_path / "whole" / "digits-mlp.safetensors")
    assert resumed.keys() == whole.keys()
    for key in whole:
        np.testing.assert_array_equal(resumed[key], whole[key])


def test_resume_without_a_checkpoint_says_where_it_looked(tmp_path, capsys):
    assert main([*RUN, "--epochs", "1", "-o", str(tmp_path), "--resume"]) == 2
    assert "--resume: no checkpoint to continue in" in capsys.readouterr().err


def test_resume_with_other_settings_is_refused(tmp_path, capsys):
    assert main([*RUN, "--epochs", "1", "-o", str(tmp_path)]) == 0
    assert main(["train", "digits", "--hidden", "16", "--epochs", "2", "-o", str(tmp_path), "--resume"]) == 2
    err = capsys.readouterr().err
    assert "--hidden [32] (now [16])" in err and "only --epochs may change" in err


def test_ctrl_c_in_the_first_epoch_of_a_fresh_run_does_not_offer_an_older_checkpoint(tmp_path, monkeypatch, capsys):
    from ourdl.cli import train

    assert main([*RUN, "--epochs", "1", "-o", str(tmp_path)]) == 0  # leaves a finished run's checkpoint

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(train, "fit", interrupted)
    capsys.readouterr()
    assert main([*RUN, "--epochs", "3", "-o", str(tmp_path)]) == 130
    assert capsys.readouterr().err.strip() == ("ourdl train: interrupted; no epoch had finished, so there is no "
                                               "checkpoint to resume")
