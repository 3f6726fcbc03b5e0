"""Matrix structure and products beyond matmul: triangles, diagonals, rolls, Einstein sums and friends.

Each public function here is in ``__all__`` (exported as ``ourdl.<name>``); those in ``METHODS``
are Tensor methods too.

>>> import ourdl
>>> ourdl.einsum("ii->", ourdl.tril(ourdl.ones(3, 3)))
tensor(3.)
"""

from __future__ import annotations

import numbers
import string

import numpy as np

from ..autograd.function import Function
from ..dims import check_dim
from ..tensor import Tensor
from . import dual
from .promotion import as_operand

__all__: list[str] = ["tril", "triu", "diag", "diagonal", "diag_embed", "trace", "roll", "einsum", "addmm", "lerp",
                      "nan_to_num", "kron", "cross"]
METHODS: list[str] = ["tril", "triu", "diag", "diagonal", "diag_embed", "trace", "roll", "addmm", "lerp",
                      "nan_to_num", "kron", "cross"]


def _tensor(x, op: str) -> Tensor:
    x = as_operand(x, op)
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")
    return x


# -- triangles ------------------------------------------------------------------------------------------------


class Tril(Function):
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
        return dual.where(ctx.mask, g, 0.0), None


class Triu(Tril):
    """The elements on or above a diagonal of the last two dimensions, zeros elsewhere."""

    upper = True


def _triangle(input, diagonal: int, upper: bool):
    op = "triu" if upper else "tril"
    input = _tensor(input, op)
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
    return _triangle(input, diagonal, upper=False)


def triu(input, diagonal: int = 0):
    """The upper triangle of the last two dimensions: :math:`y_{ij} = x_{ij}` if :math:`j - i \\ge k`, else 0.

    >>> import ourdl
    >>> ourdl.triu(ourdl.arange(1, 10).reshape(3, 3), diagonal=1)
    tensor([[0, 2, 3],
            [0, 0, 6],
            [0, 0, 0]])
    """
    return _triangle(input, diagonal, upper=True)


# -- diagonals -----------------------------------------------------------------------------------------------


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


class Diagonal(Function):
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


class DiagonalScatter(Function):
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
    input = _tensor(input, "diagonal")
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
    input = _tensor(input, "diag_embed")
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
    input = _tensor(input, "diag")
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
    input = _tensor(input, "trace")
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim} (shape {list(input.shape)})")
    if input.dtype.name == "bool":
        raise NotImplementedError("trace: not implemented for 'Bool' tensors; convert with .long() first")
    return Diagonal.apply(input, 0, 0, 1).sum()


# -- roll --------------------------------------------------------------------------------------------------------


class Roll(Function):
    @staticmethod
    def forward(ctx, x, shifts, axes):
        ctx.shifts, ctx.axes = shifts, axes
        return np.roll(x, shifts, axes)

    @staticmethod
    def backward(ctx, g):
        back = tuple(-s for s in ctx.shifts)
        if isinstance(g, Tensor):
            return Roll.apply(g, back, ctx.axes), None, None
        return np.roll(g, back, ctx.axes), None, None


def _ints(value) -> tuple:
    return (int(value),) if isinstance(value, numbers.Integral) else tuple(int(v) for v in value)


