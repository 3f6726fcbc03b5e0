"""Shared test set-up: the PyTorch oracle is required under CI and optional elsewhere."""

import os

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
