"""In-place operations: ``add_``, ``mul_``, ``x[i] = v``, ``x += y``, ...

Every in-place change bumps the tensor's version counter, so a value saved
for backward that was changed afterwards is caught with a clear error
instead of giving a wrong gradient. Inside the graph, an in-place op is
recorded like its out-of-place twin, applied to a stand-in for the old
value, and the tensor takes over the result and its ``grad_fn``. Nodes
recorded earlier keep pointing at the old value's node. A change of a view
is recorded on its base (see :mod:`ourdl.ops.views`).

>>> import ourdl
>>> w = ourdl.ones(2, requires_grad=True)
>>> with ourdl.no_grad():
...     w -= 0.5 * ourdl.ones(2)
>>> w
tensor([0.5000, 0.5000], requires_grad=True)
"""

from __future__ import annotations

import numpy as np

from ..grad_mode import state
from ..sparse_rows import rows_of
from ..tensor import Tensor
from ..view_tracking import sync_view
from . import arithmetic, selection
from .array_or_tensor import recorded_where
from .creation import as_tensor
from .indexing import IndexPut, convert_index
from .promotion import as_operand
from .views import copy_slices


def _check_writable(self: Tensor, op: str) -> None:
    if self._base is not None:
        sync_view(self)
    if state.enabled:
        if self._grad_fn is None and self._requires_grad:
            raise RuntimeError(
                f"{op}: a leaf Variable that requires grad is being used in an in-place operation. "
                "Wrap the update in `with ourdl.no_grad():`, or operate on .data / a clone"
            )
        base = self._base
        if base is not None and base._grad_fn is None and base._requires_grad:
            raise RuntimeError(
                f"{op}: a view of a leaf Variable that requires grad is being used in an in-place operation. "
                "Wrap the update in `with ourdl.no_grad():`, or change a clone"
            )
        node = self._grad_fn
        if base is not None and node is not None and not node.view_changes_allowed:
            raise RuntimeError(
                f"{op}: output 0 of {node.name()} is a view and is being modified in place, which would bypass "
                "that node's own backward (e.g. a module's backward hooks) and give wrong gradients. "
                "Change a clone instead: y = y.clone()"
            )
    if not self._data.flags.writeable:
        raise RuntimeError(
            f"{op}: unsupported operation: this tensor is a broadcast (expanded) view, where several elements "
            "share one memory location; call .clone() before changing it in place"
        )


def _records(self: Tensor, others=()) -> bool:
    """Whether an in-place change of ``self`` with ``others`` goes into the graph (a view's base counts).

    Call after :func:`_check_writable`, which brings a view up to date."""
    if not state.enabled:
        return False
    base = self._base
    if base is not None and base._requires_grad:
        return True
    return self._requires_grad or any(isinstance(o, Tensor) and o._requires_grad for o in others)


def apply_inplace(self: Tensor, compute, op: str, *others) -> Tensor:
    """Make ``self`` hold ``compute(self)``; inside the graph, record it as an op on the old value.

    ``others`` are the other operands, to tell whether anything is recorded. When ``self`` is a
    view, its base records the change (a :class:`~ourdl.ops.views.CopySlices` node) and the view
    then reads from the base.
    """
    _check_writable(self, op)
    if not _records(self, others):
        _store(self, compute(self)._data, op)
        return self
    old = Tensor._make(self._data.copy(), self._requires_grad, self._grad_fn)
    result = compute(old)
    base = self._base
    if base is None:
        _store(self, result._data, op)
        _take_over(self, result)
        return self
    if self._view_version is None:
        raise RuntimeError(
            f"{op}: this view was created in no_grad mode and is being modified in place with grad mode "
            "enabled; change it under no_grad too, or make the view with grad mode enabled"
        )
    _fitted(self._data, result._data, op)  # the checks of _store, before anything is written
    new_base = copy_slices(base, self._data, result)
    _store(base, new_base._data, op)
    _take_over(base, new_base)
    return self


def _take_over(self: Tensor, result: Tensor) -> None:
    """``self`` becomes the output of ``result``'s node; the node that made its old value learns that its output's
    memory now holds another value (graph drawings then show the value as changed, not the new one)."""
    made_by = self._grad_fn
    if made_by is not None:
        made_by._overwritten = (*made_by._overwritten, self._data)
    self._grad_fn = result._grad_fn
    self._requires_grad = result._requires_grad
    if result._grad_fn is not None and self._retains_grad:
        result._grad_fn.retained_output = self


