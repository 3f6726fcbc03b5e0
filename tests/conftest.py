"""Shared test set-up: the PyTorch oracle is required under CI and optional elsewhere."""

import os
import shutil

import pytest

import ourdl


@pytest.fixture(autouse=True)
def _seeded():
    ourdl.manual_seed(0)
    yield
    ourdl.set_default_dtype(ourdl.float32)


def pytest_configure(config):
    if os.environ.get("CI") == "true":
        import torch  # noqa: F401  (oracle tests must run in CI: fail loudly when torch is missing)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


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
