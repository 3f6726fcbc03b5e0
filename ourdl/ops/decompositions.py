"""PyTorch's top-level names for linear algebra (``ourdl.inverse``, ``ourdl.det``, ...), over :mod:`ourdl.linalg`.

Each public function here is in ``__all__`` (exported as ``ourdl.<name>``); those in ``METHODS``
are Tensor methods too.

>>> import ourdl
>>> ourdl.tensor([[2.0, 0.0], [0.0, 3.0]]).det()
tensor(6.)
"""

from __future__ import annotations

from .. import linalg
from .promotion import as_operand

__all__: list[str] = ["inverse", "det", "logdet", "slogdet", "matrix_power", "pinverse", "inner", "vdot", "cholesky"]
METHODS: list[str] = list(__all__)


def inverse(input):
    """The inverse of each square matrix, as :func:`ourdl.linalg.inv`.

    >>> import ourdl
    >>> ourdl.inverse(ourdl.tensor([[4.0, 0.0], [0.0, 0.5]]))
    tensor([[0.2500, 0.0000],
            [0.0000, 2.0000]])
    """
    return linalg.inv(input)


def det(input):
    """The determinant of each square matrix, as :func:`ourdl.linalg.det`.

    >>> import ourdl
    >>> ourdl.det(ourdl.eye(3) * 2)
    tensor(8.)
    """
    return linalg.det(input)


def logdet(input):
    """:math:`\\log \\det A`: NaN where the determinant is negative, ``-inf`` where it is zero; gradient
    :math:`g A^{-T}`.

    >>> import ourdl
    >>> ourdl.logdet(ourdl.tensor([[2.0, 0.0], [0.0, 0.5]]))
    tensor(0.)
    """
    sign, logabsdet = linalg.slogdet(input)
    return logabsdet + sign.log()


def slogdet(input):
    """The sign and log absolute value of the determinant, as :func:`ourdl.linalg.slogdet`.

    >>> import ourdl
    >>> ourdl.slogdet(ourdl.eye(2)).sign
    tensor(1.)
    """
    return linalg.slogdet(input)


def matrix_power(input, n: int):
    """:math:`A^n` for an integer ``n``, as :func:`ourdl.linalg.matrix_power`.

    >>> import ourdl
    >>> ourdl.matrix_power(ourdl.tensor([[2.0, 0.0], [0.0, 1.0]]), -2)
    tensor([[0.2500, 0.0000],
            [0.0000, 1.0000]])
    """
    return linalg.matrix_power(input, n)


def pinverse(input, rcond: float = 1e-15):
    """The Moore–Penrose pseudo-inverse, singular values below ``rcond`` times the largest taken as zero.

    >>> import ourdl
    >>> ourdl.pinverse(ourdl.tensor([[1.0], [1.0]]))
    tensor([[0.5000, 0.5000]])
    """
    return linalg.pinv(input, rtol=rcond)


def inner(input, other):
    """The inner product over the last dimension: :math:`y_{i\\ldots,j\\ldots} = \\sum_k a_{i\\ldots k}
    b_{j\\ldots k}`, shape ``a.shape[:-1] + b.shape[:-1]``; a 0-d operand multiplies.

    >>> import ourdl
    >>> ourdl.inner(ourdl.tensor([[1.0, 2.0], [3.0, 4.0]]), ourdl.tensor([1.0, 1.0]))
    tensor([3., 7.])
    """
    a, b = as_operand(input, "inner"), as_operand(other, "inner")
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"inner: the last dimensions of the inputs must match, but got shapes "
                           f"{list(a.shape)} and {list(b.shape)}")
    k = a.shape[-1]
    return (a.reshape(-1, k) @ b.reshape(-1, k).mT).reshape(tuple(a.shape[:-1]) + tuple(b.shape[:-1]))


def vdot(input, other):
    """The dot product :math:`\\sum_i a_i b_i` of two 1-D tensors of one dtype (real: no conjugation).

    >>> import ourdl
    >>> ourdl.vdot(ourdl.tensor([1.0, 2.0]), ourdl.tensor([3.0, 4.0]))
    tensor(11.)
    """
    a, b = as_operand(input, "vdot"), as_operand(other, "vdot")
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"vdot: 1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"vdot: expected both vectors to have the same dtype, but got {a.dtype.name} "
                           f"and {b.dtype.name}")
    if a.shape != b.shape:
        raise RuntimeError(f"vdot: inconsistent tensor size, expected both to have {a.shape[0]} elements, "
                           f"but got {b.shape[0]}")
    return a @ b


def cholesky(input, upper: bool = False):
    """The Cholesky factor of symmetric positive-definite matrices, as :func:`ourdl.linalg.cholesky`.

    >>> import ourdl
    >>> ourdl.cholesky(ourdl.tensor([[9.0, 3.0], [3.0, 5.0]]), upper=True)
    tensor([[3., 1.],
            [0., 2.]])
    """
    return linalg.cholesky(input, upper=upper)