def _fitted(target: np.ndarray, values: np.ndarray, op: str) -> np.ndarray:
    """``values`` broadcast to ``target``'s shape, checked to be castable to its dtype."""
    if values.shape != target.shape:
        try:
            values = np.broadcast_to(values, target.shape)
        except ValueError:
            raise RuntimeError(
                f"{op}: output with shape {list(target.shape)} doesn't match the broadcast shape {list(values.shape)}"
            ) from None
    if values.dtype != target.dtype and not np.can_cast(values.dtype, target.dtype, casting="same_kind"):
        raise RuntimeError(
            f"{op}: result type {values.dtype} can't be cast to the desired output type {target.dtype} of an in-place operation"
        )
    return values


def _store(self: Tensor, values: np.ndarray, op: str) -> None:
    target = self._data
    values = _fitted(target, values, op)
    if values is not target:
        np.copyto(target, values, casting="unsafe")
    self._version.value += 1


def _direct(self: Tensor, ufunc, other, alpha, op: str) -> bool:
    """Apply ``ufunc(self, alpha * other)`` straight into ``self``'s memory when nothing is recorded and no
    dtype changes: the common optimiser update (``p.add_(g, alpha=-lr)`` under ``no_grad``), with no
    temporary result to copy back. Returns False when the general path is needed."""
    data = self._data
    if data.dtype.kind != "f" or not data.flags.writeable or self._base is not None:
        return False
    if isinstance(other, Tensor):
        if other._data.dtype != data.dtype or other._data.ndim > data.ndim:
            return False
        if state.enabled and (self._requires_grad or other._requires_grad):
            return False
        value = other._data if alpha == 1 else other._data * alpha
    elif type(other) in (int, float):
        if state.enabled and self._requires_grad:
            return False
        value = other * alpha
    else:
        return False
    _check_writable(self, op)
    try:
        ufunc(data, value, out=data)
    except ValueError:  # ``other`` does not broadcast to ``self``: the general path says so clearly
        return False
    self._version.value += 1
    return True


def add_(self, other, alpha=1):
    """``self += alpha * other`` in place.

    >>> import ourdl
    >>> x = ourdl.ones(2); x.add_(ourdl.tensor([1.0, 2.0]), alpha=-0.5)
    tensor([0.5000, 0.0000])
    """
    if _direct(self, np.add, other, alpha, "add_"):
        return self
    return apply_inplace(self, lambda t: arithmetic.add(t, other, alpha=alpha), "add_", other)


def sub_(self, other, alpha=1):
    """``self -= alpha * other`` in place."""
    if _direct(self, np.subtract, other, alpha, "sub_"):
        return self
    return apply_inplace(self, lambda t: arithmetic.sub(t, other, alpha=alpha), "sub_", other)


def mul_(self, other):
    """``self *= other`` in place."""
    if _direct(self, np.multiply, other, 1, "mul_"):
        return self
    return apply_inplace(self, lambda t: arithmetic.mul(t, other), "mul_", other)


def div_(self, other):
    """``self /= other`` in place."""
    return apply_inplace(self, lambda t: arithmetic.div(t, other), "div_", other)


def pow_(self, exponent):
    """``self **= exponent`` in place."""
    return apply_inplace(self, lambda t: arithmetic.pow(t, exponent), "pow_", exponent)


def fill_(self, value):
    """Set every element to ``value`` (converted to this dtype); in the graph the old values get no gradient.

    >>> import ourdl
    >>> ourdl.zeros(2, dtype=ourdl.int64).fill_(2.5)
    tensor([2, 2])
    """
    return overwrite(self, value.item() if isinstance(value, Tensor) else value, "fill_")


def overwrite(self: Tensor, values, op: str) -> Tensor:
    """Set ``self`` to ``values`` (a number or an array, converted to this dtype), recorded, when in the graph, as
    a new value that does not depend on the old one."""
    _check_writable(self, op)
    values = np.asarray(values, dtype=self._data.dtype)
    if not _records(self):
        np.copyto(self._data, values)
        self._version.value += 1
        return self
    return apply_inplace(self, lambda t: recorded_where(_all_false(t), t, Tensor._make(values)), op)


def zero_(self):
    """Set every element to zero; ``x.grad.zero_()`` clears a gradient (a sparse one stays sparse, with no rows)."""
    fill_(self, 0)
    if rows_of(self._data) is not None:
        self._data.rows = np.empty(0, np.intp)
    return self


def _all_false(t: Tensor) -> Tensor:
    return Tensor._make(np.zeros(t._data.shape, dtype=bool))


def copy_(self, src):
    """Copy ``src`` (broadcast to this shape, converted to this dtype) into this tensor."""
    src = as_operand(src, "copy_", "other", 1)
    if not isinstance(src, Tensor):
        return fill_(self, src)
    return apply_inplace(self, lambda t: src.to(t.dtype).expand(*t.shape), "copy_", src)