def roll(input, shifts, dims=None):
    """Shift elements cyclically: :math:`y_{(i + s) \\bmod n} = x_i` along each of ``dims``.

    Without ``dims`` the tensor is rolled as if flattened, then given its shape back.

    >>> import ourdl
    >>> x = ourdl.arange(6).reshape(2, 3)
    >>> ourdl.roll(x, 1)
    tensor([[5, 0, 1],
            [2, 3, 4]])
    >>> x.roll((1, -1), (0, 1))
    tensor([[4, 5, 3],
            [1, 2, 0]])
    """
    input = _tensor(input, "roll")
    shifts = _ints(shifts)
    dims = () if dims is None else _ints(dims)
    if not shifts:
        raise RuntimeError("roll: `shifts` required")
    if len(shifts) != len(dims) and not (len(shifts) == 1 and not dims):
        raise RuntimeError(f"roll: shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    if not dims:
        return Roll.apply(input, shifts, None)
    if input.ndim == 0:
        raise IndexError(f"roll: Dimension specified as {dims[0]} but tensor has no dimensions")
    return Roll.apply(input, shifts, tuple(check_dim(d, input.ndim, "roll") for d in dims))


# -- einsum ------------------------------------------------------------------------------------------------------

_LETTERS = string.ascii_letters


def _parse_einsum(equation: str, shapes: list) -> tuple:
    """The equation with every ellipsis spelled out in letters of its own, and each letter's size.

    Returns ``(inputs, output, sizes)``: one string of distinct-or-repeated letters per operand, the
    output's letters, and a dict letter -> size (the largest, size 1 broadcasting as in PyTorch).
    """
    equation = equation.replace(" ", "")
    left, arrow, right = equation.partition("->")
    terms = left.split(",")
    if len(terms) < len(shapes):
        raise RuntimeError(f"einsum(): more operands were provided than specified in the equation '{equation}' "
                           f"({len(shapes)} operands, {len(terms)} in the equation)")
    if len(terms) > len(shapes):
        raise RuntimeError(f"einsum(): fewer operands were provided than specified in the equation '{equation}' "
                           f"({len(shapes)} operands, {len(terms)} in the equation)")
    position = 0
    for k, part in enumerate([*terms, right] if arrow else terms):
        if "." in part.replace("...", "", 1):
            where = f"operand {k}" if k < len(terms) else "the output"
            raise RuntimeError(f"einsum(): found '.' for {where} ('{part}' in '{equation}') that is not part of an "
                               "ellipsis '...' (one at most per term)")
        for i, c in enumerate(part):
            if c != "." and c not in _LETTERS:
                raise RuntimeError(f"einsum(): invalid subscript given at index {position + i} in the equation "
                                   f"string '{equation}', subscripts must be in [a-zA-Z]")
        position += len(part) + (2 if k == len(terms) - 1 else 1)
    used = set(equation) & set(_LETTERS)
    spare = [c for c in _LETTERS if c not in used]
    ellipsis_ndim = 0
    for k, (term, shape) in enumerate(zip(terms, shapes)):
        named = len(term.replace("...", ""))
        if "..." not in term and named != len(shape):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) does not match the "
                               f"number of dimensions ({len(shape)}) for operand {k} of shape {list(shape)} and no "
                               "ellipsis was given")
        if "..." in term and named > len(shape):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) is more than the "
                               f"number of dimensions ({len(shape)}) for operand {k} of shape {list(shape)}")
        if "..." in term:
            ellipsis_ndim = max(ellipsis_ndim, len(shape) - named)
    if ellipsis_ndim > len(spare):
        raise RuntimeError(f"einsum(): too many dimensions in '{equation}': at most 52 subscripts in all")
    ellipsis = "".join(spare[:ellipsis_ndim])
    inputs = []
    for term, shape in zip(terms, shapes):
        if "..." in term:
            covered = len(shape) - len(term.replace("...", ""))
            term = term.replace("...", ellipsis[ellipsis_ndim - covered:])
        inputs.append(term)
    sizes: dict = {}
    for k, (term, shape) in enumerate(zip(inputs, shapes)):
        own: dict = {}
        for c, n in zip(term, shape):
            if own.setdefault(c, n) != n:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {k} of shape {list(shape)} but "
                                   f"the sizes don't match, {n} != {own[c]}")
            seen = sizes.setdefault(c, n)
            if seen != n and 1 not in (seen, n):
                what = "a dimension covered by the ellipsis" if c in ellipsis else f"subscript {c}"
                raise RuntimeError(f"einsum(): {what} has size {n} for operand {k} of shape {list(shape)}, which does "
                                   f"not broadcast with previously seen size {seen}")
            sizes[c] = max(seen, n)
    if arrow:
        output = right.replace("...", ellipsis)
        for c in output:
            if output.count(c) > 1:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the output '{right}'")
            if c not in sizes:
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation for any input "
                                   f"operand ('{equation}')")
    else:
        letters = "".join(inputs)
        output = ellipsis + "".join(sorted(c for c in set(letters) - set(ellipsis) if letters.count(c) == 1))
    return inputs, output, sizes


def _contract(inputs: list, output: str, operands: list, sizes: dict):
    """``einsum`` of already checked operands (dimensions of size 1 spread to ``sizes``): NumPy's for arrays,
    recorded for tensors."""
    if any(isinstance(x, Tensor) for x in operands):
        operands = [x if isinstance(x, Tensor) else Tensor._make(x) for x in operands]
        return Einsum.apply(*operands, inputs=inputs, output=output, sizes=sizes)
    spread = []
    for term, x in zip(inputs, operands):
        shape = tuple(sizes.get(c, 1) for c in term)
        spread.append(x if x.shape == shape else np.broadcast_to(x, shape))
    # NumPy's contraction-path search costs more than it saves on small pairs; on large ones it reaches BLAS.
    optimize = len(spread) > 2 or sum(x.size for x in spread) > 10_000
    return np.asarray(np.einsum(",".join(inputs) + "->" + output, *spread, optimize=optimize))


