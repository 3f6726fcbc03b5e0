"""PyTorch's top-level linear-algebra names (``svd``, ``cholesky_inverse``, ``cholesky_solve``, ...) against torch."""

import numpy as np
import pytest

import ourdl
from tests.oracle import assert_same, check, torch

rng = np.random.default_rng(0)


def _spd(n):
    a = rng.normal(size=(n, n))
    return a @ a.T + n * np.eye(n)


@pytest.mark.parametrize("shape,some", [((4, 3), True), ((3, 5), True), ((3, 3), False), ((2, 4, 3), True)])
def test_svd_returns_v_as_torch(shape, some):
    a = rng.normal(size=shape)
    ours, theirs = ourdl.svd(ourdl.tensor(a), some=some), torch.svd(torch.tensor(a), some=some)
    assert type(ours).__name__ == type(theirs).__name__ and (ours.U, ours.S, ours.V) == tuple(ours)
    assert repr(ours).startswith("ourdl.return_types.svd(U=") and repr(theirs).startswith("torch.return_types.svd(\nU=")
    assert_same(ours.S, theirs.S)
    assert ours.U.shape == theirs.U.shape and ours.V.shape == theirs.V.shape
    rebuilt = ours.U[..., :, : ours.S.shape[-1]] @ ours.S.diag_embed() @ ours.V[..., :, : ours.S.shape[-1]].transpose(-2, -1)
    np.testing.assert_allclose(rebuilt.numpy(), a, atol=1e-10)
    check(lambda x: (lambda r: r.U @ r.V.transpose(-2, -1))(ourdl.svd(x)),
          lambda x: (lambda r: r.U @ r.V.transpose(-2, -1))(torch.svd(x)), rng.normal(size=(4, 3)), rtol=1e-7, atol=1e-8)


def test_svd_without_uv():
    a = rng.normal(size=(4, 3))
    ours, theirs = ourdl.svd(ourdl.tensor(a), compute_uv=False), torch.svd(torch.tensor(a), compute_uv=False)
    for x, y in zip(ours, theirs):
        assert_same(x, y)


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_inverse_and_solve(upper):
    a = _spd(3)
    factor = np.linalg.cholesky(a)
    factor = factor.T if upper else factor
    b = rng.normal(size=(3, 2))
    check(lambda f: ourdl.cholesky_inverse(f, upper=upper), lambda f: torch.cholesky_inverse(f, upper=upper), factor,
          rtol=1e-8, atol=1e-9)
    check(lambda x, f: ourdl.cholesky_solve(x, f, upper=upper), lambda x, f: torch.cholesky_solve(x, f, upper=upper),
          b, factor, rtol=1e-8, atol=1e-9)


def test_every_top_level_linalg_name_is_torchs():
    for name in ["svd", "det", "logdet", "slogdet", "inverse", "pinverse", "cholesky", "cholesky_inverse",
                 "cholesky_solve", "matrix_power", "outer", "dot", "mm", "mv", "bmm", "matmul", "trace", "kron"]:
        assert hasattr(ourdl, name) and hasattr(torch, name), name