def setitem(self, index, value):
    """``self[index] = value``, recorded in the graph when either side requires grad."""
    index = convert_index(index)
    # lists and arrays are assigned as their values (PyTorch refuses them here, ourdl has always taken them)
    if isinstance(value, (list, tuple, np.ndarray)):
        value = as_tensor(value)
    else:
        value = as_operand(value, "__setitem__", "value", 2)
    _check_writable(self, "__setitem__")
    if not _records(self, (value,)):
        try:
            self._data[index] = value._data if isinstance(value, Tensor) else value
        except (ValueError, IndexError) as error:
            raise RuntimeError(f"__setitem__: cannot assign a value of shape {list(np.shape(value))} to the indexed part of a tensor of shape {list(self.shape)}: {error}") from None
        self._version.value += 1
        return
    if isinstance(value, Tensor) and value.dtype is not self.dtype:
        value = value.to(self.dtype)
    apply_inplace(self, lambda t: IndexPut.apply(t, value, index), "__setitem__", value)


def masked_fill_(self, mask, value):
    """Set the elements where ``mask`` is true to ``value``, in place."""
    return apply_inplace(self, lambda t: selection.where(mask, value, t), "masked_fill_", value)


def fill_diagonal_(self, fill_value, wrap: bool = False):
    """Set the main diagonal (``self[i, i, ...]``, all dimensions of equal length past 2-D) to ``fill_value``.
    For a tall matrix, ``wrap=True`` starts the diagonal again after every ``columns + 1`` rows, as NumPy's
    ``fill_diagonal``. In the graph, the overwritten elements get no gradient.

    >>> import ourdl
    >>> ourdl.zeros(2, 3).fill_diagonal_(5.0)
    tensor([[5., 0., 0.],
            [0., 5., 0.]])
    """
    if self.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if self.ndim > 2 and len(set(self.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    mask = np.zeros(self._data.shape, dtype=bool)
    np.fill_diagonal(mask, True, wrap=wrap)
    value = fill_value.item() if isinstance(fill_value, Tensor) else fill_value
    return apply_inplace(self, lambda t: recorded_where(mask, Tensor._make(np.asarray(value, dtype=t._data.dtype)), t),
                         "fill_diagonal_")


# The in-place twins of out-of-place methods: ``x.name_(*args)`` is ``x.name(*args)`` written into ``x``.
# Each entry: an example input and example arguments, for the docstring.
_TWINS = {
    "abs": ("ourdl.tensor([-1.5, 2.0])", ""),
    "neg": ("ourdl.tensor([-1.5, 2.0])", ""),
    "exp": ("ourdl.tensor([0.0, 1.0])", ""),
    "log": ("ourdl.tensor([1.0, 2.0])", ""),
    "sqrt": ("ourdl.tensor([4.0, 2.0])", ""),
    "sin": ("ourdl.tensor([0.0, 1.0])", ""),
    "cos": ("ourdl.tensor([0.0, 1.0])", ""),
    "tanh": ("ourdl.tensor([0.0, 1.0])", ""),
    "sigmoid": ("ourdl.tensor([0.0, 1.0])", ""),
    "relu": ("ourdl.tensor([-1.0, 1.0])", ""),
    "clamp": ("ourdl.tensor([-2.0, 0.5, 2.0])", "-1, 1"),
    "clip": ("ourdl.tensor([-2.0, 0.5, 2.0])", "min=0"),
    "floor": ("ourdl.tensor([-1.5, 1.5])", ""),
    "round": ("ourdl.tensor([0.5, 1.5, 2.25])", ""),
    "reciprocal": ("ourdl.tensor([2.0, 4.0])", ""),
    "square": ("ourdl.tensor([-3.0, 2.0])", ""),
    "tril": ("ourdl.ones(3, 3)", "diagonal=-1"),
    "triu": ("ourdl.ones(3, 3)", ""),
    "nan_to_num": ("ourdl.tensor([float('nan'), float('inf'), 1.0])", "posinf=9.0"),
    "lerp": ("ourdl.zeros(2)", "ourdl.tensor([1.0, 2.0]), 0.25"),
    "addmm": ("ourdl.ones(2, 2)", "ourdl.eye(2), ourdl.tensor([[1.0, 2.0], [3.0, 4.0]]), beta=0.5"),
    "scatter": ("ourdl.zeros(3)", "0, ourdl.tensor([2, 0]), ourdl.tensor([5.0, 6.0])"),
    "scatter_add": ("ourdl.zeros(3)", "0, ourdl.tensor([2, 2]), ourdl.tensor([5.0, 6.0])"),
    "index_add": ("ourdl.zeros(3)", "0, ourdl.tensor([1, 1]), ourdl.tensor([5.0, 6.0]), alpha=2"),
    "acos": ("ourdl.tensor([0.25, 0.5])", ""),
    "asin": ("ourdl.tensor([0.25, 0.5])", ""),
    "atan": ("ourdl.tensor([0.25, 0.5])", ""),
    "cosh": ("ourdl.tensor([0.25, 0.5])", ""),
    "sinh": ("ourdl.tensor([0.25, 0.5])", ""),
    "tan": ("ourdl.tensor([0.25, 0.5])", ""),
    "erf": ("ourdl.tensor([0.25, 0.5])", ""),
    "erfc": ("ourdl.tensor([0.25, 0.5])", ""),
    "erfinv": ("ourdl.tensor([0.25, 0.5])", ""),
    "expm1": ("ourdl.tensor([0.25, 0.5])", ""),
    "log10": ("ourdl.tensor([0.25, 0.5])", ""),
    "log1p": ("ourdl.tensor([0.25, 0.5])", ""),
    "log2": ("ourdl.tensor([0.25, 0.5])", ""),
    "rsqrt": ("ourdl.tensor([0.25, 0.5])", ""),
    "trunc": ("ourdl.tensor([0.25, 0.5])", ""),
    "ceil": ("ourdl.tensor([0.25, 0.5])", ""),
    "sign": ("ourdl.tensor([0.25, 0.5])", ""),
    "frac": ("ourdl.tensor([0.25, 0.5])", ""),
    "lgamma": ("ourdl.tensor([0.25, 0.5])", ""),
    "digamma": ("ourdl.tensor([0.25, 0.5])", ""),
    "exp2": ("ourdl.tensor([0.25, 0.5])", ""),
    "sinc": ("ourdl.tensor([0.25, 0.5])", ""),
    "logit": ("ourdl.tensor([0.25, 0.5])", ""),
    "deg2rad": ("ourdl.tensor([0.25, 0.5])", ""),
    "rad2deg": ("ourdl.tensor([0.25, 0.5])", ""),
    "negative": ("ourdl.tensor([0.25, 0.5])", ""),
    "absolute": ("ourdl.tensor([0.25, 0.5])", ""),
    "logical_not": ("ourdl.tensor([0.25, 0.5])", ""),
    "cumsum": ("ourdl.tensor([0.25, 0.5])", "0"),
    "cumprod": ("ourdl.tensor([0.25, 0.5])", "0"),
    "clamp_min": ("ourdl.tensor([0.25, 0.5])", "0.3"),
    "clamp_max": ("ourdl.tensor([0.25, 0.5])", "0.3"),
    "atan2": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "hypot": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "fmod": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "remainder": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "copysign": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "xlogy": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "divide": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "multiply": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "subtract": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "true_divide": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "floor_divide": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "eq": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "ne": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "lt": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "le": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "gt": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "ge": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "logical_and": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "logical_or": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "logical_xor": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5])"),
    "addcmul": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5]), ourdl.tensor([1.0, 3.0]), value=0.5"),
    "addcdiv": ("ourdl.tensor([1.5, 2.0])", "ourdl.tensor([2.0, 0.5]), ourdl.tensor([1.0, 4.0]), value=2"),
}


def _twin(name: str, example: str, arguments: str):
    op = f"{name}_"

    def method(self, *args, **kwargs):
        out_of_place = getattr(Tensor, name)
        return apply_inplace(self, lambda t: out_of_place(t, *args, **kwargs), op, *args, *kwargs.values())

    method.__name__ = method.__qualname__ = op
    method.__doc__ = f"""In place: ``self`` becomes ``self.{name}({arguments or ''})``, with the same arguments, and is
    returned. The dtype stays ``self``'s (a result that cannot be cast to it is an error); a leaf that requires
    grad can only be changed under ``no_grad``; inside the graph the gradient is that of ``{name}``.

    >>> import ourdl
    >>> x = {example}; y = x.{name}({arguments})
    >>> x.{op}({arguments}) is x, ourdl.equal(x, y)
    (True, True)
    """
    return method


for _name, (_example, _arguments) in _TWINS.items():
    globals()[f"{_name}_"] = _twin(_name, _example, _arguments)
# the in-place methods: those written here and one generated twin per out-of-place op in the table above
METHODS = ["add_", "sub_", "mul_", "div_", "pow_", "fill_", "zero_", "copy_", "masked_fill_",
           *[f"{name}_" for name in _TWINS], "fill_diagonal_"]
