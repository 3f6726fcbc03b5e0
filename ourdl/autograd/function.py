"""``Function``: one differentiable operation, written as a forward and a backward.

``forward(ctx, *args)`` receives NumPy arrays (tensor arguments unwrapped)
and returns one array. ``backward(ctx, grad)`` returns one gradient per
positional argument (``None`` where there is none). Write ``backward`` with
operators and NumPy ufuncs (``np.exp``, ``np.where`` via
:mod:`ourdl.ops.array_or_tensor`): it then runs on arrays for ordinary gradients and on
tensors when ``create_graph=True``, so higher derivatives come for free.
Broadcasting and dtype are undone centrally: a gradient may come back in
the broadcast shape and is summed down to the input's shape here.

Example, a user-defined op (``ctx`` is the node; what ``forward`` saves,
``backward`` gets back; ``backward`` returns one gradient per input):

>>> import ourdl
>>> from ourdl.autograd import Function
>>> class Cube(Function):
...     @staticmethod
...     def forward(ctx, x):
...         ctx.save_for_backward(x)
...         return x ** 3
...
...     @staticmethod
...     def backward(ctx, grad):
...         (x,) = ctx.saved_tensors
...         return grad * 3 * x ** 2
>>> x = ourdl.tensor([2.0], requires_grad=True)
>>> y = Cube.apply(x); y
tensor([8.], grad_fn=<CubeBackward0>)
>>> y.backward(); x.grad
tensor([12.])
>>> ourdl.autograd.gradgradcheck(Cube.apply, ourdl.tensor([0.5], dtype=ourdl.float64, requires_grad=True))
True
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from ..view_tracking import make_view, sync_view
from .broadcasting import sum_to_shape
from ..grad_mode import state

_FREED = object()


class Function:
    """Base class of every operation; an instance is the graph node (and the ``ctx``).

    Attributes set on ``ctx`` in ``forward`` are there in ``backward``.
    ``ctx.needs_input_grad[i]`` says whether argument ``i`` needs a gradient (known in
    ``forward`` already, so that it saves only what those gradients need).

    >>> import ourdl
    >>> class Double(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         return x * 2
    ...
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         return grad * 2
    >>> a = ourdl.tensor([1.0, 3.0], requires_grad=True)
    >>> b = Double.apply(a); b
    tensor([2., 6.], grad_fn=<DoubleBackward0>)
    >>> b.sum().backward(); a.grad
    tensor([2., 2.])
    """

    retained_output = None
    _hooks = None  # the hooks of the tensor this node makes (see ourdl.autograd.hooks)
    is_view = False  # True for ops whose output may share the input's memory (reshape, slicing, ...)
    view_changes_allowed = True  # False: an in-place change of the output view would bypass this node's backward

    # -- defined by subclasses ---------------------------------------------------
    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("a Function subclass must define forward(ctx, *args)")

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError("a Function subclass must define backward(ctx, grad)")

    # -- running -------------------------------------------------------------------
    @classmethod
    def apply(cls, *args, **kwargs) -> Tensor:
        """Run ``forward`` on the arrays of ``args`` and, if any input requires grad, record the node."""
        arrays = []
        inputs = []
        edges = []
        recording = False
        for a in args:
            if isinstance(a, Tensor):
                if a._base is not None:
                    sync_view(a)
                arrays.append(a._data)
                if a._requires_grad:
                    recording = True
                    inputs.append(a)
                    edges.append(a._grad_fn or a)
                    continue
            else:
                arrays.append(a)
            inputs.append(None)
            edges.append(None)
        recording = recording and state["enabled"]
        ctx = object.__new__(cls)
        ctx._recording = recording
        ctx._saved = ()
        if recording:
            ctx.inputs, ctx.edges = tuple(inputs), tuple(edges)
        else:
            ctx.inputs = ctx.edges = (None,) * len(inputs)
        out = cls.forward(ctx, *arrays, **kwargs)
        if type(out) is not np.ndarray:  # NumPy gives scalars for 0-d results
            scalar, out = out, np.asarray(out)
            if ctx._saved:  # a saved output must stay recognisable as the output, for higher derivatives
                ctx._saved = tuple(out if item is scalar else item for item in ctx._saved)
        recording = recording and out.dtype.kind == "f"
        result = Tensor._make(out, recording, ctx if recording else None)
        if cls.is_view and np.may_share_memory(out, arrays[0]):
            make_view(result, args[0])
        if not recording:
            return result
        ctx._args = args  # kept rather than described now: fewer objects per node for the garbage collector
        if ctx._saved:
            # Two flat tuples rather than one pair per item: fewer objects for the garbage collector.
            sources = ctx._saved = tuple([_source(item, args, arrays, result) for item in ctx._saved])
            ctx._versions = tuple([s._version.value if isinstance(s, Tensor) else None for s in sources])
        return result

    def save_for_backward(self, *items) -> None:
        """Keep arrays for ``backward``: inputs and the output are kept as tensors (versions checked)."""
        if self._recording:
            self._saved = items

    @property
    def input_meta(self) -> tuple:
        """``(shape, dtype)`` of each tensor argument (None for other arguments), for graph drawings."""
        if self._args is None:
            return self._meta
        return tuple((a._data.shape, a._data.dtype) if isinstance(a, Tensor) else None for a in self._args)

    @property
    def needs_input_grad(self) -> tuple:
        return tuple(t is not None for t in self.inputs)

    @property
    def saved_tensors(self) -> tuple:
        """What ``forward`` saved: arrays in a plain backward, tensors under ``create_graph``."""
        saved = self._saved
        if saved is _FREED:
            raise RuntimeError(
                f"Trying to backward through the graph a second time (or directly access saved tensors after they "
                f"have already been freed) in {self.name()}. Saved intermediate values of the graph are freed when "
                "you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through "
                "the graph a second time or if you need to access saved tensors after calling backward."
            )
        tensor_mode = self._tensor_mode
        values = []
        for tensor, version in zip(saved, self._versions):
            if version is None:
                is_array = type(tensor) is np.ndarray
                values.append(Tensor._make(tensor) if tensor_mode and is_array else tensor)
                continue
            if tensor._version.value != version:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by an inplace "
                    f"operation: [{tensor.dtype.name} tensor of shape {list(tensor.shape)}], which is output 0 of "
                    f"{self.name()}, is at version {tensor._version.value}; expected version {version} instead. "
                    "Clone the tensor before changing it in place, or change it out of place."
                )
            values.append(tensor if tensor_mode else tensor._data)
        return tuple(values)

    _tensor_mode = False
    _versions = ()

    def name(self) -> str:
        return type(self).__name__ + "Backward0"

    def __repr__(self) -> str:
        return f"<{self.name()}>"

    # -- used by the engine ----------------------------------------------------------
    def next_functions(self) -> tuple:
        """The nodes (or leaf tensors) gradients flow to, one per input: what made each input when this node was
        recorded (a later in-place change of an input does not redirect them)."""
        return self.edges

    def _run_backward(self, grad, tensor_mode: bool, retain_graph: bool) -> tuple:
        self._tensor_mode = tensor_mode
        grads = type(self).backward(self, grad)
        if not isinstance(grads, tuple):
            grads = (grads,)
        if not retain_graph:
            if self._saved:
                self._saved = _FREED
            self._meta = self.input_meta  # what graph drawings read, without holding on to the arguments' memory
            self._args = None
        if len(grads) < len(self.inputs):
            raise RuntimeError(
                f"function {self.name()} returned an incorrect number of gradients "
                f"(expected {len(self.inputs)}, got {len(grads)})"
            )
        fixed = []
        for t, g in zip(self.inputs, grads):
            if t is None or g is None:
                fixed.append(None)
                continue
            shape, dtype = t._data.shape, t._data.dtype
            if not tensor_mode and type(g) is not np.ndarray:
                g = np.asarray(g)  # NumPy returns scalars, not 0-d arrays, from ops on 0-d arrays
            if g.shape != shape:
                g = sum_to_shape(g, shape, self.name())
            if (g.dtype.numpy if tensor_mode else g.dtype) != dtype:
                g = g.to(dtype) if tensor_mode else g.astype(dtype)
            fixed.append(g)
        return tuple(fixed)


def _source(item, args, arrays, result):
    """The tensor a saved array came from (an input or the output), so that its version can be checked."""
    if item is result._data:
        return result
    for a, arr in zip(args, arrays):
        if item is arr and isinstance(a, Tensor):
            return a
    return item
