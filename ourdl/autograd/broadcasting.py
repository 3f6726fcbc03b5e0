"""Broadcasting undone: the gradient of a broadcast input is summed back to the input's shape.

Every node's gradients pass through :func:`sum_to_shape` (in :class:`ourdl.autograd.node.Node`), so no op
undoes its own broadcasting.
"""

from __future__ import annotations

import math

import numpy as np

from ..tensor import Tensor


def sum_to_shape(g, shape: tuple, op: str = "backward"):
    """Sum a gradient in a broadcast shape down to ``shape``: broadcasting undone.

    >>> sum_to_shape(np.ones((2, 3)), (1, 3))
    array([[2., 2., 2.]])
    >>> sum_to_shape(np.ones(3), ())      # a 0-d array, not a NumPy scalar
    array(3.)
    """
    shape = tuple(shape)
    if tuple(g.shape) == shape:
        return g
    lead = len(g.shape) - len(shape)
    if lead < 0 or any(s != 1 and s != gs for s, gs in zip(shape, g.shape[lead:])):
        raise RuntimeError(f"{op}: gradient of shape {list(g.shape)} cannot be reduced to the input shape {list(shape)}")
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and g.shape[lead + i] != 1)
    if isinstance(g, Tensor):
        return g.sum(dim=axes).reshape(shape) if axes else g.reshape(shape)
    if not axes:
        return g.reshape(shape)
    k = len(axes)
    if axes[-1] == k - 1 and g.ndim > k and g.size and g.dtype.kind == "f" and g.flags.c_contiguous:
        # Summing out leading dimensions (a bias gradient): a matrix-vector product is 2-6x faster.
        rows = g.reshape(-1, math.prod(g.shape[k:]))
        reduced = (np.ones(rows.shape[0], dtype=g.dtype) @ rows).reshape(g.shape[k:])
    else:
        # NumPy gives a scalar when every axis is summed out: a gradient is always an array (written in place later)
        reduced = np.asarray(np.add.reduce(g, axis=axes))
    return reduced if reduced.shape == shape else reduced.reshape(shape)  # a fresh array stays one
