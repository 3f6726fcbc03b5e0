"""Matrix products with PyTorch's rules: 1-D·1-D is a dot product, 1-D operands gain
and then lose a dimension, and leading (batch) dimensions broadcast.

>>> import ourdl
>>> (ourdl.ones(4, 2, 3) @ ourdl.ones(3, 5)).shape
ourdl.Size([4, 2, 5])
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from .promotion import as_operand


class MatMul(Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        a_vector, b_vector = a.ndim == 1, b.ndim == 1
        if a_vector and b_vector:
            return g * b, g * a
        a2 = a.reshape((1, -1)) if a_vector else a
        b2 = b.reshape((-1, 1)) if b_vector else b
        g2 = g
        if a_vector:
            g2 = g2.reshape(g.shape[:-1] + (1, g.shape[-1]))
        if b_vector:
            g2 = g2.reshape(g2.shape + (1,))
        grad_a = grad_b = None
        if ctx.inputs[0] is not None:
            grad_a = g2 @ b2.mT
            if a_vector:
                grad_a = grad_a.reshape(grad_a.shape[:-2] + (grad_a.shape[-1],))
        if ctx.inputs[1] is not None:
            grad_b = a2.mT @ g2
            if b_vector:
                grad_b = grad_b.reshape(grad_b.shape[:-1])
        return grad_a, grad_b


def matmul(input, other):
    """The matrix product :math:`y = a b` (``@``), broadcasting batch dimensions.

    >>> import ourdl
    >>> ourdl.matmul(ourdl.tensor([[1.0, 2.0]]), ourdl.tensor([[3.0], [4.0]]))
    tensor([[11.]])
    """
    a, b = as_operand(input, "matmul"), as_operand(other, "matmul")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(
            f"matmul: expected both operands to have the same dtype, but got {a.dtype.name} and {b.dtype.name}; "
            f"convert one of them first, e.g. with .to({b.dtype}) or .float()"
        )
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
    k_a = a.shape[-1]
    k_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if k_a != k_b:
        left = "x".join(map(str, a.shape))
        right = "x".join(map(str, b.shape))
        raise RuntimeError(
            f"matmul: shapes cannot be multiplied ({left} and {right}): the last dimension of the first "
            f"({k_a}) must equal the {'first' if b.ndim == 1 else 'second-to-last'} dimension of the second ({k_b})"
        )
    try:
        return MatMul.apply(a, b)
    except ValueError:
        raise RuntimeError(f"matmul: batch dimensions of {list(a.shape)} and {list(b.shape)} do not broadcast") from None


def mm(input, mat2):
    """Product of two matrices (2-D only).

    >>> import ourdl
    >>> ourdl.mm(ourdl.tensor([[1.0, 2.0]]), ourdl.tensor([[3.0], [4.0]]))
    tensor([[11.]])
    """
    if input.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(f"mm: expected 2-D tensors, got {input.ndim}-D and {mat2.ndim}-D")
    return matmul(input, mat2)


def bmm(input, mat2):
    """Batched product of two 3-D tensors.

    >>> import ourdl
    >>> ourdl.bmm(ourdl.ones(4, 2, 3), ourdl.ones(4, 3, 5)).shape
    ourdl.Size([4, 2, 5])
    """
    if input.ndim != 3 or mat2.ndim != 3:
        raise RuntimeError(f"bmm: expected 3-D tensors, got {input.ndim}-D and {mat2.ndim}-D")
    return matmul(input, mat2)


def mv(input, vec):
    """Matrix–vector product.

    >>> import ourdl
    >>> ourdl.mv(ourdl.tensor([[1.0, 2.0], [3.0, 4.0]]), ourdl.tensor([1.0, 1.0]))
    tensor([3., 7.])
    """
    return matmul(input, vec)


def dot(input, other):
    """Dot product of two 1-D tensors.

    >>> import ourdl
    >>> ourdl.dot(ourdl.tensor([1.0, 2.0]), ourdl.tensor([3.0, 4.0]))
    tensor(11.)
    """
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    return matmul(input, other)


def outer(input, vec2):
    """Outer product :math:`y_{ij} = a_i b_j`.

    >>> import ourdl
    >>> ourdl.outer(ourdl.tensor([1.0, 2.0]), ourdl.tensor([1.0, 10.0, 100.0]))
    tensor([[  1.,  10., 100.],
            [  2.,  20., 200.]])
    """
    return input.reshape(-1, 1) * vec2.reshape(1, -1)
