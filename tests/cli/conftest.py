"""Helpers for the command-line tests: run ``ourdl`` in-process and open pages in a real browser."""

import os
import shutil

import pytest

from ourdl.cli import main

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture
def ourdl_cli(capsys):
    """``ourdl_cli("activations", "list")`` → (exit status, stdout, stderr)."""

    def run(*argv):
        status = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium driven by Playwright; skipped (outside CI only) when either is missing."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if executable is None or sync_playwright is None:
        missing = "the chromium program (apt-get install chromium)" if executable is None else \
            "the Python package playwright (pip install playwright)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser test needs {missing}, and under CI it must run")
        pytest.skip(f"browser test needs {missing}")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
