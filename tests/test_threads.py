"""The thread count is PyTorch's API and governs NumPy's BLAS."""

import pytest
import torch
from threadpoolctl import threadpool_info

import ourdl


@pytest.fixture
def threads():
    before = ourdl.get_num_threads()
    yield
    ourdl.set_num_threads(before)


@pytest.mark.parametrize("value", [0, -1, 2.5, True, "2"])
def test_set_num_threads_refuses_what_torch_refuses(value, threads):
    with pytest.raises(RuntimeError) as expected:
        torch.set_num_threads(value)
    with pytest.raises(RuntimeError) as got:
        ourdl.set_num_threads(value)
    assert "set_num_threads expects" in str(got.value) and "set_num_threads expects" in str(expected.value)


def test_set_num_threads_governs_blas_too(threads):
    for n in (1, 2):
        ourdl.set_num_threads(n)
        assert ourdl.get_num_threads() == n
        assert all(pool["num_threads"] == n for pool in threadpool_info() if pool["user_api"] == "blas")



def test_the_default_follows_omp_num_threads_as_pytorchs_does():
    import subprocess
    import sys

    script = "import ourdl, torch; print(ourdl.get_num_threads(), torch.get_num_threads())"
    env = {**__import__("os").environ, "OMP_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split() == ["1", "1"]
