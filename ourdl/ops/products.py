"""Products of tensors: matmul (``@``) and its special cases mm, bmm, mv, dot; outer, inner, vdot, kron, cross;
and addmm.

matmul follows PyTorch's rules: 1-D·1-D is a dot product, 1-D operands gain
and then lose a dimension, and leading (batch) dimensions broadcast.

>>> import ourdl
>>> (ourdl.ones(4, 2, 3) @ ourdl.ones(3, 5)).shape
ourdl.Size([4, 2, 5])
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dims import check_dim
from .array_or_tensor import recorded_where
from .joining import cat
from .promotion import tensor_operand
from .out import OutDtype, accepts_out
from .tensor_argument import require_tensor

__all__: list[str] = ["matmul", "mm", "bmm", "mv", "dot", "outer", "inner", "vdot", "kron", "cross", "addmm"]
METHODS: list = list(__all__)


class MatMul(ArrayFunction):
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


@accepts_out(dtype=OutDtype.SAME_FOR_PRODUCT)
def matmul(input, other):
    """The matrix product :math:`y = a b` (``@``), broadcasting batch dimensions.

    >>> import ourdl
    >>> ourdl.matmul(ourdl.tensor([[1.0, 2.0]]), ourdl.tensor([[3.0], [4.0]]))
    tensor([[11.]])
    """
    require_tensor(input, "matmul")
    a, b = input, tensor_operand(other, "matmul", "other", 2)
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


@accepts_out(dtype=OutDtype.SAME_FOR_PRODUCT)
def mm(input, mat2):
    """Product of two matrices (2-D only).

    >>> import ourdl
    >>> ourdl.mm(ourdl.tensor([[1.0, 2.0]]), ourdl.tensor([[3.0], [4.0]]))
    tensor([[11.]])
    """
    require_tensor(input, "mm")
    require_tensor(mat2, "mm", "mat2", 2)
    if input.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(f"mm: expected 2-D tensors, got {input.ndim}-D and {mat2.ndim}-D")
    return matmul(input, mat2)


@accepts_out(dtype=OutDtype.SAME_FOR_PRODUCT)
def bmm(input, mat2):
    """Batched product of two 3-D tensors.

    >>> import ourdl
    >>> ourdl.bmm(ourdl.ones(4, 2, 3), ourdl.ones(4, 3, 5)).shape
    ourdl.Size([4, 2, 5])
    """
    require_tensor(input, "bmm")
    require_tensor(mat2, "bmm", "mat2", 2)
    if input.ndim != 3 or mat2.ndim != 3:
        raise RuntimeError(f"bmm: expected 3-D tensors, got {input.ndim}-D and {mat2.ndim}-D")
    return matmul(input, mat2)


@accepts_out(dtype=OutDtype.SAME_FOR_PRODUCT)
def mv(input, vec):
    """Matrix–vector product.

    >>> import ourdl
    >>> ourdl.mv(ourdl.tensor([[1.0, 2.0], [3.0, 4.0]]), ourdl.tensor([1.0, 1.0]))
    tensor([3., 7.])
    """
    require_tensor(input, "mv")
    require_tensor(vec, "mv", "vec", 2)
    return matmul(input, vec)


@accepts_out(dtype=OutDtype.SAME_FOR_DOT)
def dot(input, other):
    """Dot product of two 1-D tensors.

    >>> import ourdl
    >>> ourdl.dot(ourdl.tensor([1.0, 2.0]), ourdl.tensor([3.0, 4.0]))
    tensor(11.)
    """
    require_tensor(input, "dot")
    require_tensor(other, "dot", "tensor", 2)
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors")
    return matmul(input, other)


@accepts_out
def outer(input, vec2):
    """Outer product :math:`y_{ij} = a_i b_j`.

    >>> import ourdl
    >>> ourdl.outer(ourdl.tensor([1.0, 2.0]), ourdl.tensor([1.0, 10.0, 100.0]))
    tensor([[  1.,  10., 100.],
            [  2.,  20., 200.]])
    """
    require_tensor(input, "outer")
    require_tensor(vec2, "outer", "vec2", 2)
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


def inner(input, other):
    """The inner product over the last dimension: :math:`y_{i\\ldots,j\\ldots} = \\sum_k a_{i\\ldots k}
    b_{j\\ldots k}`, shape ``a.shape[:-1] + b.shape[:-1]``; a 0-d operand multiplies.

    >>> import ourdl
    >>> ourdl.inner(ourdl.tensor([[1.0, 2.0], [3.0, 4.0]]), ourdl.tensor([1.0, 1.0]))
    tensor([3., 7.])
    """
    require_tensor(input, "inner")
    a, b = input, tensor_operand(other, "inner", "other", 2)
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
    require_tensor(input, "vdot")
    a, b = input, tensor_operand(other, "vdot", "other", 2)
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"vdot: 1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"vdot: expected both vectors to have the same dtype, but got {a.dtype.name} "
                           f"and {b.dtype.name}")
    if a.shape != b.shape:
        raise RuntimeError(f"vdot: inconsistent tensor size, expected both to have {a.shape[0]} elements, "
                           f"but got {b.shape[0]}")
    return a @ b


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """:math:`\\beta\\,\\text{input} + \\alpha\\,(\\text{mat1} \\, \\text{mat2})`, ``input`` broadcast to the
    product's shape. With ``beta=0`` the input is ignored (NaN and inf in it do not spread).

    >>> import ourdl
    >>> ourdl.addmm(ourdl.tensor([1.0, 2.0]), ourdl.ones(2, 3), ourdl.ones(3, 2), beta=2, alpha=0.5)
    tensor([[3.5000, 5.5000],
            [3.5000, 5.5000]])
    """
    require_tensor(input, "addmm")
    mat1, mat2 = tensor_operand(mat1, "addmm", "mat1", 2), tensor_operand(mat2, "addmm", "mat2", 3)
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
        return product + recorded_where(np.ones((), dtype=bool), 0, input)
    return product + (input if beta == 1 else input * beta)


def kron(input, other):
    """The Kronecker product: block :math:`(i_1, \\dots)` of the result is :math:`a_{i_1 \\dots} \\, b`.

    The fewer dimensions of either are padded with leading 1s; the result's shape is the product of the shapes.

    >>> import ourdl
    >>> ourdl.kron(ourdl.eye(2), ourdl.tensor([[1.0, 2.0]]))
    tensor([[1., 2., 0., 0.],
            [0., 0., 1., 2.]])
    """
    require_tensor(input, "kron")
    a, b = input, tensor_operand(other, "kron", "other", 2)
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
    require_tensor(input, "cross")
    a, b = input, tensor_operand(other, "cross", "other", 2)
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
    return cat([a2 * b3 - a3 * b2, a3 * b1 - a1 * b3, a1 * b2 - a2 * b1], dim=axis)
