"""The one machine that makes elementwise ops: ``exp`` and ``tanh`` in :mod:`ourdl.ops`, ``gelu`` and every other
elementwise activation of the catalog.

An op is given by formulas:

* ``forward(x, **params) -> y``, or ``(y, aux)`` where ``aux`` holds arrays the fast
  backward reuses (the Gaussian CDF of GELU, ``exp(-x)`` of SiLU);
* ``derivative(x, y, g, **params) -> dx``: the gradient written with operators,
  NumPy ufuncs and :mod:`ourdl.ops.array_or_tensor`, so that it runs on arrays and, under
  ``create_graph=True``, on tensors, which makes derivatives of every order exact;
* optionally ``backward(x, y, aux, g, **params) -> dx`` on arrays only: a faster
  first-order path (fused kernels) for ops on the hot path.

What backward keeps is :class:`Saves`; what integer inputs do is :class:`Integers`.

>>> import numpy as np
>>> Cube = unary_node("cube", lambda x: x ** 3, lambda x, y, g: g * 3 * x * x)
>>> import ourdl
>>> x = ourdl.tensor([2.0], requires_grad=True)
>>> Cube.apply(x).backward(); x.grad
tensor([12.])
"""

from __future__ import annotations

import enum

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..dtypes import from_numpy_dtype, get_default_dtype, half_as_float32
from ..quiet_numpy import ignore_errors, restore_errors
from ..tensor import Tensor
from .inplace import apply_inplace
from .out import OutDtype, accepts_out
from .tensor_argument import require_tensor


class Saves(enum.Flag):
    """Which of the input ``x`` and the output ``y`` the derivative reads. Only those are kept for backward, as
    PyTorch keeps them, so that changing the other in place afterwards (``h = gelu(x); h += skip``) is allowed."""

    NOTHING = 0
    INPUT = enum.auto()
    OUTPUT = enum.auto()


class Integers(enum.Enum):
    """What an op does with integer (and bool) inputs, as PyTorch does for it."""

    PROMOTE = "promote"  # computed in the default float dtype: exp, tanh, sigmoid, softsign
    KEEP = "keep"  # kept, with integer results: neg, abs, relu, hardtanh, threshold (bool refused)
    ERROR = "error"  # refused with NotImplementedError: gelu, elu, silu, ...


def unary_node(name: str, forward, derivative, backward=None, *, integers: Integers = Integers.ERROR,
               saves: Saves = Saves.INPUT) -> type:
    """An :class:`~ourdl.autograd.array_function.ArrayFunction` subclass computing ``forward`` elementwise (see the module's docstring).

    >>> Double = unary_node("double", lambda x: 2 * x, lambda x, y, g: 2 * g, saves=Saves.NOTHING)
    >>> Double.__name__, Double.integers
    ('Double', <Integers.ERROR: 'error'>)
    """
    keep_x, keep_y = Saves.INPUT in saves, Saves.OUTPUT in saves

    def fwd(ctx, x, **params):
        if x.dtype.kind != "f":
            x = _as_computable(x, integers, name)
        half = x.dtype is _HALF
        token = ignore_errors()  # PyTorch gives inf and NaN silently; so do we
        try:
            # 0-d arrays go to the kernels as one element: NumPy would hand them scalars, not arrays
            computed = half_as_float32(x) if half else x
            out = forward(computed.reshape(1) if x.ndim == 0 else computed, **params)
        finally:
            restore_errors(token)
        if type(out) is tuple:
            y, ctx.aux = out
        else:
            y = out
        if half:
            y = y.astype(_HALF)
        if y.shape != x.shape:
            y = y.reshape(x.shape)
        if params:  # else the class's empty default: one dictionary fewer per node
            ctx.params = params
        if ctx._recording and (keep_x or keep_y):  # only what the derivative reads
            ctx._saved = (x,) if not keep_y else (y,) if not keep_x else (x, y)
        return y

    def bwd(ctx, g):
        saved = ctx.saved_tensors
        x = saved[0] if keep_x else None
        y = saved[-1] if keep_y else None
        params = ctx.params
        token = ignore_errors()
        try:
            if ctx._tensor_mode or backward is None:
                return derivative(x, y, g, **params)
            if g.dtype is _HALF:  # the result is rounded back to float16 with the input's dtype
                x, y, g = (half_as_float32(a) for a in (x, y, g))
            if g.ndim == 0:
                x, y = (None if a is None else a.reshape(1) for a in (x, y))
                return backward(x, y, ctx.aux, g.reshape(1), **params).reshape(())
            return backward(x, y, ctx.aux, g, **params)
        finally:
            restore_errors(token)

    camel = "".join(part.capitalize() for part in name.split("_"))
    return type(camel, (ArrayFunction,), {"forward": staticmethod(fwd), "backward": staticmethod(bwd), "op": name,
                                          "integers": integers, "params": _NO_PARAMS, "aux": None, "__doc__": f"The graph node of ``{name}``."})


