"""``torch.linalg``'s QR and LU factorisations: qr, lu_factor, lu_factor_ex, lu, lu_solve, and the unpacking of a
packed LU (``lu_unpack``).

NumPy's QR and SciPy's LU call the same LAPACK routines as PyTorch (``geqrf``/``orgqr``, ``getrf``), so the
factors, their signs and the pivots are PyTorch's. Gradients are written with differentiable ops (second
derivatives come for free): QR as in PyTorch for every shape but ``mode='complete'`` with more rows than columns
(which PyTorch refuses too); LU for every shape, as PyTorch (an ``m x n`` matrix has ``k = min(m, n)`` pivots,
``L`` is ``m x k`` and ``U`` ``k x n``).

>>> import ourdl
>>> Q, R = ourdl.linalg.qr(ourdl.tensor([[3.0, 1.0], [4.0, 2.0]]))
>>> R
tensor([[-5.0000, -2.2000],
        [ 0.0000,  0.4000]])
"""

from __future__ import annotations

import warnings

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..tensor import Tensor
from . import array_or_tensor
from .creation import eye, tensor
from .linalg_inverse import LinAlgError, checked_matrices, solve_of
from .matrix_parts import tril, triu
from .return_types import return_type
from .tensor_argument import require_tensor

__all__: list[str] = ["qr", "lu_factor", "lu_factor_ex", "lu", "lu_unpack", "lu_solve"]
METHODS: list = []

qr_result = return_type("linalg_qr", ("Q", "R"))
lu_factor_result = return_type("linalg_lu_factor", ("LU", "pivots"))
lu_factor_ex_result = return_type("linalg_lu_factor_ex", ("LU", "pivots", "info"))
lu_result = return_type("linalg_lu", ("P", "L", "U"))
lu_unpack_result = return_type("lu_unpack", ("P", "L", "U"))
_MODES = ("reduced", "complete", "r")


def _lower(x, diagonal: int = 0):
    return tril(x, diagonal) if isinstance(x, Tensor) else np.tril(x, diagonal)


def _upper(x, diagonal: int = 0):
    return triu(x, diagonal) if isinstance(x, Tensor) else np.triu(x, diagonal)


def _tall_qr_grad(q, r, gq, gr):
    """:math:`\\partial A = (G_Q + Q\\, \\text{copyltu}(M)) R^{-T}`, :math:`M = R G_R^T - G_Q^T Q`, for
    :math:`A = QR` with as many columns in ``Q`` as ``A`` has (``copyltu``: the symmetric matrix of ``M``'s lower
    triangle)."""
    m = r @ gr.mT - gq.mT @ q
    b = gq + q @ (_lower(m) + _lower(m, -1).mT)
    return solve_of(r, b.mT).mT


class Qr(ArrayFunction):
    """``Q`` and ``R`` packed as one flat ``(..., m k + k n)`` array. Gradient for ``m >= n`` as
    :func:`_tall_qr_grad`; for ``m < n``, :math:`A = [X | Y]`, :math:`R = [U | V]` with :math:`X = QU`,
    :math:`Y = QV`: :math:`\\partial Y = Q G_V` and :math:`\\partial X` that of :math:`X = QU` with
    :math:`G_Q + Y G_V^T`."""

    @staticmethod
    def forward(ctx, a, mode):
        q, r = np.linalg.qr(a, mode="complete" if mode == "complete" else "reduced")
        ctx.shapes, ctx.mode = (q.shape[-2:], r.shape[-2:]), mode
        batch = a.shape[:-2]
        packed = np.concatenate([q.reshape(batch + (-1,)), r.reshape(batch + (-1,))], axis=-1)
        ctx.save_for_backward(packed)
        return packed

    @staticmethod
    def backward(ctx, g):
        if ctx.mode == "r":
            raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please "
                               "use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.")
        (packed,) = ctx.saved_tensors
        (m, k), (_, n) = ctx.shapes
        if ctx.mode == "complete" and m > n:
            raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")
        q, r = _unpack_qr(packed, ctx.shapes)
        gq, gr = _unpack_qr(g, ctx.shapes)
        if m >= n:
            return _tall_qr_grad(q, r, gq, gr), None
        v, gv = r[..., m:], gr[..., m:]
        gx = _tall_qr_grad(q, r[..., :m], gq + (q @ v) @ gv.mT, gr[..., :m])
        return array_or_tensor.concatenate([gx, q @ gv], -1), None


