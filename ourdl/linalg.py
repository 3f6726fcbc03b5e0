"""``ourdl.linalg``: inverses, determinants, solves, norms and decompositions, as ``torch.linalg``.

Every function works on batches: the last two dimensions are the matrix, any leading dimensions
are a batch. Gradients are exact; each backward is written with differentiable ops, so second
derivatives come for free. A singular or non-positive-definite input raises :class:`LinAlgError`.

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

from .autograd.function import Function
from .ops import dual
from .ops.promotion import as_operand
from .ops.reductions import norm as _vector_norm
from .ops.reductions import return_type
from .tensor import Tensor

__all__: list[str] = ["LinAlgError", "inv", "det", "slogdet", "solve", "matrix_power", "vector_norm", "matrix_norm",
                      "norm", "svd", "svdvals", "pinv", "eigh", "eigvalsh", "cholesky"]

slogdet_result = return_type("linalg_slogdet", ("sign", "logabsdet"))
eigh_result = return_type("linalg_eigh", ("eigenvalues", "eigenvectors"))
svd_result = return_type("linalg_svd", ("U", "S", "Vh"))


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


def _matrices(A, op: str, square: bool = True) -> Tensor:
    """``A`` checked: a floating tensor with at least two dimensions, square if ``square``."""
    A = as_operand(A, op)
    if not isinstance(A, Tensor):
        raise TypeError(f"{op}(): argument 'A' must be Tensor, not {type(A).__name__}")
    if A.ndim < 2:
        raise RuntimeError(f"{op}: the input tensor A must have at least 2 dimensions, but got shape {list(A.shape)}")
    if A._data.dtype.kind != "f" or A._data.dtype.itemsize < 4:
        raise RuntimeError(f"{op}: expected a float32 or float64 tensor as input, got {A.dtype.name}")
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{op}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices (shape {list(A.shape)})")
    return A


def _unit(n: int) -> np.ndarray:
    return np.eye(n, dtype=bool)


def _lift(v):
    """A batch of vectors ``(..., n)`` as a batch of row vectors ``(..., 1, n)``."""
    return v.reshape(tuple(v.shape[:-1]) + (1, v.shape[-1]))


# -- inverse, determinant, solve -------------------------------------------------------------------------------


class Inv(Function):
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


def _inverse_of(a):
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
    return Inv.apply(_matrices(A, "linalg.inv"))


class Det(Function):
    """:math:`d = \\det A`; gradient :math:`g\\, d\\, A^{-T}`."""

    @staticmethod
    def forward(ctx, a):
        d = np.linalg.det(a)
        ctx.save_for_backward(a, d)
        return d

    @staticmethod
    def backward(ctx, g):
        a, d = ctx.saved_tensors
        return (g * d).reshape(tuple(d.shape) + (1, 1)) * _inverse_of(a).mT


def det(A):
    """The determinant :math:`\\det A` of each square matrix; gradient :math:`g \\det(A)\\, A^{-T}`.

    >>> import ourdl
    >>> ourdl.linalg.det(ourdl.tensor([[0.0, 2.0], [3.0, 1.0]]))
    tensor(-6.)
    """
    return Det.apply(_matrices(A, "linalg.det"))


class LogAbsDet(Function):
    """:math:`\\log|\\det A|`; gradient :math:`g A^{-T}`."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.linalg.slogdet(a)[1]

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g.reshape(tuple(g.shape) + (1, 1)) * _inverse_of(a).mT


def slogdet(A):
    """The sign and the log of the absolute value of the determinant: :math:`\\det A = \\text{sign}\\,
    e^{\\text{logabsdet}}`, without overflow. Returns ``(sign, logabsdet)``; only ``logabsdet`` has a
    gradient, :math:`g A^{-T}`. A singular matrix gives sign 0 and logabsdet ``-inf``.

    >>> import ourdl
    >>> ourdl.linalg.slogdet(ourdl.tensor([[-2.0, 0.0], [0.0, 3.0]]))
    ourdl.return_types.linalg_slogdet(sign=tensor(-1.), logabsdet=tensor(1.7918))
    """
    A = _matrices(A, "linalg.slogdet")
    sign = Tensor._make(np.asarray(np.linalg.slogdet(A._data)[0]), False, None)
    return slogdet_result(sign, LogAbsDet.apply(A))