class Einsum(Function):
    """A sum of products over subscripts; the gradient of each operand is an einsum of the others with the
    output's gradient (so it is differentiable again)."""

    @staticmethod
    def forward(ctx, *operands, inputs, output, sizes):
        ctx.inputs_, ctx.output, ctx.sizes = inputs, output, sizes
        ctx.save_for_backward(*operands)
        out = _contract(inputs, output, operands, sizes)
        if any(np.may_share_memory(out, x) for x in operands):
            out = out.copy()
        return out

    @staticmethod
    def backward(ctx, g):
        operands = ctx.saved_tensors
        inputs, output, sizes = ctx.inputs_, ctx.output, ctx.sizes
        used = set("".join(inputs))
        spare = iter(c for c in _LETTERS if c not in used)
        grads = []
        for k, term in enumerate(inputs):
            if ctx.needs_input_grad[k]:
                grads.append(_operand_grad(k, term, g, operands, inputs, output, sizes, spare))
            else:
                grads.append(None)
        return tuple(grads)


def _operand_grad(k, term, g, operands, inputs, output, sizes, spare):
    """An einsum of ``g`` and the other operands onto operand ``k``'s subscripts.

    A subscript repeated in the operand (a diagonal) gets fresh letters tied to it by identity matrices;
    one found in no other term (summed in this operand alone) by a vector of ones.
    """
    dtype = g.dtype.numpy if isinstance(g, Tensor) else g.dtype
    terms = [output] + [t for i, t in enumerate(inputs) if i != k]
    values = [g] + [x for i, x in enumerate(operands) if i != k]
    sizes = dict(sizes)
    target = ""
    for c in term:
        if c in target:
            fresh = next(spare)
            sizes[fresh] = sizes.get(c, 1)
            terms.append(c + fresh)
            values.append(np.eye(sizes[fresh], dtype=dtype))
            c = fresh
        target += c
    elsewhere = set("".join(terms))
    for c in dict.fromkeys(term):
        if c not in elsewhere:
            terms.append(c)
            values.append(np.ones(sizes.get(c, 1), dtype=dtype))
    return _contract(terms, target, values, sizes)


def einsum(equation: str, *operands):
    """The Einstein sum: products of the operands' elements summed over the subscripts left out of the output.

    ``"ij,jk->ik"`` is a matrix product, ``"ii->i"`` a diagonal, ``"ii"`` a trace, ``"...ij->...ji"`` a
    batched transpose. Without ``->`` the output is the ellipsis followed by the subscripts that occur once,
    in alphabetical order. Dimensions of size 1 broadcast. The operands may also be given as one list.

    >>> import ourdl
    >>> a, b = ourdl.arange(6.0).reshape(2, 3), ourdl.ones(3, 2)
    >>> ourdl.einsum("ij,jk->ik", a, b)
    tensor([[ 3.,  3.],
            [12., 12.]])
    >>> ourdl.einsum("ij", [a]).shape, ourdl.einsum("ji", a).shape
    (ourdl.Size([2, 3]), ourdl.Size([3, 2]))
    """
    if not isinstance(equation, str):
        raise TypeError(f"einsum(): the equation must be a string, got {type(equation).__name__}")
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    operands = [_tensor(x, "einsum") for x in operands]
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    dtypes = {x.dtype for x in operands}
    if len(dtypes) > 1:
        listed = ", ".join(f"{x.dtype.name} {list(x.shape)}" for x in operands)
        raise RuntimeError(f"einsum(): expected all operands to have the same dtype, but got {listed}; convert them "
                           "first, e.g. with .to(dtype)")
    if operands[0].dtype.name == "bool":
        raise NotImplementedError("einsum(): not implemented for 'Bool' operands; convert them first")
    inputs, output, sizes = _parse_einsum(equation, [tuple(x.shape) for x in operands])
    return Einsum.apply(*operands, inputs=inputs, output=output, sizes=sizes)


