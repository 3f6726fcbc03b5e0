"""``ArrayFunction``: the base of ourdl's own ops, whose ``forward`` works on NumPy arrays (the fast path).

``forward(ctx, *args)`` receives NumPy arrays (tensor arguments unwrapped) and returns one array.
``backward(ctx, grad)`` returns one gradient per positional argument (``None`` where there is none).
Write ``backward`` with operators and NumPy ufuncs (``np.exp``, ``np.where`` via
:mod:`ourdl.ops.array_or_tensor`): it then runs on arrays for ordinary gradients and on tensors when
``create_graph=True``, so higher derivatives come for free. Broadcasting and dtype are undone centrally
(in :class:`~ourdl.autograd.node.Node`): a gradient may come back in the broadcast shape.
User code subclasses :class:`ourdl.autograd.Function` instead, whose ``forward`` and ``backward`` see tensors.

>>> import ourdl, numpy as np
>>> class Cube(ArrayFunction):
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

from ..grad_mode import state
from ..tensor import Tensor
from ..view_tracking import make_view, sync_view
from .node import FREED, Node, SavedOutput


class ArrayFunction(Node):
    """Base class of ourdl's ops; an instance is the graph node (and the ``ctx``).

    Attributes set on ``ctx`` in ``forward`` are there in ``backward``.
    ``ctx.needs_input_grad[i]`` says whether argument ``i`` needs a gradient (known in
    ``forward`` already, so that it saves only what those gradients need).

    >>> import ourdl
    >>> class Double(ArrayFunction):
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

    # -- defined by subclasses ---------------------------------------------------
    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("an ArrayFunction subclass must define forward(ctx, *args)")

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError("an ArrayFunction subclass must define backward(ctx, grad)")

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
                    node = a._grad_fn
                    edges.append(a if node is None else node if node.output_ids is None else node.slot_of(a))
                    continue
            else:
                arrays.append(a)
            inputs.append(None)
            edges.append(None)
        recording = recording and state.enabled
        ctx = object.__new__(cls)
        ctx._recording = recording
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
            ctx._versions = tuple([s._version.value if isinstance(s, Tensor) else s.counter.value if type(s) is SavedOutput
                                   else None for s in sources])
        return result

    def _release(self) -> None:
        """Also drop the arrays ``forward`` kept as attributes (``ctx.mask``, a kernel's intermediates): they are
        saved values too, so a second backward through this node is refused, as PyTorch refuses it."""
        super()._release()
        held = self.__dict__
        kept = [name for name, value in held.items() if name not in _STRUCTURE and _holds_arrays(value)]
        for name in kept:
            del held[name]
        if kept:
            self._saved = FREED

    def _backward(self, grad, tensor_mode: bool) -> tuple:
        self._tensor_mode = tensor_mode
        grads = type(self).backward(self, grad)
        return grads if isinstance(grads, tuple) else (grads,)


_STRUCTURE = frozenset(("inputs", "edges", "_saved", "_versions", "_args", "_meta", "_hooks", "retained_output"))


def _holds_arrays(value) -> bool:
    if isinstance(value, (tuple, list)):
        return any(isinstance(v, (np.ndarray, Tensor)) for v in value)
    return isinstance(value, (np.ndarray, Tensor))


def _source(item, args, arrays, result):
    """The tensor a saved array came from (an input or the output), so that its version can be checked."""
    if item is result._data:
        return SavedOutput(result)
    for a, arr in zip(args, arrays):
        if item is arr and isinstance(a, Tensor):
            return a
    return item
