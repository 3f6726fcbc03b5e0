"""Lookup tables: ``F.embedding`` and ``nn.Embedding``, :math:`y_{\\ldots} = W[\\text{index}_{\\ldots}]`.

The forward takes rows of the weight (``numpy.take``); the backward adds each output row's gradient back into the
row it came from (a scatter-add: repeated indices add up), except at ``padding_idx``, whose row gets none. That
scatter-add is a recorded op of its own, so gradients of every order flow.

>>> import ourdl
>>> from ourdl import nn
>>> embedding = nn.Embedding(10, 3)
>>> embedding(ourdl.tensor([[1, 2, 4, 5], [4, 3, 2, 9]])).shape
ourdl.Size([2, 4, 3])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..grad_mode import no_grad
from ..ops.creation import empty
from ..ops.tensor_argument import require_tensor
from ..ops.indexing import index_add_into
from ..sparse_rows import row_sparse
from ..tensor import Tensor
from . import init
from .module import Module
from .parameter import Parameter


class EmbeddingFunction(ArrayFunction):
    """:math:`y = W[\\text{index}]`; backward :math:`\\partial W[k] = \\sum_{j: \\text{index}_j = k} s_j\\, g_j`
    with :math:`s_j` 0 at ``padding_idx`` and, with ``scale_grad_by_freq``, 1 / (how often index j occurs). Given
    the ``rows`` looked up (``sparse=True``), the gradient is marked zero outside them (:mod:`ourdl.sparse_rows`)."""

    @staticmethod
    def forward(ctx, weight, indices, scale, rows):
        ctx.shape, ctx.index, ctx.scale, ctx.rows = weight.shape, (indices,), scale, rows
        return np.take(weight, indices, axis=0)

    @staticmethod
    def backward(ctx, g):
        if ctx.scale is not None:
            g = g * ctx.scale
        grad = index_add_into(ctx.shape, ctx.index, g)
        if ctx.rows is not None and isinstance(grad, np.ndarray):
            grad = row_sparse(grad, ctx.rows)
        return grad, None, None, None


def check_indices(where, input, rows: int, out_of_range: type = IndexError) -> np.ndarray:
    """``input``'s array after PyTorch's checks for a lookup in a table of ``rows`` rows; ``where`` (the op's name
    or the layer, printed) is formatted only on error. An index out of range raises ``out_of_range``."""
    require_tensor(input, "embedding", "indices", 2)
    data = input._data
    if data.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{where}: Expected tensor for argument #1 'indices' to have one of the following scalar "
                           f"types: Long, Int; but got {input.dtype} instead; convert with .long()")
    if data.size and (data.min() < 0 or data.max() >= rows):
        bad = data.min() if data.min() < 0 else data.max()
        raise out_of_range(f"{where}: index {bad} is out of range for a table of {rows} embeddings (valid indices are "
                         f"0 to {rows - 1})")
    return data


def padding_row(padding_idx, rows: int):
    """``padding_idx`` as a row number (a negative one counts from the end), checked like PyTorch's."""
    if padding_idx is None:
        return None
    if not -rows <= padding_idx < rows:
        raise AssertionError(f"Padding_idx must be within num_embeddings (got padding_idx={padding_idx} for "
                             f"{rows} embeddings)")
    return padding_idx + rows if padding_idx < 0 else padding_idx


