"""``torch.linalg``'s decompositions: the symmetric eigen-decomposition (eigh, eigvalsh), the singular value
decomposition (svd, svdvals) and the pseudo-inverse built on it (pinv), and the Cholesky factor (cholesky).

Gradients are exact and written with differentiable ops, so second derivatives come for free. A
non-positive-definite input to cholesky raises :class:`~ourdl.ops.linalg_inverse.LinAlgError`.

>>> import ourdl
>>> ourdl.linalg.eigvalsh(ourdl.tensor([[2.0, 1.0], [1.0, 2.0]]))
tensor([1., 3.])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..tensor import Tensor
from . import array_or_tensor
from .linalg_inverse import LinAlgError, checked_matrices, solve_of
from .matrix_parts import tril
from .return_types import return_type

__all__: list[str] = ["eigh", "eigvalsh", "svd", "svdvals", "pinv", "cholesky"]
METHODS: list = []

eigh_result = return_type("linalg_eigh", ("eigenvalues", "eigenvectors"))
svd_result = return_type("linalg_svd", ("U", "S", "Vh"))


def _unit(n: int) -> np.ndarray:
    return np.eye(n, dtype=bool)


def _lift(v):
    """A batch of vectors ``(..., n)`` as a batch of row vectors ``(..., 1, n)``."""
    return v.reshape(tuple(v.shape[:-1]) + (1, v.shape[-1]))


def _lower(g, diagonal: int = 0):
    """The lower triangle of an array or (recorded) of a tensor: zeros above ``diagonal``."""
    return tril(g, diagonal) if isinstance(g, Tensor) else np.tril(g, diagonal)


class Eigh(ArrayFunction):
    """Eigenvalues and eigenvectors of symmetric matrices, packed as one ``(..., n + 1, n)`` array:
    row 0 the eigenvalues, rows 1.. the eigenvectors (columns).

    Gradient: :math:`V (\\text{diag}(g_\\lambda) + F \\circ V^T G_V) V^T` with
    :math:`F_{ij} = 1/(\\lambda_j - \\lambda_i)` off the diagonal, 0 on it.
    """

    @staticmethod
    def forward(ctx, a, upper):
        values, vectors = np.linalg.eigh(a, UPLO="U" if upper else "L")
        packed = np.concatenate([values[..., None, :], vectors], axis=-2)
        ctx.save_for_backward(packed)
        return packed

    @staticmethod
    def backward(ctx, g):
        (packed,) = ctx.saved_tensors
        values, vectors = packed[..., 0, :], packed[..., 1:, :]
        grad_values, grad_vectors = _lift(g[..., 0, :]), g[..., 1:, :]
        unit = _unit(values.shape[-1])
        gaps = _lift(values) - values.reshape(tuple(values.shape) + (1,)) + unit
        inner = array_or_tensor.where(unit, grad_values, (vectors.mT @ grad_vectors) / gaps)
        return vectors @ inner @ vectors.mT, None


def eigh(A, UPLO: str = "L"):
    """The eigen-decomposition :math:`A = V \\text{diag}(\\lambda) V^T` of symmetric matrices, eigenvalues
    ascending. Only the triangle ``UPLO`` (``'L'`` lower, ``'U'`` upper) of ``A`` is read.

    The eigenvectors' gradient divides by eigenvalue gaps: it is ill-defined for repeated eigenvalues.

    >>> import ourdl
    >>> values, vectors = ourdl.linalg.eigh(ourdl.tensor([[2.0, 1.0], [1.0, 2.0]]))
    >>> values
    tensor([1., 3.])
    >>> (vectors @ values.diag_embed() @ vectors.mT)
    tensor([[2.0000, 1.0000],
            [1.0000, 2.0000]])
    """
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"linalg.eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    packed = Eigh.apply(checked_matrices(A, "linalg.eigh"), UPLO == "U")
    return eigh_result(packed[..., 0, :], packed[..., 1:, :])


def eigvalsh(A, UPLO: str = "L"):
    """The eigenvalues of symmetric matrices, ascending; gradient :math:`V \\text{diag}(g) V^T`.

    >>> import ourdl
    >>> ourdl.linalg.eigvalsh(ourdl.tensor([[2.0, 0.0], [0.0, -1.0]]))
    tensor([-1.,  2.])
    """
    return eigh(A, UPLO).eigenvalues


class Svd(ArrayFunction):
    """The reduced SVD :math:`A = U \\text{diag}(S) V^T`, packed as one flat ``(..., mk + k + kn)`` array
    (``U``, ``S``, ``V^T`` in turn; ``k = min(m, n)``).

    Gradient, with :math:`E_{jk} = S_k^2 - S_j^2` off the diagonal and :math:`\\text{skew}(X) = X - X^T`:
    :math:`U [(\\text{skew}(U^T G_U) / E) S + S (\\text{skew}(V^T G_V) / E) + \\text{diag}(G_S)] V^T
    + (I - UU^T) G_U S^{-1} V^T + U S^{-1} G_V^T (I - VV^T)`.
    """

    @staticmethod
    def forward(ctx, a):
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        batch = a.shape[:-2]
        packed = np.concatenate([u.reshape(batch + (-1,)), s, vh.reshape(batch + (-1,))], axis=-1)
        ctx.shape = a.shape
        ctx.save_for_backward(packed)
        return packed

    @staticmethod
    def backward(ctx, g):
        (packed,) = ctx.saved_tensors
        u, s, vh = _unpack_svd(packed, ctx.shape)
        grad_u, grad_s, grad_vh = _unpack_svd(g, ctx.shape)
        v, grad_v = vh.mT, grad_vh.mT
        unit = _unit(s.shape[-1])
        squares = s * s
        gaps = _lift(squares) - squares.reshape(tuple(s.shape) + (1,)) + unit
        ut_gu, vt_gv = u.mT @ grad_u, v.mT @ grad_v
        row_s = _lift(s)
        inner = (array_or_tensor.where(unit, 0.0, (ut_gu - ut_gu.mT) / gaps) * row_s
                 + row_s.mT * array_or_tensor.where(unit, 0.0, (vt_gv - vt_gv.mT) / gaps)
                 + array_or_tensor.where(unit, _lift(grad_s), 0.0))
        grad = u @ inner @ vh
        m, n = ctx.shape[-2:]
        if m > s.shape[-1]:
            grad = grad + (grad_u - u @ ut_gu) / row_s @ vh
        if n > s.shape[-1]:
            grad = grad + (u / row_s) @ (grad_v.mT - vt_gv.mT @ v.mT)
        return grad


def _unpack_svd(packed, shape):
    """``U``, ``S``, ``V^T`` of a packed SVD of a matrix (batch) of ``shape``."""
    batch, (m, n) = tuple(shape[:-2]), shape[-2:]
    k = min(m, n)
    u = packed[..., : m * k].reshape(batch + (m, k))
    s = packed[..., m * k: m * k + k]
    vh = packed[..., m * k + k:].reshape(batch + (k, n))
    return u, s, vh


def svd(A, full_matrices: bool = True):
    """The singular value decomposition :math:`A = U \\text{diag}(S) V^H`, as ``(U, S, Vh)``, singular values
    descending. Gradients flow with ``full_matrices=False`` (and for square matrices); the singular
    vectors are defined up to sign, so only sign-independent functions of them have a meaningful gradient.

    >>> import ourdl
    >>> U, S, Vh = ourdl.linalg.svd(ourdl.tensor([[0.0, 2.0], [1.0, 0.0]]))
    >>> S
    tensor([2., 1.])
    >>> U @ S.diag_embed() @ Vh
    tensor([[0., 2.],
            [1., 0.]])
    """
    A = checked_matrices(A, "linalg.svd", square=False)
    m, n = A.shape[-2:]
    if full_matrices and m != n:
        if A.requires_grad:
            raise RuntimeError("linalg.svd: the gradient of full_matrices=True is not defined for non-square "
                               f"matrices (shape {list(A.shape)}); use full_matrices=False")
        u, s, vh = (Tensor._make(x, False, None) for x in np.linalg.svd(A._data, full_matrices=True))
        return svd_result(u, s, vh)
    return svd_result(*_unpack_svd(Svd.apply(A), A.shape))


def svdvals(A):
    """The singular values of each matrix, descending; gradient :math:`U \\text{diag}(g) V^T`.

    >>> import ourdl
    >>> ourdl.linalg.svdvals(ourdl.tensor([[3.0, 0.0], [0.0, -4.0]]))
    tensor([4., 3.])
    """
    return svd(checked_matrices(A, "linalg.svdvals", square=False), full_matrices=False).S


def pinv(A, *, rtol=None):
    """The Moore–Penrose pseudo-inverse :math:`A^+ = V \\text{diag}(1/S) U^T`, singular values below
    ``rtol`` times the largest (default :math:`\\max(m, n)\\,\\epsilon`) taken as zero.

    >>> import ourdl
    >>> ourdl.linalg.pinv(ourdl.tensor([[2.0, 0.0]]))
    tensor([[0.5000],
            [0.0000]])
    """
    A = checked_matrices(A, "linalg.pinv", square=False)
    u, s, vh = svd(A, full_matrices=False)
    if rtol is None:
        rtol = max(A.shape[-2:]) * np.finfo(A._data.dtype).eps
    cutoff = s.detach().amax(dim=-1, keepdim=True) * rtol
    kept = s > cutoff
    inverse = array_or_tensor.where(kept, 1.0 / array_or_tensor.where(kept, s, 1.0), 0.0)
    return (vh.mT * _lift(inverse)) @ u.mT


class Cholesky(ArrayFunction):
    """:math:`A = L L^T`; gradient :math:`L^{-T} \\Phi(L^T G) L^{-1}`, :math:`\\Phi` the lower triangle with the
    diagonal halved, made symmetric."""

    @staticmethod
    def forward(ctx, a):
        try:
            factor = np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            raise LinAlgError(f"linalg.cholesky: the factorization could not be completed because the input "
                              f"(shape {list(a.shape)}) is not positive-definite") from None
        ctx.save_for_backward(factor)
        return factor

    @staticmethod
    def backward(ctx, g):
        (factor,) = ctx.saved_tensors
        lower = _lower(factor.mT @ g)
        sym = (lower + _lower(lower, -1).mT) * 0.5
        left = solve_of(factor.mT, sym)
        return solve_of(factor.mT, left.mT).mT


def cholesky(A, *, upper: bool = False):
    """The Cholesky factor of symmetric positive-definite matrices: lower :math:`L` with :math:`A = LL^T`
    (upper :math:`U = L^T` with ``upper=True``). Only the lower triangle of ``A`` is read. Raises
    :class:`LinAlgError` when a matrix is not positive-definite.

    >>> import ourdl
    >>> ourdl.linalg.cholesky(ourdl.tensor([[4.0, 2.0], [2.0, 5.0]]))
    tensor([[2., 0.],
            [1., 2.]])
    """
    factor = Cholesky.apply(checked_matrices(A, "linalg.cholesky"))
    return factor.mT if upper else factor
