"""QR and LU (ourdl.linalg.qr, lu_factor, lu_factor_ex, lu, lu_solve; ourdl.qr, lu, lu_unpack, lu_solve) against
PyTorch: factors, pivots, gradients, second derivatives, batches, float32 and float64, and PyTorch's errors."""

import numpy as np
import pytest

import ourdl
from tests.oracle import assert_same, check, check_double, torch

rng = np.random.default_rng(0)
SHAPES = [(4, 3), (3, 3), (3, 5), (2, 4, 3), (2, 3, 5)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_qr_matches_pytorch(shape, mode, dtype):
    a = rng.normal(size=shape).astype(dtype)
    q, r = ourdl.linalg.qr(ourdl.tensor(a), mode=mode)
    tq, tr = torch.linalg.qr(torch.tensor(a), mode=mode)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else {}
    assert_same(q, tq, **tol)
    assert_same(r, tr, **tol)
    differentiable = mode == "reduced" or (mode == "complete" and shape[-2] <= shape[-1])
    if differentiable and dtype == np.float64:
        for pick in (0, 1):
            check(lambda x: ourdl.linalg.qr(x, mode=mode)[pick], lambda x: torch.linalg.qr(x, mode=mode)[pick], a)
            check_double(lambda x: ourdl.linalg.qr(x, mode=mode)[pick], lambda x: torch.linalg.qr(x, mode=mode)[pick],
                         a)


@pytest.mark.parametrize("mode, shape", [("r", (3, 2)), ("complete", (3, 2))])
def test_qr_refuses_the_gradients_pytorch_refuses(mode, shape):
    x = ourdl.randn(*shape, requires_grad=True)
    with pytest.raises(RuntimeError, match="differentiable|depends on Q"):
        ourdl.linalg.qr(x, mode=mode)[1].sum().backward()
    with pytest.raises(RuntimeError, match="unrecognized mode 'x'"):
        ourdl.linalg.qr(x, mode="x")


def test_top_level_qr_is_pytorchs_deprecated_form():
    a = rng.normal(size=(4, 3))
    for some in (True, False):
        for x, y in zip(ourdl.qr(ourdl.tensor(a), some=some), torch.qr(torch.tensor(a), some=some)):
            assert_same(x, y)
    assert_same(ourdl.tensor(a).qr().R, torch.tensor(a).qr().R)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1), (2, 3), (3, 2), (2, 3, 5), (2, 5, 3), (1, 4), (4, 1)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lu_factor_lu_and_unpack_match_pytorch(shape, dtype):
    a = rng.normal(size=shape).astype(dtype)
    LU, piv = ourdl.linalg.lu_factor(ourdl.tensor(a))
    tLU, tpiv = torch.linalg.lu_factor(torch.tensor(a))
    assert_same(LU, tLU)
    assert piv.dtype == ourdl.int32 and np.array_equal(piv.numpy(), tpiv.numpy())
    for x, y in zip(ourdl.linalg.lu(ourdl.tensor(a)), torch.linalg.lu(torch.tensor(a))):
        assert_same(x, y)
    for x, y in zip(ourdl.lu_unpack(LU, piv), torch.lu_unpack(tLU, tpiv)):
        assert_same(x, y)
    if dtype == np.float64:
        check(lambda x: ourdl.linalg.lu_factor(x).LU, lambda x: torch.linalg.lu_factor(x).LU, a)
        for pick in (1, 2):
            check(lambda x: ourdl.linalg.lu(x)[pick], lambda x: torch.linalg.lu(x)[pick], a)
        check_double(lambda x: ourdl.linalg.lu_factor(x).LU, lambda x: torch.linalg.lu_factor(x).LU, a)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [True, False])
