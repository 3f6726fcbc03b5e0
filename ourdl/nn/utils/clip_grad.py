"""Gradient clipping, in place on ``.grad``: by total norm (``clip_grad_norm_``) or by value (``clip_grad_value_``).

>>> import ourdl
>>> from ourdl import nn
>>> w = nn.Parameter(ourdl.zeros(2)); w.grad = ourdl.tensor([3.0, 4.0])
>>> clip_grad_norm_([w], max_norm=1.0)
tensor(5.)
>>> w.grad
tensor([0.6000, 0.8000])
"""

from __future__ import annotations

import math

import numpy as np

from ...tensor import Tensor


def _grads(parameters) -> list:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def _norm(values: np.ndarray, norm_type: float) -> float:
    if norm_type == math.inf:
        return float(np.abs(values).max()) if values.size else 0.0
    if norm_type == 2.0:
        return float(np.sqrt(np.dot(values, values)))
    return float(np.linalg.norm(values, norm_type))


def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                    foreach=None) -> Tensor:
    """Scale all gradients together so that their joint ``norm_type``-norm is at most ``max_norm``.

    The total norm is the norm of the vector of every gradient's norm (as if all were one vector).
    Gradients are multiplied by :math:`\\min(1, \\text{max\\_norm} / (\\text{total} + 10^{-6}))`.
    Returns the total norm before clipping. ``error_if_nonfinite=True`` raises when it is NaN or inf.

    >>> import ourdl
    >>> from ourdl import nn
    >>> a, b = nn.Parameter(ourdl.zeros(1)), nn.Parameter(ourdl.zeros(1))
    >>> a.grad, b.grad = ourdl.tensor([6.0]), ourdl.tensor([8.0])
    >>> clip_grad_norm_([a, b], max_norm=5.0)
    tensor(10.)
    >>> a.grad, b.grad
    (tensor([3.0000]), tensor([4.0000]))
    """
    grads = _grads(parameters)
    norm_type = float(norm_type)
    if not grads:
        return Tensor._make(np.asarray(0.0, dtype=np.float32))
    dtype = grads[0]._data.dtype
    norms = np.array([_norm(g._data.reshape(-1), norm_type) for g in grads], dtype=dtype)
    total = np.asarray(_norm(norms, norm_type), dtype=dtype)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so it cannot be "
            "clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
            "`error_if_nonfinite=False`"
        )
    coefficient = min(float(max_norm) / (float(total) + 1e-6), 1.0)
    for g in grads:
        g._data *= np.asarray(coefficient, dtype=g._data.dtype)
    return Tensor._make(total)


def clip_grad_value_(parameters, clip_value: float, foreach=None) -> None:
    """Clamp every gradient element into :math:`[-\\text{clip\\_value}, \\text{clip\\_value}]`, in place.

    >>> import ourdl
    >>> from ourdl import nn
    >>> w = nn.Parameter(ourdl.zeros(2)); w.grad = ourdl.tensor([-3.0, 0.5])
    >>> clip_grad_value_([w], 1.0); w.grad
    tensor([-1.0000,  0.5000])
    """
    clip_value = float(clip_value)
    for g in _grads(parameters):
        np.clip(g._data, -clip_value, clip_value, out=g._data)
