"""Parts of matrices (the last two dimensions): triangles (tril, triu) and diagonals (diagonal, diag,
diag_embed, trace).

>>> import ourdl
>>> ourdl.tril(ourdl.ones(2, 2)), ourdl.eye(2).diagonal()
(tensor([[1., 0.],
        [1., 1.]]), tensor([1., 1.]))
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dims import check_dim
from ..tensor import Tensor
from . import array_or_tensor
from .promotion import tensor_operand
from .tensor_argument import require_tensor

__all__: list[str] = ["tril", "triu", "diagonal", "diag_embed", "diag", "trace"]
METHODS: list = list(__all__)


class Tril(ArrayFunction):
    """The elements on or below a diagonal of the last two dimensions, zeros elsewhere; gradient: masked alike."""

    upper = False

    @staticmethod
    def forward(ctx, x, diagonal):
        rows, columns = x.shape[-2:]
        offset = np.arange(columns)[None, :] - np.arange(rows)[:, None]
        ctx.mask = offset >= diagonal if ctx.upper else offset <= diagonal
        return np.where(ctx.mask, x, np.zeros((), dtype=x.dtype))

    @staticmethod
    def backward(ctx, g):
        return array_or_tensor.where(ctx.mask, g, 0.0), None


class Triu(Tril):
    """The elements on or above a diagonal of the last two dimensions, zeros elsewhere."""

    upper = True


def _triangle(input, diagonal: int, upper: bool):
    op = "triu" if upper else "tril"
    input = tensor_operand(input, op)
    if input.ndim < 2:
        raise RuntimeError(f"{op}: input tensor must have at least 2 dimensions, but got shape {list(input.shape)}")
    return (Triu if upper else Tril).apply(input, int(diagonal))


def tril(input, diagonal: int = 0):
    """The lower triangle of the last two dimensions: :math:`y_{ij} = x_{ij}` if :math:`j - i \\le k`, else 0.

    ``diagonal`` (k) moves the boundary: 0 is the main diagonal, positive above it, negative below.

    >>> import ourdl
    >>> ourdl.tril(ourdl.ones(3, 3), diagonal=-1)
    tensor([[0., 0., 0.],
            [1., 0., 0.],
            [1., 1., 0.]])
    """
    require_tensor(input, "tril")
    return _triangle(input, diagonal, upper=False)


def triu(input, diagonal: int = 0):
    """The upper triangle of the last two dimensions: :math:`y_{ij} = x_{ij}` if :math:`j - i \\ge k`, else 0.

    >>> import ourdl
    >>> ourdl.triu(ourdl.arange(1, 10).reshape(3, 3), diagonal=1)
    tensor([[0, 2, 3],
            [0, 0, 6],
            [0, 0, 0]])
    """
    require_tensor(input, "triu")
    return _triangle(input, diagonal, upper=True)


def _diagonal_array(x: np.ndarray, offset: int, dim1: int, dim2: int) -> np.ndarray:
    """The diagonal of ``x`` over ``dim1, dim2`` as the last dimension: a view, writeable when ``x`` is
    (NumPy's own ``diagonal`` is read-only)."""
    y = np.moveaxis(x, (dim1, dim2), (-2, -1))
    y = y[..., :, offset:] if offset >= 0 else y[..., -offset:, :]
    n = min(y.shape[-2], y.shape[-1])
    return np.lib.stride_tricks.as_strided(y, y.shape[:-2] + (n,), y.strides[:-2] + (y.strides[-2] + y.strides[-1],))


def _diagonal_scatter_array(g: np.ndarray, shape: tuple, offset: int, dim1: int, dim2: int) -> np.ndarray:
    out = np.zeros(shape, dtype=g.dtype)
    _diagonal_array(out, offset, dim1, dim2)[...] = g
    return out


class Diagonal(ArrayFunction):
    """A diagonal taken out as the last dimension (a view); gradient: scattered back onto the diagonal."""

    is_view = True

    @staticmethod
    def forward(ctx, x, offset, dim1, dim2):
        ctx.shape, ctx.where = x.shape, (offset, dim1, dim2)
        return _diagonal_array(x, offset, dim1, dim2)

    @staticmethod
    def backward(ctx, g):
        if isinstance(g, Tensor):
            return DiagonalScatter.apply(g, ctx.shape, *ctx.where), None, None, None
        return _diagonal_scatter_array(g, ctx.shape, *ctx.where), None, None, None


class DiagonalScatter(ArrayFunction):
    """Zeros of ``shape`` with ``g`` on a diagonal (the gradient of :class:`Diagonal`; :func:`diag_embed`)."""

    @staticmethod
    def forward(ctx, g, shape, offset, dim1, dim2):
        ctx.where = (offset, dim1, dim2)
        return _diagonal_scatter_array(g, shape, offset, dim1, dim2)

    @staticmethod
    def backward(ctx, gg):
        if isinstance(gg, Tensor):
            return Diagonal.apply(gg, *ctx.where).clone(), None, None, None, None
        return _diagonal_array(gg, *ctx.where).copy(), None, None, None, None

    def name(self) -> str:
        return "DiagEmbedBackward0"


def _diagonal_dims(op: str, ndim: int, dim1: int, dim2: int) -> tuple:
    d1, d2 = check_dim(dim1, ndim, op), check_dim(dim2, ndim, op)
    if d1 == d2:
        raise RuntimeError(f"{op}: diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


def diagonal(input, offset: int = 0, dim1: int = 0, dim2: int = 1):
    """The diagonal :math:`y_{\\dots, i} = x_{\\dots, i, i + k}` of dimensions ``dim1, dim2``, as a view.

    Both dimensions are removed and the diagonal becomes the last one; ``offset`` (k) picks a diagonal
    above (k > 0) or below (k < 0) the main one. The result shares memory with ``input``.

    >>> import ourdl
    >>> x = ourdl.arange(9.0).reshape(3, 3)
    >>> x.diagonal(), x.diagonal(1)
    (tensor([0., 4., 8.]), tensor([1., 5.]))
    >>> x.diagonal().mul_(10); x[1, 1]
    tensor([  0.,  40.,  80.])
    tensor(40.)
    """
    require_tensor(input, "diagonal")
    input = tensor_operand(input, "diagonal")
    if input.ndim < 2:
        raise RuntimeError(f"diagonal: expected a tensor with at least 2 dimensions, but got shape {list(input.shape)}")
    d1, d2 = _diagonal_dims("diagonal", input.ndim, dim1, dim2)
    return Diagonal.apply(input, int(offset), d1, d2)


def diag_embed(input, offset: int = 0, dim1: int = -2, dim2: int = -1):
    """Matrices with the last dimension of ``input`` on a diagonal: :math:`y_{\\dots, i, i + k} = x_{\\dots, i}`.

    The result has one more dimension than ``input``; ``dim1, dim2`` (counted in the result) are the
    matrix dimensions, of size :math:`n + |k|`. Off the diagonal the result is 0.

    >>> import ourdl
    >>> ourdl.diag_embed(ourdl.tensor([[1.0, 2.0], [3.0, 4.0]]))
    tensor([[[1., 0.],
             [0., 2.]],
    <BLANKLINE>
            [[3., 0.],
             [0., 4.]]])
    """
    require_tensor(input, "diag_embed")
    input = tensor_operand(input, "diag_embed")
    ndim = input.ndim + 1
    d1, d2 = _diagonal_dims("diag_embed", ndim, dim1, dim2)
    offset = int(offset)
    size = (input.shape[-1] if input.ndim else 1) + abs(offset)
    batch = iter(input.shape[:-1])
    shape = tuple(size if i in (d1, d2) else next(batch) for i in range(ndim))
    x = input if input.ndim else input.reshape(1)
    return DiagonalScatter.apply(x, shape, offset, d1, d2)


def diag(input, diagonal: int = 0):
    """A 1-D ``input`` becomes a square matrix with it on diagonal k; a 2-D one gives its diagonal k (a copy).

    >>> import ourdl
    >>> ourdl.diag(ourdl.tensor([1, 2]), 1)
    tensor([[0, 1, 0],
            [0, 0, 2],
            [0, 0, 0]])
    >>> ourdl.diag(ourdl.tensor([[1.0, 2.0], [3.0, 4.0]]))
    tensor([1., 4.])
    """
    require_tensor(input, "diag")
    input = tensor_operand(input, "diag")
    if input.ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    if input.ndim == 2:
        return Diagonal.apply(input, int(diagonal), 0, 1).clone()
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D (shape {list(input.shape)})")


def trace(input):
    """The sum of the main diagonal of a matrix, :math:`\\sum_i x_{ii}` (integers sum to int64).

    >>> import ourdl
    >>> ourdl.trace(ourdl.arange(1.0, 10.0).reshape(3, 3))
    tensor(15.)
    """
    require_tensor(input, "trace")
    input = tensor_operand(input, "trace")
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim} (shape {list(input.shape)})")
    if input.dtype.name == "bool":
        raise NotImplementedError("trace: not implemented for 'Bool' tensors; convert with .long() first")
    return Diagonal.apply(input, 0, 0, 1).sum()
