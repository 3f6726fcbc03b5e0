"""Functions of square matrices under PyTorch's top-level names (``ourdl.inverse``, ``ourdl.det``, ``ourdl.logdet``,
...), made from the ``ourdl.linalg`` functions in :mod:`~ourdl.ops.linalg_inverse` and
:mod:`~ourdl.ops.linalg_decompositions` (which name their argument ``A`` where these name it ``input``).

>>> import ourdl
>>> ourdl.tensor([[2.0, 0.0], [0.0, 3.0]]).det()
tensor(6.)
"""

from __future__ import annotations

from . import linalg_decompositions as decompositions
from . import linalg_inverse as inverses

__all__: list[str] = ["inverse", "det", "logdet", "slogdet", "matrix_power", "pinverse", "cholesky"]
METHODS: list = list(__all__)


def inverse(input):
    """The inverse of each square matrix, as :func:`ourdl.linalg.inv`.

    >>> import ourdl
    >>> ourdl.inverse(ourdl.tensor([[4.0, 0.0], [0.0, 0.5]]))
    tensor([[0.2500, 0.0000],
            [0.0000, 2.0000]])
    """
    return inverses.inv(input)


def det(input):
    """The determinant of each square matrix, as :func:`ourdl.linalg.det`.

    >>> import ourdl
    >>> ourdl.det(ourdl.eye(3) * 2)
    tensor(8.)
    """
    return inverses.det(input)


def logdet(input):
    """:math:`\\log \\det A`: NaN where the determinant is negative, ``-inf`` where it is zero; gradient
    :math:`g A^{-T}`.

    >>> import ourdl
    >>> ourdl.logdet(ourdl.tensor([[2.0, 0.0], [0.0, 0.5]]))
    tensor(0.)
    """
    sign, logabsdet = inverses.slogdet(input)
    return logabsdet + sign.log()


def slogdet(input):
    """The sign and log absolute value of the determinant, as :func:`ourdl.linalg.slogdet`.

    >>> import ourdl
    >>> ourdl.slogdet(ourdl.eye(2)).sign
    tensor(1.)
    """
    return inverses.slogdet(input)


def matrix_power(input, n: int):
    """:math:`A^n` for an integer ``n``, as :func:`ourdl.linalg.matrix_power`.

    >>> import ourdl
    >>> ourdl.matrix_power(ourdl.tensor([[2.0, 0.0], [0.0, 1.0]]), -2)
    tensor([[0.2500, 0.0000],
            [0.0000, 1.0000]])
    """
    return inverses.matrix_power(input, n)


def pinverse(input, rcond: float = 1e-15):
    """The Moore–Penrose pseudo-inverse, singular values below ``rcond`` times the largest taken as zero.

    >>> import ourdl
    >>> ourdl.pinverse(ourdl.tensor([[1.0], [1.0]]))
    tensor([[0.5000, 0.5000]])
    """
    return decompositions.pinv(input, rtol=rcond)


def cholesky(input, upper: bool = False):
    """The Cholesky factor of symmetric positive-definite matrices, as :func:`ourdl.linalg.cholesky`.

    >>> import ourdl
    >>> ourdl.cholesky(ourdl.tensor([[9.0, 3.0], [3.0, 5.0]]), upper=True)
    tensor([[3., 1.],
            [0., 2.]])
    """
    return decompositions.cholesky(input, upper=upper)