def _unpack_qr(packed, shapes):
    (m, k), (k2, n) = shapes
    batch = tuple(packed.shape[:-1])
    return packed[..., :m * k].reshape(batch + (m, k)), packed[..., m * k:].reshape(batch + (k2, n))


def qr(A, mode: str = "reduced"):
    """The QR decomposition :math:`A = QR`, ``Q`` with orthonormal columns, ``R`` upper triangular.
    ``mode``: ``'reduced'`` (``Q`` ``(m, k)``, ``R`` ``(k, n)``, ``k = min(m, n)``), ``'complete'`` (``Q``
    ``(m, m)``, ``R`` ``(m, n)``) or ``'r'`` (``R`` only; ``Q`` empty).

    >>> import ourdl
    >>> Q, R = ourdl.linalg.qr(ourdl.tensor([[1.0, 2.0], [0.0, 1.0], [0.0, 0.0]]), mode="complete")
    >>> Q.shape, R.shape
    (ourdl.Size([3, 3]), ourdl.Size([3, 2]))
    """
    if mode not in _MODES:
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or "
                           "'complete'")
    A = checked_matrices(A, "linalg.qr", square=False)
    packed = Qr.apply(A, mode)
    m, n = A.shape[-2:]
    k = m if mode == "complete" else min(m, n)
    q, r = _unpack_qr(packed, ((m, k), (k, n)))
    return qr_result(tensor([], dtype=A.dtype) if mode == "r" else q, r)


def _getrf(a: np.ndarray) -> tuple:
    """LAPACK's ``getrf`` over a batch of ``m x n`` matrices: the packed factors, ``min(m, n)`` 1-based pivots
    (int32) and the info per matrix (the 1-based index of the first zero on ``U``'s diagonal, or 0)."""
    from scipy.linalg import lu_factor as scipy_lu_factor  # deferred: SciPy takes ~130 ms to import

    m, n = a.shape[-2:]
    flat = a.reshape((int(np.prod(a.shape[:-2])), m, n))
    packed, pivots = flat.copy(), np.empty((len(flat), min(m, n)), np.int32)  # an empty matrix is its own LU
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SciPy warns of a singular matrix: info reports it, as PyTorch's does
        for b, matrix in enumerate(flat if m and n else ()):
            packed[b], pivots[b] = scipy_lu_factor(matrix, check_finite=False)
    pivots += 1
    zero = np.diagonal(packed, axis1=-2, axis2=-1) == 0
    first = np.argmax(zero, -1) if zero.shape[-1] else np.zeros(len(flat), np.intp)
    info = np.where(zero.any(-1), first + 1, 0).astype(np.int32)
    return packed.reshape(a.shape), pivots.reshape(a.shape[:-2] + (min(m, n),)), info.reshape(a.shape[:-2])


def _permutation(pivots: np.ndarray, dtype, n: int) -> np.ndarray:
    """The ``n x n`` permutation matrices ``P`` (``A = P L U``) of 1-based LAPACK pivots ``(..., k)``, ``k <= n``:
    row ``i`` swapped with row ``pivots[i] - 1`` for ``i = 0, ..., k - 1`` in turn."""
    k = pivots.shape[-1]
    flat = pivots.reshape((int(np.prod(pivots.shape[:-1])), k)) - 1
    rows = np.tile(np.arange(n), (len(flat), 1))
    for b, swaps in enumerate(flat):
        for i, j in enumerate(swaps):
            rows[b, i], rows[b, j] = rows[b, j], rows[b, i]
    p = np.zeros((len(flat), n, n), dtype)
    p[np.arange(len(flat))[:, None], rows, np.arange(n)] = 1  # row i of P^T A is row rows[i] of A
    return p.reshape(pivots.shape[:-1] + (n, n))


