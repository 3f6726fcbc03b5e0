"""Einstein summation: ``einsum``, its equation parser and its node.

>>> import ourdl
>>> ourdl.einsum("ii->", ourdl.eye(3))
tensor(3.)
"""

from __future__ import annotations

import string

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..tensor import Tensor
from .promotion import tensor_operand

__all__: list[str] = ["einsum"]
METHODS: list = []


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


class Einsum(ArrayFunction):
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
    operands = [tensor_operand(x, "einsum") for x in operands]
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