def renorm_rows(weight: Tensor, indices: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Scale in place each looked-up row of ``weight`` whose ``norm_type``-norm exceeds ``max_norm`` down to
    norm :math:`\\approx` ``max_norm`` (by ``max_norm / (norm + 1e-7)``, as PyTorch), outside the graph."""
    rows = np.unique(indices)
    with no_grad():
        data = weight._data
        norms = np.linalg.norm(data[rows].astype(np.float64), ord=norm_type, axis=1)
        over = norms > max_norm
        if over.any():
            data[rows[over]] *= (max_norm / (norms[over] + 1e-7))[:, None].astype(data.dtype)
            weight._version.value += 1


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """The rows of ``weight`` ``(num_embeddings, embedding_dim)`` at ``input``: output ``(*input.shape,
    embedding_dim)``, :math:`y_{\\ldots} = W[\\text{input}_{\\ldots}]`.

    ``padding_idx``: that row receives no gradient. ``max_norm``: looked-up rows with a larger ``norm_type``-norm
    are first scaled down in place to that norm. ``scale_grad_by_freq``: each row's gradient is divided by how
    often it occurs in ``input``. ``sparse``: the gradient is sparse as PyTorch's (``weight.grad.is_sparse``, its
    ``_indices()`` the rows looked up), stored dense, zero in the other rows; :class:`~ourdl.optim.SparseAdam`
    updates only those rows, and the optimisers that PyTorch makes refuse sparse gradients (Adam, RMSprop, ...)
    refuse it.

    >>> import ourdl
    >>> weight = ourdl.tensor([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = embedding(ourdl.tensor([2, 1, 2]), weight); y
    tensor([[3., 4.],
            [1., 2.],
            [3., 4.]], grad_fn=<EmbeddingFunctionBackward0>)
    >>> y.sum().backward(); weight.grad
    tensor([[0., 0.],
            [1., 1.],
            [2., 2.]])
    """
    require_tensor(weight, "embedding", "weight", 1)  # PyTorch's embedding(weight, indices) checks it first
    indices = check_indices("embedding", input, weight.shape[0])
    return lookup(indices, weight, padding_row(padding_idx, weight.shape[0]), max_norm, norm_type, scale_grad_by_freq,
                  sparse)


def lookup(indices: np.ndarray, weight: Tensor, padding_idx: int | None, max_norm: float | None, norm_type: float,
           scale_grad_by_freq: bool, sparse: bool = False) -> Tensor:
    """:func:`embedding` of checked ``indices`` (an array) and a ``padding_idx`` already counted from 0."""
    if max_norm is not None:
        renorm_rows(weight, indices, max_norm, norm_type)
    scale = None
    if padding_idx is not None or scale_grad_by_freq:
        scale = np.ones(indices.shape, dtype=weight._data.dtype)
        if scale_grad_by_freq:
            _, inverse, counts = np.unique(indices, return_inverse=True, return_counts=True)
            scale /= counts[inverse.reshape(indices.shape)]
        if padding_idx is not None:
            scale[indices == padding_idx] = 0
        scale = scale[..., None]
    # the rows of a sparse gradient: those looked up, but the padding row, which gets none (as PyTorch's)
    rows = np.setdiff1d(indices, () if padding_idx is None else (padding_idx,)) if sparse else None
    return EmbeddingFunction.apply(weight, indices, scale, rows)


class LookupTable(Module):
    """What ``Embedding`` and ``EmbeddingBag`` share: the ``weight`` ``(num_embeddings, embedding_dim)``, drawn from
    :math:`\\mathcal N(0, 1)` with the ``padding_idx`` row zero (or ``_weight``, used as given), not trained when
    ``freeze``; the renormalisation options and their part of the repr.

    >>> from ourdl import nn
    >>> isinstance(nn.EmbeddingBag(3, 2), LookupTable), nn.Embedding(3, 2, max_norm=1.0).options_repr()
    (True, ', max_norm=1.0')
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx, max_norm, norm_type, scale_grad_by_freq,
                 sparse: bool, _weight: Tensor | None, freeze: bool, dtype):
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = padding_row(padding_idx, num_embeddings)
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            self.weight = Parameter(empty(num_embeddings, embedding_dim, dtype=dtype), requires_grad=not freeze)
            self.reset_parameters()
        else:
            if list(_weight.shape) != [num_embeddings, embedding_dim]:
                raise AssertionError(f"Shape of weight {list(_weight.shape)} does not match num_embeddings and "
                                     f"embedding_dim [{num_embeddings}, {embedding_dim}]")
            self.weight = Parameter(_weight, requires_grad=not freeze)

    def reset_parameters(self) -> None:
        """Draw the weight from :math:`\\mathcal N(0, 1)` and zero the ``padding_idx`` row.

        >>> from ourdl import nn
        >>> layer = nn.Embedding(4, 2, padding_idx=1)
        >>> layer.reset_parameters(); layer.weight[1].tolist()
        [0.0, 0.0]
        """
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx].fill_(0)

    def options_repr(self) -> str:
        """``max_norm``, ``norm_type`` and ``scale_grad_by_freq`` where not the default, as PyTorch's repr shows them.

        >>> from ourdl import nn
        >>> nn.EmbeddingBag(3, 2, norm_type=1.0, scale_grad_by_freq=True).options_repr()
        ', norm_type=1.0, scale_grad_by_freq=True'
        """
        s = f", max_norm={self.max_norm}" if self.max_norm is not None else ""
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        return s


def pretrained_shape(embeddings: Tensor) -> tuple:
    """``(num_embeddings, embedding_dim)`` of a pretrained table, which must be 2-D (PyTorch's check)."""
    if embeddings.ndim != 2:
        raise AssertionError(f"Embeddings parameter is expected to be 2-dimensional, got {embeddings.ndim}-D")
    return tuple(embeddings.shape)


class Embedding(LookupTable):
    """A lookup table of ``num_embeddings`` vectors of size ``embedding_dim``: ``weight`` ``(num_embeddings,
    embedding_dim)``, initialised from :math:`\\mathcal N(0, 1)` with the ``padding_idx`` row zero.

    Shape: input ``(*)`` of int64 or int32 indices, output ``(*, embedding_dim)``. See :func:`embedding` for
    ``padding_idx``, ``max_norm``, ``norm_type``, ``scale_grad_by_freq`` and ``sparse``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> embedding = nn.Embedding(10, 3, padding_idx=0)
    >>> embedding(ourdl.tensor([0, 2, 0, 5]))[0].tolist()
    [0.0, 0.0, 0.0]
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                 sparse: bool = False, _weight: Tensor | None = None, _freeze: bool = False, device=None, dtype=None):
        super().__init__(num_embeddings, embedding_dim, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse,
                         _weight, _freeze, dtype)

    def forward(self, input: Tensor) -> Tensor:
        indices = check_indices(self, input, self.num_embeddings)
        return lookup(indices, self.weight, self.padding_idx, self.max_norm, self.norm_type, self.scale_grad_by_freq,
                      self.sparse)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        s += self.options_repr()
        return s + (", sparse=True" if self.sparse is not False else "")

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True, padding_idx: int | None = None,
                        max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> "Embedding":
        """An ``Embedding`` whose weight is ``embeddings`` (2-D), not trained when ``freeze``.

        >>> import ourdl
        >>> from ourdl import nn
        >>> layer = nn.Embedding.from_pretrained(ourdl.tensor([[1.0, 2.0], [3.0, 4.0]]))
        >>> layer(ourdl.tensor([1])), layer.weight.requires_grad
        (tensor([[3., 4.]]), False)
        """
        rows, cols = pretrained_shape(embeddings)
        return cls(rows, cols, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse, _weight=embeddings,
                   _freeze=freeze)
