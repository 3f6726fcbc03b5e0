"""``torch.linalg``'s inverses, determinants, solves and powers: inv, det, slogdet, solve, matrix_power; and the
error they raise, :class:`LinAlgError`.

Every function works on batches: the last two dimensions are the matrix, any leading dimensions
are a batch. Each backward is written with differentiable ops, so second derivatives come for free.
These are the names of the ``ourdl.linalg`` namespace (not of ``ourdl`` itself, where ``det`` takes ``input``).

>>> import ourdl
>>> A = ourdl.tensor([[2.0, 1.0], [1.0, 3.0]])
>>> ourdl.linalg.det(A)
tensor(5.)
>>> ourdl.linalg.solve(A, ourdl.tensor([3.0, 4.0]))
tensor([1., 1.])
"""

from __future__ import annotations

import numbers

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..tensor import Tensor
from .return_types import return_type
from .tensor_argument import require_tensor

__all__: list[str] = ["LinAlgError", "inv", "det", "slogdet", "solve", "matrix_power"]
METHODS: list = []

slogdet_result = return_type("linalg_slogdet", ("sign", "logabsdet"))


class LinAlgError(RuntimeError):
    """A matrix that the operation cannot handle: singular, or not positive-definite.

    A ``RuntimeError``, as PyTorch's ``torch.linalg.LinAlgError`` is.

    >>> import ourdl
    >>> try:
    ...     ourdl.linalg.inv(ourdl.zeros(2, 2))
    ... except ourdl.linalg.LinAlgError as e:
    ...     print("singular")
    singular
    """


def checked_matrices(A, op: str, square: bool = True) -> Tensor:
    """``A`` checked: a floating tensor with at least two dimensions, square if ``square``."""
    require_tensor(A, op, "A")
    if A.ndim < 2:
        raise RuntimeError(f"{op}: the input tensor A must have at least 2 dimensions, but got shape {list(A.shape)}")
    if A._data.dtype.kind != "f" or A._data.dtype.itemsize < 4:
        raise RuntimeError(f"{op}: expected a float32 or float64 tensor as input, got {A.dtype.name}")
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{op}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices (shape {list(A.shape)})")
    return A


class Inv(ArrayFunction):
    """:math:`Y = A^{-1}`; gradient :math:`-Y^T G Y^T`."""

    @staticmethod
    def forward(ctx, a):
        try:
            y = np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise LinAlgError(f"linalg.inv: the input matrix (shape {list(a.shape)}) is singular, "
                              "the inversion could not be completed") from None
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return -(y.mT @ g @ y.mT)


def inverse_of(a):
    """The inverse of an array or (differentiably) of a tensor: for backward formulas."""
    return Inv.apply(a) if isinstance(a, Tensor) else np.linalg.inv(a)


def inv(A):
    """The inverse :math:`A^{-1}` of each square matrix; gradient :math:`-A^{-T} G A^{-T}`.

    Raises :class:`LinAlgError` when a matrix is singular.

    >>> import ourdl
    >>> ourdl.linalg.inv(ourdl.tensor([[2.0, 0.0], [0.0, 4.0]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])
    """
    return Inv.apply(checked_matrices(A, "linalg.inv"))


class Det(ArrayFunction):
    """:math:`d = \\det A`; gradient :math:`g\\, d\\, A^{-T}`."""

    @staticmethod
    def forward(ctx, a):
        d = np.linalg.det(a)
        ctx.save_for_backward(a, d)
        return d

    @staticmethod
    def backward(ctx, g):
        a, d = ctx.saved_tensors
        return (g * d).reshape(tuple(d.shape) + (1, 1)) * inverse_of(a).mT


def det(A):
    """The determinant :math:`\\det A` of each square matrix; gradient :math:`g \\det(A)\\, A^{-T}`.

    >>> import ourdl
    >>> ourdl.linalg.det(ourdl.tensor([[0.0, 2.0], [3.0, 1.0]]))
    tensor(-6.)
    """
    return Det.apply(checked_matrices(A, "linalg.det"))


