"""ourdl.linalg and the top-level linear-algebra names against PyTorch: values, gradients, second
derivatives, batching, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
from tests.oracle import check, check_double, torch

L, TL = ourdl.linalg, torch.linalg


def _well_conditioned(shape, dtype=np.float64, seed=0):
    a = np.random.default_rng(seed).standard_normal(shape)
    if shape[-1] == shape[-2]:
        a = a + shape[-1] * np.eye(shape[-1])
    return a.astype(dtype)


def _sym(x):
    return x + x.mT


def _spd(x):
    return x @ x.mT + x.shape[-1] * (torch.eye(x.shape[-1], dtype=x.dtype) if isinstance(x, torch.Tensor)
                                     else ourdl.eye(x.shape[-1], dtype=x.dtype))


def _uv(svd):
    return lambda x: (lambda r: r.U @ r.Vh)(svd(x, full_matrices=False))


# (ours, torch's, input shape): each a smooth function of one matrix, compared in values, gradients, second derivatives.
CASES = {
    "inv": (L.inv, TL.inv, (4, 4)),
    "det": (L.det, TL.det, (4, 4)),
    "slogdet": (lambda x: L.slogdet(x).logabsdet, lambda x: TL.slogdet(x).logabsdet, (4, 4)),
    "solve": (lambda x: L.solve(x, x[..., 0]), lambda x: TL.solve(x, x[..., 0]), (4, 4)),
    "solve right": (lambda x: L.solve(x, x[..., :2, :], left=False),
                    lambda x: TL.solve(x, x[..., :2, :], left=False), (4, 4)),
    "matrix_power 3": (lambda x: L.matrix_power(x, 3), lambda x: TL.matrix_power(x, 3), (4, 4)),
    "matrix_power -2": (lambda x: L.matrix_power(x, -2), lambda x: TL.matrix_power(x, -2), (4, 4)),
    "vector_norm": (lambda x: L.vector_norm(x, 3, dim=-1), lambda x: TL.vector_norm(x, 3, dim=-1), (4, 4)),
    "matrix_norm fro": (L.matrix_norm, TL.matrix_norm, (3, 5)),
    "matrix_norm nuc": (lambda x: L.matrix_norm(x, "nuc"), lambda x: TL.matrix_norm(x, "nuc"), (3, 5)),
    "matrix_norm 2": (lambda x: L.matrix_norm(x, 2), lambda x: TL.matrix_norm(x, 2), (5, 3)),
    "matrix_norm -inf": (lambda x: L.matrix_norm(x, -np.inf), lambda x: TL.matrix_norm(x, -np.inf), (5, 3)),
    "norm": (L.norm, TL.norm, (3, 4)),
    "svdvals tall": (L.svdvals, TL.svdvals, (5, 3)),
    "svdvals wide": (L.svdvals, TL.svdvals, (3, 5)),
    "svd U Vh tall": (_uv(L.svd), _uv(TL.svd), (5, 3)),
    "svd U Vh wide": (_uv(L.svd), _uv(TL.svd), (3, 5)),
    "pinv tall": (L.pinv, TL.pinv, (5, 3)),
    "pinv wide": (L.pinv, TL.pinv, (3, 5)),
    "eigvalsh": (lambda x: L.eigvalsh(_sym(x)), lambda x: TL.eigvalsh(_sym(x)), (4, 4)),
    "eigh vectors": (lambda x: L.eigh(_sym(x)).eigenvectors.abs(), lambda x: TL.eigh(_sym(x)).eigenvectors.abs(),
                     (4, 4)),
    "eigh upper": (lambda x: L.eigvalsh(x, UPLO="U"), lambda x: TL.eigvalsh(x, UPLO="U"), (4, 4)),
    "cholesky": (lambda x: L.cholesky(_spd(x)), lambda x: TL.cholesky(_spd(x)), (4, 4)),
    "cholesky upper": (lambda x: L.cholesky(_spd(x), upper=True), lambda x: TL.cholesky(_spd(x), upper=True),
                       (4, 4)),
    "inverse": (ourdl.inverse, torch.inverse, (4, 4)),
    "logdet": (lambda x: ourdl.logdet(_spd(x)), lambda x: torch.logdet(_spd(x)), (4, 4)),
    "pinverse": (ourdl.pinverse, torch.pinverse, (3, 5)),
    "inner": (lambda x: ourdl.inner(x, x[0]), lambda x: torch.inner(x, x[0]), (3, 4)),
    "vdot": (lambda x: ourdl.vdot(x[0], x[1]), lambda x: torch.vdot(x[0], x[1]), (3, 4)),
}
FLOAT32 = dict(rtol=2e-4, atol=2e-4)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_torch_batched(case, dtype):
    ours, theirs, shape = CASES[case]
    tol = FLOAT32 if dtype == np.float32 else dict(rtol=1e-8, atol=1e-9)
    if case in ("inner", "vdot"):
        check(ours, theirs, _well_conditioned(shape, dtype), **tol)
        return
    check(ours, theirs, _well_conditioned((2, 3) + shape, dtype), **tol)


@pytest.mark.parametrize("case", sorted(CASES))
def test_second_derivatives_match_torch(case):
    ours, theirs, shape = CASES[case]
    check_double(ours, theirs, _well_conditioned(shape, seed=1), rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("case", ["inv", "det", "solve", "eigh vectors", "cholesky", "svd U Vh wide", "pinv tall"])
def test_gradcheck_and_gradgradcheck(case):
    ours, _, shape = CASES[case]
    a = ourdl.tensor(_well_conditioned((2,) + shape, seed=2), requires_grad=True)
    assert ourdl.autograd.gradcheck(ours, (a,))
    assert ourdl.autograd.gradgradcheck(ours, (a,))


@settings(max_examples=25, deadline=None)
@given(batch=st.lists(st.integers(1, 3), max_size=2), n=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_inverse_det_solve_any_batch(batch, n, seed):
    a = _well_conditioned(tuple(batch) + (n, n), seed=seed)
    b = np.random.default_rng(seed + 1).standard_normal(tuple(batch) + (n, 2))
    check(L.inv, TL.inv, a, rtol=1e-8, atol=1e-9)
    check(L.det, TL.det, a, rtol=1e-8, atol=1e-9)
    check(L.solve, TL.solve, a, b, rtol=1e-8, atol=1e-9)
    check(lambda x: L.slogdet(x).sign, lambda x: TL.slogdet(x).sign, a, grad=False)


@settings(max_examples=25, deadline=None)
@given(batch=st.lists(st.integers(1, 3), max_size=2), m=st.integers(1, 5), n=st.integers(1, 5),
       seed=st.integers(0, 2**16))
def test_singular_values_and_pinv_any_shape(batch, m, n, seed):
    a = np.random.default_rng(seed).standard_normal(tuple(batch) + (m, n))
    check(L.svdvals, TL.svdvals, a, rtol=1e-7, atol=1e-8, grad=False)
    check(L.pinv, TL.pinv, a, rtol=1e-6, atol=1e-7, grad=False)
    check(lambda x: L.matrix_norm(x, "nuc"), lambda x: TL.matrix_norm(x, "nuc"), a, rtol=1e-8, atol=1e-9,
          grad=False)


def test_solve_broadcasts_batches_and_takes_vectors():
    a = _well_conditioned((3, 1, 4, 4))
    check(L.solve, TL.solve, a, np.ones((2, 4, 2)), rtol=1e-8, atol=1e-9)
    check(L.solve, TL.solve, a[:, 0], np.ones((3, 4)), rtol=1e-8, atol=1e-9)
    check(L.solve, TL.solve, a[0, 0], np.ones(4), rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("ord,dim", [(None, None), (None, 1), (1, None), (np.inf, (0, 1)), ("fro", (1, 2)),
                                     (0, 2), (-np.inf, -1), (2, None)])
def test_norm_dispatches_like_torch(ord, dim):
    a = np.random.default_rng(3).standard_normal((3, 4) if ord is not None and dim is None else (2, 3, 4))
    check(lambda x: L.norm(x, ord, dim), lambda x: TL.norm(x, ord, dim), a, grad=ord != 0)


def test_slogdet_and_det_of_a_singular_matrix():
    sign, logabsdet = L.slogdet(ourdl.ones(3, 3))
    assert sign.item() == 0 and logabsdet.item() == -np.inf
    assert L.det(ourdl.ones(3, 3)).item() == 0
    assert np.isnan(ourdl.logdet(ourdl.tensor([[-1.0, 0.0], [0.0, 1.0]])).item())


def test_matrix_power_zero_is_the_identity():
    out = L.matrix_power(ourdl.ones(2, 3, 3, requires_grad=True), 0)
    np.testing.assert_array_equal(out.numpy(), np.broadcast_to(np.eye(3), (2, 3, 3)))


def test_eigh_reconstructs_and_reads_one_triangle():
    a = np.random.default_rng(4).standard_normal((2, 4, 4))
    values, vectors = L.eigh(ourdl.tensor(np.tril(a)))
    symmetric = np.tril(a) + np.tril(a, -1).swapaxes(-1, -2)
    np.testing.assert_allclose((vectors @ values.diag_embed() @ vectors.mT).numpy(), symmetric, atol=1e-12)


@pytest.mark.filterwarnings("ignore:torch.cholesky is deprecated")  # the oracle's own warning
def test_tensor_methods():
    a = ourdl.tensor(_well_conditioned((4, 4)))
    t = torch.tensor(a.numpy())
    spd = ourdl.tensor(_spd(a).numpy())
    for name, args in [("inverse", ()), ("det", ()), ("logdet", ()), ("matrix_power", (3,)), ("pinverse", ()),
                       ("inner", (a,)), ("cholesky", ())]:
        ours = getattr(spd, name)(*args)
        theirs = getattr(torch.tensor(spd.numpy()), name)(*(torch.tensor(x.numpy()) if isinstance(x, ourdl.Tensor)
                                                            else x for x in args))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-9, err_msg=name)
    assert a.slogdet().sign.item() == t.slogdet().sign.item()
    assert a[0].vdot(a[1]).item() == pytest.approx(t[0].vdot(t[1]).item())


ERRORS = {
    "inv non-square": (lambda: L.inv(ourdl.ones(2, 3)), RuntimeError, r"linalg.inv.*square.*2 by 3"),
    "inv singular": (lambda: L.inv(ourdl.zeros(2, 2, 2)), L.LinAlgError, r"linalg.inv.*\[2, 2, 2\].*singular"),
    "inv integer": (lambda: L.inv(ourdl.ones(2, 2, dtype=ourdl.int64)), RuntimeError, "float32 or float64.*int64"),
    "det 1-D": (lambda: L.det(ourdl.ones(3)), RuntimeError, r"linalg.det.*at least 2 dimensions.*\[3\]"),
    "solve singular": (lambda: L.solve(ourdl.zeros(2, 2), ourdl.ones(2)), L.LinAlgError, "singular"),
    "solve shapes": (lambda: L.solve(ourdl.eye(2), ourdl.ones(3)), RuntimeError, r"AX = B.*2x2 and 3x1"),
    "cholesky not PD": (lambda: L.cholesky(-ourdl.eye(2)), L.LinAlgError, "not positive-definite"),
    "matrix_power non-square": (lambda: L.matrix_power(ourdl.ones(2, 3), 2), RuntimeError, r"square.*\[2, 3\]"),
    "matrix_norm ord": (lambda: L.matrix_norm(ourdl.ones(2, 2), 3), RuntimeError, "order 3 not supported"),
    "vdot 2-D": (lambda: ourdl.vdot(ourdl.ones(2, 2), ourdl.ones(2)), RuntimeError, "1D tensors expected"),
    "inner sizes": (lambda: ourdl.inner(ourdl.ones(2), ourdl.ones(3)), RuntimeError, r"\[2\] and \[3\]"),
}
TORCH_ERRORS = {
    "inv non-square": lambda: TL.inv(torch.ones(2, 3)),
    "inv singular": lambda: TL.inv(torch.zeros(2, 2, 2)),
    "inv integer": lambda: TL.inv(torch.ones(2, 2, dtype=torch.int64)),
    "det 1-D": lambda: TL.det(torch.ones(3)),
    "solve singular": lambda: TL.solve(torch.zeros(2, 2), torch.ones(2)),
    "solve shapes": lambda: TL.solve(torch.eye(2), torch.ones(3)),
    "cholesky not PD": lambda: TL.cholesky(-torch.eye(2)),
    "matrix_power non-square": lambda: TL.matrix_power(torch.ones(2, 3), 2),
    "matrix_norm ord": lambda: TL.matrix_norm(torch.ones(2, 2), 3),
    "vdot 2-D": lambda: torch.vdot(torch.ones(2, 2), torch.ones(2)),
    "inner sizes": lambda: torch.inner(torch.ones(2), torch.ones(3)),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_like_torch(case):
    ours, kind, message = ERRORS[case]
    torch_kind = TL.LinAlgError if kind is L.LinAlgError else RuntimeError
    with pytest.raises(torch_kind):
        TORCH_ERRORS[case]()
    with pytest.raises(kind, match=message):
        ours()


def test_linalg_error_is_a_runtime_error():
    assert issubclass(L.LinAlgError, RuntimeError) and issubclass(TL.LinAlgError, RuntimeError)