class Solve(Function):
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
        grad_b = _solve_of(a.mT, g)
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
    A = _matrices(A, "linalg.solve")
    B = as_operand(B, "linalg.solve")
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
    if not isinstance(n, numbers.Integral) or isinstance(n, bool):
        raise TypeError(f"linalg.matrix_power: n must be an integer, got {type(n).__name__}")
    A = as_operand(A, "linalg.matrix_power")
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


# -- norms -----------------------------------------------------------------------------------------------------


def vector_norm(x, ord=2, dim=None, keepdim: bool = False):
    """The vector norm :math:`(\\sum_i |x_i|^{p})^{1/p}` over ``dim`` (all elements by default).

    ``ord`` may be any number, ``inf`` (largest absolute value), ``-inf`` (smallest) or 0 (the
    count of nonzeros). A matrix input is treated as a flat vector.

    >>> import ourdl
    >>> ourdl.linalg.vector_norm(ourdl.tensor([[3.0, 4.0], [0.0, 0.0]]), dim=1)
    tensor([5., 0.])
    """
    x = as_operand(x, "linalg.vector_norm")
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"linalg.vector_norm: expected a floating point input, got {x.dtype.name}")
    if isinstance(ord, str):
        raise RuntimeError(f"linalg.vector_norm: ord must be a number, got {ord!r}")
    return _vector_norm(x, ord, dim, keepdim)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim: bool = False):
    """A matrix norm over the two dimensions ``dim``.

    ``'fro'``: :math:`\\sqrt{\\sum_{ij} a_{ij}^2}`; ``'nuc'``: the sum of the singular values;
    ``2`` / ``-2``: the largest / smallest singular value; ``1`` / ``-1``: the largest / smallest
    column sum of :math:`|a_{ij}|`; ``inf`` / ``-inf``: the same over rows.

    >>> import ourdl
    >>> ourdl.linalg.matrix_norm(ourdl.tensor([[3.0, 0.0], [0.0, -4.0]]), ord="nuc")
    tensor(7.)
    """
    A = as_operand(A, "linalg.matrix_norm")
    if A.ndim < 2:
        raise RuntimeError(f"linalg.matrix_norm: the input tensor A must have at least 2 dimensions, "
                           f"but got shape {list(A.shape)}")
    if A._data.dtype.kind != "f":
        raise RuntimeError(f"linalg.matrix_norm: expected a floating point input, got {A.dtype.name}")
    dims = tuple(d % A.ndim for d in dim)
    if len(dims) != 2 or dims[0] == dims[1]:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a pair of distinct dimensions, got {dim}")
    if ord == "fro":
        return _vector_norm(A, 2, dims, keepdim)
    if ord in ("nuc", 2, -2):
        values = svdvals(A.movedim(dims, (-2, -1)))
        if ord == "nuc":
            result = values.sum(dim=-1)
        else:
            result = values.amax(dim=-1) if ord == 2 else values.amin(dim=-1)
    elif ord in (1, -1, float("inf"), float("-inf")):
        summed, reduced = (dims[0], dims[1]) if ord in (1, -1) else (dims[1], dims[0])
        sums = A.abs().sum(dim=summed, keepdim=True)
        result = sums.amax(dim=reduced, keepdim=True) if ord > 0 else sums.amin(dim=reduced, keepdim=True)
        return result if keepdim else result.squeeze(max(dims)).squeeze(min(dims))
    else:
        raise RuntimeError(f"linalg.matrix_norm: order {ord!r} not supported; "
                           "use 'fro', 'nuc', 2, -2, 1, -1, inf or -inf")
    if keepdim:
        result = result.unsqueeze(min(dims)).unsqueeze(max(dims))
    return result