# -- products and blends ---------------------------------------------------------------------------------------------


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """:math:`\\beta\\,\\text{input} + \\alpha\\,(\\text{mat1} \\, \\text{mat2})`, ``input`` broadcast to the
    product's shape. With ``beta=0`` the input is ignored (NaN and inf in it do not spread).

    >>> import ourdl
    >>> ourdl.addmm(ourdl.tensor([1.0, 2.0]), ourdl.ones(2, 3), ourdl.ones(3, 2), beta=2, alpha=0.5)
    tensor([[3.5000, 5.5000],
            [3.5000, 5.5000]])
    """
    input, mat1, mat2 = (_tensor(x, "addmm") for x in (input, mat1, mat2))
    for name, m in (("mat1", mat1), ("mat2", mat2)):
        if m.ndim != 2:
            raise RuntimeError(f"addmm: {name} must be a matrix, got {m.ndim}-D tensor of shape {list(m.shape)}")
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"addmm: mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x{mat1.shape[1]} and "
                           f"{mat2.shape[0]}x{mat2.shape[1]})")
    for name, m in (("mat1", mat1), ("mat2", mat2)):
        if m.dtype != input.dtype:
            raise RuntimeError(f"addmm: input and {name} must have the same dtype, but got {input.dtype.name} and "
                               f"{m.dtype.name}")
    if input.dtype.name == "bool":
        raise NotImplementedError("addmm: not implemented for 'Bool' tensors")
    if not input.dtype.is_floating_point:
        beta, alpha = int(beta), int(alpha)
    target = (mat1.shape[0], mat2.shape[1])
    if input.ndim > 2 or any(n not in (1, m) for n, m in zip(reversed(input.shape), reversed(target))):
        raise RuntimeError(f"addmm: input of shape {list(input.shape)} cannot be broadcast to the product's shape "
                           f"{list(target)}")
    product = mat1 @ mat2
    if alpha != 1:
        product = product * alpha
    if beta == 0:
        from .selection import where

        return product + where(np.ones((), dtype=bool), 0, input)
    return product + (input if beta == 1 else input * beta)


def lerp(input, end, weight):
    """Linear interpolation :math:`x + w\\,(e - x)`, everything broadcast; ``weight`` a number or a tensor.

    For :math:`|w| \\ge 0.5` it is computed as :math:`e - (e - x)(1 - w)`, as PyTorch does (exact at w = 1).
    Gradients: :math:`1 - w` to ``input``, :math:`w` to ``end``, :math:`e - x` to ``weight``.

    >>> import ourdl
    >>> ourdl.lerp(ourdl.tensor([0.0, 10.0]), ourdl.tensor([1.0, 20.0]), 0.25)
    tensor([ 0.2500, 12.5000])
    """
    input, end = _tensor(input, "lerp"), _tensor(end, "lerp")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f"lerp: not implemented for {input.dtype.name} tensors; it needs floating point")
    if end.dtype != input.dtype:
        raise RuntimeError(f"lerp: expected dtype {input.dtype.name} for `end` but got dtype {end.dtype.name}")
    if isinstance(weight, Tensor):
        if weight.dtype != input.dtype and weight.ndim:
            raise RuntimeError(f"lerp: expected dtype {input.dtype.name} for `weight` but got dtype "
                               f"{weight.dtype.name}")
        weight = weight.to(input.dtype)
    elif not isinstance(weight, numbers.Real):
        raise TypeError(f"lerp: weight must be a number or a Tensor, not {type(weight).__name__}")
    shapes = [tuple(t.shape) for t in (input, end, weight) if isinstance(t, Tensor)]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise RuntimeError(f"lerp: shapes {', '.join(str(list(s)) for s in shapes)} do not broadcast together") from None
    return Lerp.apply(input, end, weight)


class Lerp(Function):
    """``x + w (e - x)``; float32 is computed as one fused multiply-add, rounded once, as PyTorch's kernel does."""

    @staticmethod
    def forward(ctx, x, end, weight):
        ctx.save_for_backward(x, end, weight)
        difference = end - x
        dtype = difference.dtype
        weight = np.asarray(weight, dtype=dtype)
        near_start = np.abs(weight) < 0.5
        complement = np.asarray(1 - weight, dtype=dtype)
        if dtype == np.float32:
            x, end, difference, weight, complement = (np.asarray(a, np.float64) for a in
                                                      (x, end, difference, weight, complement))
        out = np.where(near_start, x + weight * difference, end - difference * complement)
        return out.astype(dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x, end, weight = ctx.saved_tensors
        grad_weight = g * (end - x) if ctx.needs_input_grad[2] else None
        return g * (1 - weight), g * weight, grad_weight


class NanToNum(Function):
    """NaN and infinities replaced by numbers; gradient: passed where the input was finite, 0 elsewhere."""

    @staticmethod
    def forward(ctx, x, nan, posinf, neginf):
        ctx.finite = np.isfinite(x)
        return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, g):
        return dual.where(ctx.finite, g, 0.0), None, None, None


