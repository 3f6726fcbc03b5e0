"""Functions of square matrices under PyTorch's top-level names (``ourdl.inverse``, ``ourdl.det``, ``ourdl.logdet``,
...), made from the ``ourdl.linalg`` functions in :mod:`~ourdl.ops.linalg_inverse` and
:mod:`~ourdl.ops.linalg_decompositions` (which name their argument ``A`` where these name it ``input``).

>>> import ourdl
>>> ourdl.tensor([[2.0, 0.0], [0.0, 3.0]]).det()
tensor(6.)
"""

from __future__ import annotations

from . import linalg_decompositions as decompositions
from . import linalg_factorizations as factorizations
from . import linalg_inverse as inverses
from .creation import zeros
from .return_types import return_type
from .tensor_argument import require_tensor

__all__: list[str] = ["inverse", "det", "logdet", "slogdet", "matrix_power", "pinverse", "cholesky", "svd",
                      "cholesky_inverse", "cholesky_solve", "qr", "lu", "lu_solve", "lu_unpack"]
METHODS: list = [name for name in __all__ if name != "lu_unpack"]  # torch.Tensor has no lu_unpack
lu_unpack = factorizations.lu_unpack
svd_result = return_type("svd", ("U", "S", "V"))


def inverse(input):
    """The inverse of each square matrix, as :func:`ourdl.linalg.inv`.

    >>> import ourdl
    >>> ourdl.inverse(ourdl.tensor([[4.0, 0.0], [0.0, 0.5]]))
    tensor([[0.2500, 0.0000],
            [0.0000, 2.0000]])
    """
    require_tensor(input, "inverse")
    return inverses.inv(input)


def det(input):
    """The determinant of each square matrix, as :func:`ourdl.linalg.det`.

    >>> import ourdl
    >>> ourdl.det(ourdl.eye(3) * 2)
    tensor(8.)
    """
    require_tensor(input, "det")
    return inverses.det(input)


def logdet(input):
    """:math:`\\log \\det A`: NaN where the determinant is negative, ``-inf`` where it is zero; gradient
    :math:`g A^{-T}`.

    >>> import ourdl
    >>> ourdl.logdet(ourdl.tensor([[2.0, 0.0], [0.0, 0.5]]))
    tensor(0.)
    """
    require_tensor(input, "logdet")
    sign, logabsdet = inverses.slogdet(input)
    return logabsdet + sign.log()


def slogdet(input):
    """The sign and log absolute value of the determinant, as :func:`ourdl.linalg.slogdet`.

    >>> import ourdl
    >>> ourdl.slogdet(ourdl.eye(2)).sign
    tensor(1.)
    """
    require_tensor(input, "slogdet")
    return inverses.slogdet(input)


def matrix_power(input, n: int):
    """:math:`A^n` for an integer ``n``, as :func:`ourdl.linalg.matrix_power`.

    >>> import ourdl
    >>> ourdl.matrix_power(ourdl.tensor([[2.0, 0.0], [0.0, 1.0]]), -2)
    tensor([[0.2500, 0.0000],
            [0.0000, 1.0000]])
    """
    require_tensor(input, "matrix_power")
    return inverses.matrix_power(input, n)


def pinverse(input, rcond: float = 1e-15):
    """The Moore–Penrose pseudo-inverse, singular values below ``rcond`` times the largest taken as zero.

    >>> import ourdl
    >>> ourdl.pinverse(ourdl.tensor([[1.0], [1.0]]))
    tensor([[0.5000, 0.5000]])
    """
    require_tensor(input, "pinverse")
    return decompositions.pinv(input, rtol=rcond)


def cholesky(input, upper: bool = False):
    """The Cholesky factor of symmetric positive-definite matrices, as :func:`ourdl.linalg.cholesky`.

    >>> import ourdl
    >>> ourdl.cholesky(ourdl.tensor([[9.0, 3.0], [3.0, 5.0]]), upper=True)
    tensor([[3., 1.],
            [0., 2.]])
    """
    require_tensor(input, "cholesky")
    return decompositions.cholesky(input, upper=upper)