class LogAbsDet(ArrayFunction):
    """:math:`\\log|\\det A|`; gradient :math:`g A^{-T}`."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.linalg.slogdet(a)[1]

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g.reshape(tuple(g.shape) + (1, 1)) * inverse_of(a).mT


def slogdet(A):
    """The sign and the log of the absolute value of the determinant: :math:`\\det A = \\text{sign}\\,
    e^{\\text{logabsdet}}`, without overflow. Returns ``(sign, logabsdet)``; only ``logabsdet`` has a
    gradient, :math:`g A^{-T}`. A singular matrix gives sign 0 and logabsdet ``-inf``.

    >>> import ourdl
    >>> ourdl.linalg.slogdet(ourdl.tensor([[-2.0, 0.0], [0.0, 3.0]]))
    ourdl.return_types.linalg_slogdet(sign=tensor(-1.), logabsdet=tensor(1.7918))
    """
    A = checked_matrices(A, "linalg.slogdet")
    sign = Tensor._make(np.asarray(np.linalg.slogdet(A._data)[0]), False, None)
    return slogdet_result(sign, LogAbsDet.apply(A))


class Solve(ArrayFunction):
    """:math:`X = A^{-1} B`; gradients :math:`G_B = A^{-T} G`, :math:`G_A = -G_B X^T`."""

    @staticmethod
    def forward(ctx, a, b):
        try:
            x = np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            raise LinAlgError(f"linalg.solve: the solver failed because the input matrix A "
                              f"(shape {list(a.shape)}) is singular") from None
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx, g):
        a, x = ctx.saved_tensors
        grad_b = solve_of(a.mT, g)
        grad_a = -(grad_b @ x.mT) if ctx.needs_input_grad[0] else None
        return grad_a, grad_b


def solve(A, B, *, left: bool = True):
    """The solution :math:`X` of :math:`AX = B` (or :math:`XA = B` with ``left=False``), batched.

    ``B`` is a batch of vectors when it is 1-D or has the shape of ``A`` without its last dimension;
    otherwise a batch of matrices. Batch dimensions broadcast. Raises :class:`LinAlgError` when
    ``A`` is singular.

    >>> import ourdl
    >>> A = ourdl.tensor([[3.0, 1.0], [1.0, 2.0]])
    >>> ourdl.linalg.solve(A, ourdl.tensor([9.0, 8.0]))
    tensor([2., 3.])
    """
    A = checked_matrices(A, "linalg.solve")
    require_tensor(B, "linalg.solve", "B", 2)
    if A._data.dtype != B._data.dtype:
        raise RuntimeError(f"linalg.solve: expected A and B to have the same dtype, but got {A.dtype.name} "
                           f"and {B.dtype.name}")
    vector = B.ndim == 1 or (left and B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    Bm = B.unsqueeze(-1 if left else -2) if vector else B
    n = A.shape[-1]
    if Bm.shape[-2 if left else -1] != n:
        rows, columns = (Bm.shape[-2], Bm.shape[-1]) if left else (Bm.shape[-1], Bm.shape[-2])
        equation = "AX = B" if left else "XA = B"
        raise RuntimeError(f"linalg.solve: incompatible shapes of A and B for the equation {equation} "
                           f"({n}x{n} and {rows}x{columns}; A {list(A.shape)}, B {list(B.shape)})")
    try:
        np.broadcast_shapes(A.shape[:-2], Bm.shape[:-2])
    except ValueError:
        raise RuntimeError(f"linalg.solve: batch dimensions of A {list(A.shape)} and B {list(B.shape)} "
                           "do not broadcast") from None
    X = Solve.apply(A, Bm) if left else Solve.apply(A.mT, Bm.mT).mT
    return X.squeeze(-1 if left else -2) if vector else X


def matrix_power(A, n: int):
    """:math:`A^n` for an integer ``n``, by repeated squaring; negative ``n`` is :math:`(A^{-1})^{|n|}`,
    ``n = 0`` the identity.

    >>> import ourdl
    >>> ourdl.linalg.matrix_power(ourdl.tensor([[1.0, 1.0], [0.0, 1.0]]), 3)
    tensor([[1., 3.],
            [0., 1.]])
    """
    require_tensor(A, "linalg.matrix_power", "A")
    if not isinstance(n, numbers.Integral) or isinstance(n, bool):
        raise TypeError(f"linalg.matrix_power: n must be an integer, got {type(n).__name__}")
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: expected a tensor of square matrices, got shape {list(A.shape)}")
    if n == 0:
        identity = np.broadcast_to(np.eye(A.shape[-1], dtype=A._data.dtype), A.shape).copy()
        return Tensor._make(identity, False, None)
    if n < 0:
        A, n = inv(A), -n
    result = None
    while n:
        if n & 1:
            result = A if result is None else result @ A
        n >>= 1
        if n:
            A = A @ A
    return result


def solve_of(a, b):
    """The solution of :math:`aX = b` for arrays or (differentiably) for tensors: for backward formulas."""
    return Solve.apply(a, b) if isinstance(a, Tensor) or isinstance(b, Tensor) else np.linalg.solve(a, b)