class LuFactor(ArrayFunction):
    """The packed LU factors of ``m x n`` matrices (``L`` below the diagonal with its unit diagonal implied, ``U``
    on and above), computed by :func:`_getrf` and given with the pivots, which are kept on ``ctx``.

    Gradient, as PyTorch's, with :math:`k = \\min(m, n)`, :math:`G_L` the strict lower triangle of :math:`G`'s
    first ``k`` columns and :math:`G_U` the upper triangle of its first ``k`` rows. Square and wide
    (:math:`m \\le n`, :math:`U = [U_1 | U_2]`): :math:`P L^{-T} [\\text{tril}_{-1}(L^T G_L - G_U U^T) U_1^{-T}
    + G_{U_1} | G_{U_2}]`. Tall (:math:`m > n`, :math:`L = [L_1; L_2]`): :math:`P [L_1^{-T} \\text{triu}(G_U U^T
    - L^T G_L) + G_{L_1}; G_{L_2}] U^{-T}`."""

    @staticmethod
    def forward(ctx, a, packed, pivots):
        ctx.pivots = pivots
        ctx.save_for_backward(packed)
        return packed

    @staticmethod
    def backward(ctx, g):
        (packed,) = ctx.saved_tensors
        m, n = packed.shape[-2:]
        k = min(m, n)
        lower = _lower(packed[..., :k], -1) + np.eye(m, k, dtype=_float_dtype(packed))
        upper = _upper(packed[..., :k, :])
        g_lower, g_upper = _lower(g[..., :k], -1), _upper(g[..., :k, :])
        if m <= n:
            x = _lower(lower.mT @ g_lower - g_upper @ upper.mT, -1)
            x = solve_of(upper[..., :k], x.mT).mT + g_upper[..., :k]
            if n > k:
                x = array_or_tensor.concatenate([x, g_upper[..., k:]], -1)
            x = solve_of(lower.mT, x)
        else:
            x = solve_of(lower[..., :k, :].mT, _upper(g_upper @ upper.mT - lower.mT @ g_lower))
            x = array_or_tensor.concatenate([x + g_lower[..., :k, :], g_lower[..., k:, :]], -2)
            x = solve_of(upper, x.mT).mT
        return _permutation(ctx.pivots, _float_dtype(packed), m) @ x, None, None


def _float_dtype(x):
    return x._data.dtype if isinstance(x, Tensor) else x.dtype


def lu_factor_ex(A, *, pivot: bool = True, check_errors: bool = False):
    """``(LU, pivots, info)``: the packed LU factors of ``m x n`` matrices, LAPACK's ``min(m, n)`` 1-based pivots
    (int32) and, per matrix, 0 or the 1-based index of the first zero on ``U``'s diagonal.

    >>> import ourdl
    >>> ourdl.linalg.lu_factor_ex(ourdl.zeros(2, 2)).info
    tensor(1, dtype=ourdl.int32)
    """
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    A = checked_matrices(A, "linalg.lu_factor", square=False)
    packed, pivots, info = _getrf(A._data)
    packed = LuFactor.apply(A, packed, pivots)
    if check_errors and info.any():
        raise LinAlgError(f"linalg.lu_factor: U[{int(info.max()) - 1},{int(info.max()) - 1}] is zero")
    return lu_factor_ex_result(packed, tensor(pivots), tensor(info))


def lu_factor(A, *, pivot: bool = True):
    """``(LU, pivots)``: the packed LU factorisation :math:`A = P L U` of ``m x n`` matrices, as LAPACK's ``getrf``
    (``L`` unit lower triangular below the diagonal, ``U`` on and above, 1-based int32 pivots). A singular matrix
    raises, as in PyTorch: use :func:`lu_factor_ex` or :func:`lu` for it.

    >>> import ourdl
    >>> LU, pivots = ourdl.linalg.lu_factor(ourdl.tensor([[1.0, 2.0], [3.0, 4.0]]))
    >>> LU, pivots
    (tensor([[3.0000, 4.0000],
            [0.3333, 0.6667]]), tensor([2, 2], dtype=ourdl.int32))
    """
    LU, pivots, info = lu_factor_ex(A, pivot=pivot)
    if info.numpy().any():
        k = int(info.numpy()[info.numpy() > 0].min())  # LAPACK's 1-based index, as PyTorch prints it
        raise LinAlgError(f"torch.linalg.lu_factor: U[{k},{k}] is zero and using it on lu_solve would result in a "
                          "division by zero. If you still want to perform the factorization, consider calling "
                          "linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)")
    return lu_factor_result(LU, pivots)


