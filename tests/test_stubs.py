"""The committed ``.pyi`` stubs match the runtime API, ship with the package, and let mypy check user code."""

import os
import runpy
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TYPING = Path(__file__).resolve().parent / "typing"
REGENERATE = "make stubs (python -m ourdl.stubgen)"


def test_stubs_are_current():
    """Regenerated in memory by a fresh interpreter, where no test has attached names to ourdl."""
    pytest.importorskip("torch", reason="the stubs' return types are read from PyTorch, the oracle")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, "-m", "ourdl.stubgen", "--check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{result.stdout}{result.stderr}\nregenerate the stubs with: {REGENERATE}"


def test_stubs_and_py_typed_ship_with_the_package():
    from ourdl.stubgen import STUBBED, stub_path

    assert (ROOT / "ourdl" / "py.typed").exists()
    assert all((ROOT / stub_path(name)).exists() for name in STUBBED)
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert {"*.pyi", "py.typed"} <= set(package_data["ourdl"])


@pytest.fixture(scope="module")
def mypy(tmp_path_factory):
    """Runs mypy as a user's project would: ourdl found on MYPYPATH, its untyped sources followed silently."""
    cache = tmp_path_factory.mktemp("mypy-cache")

    def run(*files):
        env = {**os.environ, "MYPYPATH": str(ROOT)}
        command = [sys.executable, "-m", "mypy", "--cache-dir", str(cache), "--follow-imports=silent",
                   "--no-error-summary", "--hide-error-context", *map(str, files)]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)

    return run


def test_mypy_accepts_a_pytorch_style_user_script_and_the_stubs(mypy):
    from ourdl.stubgen import STUBBED, stub_path

    result = mypy(TYPING / "user_script.py", *(ROOT / stub_path(name) for name in STUBBED))
    assert result.returncode == 0, f"mypy rejected correct code:\n{result.stdout}{result.stderr}"


def test_mypy_rejects_a_misspelled_tensor_method(mypy):
    result = mypy(TYPING / "misspelled_method.py")
    assert result.returncode == 1, f"mypy accepted x.relux():\n{result.stdout}{result.stderr}"
    assert '"Tensor" has no attribute "relux"' in result.stdout


def test_the_user_script_runs():
    runpy.run_path(str(TYPING / "user_script.py"), run_name="user_script")["train"](steps=2)
