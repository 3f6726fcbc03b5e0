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
from ..view_tracking import make_view, sync_view, version_of
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
        inputs = []  # per argument: the array of a tensor that requires grad, else None
        edges = []
        recording = False
        all_tensors = True  # every argument a tensor: ``args`` itself may serve as the saved values
        unrecorded_tensor = False  # a tensor argument without grad: ``input_meta`` must read ``args``
        for a in args:
            if isinstance(a, Tensor):
                if a._base is not None:
                    sync_view(a)
                data = a._data
                arrays.append(data)
                if a._requires_grad:
                    recording = True
                    inputs.append(data)
                    node = a._grad_fn
                    edges.append(a if node is None else node if node.output_ids is None else node.slot_of(a))
                    continue
                unrecorded_tensor = True
            else:
                arrays.append(a)
                all_tensors = False
            inputs.append(None)
            edges.append(None)
        ctx = object.__new__(cls)
        if recording and state.enabled:
            ctx._recording = True
            ctx.inputs = tuple(inputs)
            ctx.edges = tuple(edges)
        else:
            recording = ctx._recording = False
            ctx.inputs = ctx.edges = (None,) * len(inputs)
        out = cls.forward(ctx, *arrays, **kwargs)
        if type(out) is not np.ndarray:  # NumPy gives scalars for 0-d results
            scalar, out = out, np.asarray(out)
            saved = ctx._saved
            for i in range(len(saved)):  # a saved output must stay recognisable as the output, for higher derivatives
                if saved[i] is scalar:
                    ctx._saved = tuple([out if item is scalar else item for item in saved])
                    break
        if recording and out.dtype.kind != "f":
            recording = False
        result = Tensor._make(out, recording, ctx if recording else None)
        if cls.is_view and np.may_share_memory(out, arrays[0]):
            make_view(result, args[0])
        if not recording:
            return result
        if unrecorded_tensor:
            ctx._args = args  # kept rather than described now: fewer objects per node for the garbage collector
        saved = ctx._saved
        if saved:
            count = len(saved)
            if all_tensors and count == len(arrays) and _same_items(saved, arrays, count):
                sources = ctx._saved = args  # the inputs themselves: one tuple fewer for the garbage collector
            else:
                sources = ctx._saved = tuple([_source(item, args, arrays, out, result)
                                              if type(item) is np.ndarray else item for item in saved])
            for s in sources:
                if isinstance(s, Tensor) and s._counter is not None and s._counter.value:
                    # versions are kept only when one is not 0, the usual case: one tuple fewer per node
                    ctx._versions = tuple([version_of(s) if isinstance(s, Tensor) else None for s in sources])
                    break
        return result

    def _release(self) -> None:
        """Also drop the arrays ``forward`` kept as attributes (``ctx.mask``, a kernel's intermediates): they are
        saved values too, so a second backward through this node is refused, as PyTorch refuses it."""
        super()._release()
        held = self.__dict__
        if held.keys() <= _STRUCTURE:  # the usual node: nothing kept beside what every node has
            return
        kept = [name for name, value in held.items() if name not in _STRUCTURE and _holds_arrays(value)]
        for name in kept:
            del held[name]
        if kept:
            self._saved = FREED

    def _backward(self, grad, tensor_mode: bool) -> tuple:
        self._tensor_mode = tensor_mode
        grads = type(self).backward(self, grad)
        return grads if isinstance(grads, tuple) else (grads,)


_STRUCTURE = frozenset(("inputs", "edges", "_saved", "_versions", "_args", "_meta", "_hooks", "retained_output",
                        "_recording", "_tensor_mode", "_overwritten"))


def _holds_arrays(value) -> bool:
    if isinstance(value, (tuple, list)):
        return any(isinstance(v, (np.ndarray, Tensor)) for v in value)
    return isinstance(value, (np.ndarray, Tensor))


def _same_items(saved: tuple, arrays: list, count: int) -> bool:
    """Whether ``forward`` saved exactly its input arrays, in order (the common case, made fast)."""
    for i in range(count):
        if saved[i] is not arrays[i]:
            return False
    return True


def _source(item, args, arrays, out, result):
    """The tensor a saved array came from (an input or the output), so that its version can be checked."""
    if item is out:
        return SavedOutput(result)
    for a, arr in zip(args, arrays):
        if item is arr and isinstance(a, Tensor):
            return a
    return item