def lu_unpack(LU_data, LU_pivots, unpack_data: bool = True, unpack_pivots: bool = True):
    """``(P, L, U)`` of a packed LU factorisation of ``m x n`` matrices: :math:`A = P L U`, ``P`` ``m x m``, ``L``
    ``m x k`` and ``U`` ``k x n`` for :math:`k = \\min(m, n)`. Differentiable in ``LU_data``.

    >>> import ourdl
    >>> P, L, U = ourdl.lu_unpack(*ourdl.linalg.lu_factor(ourdl.tensor([[1.0, 2.0], [3.0, 4.0]])))
    >>> P @ L @ U
    tensor([[1., 2.],
            [3., 4.]])
    """
    require_tensor(LU_data, "lu_unpack", "LU_data")
    require_tensor(LU_pivots, "lu_unpack", "LU_pivots", 2)
    m, n = LU_data.shape[-2:]
    k = min(m, n)
    empty = tensor([], dtype=LU_data.dtype)
    lower = tril(LU_data[..., :k], -1) + eye(m, k, dtype=LU_data.dtype) if unpack_data else empty
    upper = triu(LU_data[..., :k, :]) if unpack_data else empty
    p = tensor(_permutation(LU_pivots.numpy(), LU_data._data.dtype, m)) if unpack_pivots else empty
    return lu_unpack_result(p, lower, upper)


def lu(A, *, pivot: bool = True):
    """``(P, L, U)`` with :math:`A = P L U`: ``P`` an ``m x m`` permutation, ``L`` ``m x k`` unit lower
    triangular, ``U`` ``k x n`` upper triangular, :math:`k = \\min(m, n)` (a singular matrix too).

    >>> import ourdl
    >>> P, L, U = ourdl.linalg.lu(ourdl.tensor([[0.0, 1.0], [2.0, 3.0]]))
    >>> P
    tensor([[0., 1.],
            [1., 0.]])
    """
    LU, pivots, _ = lu_factor_ex(A, pivot=pivot)
    return lu_result(*lu_unpack(LU, pivots))


def lu_solve(LU, pivots, B, *, left: bool = True, adjoint: bool = False):
    """The solution :math:`X` of :math:`AX = B` (``left=False``: :math:`XA = B`; ``adjoint``: :math:`A^T` for
    :math:`A`) from ``A``'s packed LU factorisation. Differentiable in ``LU`` and ``B``.

    >>> import ourdl
    >>> A = ourdl.tensor([[2.0, 1.0], [1.0, 3.0]])
    >>> ourdl.linalg.lu_solve(*ourdl.linalg.lu_factor(A), ourdl.tensor([[3.0], [4.0]]))
    tensor([[1.],
            [1.]])
    """
    require_tensor(LU, "linalg.lu_solve", "LU")
    checked_matrices(LU, "linalg.lu_solve")  # the factors of a square A: the others solve nothing
    P, L, U = lu_unpack(LU, pivots)
    if adjoint:  # A^T = U^T L^T P^T
        first, second, third = U.mT, L.mT, P
    else:
        first, second, third = P.mT, L, U  # A^{-1} = U^{-1} L^{-1} P^T
    if left:
        y = first @ B if not adjoint else solve_of(first, B)
        y = solve_of(second, y)
        return solve_of(third, y) if not adjoint else third @ y
    # X A = B  <=>  A^T X^T = B^T
    return lu_solve(LU, pivots, B.mT, left=True, adjoint=not adjoint).mT
