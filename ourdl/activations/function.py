"""The autograd node of an elementwise activation, built from its formulas.

An activation gives three formulas:

* ``forward(x, **params) -> y`` or ``(y, aux)`` on arrays (``aux``: an array
  the fast backward reuses, such as the Gaussian CDF of GELU);
* ``backward(x, y, aux, g, **params) -> dx`` on arrays, the fast first-order path;
* ``derivative(x, y, g, **params) -> dx`` on tensors, written with
  differentiable ourdl ops, used under ``create_graph=True`` so that second
  and higher derivatives are exact. Omitted, ``backward`` is used on tensors
  too (it must then be written with operators and :mod:`ourdl.ops.dual`).
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..dtypes import get_default_dtype
from ..tensor import Tensor


def elementwise_node(name: str, forward, backward, derivative=None, integers: str = "error", saves: str = "x") -> type:
    """A :class:`~ourdl.autograd.Function` subclass named after the activation.

    ``saves`` says which of ``x`` and ``y`` the backward formulas read (the other reaches them as None):
    only those are kept, as PyTorch keeps the input of most activations and the output of relu,
    sigmoid and tanh, so that changing the other one in place afterwards is allowed.
    """
    keep_x, keep_y = "x" in saves, "y" in saves

    def fwd(ctx, x, **params):
        with np.errstate(all="ignore"):  # PyTorch gives inf and NaN silently; so do we
            out = forward(x.reshape(1) if x.ndim == 0 else x, **params)  # kernels write into arrays, not scalars
        y, aux = out if isinstance(out, tuple) else (out, None)
        y = y.reshape(x.shape)
        ctx.params = params
        ctx.aux = aux
        ctx.save_for_backward(x if keep_x else None, y if keep_y else None)
        return y

    def bwd(ctx, g):
        x, y = ctx.saved_tensors
        with np.errstate(all="ignore"):
            if ctx._tensor_mode and derivative is not None:
                return derivative(x, y, g, **ctx.params)
            if g.ndim == 0:
                x, y = (None if a is None else a.reshape(1) for a in (x, y))
                return backward(x, y, ctx.aux, g.reshape(1), **ctx.params).reshape(())
            return backward(x, y, ctx.aux, g, **ctx.params)

    camel = "".join(part.capitalize() for part in name.split("_"))
    return type(camel, (Function,), {"forward": staticmethod(fwd), "backward": staticmethod(bwd), "op": name,
                                     "integers": integers})


def checked_input(input, op: str, integers: str = "error") -> Tensor:
    """``input`` after PyTorch's checks: a tensor; integers kept, promoted or refused as ``integers`` says.

    ``integers`` is ``"keep"`` (piecewise-linear ops that PyTorch runs on integers: relu, hardtanh,
    threshold), ``"promote"`` (to the default float dtype: sigmoid, tanh, softsign) or ``"error"``.
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    kind = input._data.dtype.kind
    if kind == "f":
        return input
    if integers == "promote":
        return input.to(get_default_dtype())
    if integers == "keep" and kind != "b":
        return input
    raise NotImplementedError(f"{op}: not implemented for {input.dtype} tensors; convert the input to a floating "
                              "dtype first, e.g. x.float()")


def run(node: type, input, inplace: bool = False, **params) -> Tensor:
    """Apply an elementwise node to ``input`` with ``params``, in place if asked (``relu(x, inplace=True)``)."""
    x = checked_input(input, node.op, node.integers)
    if not inplace:
        return node.apply(x, **params)
    from ..ops.inplace import apply_inplace

    if x is not input:
        raise RuntimeError(f"{node.op}_: result type Float can't be cast to the desired output type {input.dtype}")
    return apply_inplace(input, lambda t: node.apply(t, **params), node.op + "_")