def svd(input, some: bool = True, compute_uv: bool = True):
    """``(U, S, V)`` with :math:`A = U \\text{diag}(S) V^T`: :func:`ourdl.linalg.svd` returning ``V``, not ``V^T``,
    reduced unless ``some=False``. With ``compute_uv=False``, ``U`` and ``V`` are zero-filled, as PyTorch's.

    >>> import ourdl
    >>> U, S, V = ourdl.svd(ourdl.tensor([[0.0, 2.0], [1.0, 0.0]]))
    >>> S, U @ S.diag_embed() @ V.t()
    (tensor([2., 1.]), tensor([[0., 2.],
            [1., 0.]]))
    """
    require_tensor(input, "svd")
    if not compute_uv:
        m, n = input.shape[-2:]
        batch = tuple(input.shape[:-2])
        return svd_result(zeros(*batch, m, m, dtype=input.dtype), decompositions.svdvals(input),
                          zeros(*batch, n, n, dtype=input.dtype))
    U, S, Vh = decompositions.svd(input, full_matrices=not some)
    return svd_result(U, S, Vh.transpose(-2, -1))


def _from_cholesky(L, upper: bool):
    """:math:`A = L L^T` (or :math:`U^T U`) from its Cholesky factor."""
    return L.transpose(-2, -1) @ L if upper else L @ L.transpose(-2, -1)


def cholesky_inverse(L, upper: bool = False):
    """The inverse of :math:`A = L L^T` from its Cholesky factor ``L`` (``upper``: :math:`A = U^T U`).

    >>> import ourdl
    >>> ourdl.cholesky_inverse(ourdl.tensor([[2.0, 0.0], [0.0, 1.0]]))
    tensor([[0.2500, 0.0000],
            [0.0000, 1.0000]])
    """
    require_tensor(L, "cholesky_inverse")
    return inverses.inv(_from_cholesky(L, upper))


def cholesky_solve(B, L, upper: bool = False):
    """The solution :math:`X` of :math:`A X = B` for :math:`A = L L^T` given by its Cholesky factor ``L``.

    >>> import ourdl
    >>> ourdl.cholesky_solve(ourdl.tensor([[4.0], [1.0]]), ourdl.tensor([[2.0, 0.0], [0.0, 1.0]]))
    tensor([[1.],
            [1.]])
    """
    require_tensor(B, "cholesky_solve")
    require_tensor(L, "cholesky_solve", "input2", 2)
    return inverses.solve(_from_cholesky(L, upper), B)


def qr(input, some: bool = True):
    """``(Q, R)`` with :math:`A = QR`, as :func:`ourdl.linalg.qr` with ``mode='reduced'`` (``some=True``) or
    ``'complete'`` (PyTorch's deprecated form, kept for old code).

    >>> import ourdl
    >>> Q, R = ourdl.qr(ourdl.tensor([[0.0, 1.0], [2.0, 0.0]]))
    >>> Q @ R
    tensor([[0., 1.],
            [2., 0.]])
    """
    require_tensor(input, "qr")
    return factorizations.qr(input, mode="reduced" if some else "complete")


def lu(A, pivot: bool = True, get_infos: bool = False):
    """``(LU, pivots)`` (and ``infos`` with ``get_infos``): :func:`ourdl.linalg.lu_factor`, PyTorch's deprecated
    form; without ``get_infos`` a singular matrix raises.

    >>> import ourdl
    >>> ourdl.lu(ourdl.zeros(2, 2), get_infos=True)[2]
    tensor(1, dtype=ourdl.int32)
    """
    if get_infos:
        return factorizations.lu_factor_ex(A, pivot=pivot)
    return tuple(factorizations.lu_factor(A, pivot=pivot))


def lu_solve(b, LU_data, LU_pivots):
    """The solution :math:`X` of :math:`AX = b` from ``A``'s packed LU factorisation, as
    :func:`ourdl.linalg.lu_solve` (PyTorch's deprecated argument order).

    >>> import ourdl
    >>> A = ourdl.tensor([[2.0, 1.0], [1.0, 3.0]])
    >>> ourdl.lu_solve(ourdl.tensor([[3.0], [4.0]]), *ourdl.lu(A))
    tensor([[1.],
            [1.]])
    """
    require_tensor(b, "lu_solve")
    require_tensor(LU_data, "lu_solve", "LU_data", 2)
    require_tensor(LU_pivots, "lu_solve", "LU_pivots", 3)
    return factorizations.lu_solve(LU_data, LU_pivots, b)
