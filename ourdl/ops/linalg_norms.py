"""``torch.linalg``'s norms: vector_norm, matrix_norm, and norm, which chooses between them.

>>> import ourdl
>>> ourdl.linalg.norm(ourdl.tensor([3.0, 4.0]))
tensor(5.)
"""

from __future__ import annotations

import numbers

from .linalg_decompositions import svdvals
from .reductions import norm as reduced_norm
from .tensor_argument import require_tensor

__all__: list[str] = ["vector_norm", "matrix_norm", "norm"]
METHODS: list = []


def vector_norm(x, ord=2, dim=None, keepdim: bool = False):
    """The vector norm :math:`(\\sum_i |x_i|^{p})^{1/p}` over ``dim`` (all elements by default).

    ``ord`` may be any number, ``inf`` (largest absolute value), ``-inf`` (smallest) or 0 (the
    count of nonzeros). A matrix input is treated as a flat vector.

    >>> import ourdl
    >>> ourdl.linalg.vector_norm(ourdl.tensor([[3.0, 4.0], [0.0, 0.0]]), dim=1)
    tensor([5., 0.])
    """
    require_tensor(x, "linalg.vector_norm", "x")
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"linalg.vector_norm: expected a floating point input, got {x.dtype.name}")
    if isinstance(ord, str):
        raise RuntimeError(f"linalg.vector_norm: ord must be a number, got {ord!r}")
    return reduced_norm(x, ord, dim, keepdim)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim: bool = False):
    """A matrix norm over the two dimensions ``dim``.

    ``'fro'``: :math:`\\sqrt{\\sum_{ij} a_{ij}^2}`; ``'nuc'``: the sum of the singular values;
    ``2`` / ``-2``: the largest / smallest singular value; ``1`` / ``-1``: the largest / smallest
    column sum of :math:`|a_{ij}|`; ``inf`` / ``-inf``: the same over rows.

    >>> import ourdl
    >>> ourdl.linalg.matrix_norm(ourdl.tensor([[3.0, 0.0], [0.0, -4.0]]), ord="nuc")
    tensor(7.)
    """
    require_tensor(A, "linalg.matrix_norm", "A")
    if A.ndim < 2:
        raise RuntimeError(f"linalg.matrix_norm: the input tensor A must have at least 2 dimensions, "
                           f"but got shape {list(A.shape)}")
    if A._data.dtype.kind != "f":
        raise RuntimeError(f"linalg.matrix_norm: expected a floating point input, got {A.dtype.name}")
    dims = tuple(d % A.ndim for d in dim)
    if len(dims) != 2 or dims[0] == dims[1]:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a pair of distinct dimensions, got {dim}")
    if ord == "fro":
        return reduced_norm(A, 2, dims, keepdim)
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
    require_tensor(A, "linalg.norm", "A")
    if isinstance(dim, numbers.Integral):
        dim = (dim,)
    if dim is not None and len(dim) == 2 or dim is None and ord is not None and A.ndim == 2:
        return matrix_norm(A, "fro" if ord is None else ord, (-2, -1) if dim is None else dim, keepdim)
    if dim is None and ord is not None and A.ndim != 1:
        raise RuntimeError(f"linalg.norm: input must be 1-D or 2-D when dim is None and ord is not None, "
                           f"but got shape {list(A.shape)}")
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim)
