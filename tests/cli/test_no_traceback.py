"""No input to any `ourdl` command ends in a traceback: bad numbers are refused when parsed, in one line."""

import argparse
import contextlib
import io

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import ourdl
from ourdl.cli import build_parser, main

from .test_commands import subcommands

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run(*argv):
    """(status, stdout, stderr) of ``ourdl argv``, without pytest's capture (usable inside hypothesis)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(a) for a in argv])
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv, option, allowed", [
    (("train", "digits", "--epochs", "0"), "--epochs", "an integer from 1 to"),
    (("fit", "quadratic", "--epochs", "-5"), "--epochs", "an integer from 1 to"),
    (("fit", "quadratic", "--hidden", "0"), "--hidden", "an integer from 1 to 64"),
    (("train", "digits", "--lr", "-1"), "--lr", "a number in (0, 100]"),
    (("train", "digits", "--lr", "nan"), "--lr", "a number in (0, 100]"),
    (("train", "digits", "--batch-size", "0"), "--batch-size", "an integer from 1 to"),
    (("train", "digits", "--hidden", "128,0"), "--hidden", "integers from 1 to 16384"),
    (("train", "digits", "--hidden", "100000,100000"), "--hidden", "integers from 1 to 16384"),
    (("fit", "quadratic", "--frames", "0"), "--frames", "an integer from 1 to 1000"),
    (("fit", "quadratic", "--fps", "1e9"), "--fps", "an integer from 1 to 60"),
    (("activations", "plot", "relu", "--xmin", "inf"), "--xmin", "a number in [-1e+06, 1e+06]"),
    (("graph", "x.sum()", "--seed", "-3"), "--seed", "an integer from 0 to 4294967295"),
])
def test_the_reported_crashes_are_one_line_errors(argv, option, allowed):
    status, out, err = run(*argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and f"argument {option}: must be {allowed}" in err, err


def numeric_options():
    """(command words, option, converter) for every option of every command that parses a number."""
    found = []
    for words, parser in subcommands(build_parser()):
        for action in parser._actions:
            if action.option_strings and getattr(action.type, "__name__", "") in ("integer", "number", "sizes"):
                found.append((words, action.option_strings[-1], action.type))
    return found


NUMERIC = numeric_options()
NEEDS = {("fit",): ["quadratic"], ("graph",): ["x.sum()"], ("activations", "plot"): ["relu"], ("lab", "run"): ["x"]}
TEXT = st.one_of(st.integers(-10**30, 10**30).map(str), st.floats(allow_nan=True, allow_infinity=True).map(repr),
                 st.text(max_size=12), st.sampled_from(["", "1,", ",", "1e400", "-0", "0x10", "1_000", "٣"]))


def test_every_numeric_option_is_checked_when_parsed():
    assert {(words[0], option) for words, option, _ in NUMERIC} >= {
        ("train", "--epochs"), ("train", "--lr"), ("train", "--batch-size"), ("train", "--hidden"), ("train", "--seed"),
        ("fit", "--epochs"), ("fit", "--hidden"), ("fit", "--lr"), ("fit", "--frames"), ("fit", "--fps"),
        ("activations", "--xmin"), ("activations", "--xmax"), ("graph", "--seed"), ("demo", "--seed")}
    for words, parser in subcommands(build_parser()):
        for action in parser._actions:
            assert action.type not in (int, float), (words, action.option_strings)  # unchecked numbers


@SETTINGS
@given(st.sampled_from(NUMERIC), TEXT)
def test_a_refused_number_stops_before_any_work_in_one_line(choice, value):
    words, option, convert = choice
    try:
        convert(value)
    except argparse.ArgumentTypeError:
        pass
    else:
        assume(False)  # an accepted value would start the work; refusals are what is fuzzed here
    status, out, err = run(*words, *NEEDS.get(words, []), f"{option}={value}")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and f"argument {option}: must be" in err, err


@SETTINGS
@given(st.text(max_size=60))
def test_any_expression_ends_in_a_drawing_or_one_line(tmp_path, text):
    status, _, err = run("graph", text, "-o", tmp_path / "g.dot")
    assert "Traceback" not in err
    assert status == 0 or (status == 2 and err.count("\n") == 1), err


@SETTINGS
@given(st.text(min_size=1, max_size=20))
def test_any_activation_name_is_found_or_the_valid_ones_are_listed(tmp_path, name):
    assume(name not in {entry.name for entry in ourdl.activations.catalog()} and not name.startswith("-"))
    status, _, err = run("activations", "show", name, "-o", tmp_path / "a.png")
    assert status == 2 and err.count("\n") == 1, err
    assert "Valid activation names" in err or "invalid choice" in err, err


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from([e.name for e in ourdl.activations.catalog() if e.elementwise]), st.integers(1, 8),
       st.integers(1, 10), st.floats(1e-6, 100), st.integers(1, 5), st.sampled_from(["tensor", "graph"]))
def test_any_valid_fit_runs_to_its_end(tmp_path, name, hidden, epochs, lr, frames, engine):
    status, out, err = run("fit", "quadratic", "--activation", name, "--hidden", hidden, "--epochs", epochs, "--lr", lr,
                           "--frames", frames, "--engine", engine, "-o", tmp_path / "fit.png")
    assert "Traceback" not in err
    if status == 2:  # a learning rate too large for this activation, or one that needs its parameters
        assert err.count("\n") == 1 and ("the fit diverged" in err or "needs its parameters" in err), err
    else:
        assert status == 0 and "final loss" in out, err


def test_an_unexpected_error_is_one_line_with_a_hint(monkeypatch):
    from ourdl.cli import info

    def broken(args):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(info, "describe", lambda: broken(None))
    status, _, err = run("info")
    assert status == 1
    assert err.splitlines() == ["ourdl info: error: ZeroDivisionError: float division by zero",
                                "  (run `ourdl --traceback info ...` to see where it happened)"]
    status, _, err = run("--traceback", "info")
    assert status == 1 and "Traceback (most recent call last)" in err


def test_ctrl_c_is_one_line(monkeypatch):
    from ourdl.cli import info

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(info, "describe", interrupted)
    status, _, err = run("info")
    assert status == 130 and err.strip() == "ourdl info: interrupted"


@pytest.mark.slow
def test_sigint_during_a_long_command_is_one_line(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen([sys.executable, "-m", "ourdl.cli", "demo", "-o", str(tmp_path / "demo")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(root)})
    assert process.stdout.readline().startswith("·")  # the demo has started its first part
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip() == "ourdl demo: interrupted", err
