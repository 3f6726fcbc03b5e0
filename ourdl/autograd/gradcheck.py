"""Finite-difference checks of gradients: ``gradcheck`` and ``gradgradcheck``.

The numerical Jacobian uses central differences
:math:`\\partial f / \\partial x_i \\approx (f(x + \\epsilon e_i) - f(x - \\epsilon e_i)) / 2\\epsilon`
and is compared with the one backward computes, element by element. Use
float64 inputs: float32 differences are too coarse to judge.

>>> import ourdl
>>> x = ourdl.randn(3, dtype=ourdl.float64, requires_grad=True)
>>> gradcheck(lambda t: (t * t).sin(), (x,))
True
"""

from __future__ import annotations

import warnings

import numpy as np

from ..tensor import Tensor
from .engine import grad


class GradcheckError(RuntimeError):
    """Raised when analytical and numerical gradients disagree."""


def _as_tuple(x) -> tuple:
    return x if isinstance(x, tuple) else tuple(x) if isinstance(x, list) else (x,)


def _outputs(func, inputs) -> tuple:
    return tuple(o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor))


def _numerical_jacobians(func, inputs, eps):
    """For each differentiable input, the Jacobian of every output, by central differences."""
    results = []
    for x in inputs:
        if not (isinstance(x, Tensor) and x.requires_grad):
            continue
        flat = x._data.reshape(-1)
        columns = []
        for i in range(flat.size):
            original = flat[i]
            # Grad mode stays on: gradgradcheck's function computes a gradient inside.
            flat[i] = original + eps
            plus = [o._data.astype(np.float64) for o in _outputs(func, inputs)]
            flat[i] = original - eps
            minus = [o._data.astype(np.float64) for o in _outputs(func, inputs)]
            flat[i] = original
            columns.append([((p - m) / (2 * eps)).reshape(-1) for p, m in zip(plus, minus)])
        results.append([np.stack([c[k] for c in columns], axis=1) if columns else None for k in range(len(columns[0]) if columns else 0)])
    return results


def _analytical_jacobians(func, inputs):
    differentiable = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    outputs = _outputs(func, inputs)
    jacobians = [[np.zeros((o.numel(), x.numel())) for o in outputs] for x in differentiable]
    for k, out in enumerate(outputs):
        if not out.requires_grad:
            continue
        for j in range(out.numel()):
            seed = np.zeros(out.shape, dtype=out._data.dtype)
            seed.reshape(-1)[j] = 1
            grads = grad(out, differentiable, grad_outputs=Tensor._make(seed), retain_graph=True, allow_unused=True)
            for i, g in enumerate(grads):
                if g is not None:
                    jacobians[i][k][j] = g._data.reshape(-1)
    return jacobians


def gradcheck(func, inputs, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True) -> bool:
    """Check the gradients of ``func`` at ``inputs`` against central finite differences.

    ``inputs`` is a tensor or a tuple; those with ``requires_grad=True`` are
    checked (they should be float64). Returns True, or raises
    :class:`GradcheckError` naming the input, output and worst element.

    >>> import ourdl
    >>> from ourdl.autograd import Function
    >>> _ = ourdl.manual_seed(0)
    >>> x = ourdl.randn(3, dtype=ourdl.float64, requires_grad=True)
    >>> gradcheck(lambda t: t.exp() * t, (x,))
    True
    >>> class WrongSquare(Function):     # backward forgets the factor 2 * x
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         return x ** 2
    ...
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         return grad
    >>> gradcheck(WrongSquare.apply, (x,), raise_exception=False)
    False
    """
    inputs = _as_tuple(inputs)
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor) and x.requires_grad and x.dtype.name != "float64":
            warnings.warn(f"gradcheck: input {i} is {x.dtype.name}, not float64; finite differences will be imprecise")
    numerical = _numerical_jacobians(func, inputs, eps)
    analytical = _analytical_jacobians(func, inputs)
    for i, (num_i, ana_i) in enumerate(zip(numerical, analytical)):
        for k, (n, a) in enumerate(zip(num_i, ana_i)):
            if n is None:
                continue
            bad = ~np.isclose(a, n, rtol=rtol, atol=atol, equal_nan=True)
            if bad.any():
                r, c = np.argwhere(bad)[0]
                message = (
                    f"Jacobian mismatch for output {k} with respect to input {i}: at output element {r}, "
                    f"input element {c}, numerical {float(n[r, c])!r} vs analytical {float(a[r, c])!r} "
                    f"({int(bad.sum())} of {bad.size} entries differ beyond atol={atol}, rtol={rtol})"
                )
                if raise_exception:
                    raise GradcheckError(message)
                return False
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                  raise_exception: bool = True, seed: int = 0) -> bool:
    """Check second derivatives: gradcheck of the function ``(inputs, v) -> vᵀ J`` built with ``create_graph``.

    ``grad_outputs`` (the v) default to random float64 tensors that require grad.

    >>> import ourdl
    >>> _ = ourdl.manual_seed(0)
    >>> x = ourdl.randn(3, dtype=ourdl.float64, requires_grad=True)
    >>> gradgradcheck(lambda t: t.exp() * t, (x,))
    True
    """
    inputs = _as_tuple(inputs)
    outputs = _outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = tuple(
            Tensor._make(rng.standard_normal(o.shape).astype(o._data.dtype), requires_grad=True) for o in outputs
        )
    grad_outputs = _as_tuple(grad_outputs)
    n = len(inputs)
    differentiable = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]

    def first_derivative(*args):
        xs, vs = args[:n], args[n:]
        outs = [o for o in _outputs(func, xs) if o.requires_grad]
        grads = grad(outs, [xs[i] for i in differentiable], grad_outputs=list(vs[: len(outs)]),
                     create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivative, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