_NO_PARAMS: dict = {}  # the parameters of a node called without any (never changed)
_HALF = np.dtype(np.float16)  # computed in float32 and rounded once (dtypes.half_as_float32)


def _needs_promotion(dtype: np.dtype, integers: Integers, name: str) -> bool:
    """Whether an input of ``dtype`` is computed in the default float dtype; a refused dtype raises here."""
    kind = dtype.kind
    if kind == "f" or (integers is Integers.KEEP and kind != "b"):
        return False
    if integers is Integers.PROMOTE:
        return True
    raise NotImplementedError(f"{name}: not implemented for {from_numpy_dtype(dtype)} tensors; convert the input "
                              "to a floating dtype first, e.g. x.float()")


def _as_computable(x: np.ndarray, integers: Integers, name: str) -> np.ndarray:
    return x.astype(get_default_dtype().numpy) if _needs_promotion(x.dtype, integers, name) else x


def checked_input(input, op: str, integers: Integers = Integers.ERROR) -> Tensor:
    """``input`` after PyTorch's checks, for activations composed of other ops: a tensor, its integers kept,
    promoted or refused as ``integers`` says.

    >>> import ourdl
    >>> checked_input(ourdl.tensor([1, 2]), "softsign", Integers.PROMOTE).dtype
    ourdl.float32
    """
    require_tensor(input, op)
    return input.to(get_default_dtype()) if _needs_promotion(input._data.dtype, integers, op) else input


def run(node: type, input, inplace: bool = False, **params) -> Tensor:
    """Apply an elementwise node to ``input`` with ``params``, in place if asked (``relu(x, inplace=True)``).

    >>> import ourdl
    >>> x = ourdl.tensor([-1.0, 2.0])
    >>> run(unary_node("half", lambda x: x / 2, lambda x, y, g: g / 2), x, inplace=True) is x
    True
    """
    require_tensor(input, node.op)
    if not inplace:
        return node.apply(input, **params)
    if _needs_promotion(input._data.dtype, node.integers, node.op):  # a refused dtype raises as out of place
        raise RuntimeError(f"{node.op}_: result type Float can't be cast to the desired output type {input.dtype}")
    return apply_inplace(input, lambda t: node.apply(t, **params), node.op + "_")


def unary_function(node: type, formula: str, example: str, result: str):
    """The public function of a parameterless node: ``ourdl.exp(input)``, with a docstring from ``formula``.

    >>> import ourdl
    >>> print(ourdl.exp.__doc__.splitlines()[0])
    Elementwise :math:`y = e^x`.
    """

    def function(input):
        return run(node, input)

    name = node.op
    function.__name__ = function.__qualname__ = name
    function.__doc__ = (
        f"Elementwise :math:`{formula}`.\n\n"
        f"The derivative is recorded, so ``backward`` and higher derivatives work.\n\n"
        f">>> import ourdl\n>>> ourdl.{name}(ourdl.tensor({example}))\n{result}\n"
    )
    function.op = node
    return accepts_out(function, dtype=OutDtype.SAME if node.integers is Integers.KEEP else OutDtype.CASTABLE)


def unary(name, forward, derivative, formula, example, result, *, backward=None, integers=Integers.PROMOTE,
          saves=Saves.INPUT):
    """An elementwise op from one table row (ops/elementwise.py's, ops/special.py's): its node (:func:`unary_node`)
    and its public function (:func:`unary_function`).

    >>> cube = unary("cube", lambda x: x ** 3, lambda x, y, g: 3 * g * x * x, "y = x^3", "[2.0]", "tensor([8.])")
    >>> cube.op.__name__
    'Cube'
    """
    return unary_function(unary_node(name, forward, derivative, backward, integers=integers, saves=saves),
                          formula, example, result)
