"""Helpers for the command-line tests: run ``ourdl`` in-process (the browser fixture is in tests/conftest.py)."""

import pytest

from ourdl.cli import main


@pytest.fixture
def ourdl_cli(capsys):
    """``ourdl_cli("activations", "list")`` → (exit status, stdout, stderr)."""

    def run(*argv):
        status = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return status, out, err

    return run