def nan_to_num(input, nan: float = 0.0, posinf=None, neginf=None):
    """NaN becomes ``nan``, +inf ``posinf`` and -inf ``neginf`` (by default the dtype's largest and smallest
    finite values); other elements are kept. Integer and bool tensors come back unchanged (a copy).

    >>> import ourdl
    >>> ourdl.nan_to_num(ourdl.tensor([float("nan"), float("inf"), -float("inf"), 1.5]), posinf=9.0)
    tensor([ 0.0000e+00,  9.0000e+00, -3.4028e+38,  1.5000e+00])
    """
    input = _tensor(input, "nan_to_num")
    if not input.dtype.is_floating_point:
        return input.clone()
    info = np.finfo(input._data.dtype)
    with np.errstate(over="ignore"):
        values = [np.asarray(v, dtype=info.dtype)[()] for v in (nan, info.max if posinf is None else posinf,
                                                                info.min if neginf is None else neginf)]
    return NanToNum.apply(input, *values)


def kron(input, other):
    """The Kronecker product: block :math:`(i_1, \\dots)` of the result is :math:`a_{i_1 \\dots} \\, b`.

    The fewer dimensions of either are padded with leading 1s; the result's shape is the product of the shapes.

    >>> import ourdl
    >>> ourdl.kron(ourdl.eye(2), ourdl.tensor([[1.0, 2.0]]))
    tensor([[1., 2., 0., 0.],
            [0., 0., 1., 2.]])
    """
    a, b = _tensor(input, "kron"), _tensor(other, "kron")
    ndim = max(a.ndim, b.ndim)
    a_shape = (1,) * (ndim - a.ndim) + tuple(a.shape)
    b_shape = (1,) * (ndim - b.ndim) + tuple(b.shape)
    spread_a = a.reshape(*[v for n in a_shape for v in (n, 1)])
    spread_b = b.reshape(*[v for n in b_shape for v in (1, n)])
    return (spread_a * spread_b).reshape(*[m * n for m, n in zip(a_shape, b_shape)])


def cross(input, other, dim=None):
    """The cross product of 3-vectors along ``dim``:
    :math:`c = (a_2 b_3 - a_3 b_2,\\; a_3 b_1 - a_1 b_3,\\; a_1 b_2 - a_2 b_1)`, other dimensions broadcast.

    Without ``dim``, the first dimension of size 3 is used.

    >>> import ourdl
    >>> ourdl.cross(ourdl.tensor([1.0, 0.0, 0.0]), ourdl.tensor([0.0, 1.0, 0.0]))
    tensor([0., 0., 1.])
    """
    a, b = _tensor(input, "cross"), _tensor(other, "cross")
    if a.ndim != b.ndim:
        raise RuntimeError(f"linalg.cross: inputs must have the same number of dimensions, but got shapes "
                           f"{list(a.shape)} and {list(b.shape)}")
    if a.dtype != b.dtype:
        raise RuntimeError(f"linalg.cross: expected both inputs to have the same dtype, but got {a.dtype.name} and "
                           f"{b.dtype.name}")
    if dim is None:
        axis = next((i for i, n in enumerate(a.shape) if n == 3), None)
        if axis is None:
            raise RuntimeError(f"cross: no dimension of size 3 in input of shape {list(a.shape)}")
    else:
        axis = check_dim(dim, a.ndim, "cross")
    if a.ndim == 0 or a.shape[axis] != 3 or b.shape[axis] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {axis} must have length 3. Got "
                           f"{a.shape[axis] if a.ndim else 0} and {b.shape[axis] if b.ndim else 0} (shapes "
                           f"{list(a.shape)} and {list(b.shape)})")
    try:
        np.broadcast_shapes(tuple(a.shape), tuple(b.shape))
    except ValueError:
        raise RuntimeError(f"linalg.cross: shapes {list(a.shape)} and {list(b.shape)} do not broadcast") from None
    lead = (slice(None),) * axis
    a1, a2, a3 = (a[lead + (i, None)] for i in range(3))
    b1, b2, b3 = (b[lead + (i, None)] for i in range(3))
    from .shape import cat

    return cat([a2 * b3 - a3 * b2, a3 * b1 - a1 * b3, a1 * b2 - a2 * b1], dim=axis)