def test_lu_solve_matches_pytorch_with_gradients(left, adjoint):
    a, b = rng.normal(size=(2, 3, 3)), rng.normal(size=(2, 3, 3))

    def ours(x, y):
        return ourdl.linalg.lu_solve(*ourdl.linalg.lu_factor(x), y, left=left, adjoint=adjoint)

    def theirs(x, y):
        return torch.linalg.lu_solve(*torch.linalg.lu_factor(x), y, left=left, adjoint=adjoint)

    check(ours, theirs, a, b)
    check_double(ours, theirs, a, b)
    assert_same(ourdl.lu_solve(ourdl.tensor(b), *ourdl.lu(ourdl.tensor(a))),
                torch.lu_solve(torch.tensor(b), *torch.linalg.lu_factor(torch.tensor(a))))


def test_singular_matrices_as_pytorch():
    zeros = np.zeros((2, 2))
    for singular in (zeros, np.ones((2, 3)), np.ones((3, 2))):  # PyTorch names U's entry by LAPACK's 1-based index
        with pytest.raises(RuntimeError) as theirs:
            torch.linalg.lu_factor(torch.tensor(singular))
        with pytest.raises(RuntimeError) as ours:
            ourdl.linalg.lu_factor(ourdl.tensor(singular))
        assert str(ours.value) == str(theirs.value)
    ours, theirs = ourdl.linalg.lu_factor_ex(ourdl.tensor(zeros)), torch.linalg.lu_factor_ex(torch.tensor(zeros))
    assert ours.info.item() == theirs.info.item() == 1
    for x, y in zip(ourdl.lu(ourdl.tensor(zeros), get_infos=True), torch.lu(torch.tensor(zeros), get_infos=True)):
        assert np.array_equal(x.numpy(), y.numpy())
    wide = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 7.0]])  # U[1,1] is zero: the first column decides the second row
    for ours, theirs in zip(ourdl.linalg.lu_factor_ex(ourdl.tensor(wide)), torch.linalg.lu_factor_ex(torch.tensor(wide))):
        assert np.array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("shape", [(2, 3), (3, 2), (3, 5, 2), (2, 2, 4)])
def test_lu_of_a_non_square_matrix_passes_gradcheck_and_gradgradcheck(shape):
    a = ourdl.tensor(rng.normal(size=shape), requires_grad=True)
    for pick in (lambda x: ourdl.linalg.lu_factor(x).LU, lambda x: ourdl.linalg.lu(x).L, lambda x: ourdl.linalg.lu(x).U):
        assert ourdl.autograd.gradcheck(pick, (a,))
        assert ourdl.autograd.gradgradcheck(pick, (a,))


@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (2, 0, 3), (0, 2, 2), (2, 3, 0)])
def test_lu_of_empty_matrices_has_pytorchs_shapes(shape):
    ours, theirs = ourdl.linalg.lu(ourdl.zeros(*shape)), torch.linalg.lu(torch.zeros(*shape))
    assert [tuple(x.shape) for x in ours] == [tuple(x.shape) for x in theirs]
    for x, y in zip(ourdl.linalg.lu_factor_ex(ourdl.zeros(*shape)), torch.linalg.lu_factor_ex(torch.zeros(*shape))):
        assert tuple(x.shape) == tuple(y.shape) and x.dtype.name == str(y.dtype).split(".")[1]


def test_lu_solve_refuses_the_factors_of_a_non_square_matrix_as_pytorch():
    a = rng.normal(size=(2, 3))
    LU, pivots = ourdl.linalg.lu_factor(ourdl.tensor(a))
    with pytest.raises(RuntimeError, match="A must be batches of square matrices, but they are 2 by 3 matrices"):
        ourdl.linalg.lu_solve(LU, pivots, ourdl.ones(2, 1, dtype=ourdl.float64))
    tLU, tpivots = torch.linalg.lu_factor(torch.tensor(a))
    with pytest.raises(RuntimeError, match="A must be batches of square matrices, but they are 2 by 3 matrices"):
        torch.linalg.lu_solve(tLU, tpivots, torch.ones(2, 1, dtype=torch.float64))