def norm(A, ord=None, dim=None, keepdim: bool = False):
    """A vector or a matrix norm, chosen as ``torch.linalg.norm`` chooses.

    With ``dim`` a pair, or ``dim=None`` and a 2-D input with ``ord`` given: :func:`matrix_norm`.
    Otherwise :func:`vector_norm` (``ord=None`` is the 2-norm of all elements, at any rank).

    >>> import ourdl
    >>> ourdl.linalg.norm(ourdl.tensor([[1.0, 2.0], [2.0, 4.0]]))
    tensor(5.)
    """
    A = as_operand(A, "linalg.norm")
    if isinstance(dim, numbers.Integral):
        dim = (dim,)
    if dim is not None and len(dim) == 2 or dim is None and ord is not None and A.ndim == 2:
        return matrix_norm(A, "fro" if ord is None else ord, (-2, -1) if dim is None else dim, keepdim)
    if dim is None and ord is not None and A.ndim != 1:
        raise RuntimeError(f"linalg.norm: input must be 1-D or 2-D when dim is None and ord is not None, "
                           f"but got shape {list(A.shape)}")
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim)


# -- spectral --------------------------------------------------------------------------------------------------


class Eigh(Function):
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
        inner = dual.where(unit, grad_values, (vectors.mT @ grad_vectors) / gaps)
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
    packed = Eigh.apply(_matrices(A, "linalg.eigh"), UPLO == "U")
    return eigh_result(packed[..., 0, :], packed[..., 1:, :])


def eigvalsh(A, UPLO: str = "L"):
    """The eigenvalues of symmetric matrices, ascending; gradient :math:`V \\text{diag}(g) V^T`.

    >>> import ourdl
    >>> ourdl.linalg.eigvalsh(ourdl.tensor([[2.0, 0.0], [0.0, -1.0]]))
    tensor([-1.,  2.])
    """
    return eigh(A, UPLO).eigenvalues


class Svd(Function):
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
        inner = (dual.where(unit, 0.0, (ut_gu - ut_gu.mT) / gaps) * row_s
                 + row_s.mT * dual.where(unit, 0.0, (vt_gv - vt_gv.mT) / gaps)
                 + dual.where(unit, _lift(grad_s), 0.0))
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
    A = _matrices(A, "linalg.svd", square=False)
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
    return svd(_matrices(A, "linalg.svdvals", square=False), full_matrices=False).S


def pinv(A, *, rtol=None):
    """The Moore–Penrose pseudo-inverse :math:`A^+ = V \\text{diag}(1/S) U^T`, singular values below
    ``rtol`` times the largest (default :math:`\\max(m, n)\\,\\epsilon`) taken as zero.

    >>> import ourdl
    >>> ourdl.linalg.pinv(ourdl.tensor([[2.0, 0.0]]))
    tensor([[0.5000],
            [0.0000]])
    """
    A = _matrices(A, "linalg.pinv", square=False)
    u, s, vh = svd(A, full_matrices=False)
    if rtol is None:
        rtol = max(A.shape[-2:]) * np.finfo(A._data.dtype).eps
    cutoff = s.detach().amax(dim=-1, keepdim=True) * rtol
    kept = s > cutoff
    inverse = dual.where(kept, 1.0 / dual.where(kept, s, 1.0), 0.0)
    return (vh.mT * _lift(inverse)) @ u.mT


class Cholesky(Function):
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
        lower = dual.tril(factor.mT @ g)
        sym = (lower + dual.tril(lower, -1).mT) * 0.5
        left = _solve_of(factor.mT, sym)
        return _solve_of(factor.mT, left.mT).mT


def _solve_of(a, b):
    return Solve.apply(a, b) if isinstance(a, Tensor) or isinstance(b, Tensor) else np.linalg.solve(a, b)


def cholesky(A, *, upper: bool = False):
    """The Cholesky factor of symmetric positive-definite matrices: lower :math:`L` with :math:`A = LL^T`
    (upper :math:`U = L^T` with ``upper=True``). Only the lower triangle of ``A`` is read. Raises
    :class:`LinAlgError` when a matrix is not positive-definite.

    >>> import ourdl
    >>> ourdl.linalg.cholesky(ourdl.tensor([[4.0, 2.0], [2.0, 5.0]]))
    tensor([[2., 0.],
            [1., 2.]])
    """
    factor = Cholesky.apply(_matrices(A, "linalg.cholesky"))
    return factor.mT if upper else factor
