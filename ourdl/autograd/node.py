"""``Node``: what every node of the backward graph has, whichever way its forward was written.

A node keeps its ``edges`` (per argument: the node that made it, the leaf tensor itself, or None when
no gradient flows there), its ``inputs`` (per argument: the array of a tensor that needs a gradient, else None;
arrays, not tensors, so that an intermediate tensor nothing else holds is freed at once), what ``forward``
saved, and the checks every returned gradient goes through
(count, shape with broadcasting undone, dtype). ``next_functions`` shows the edges as PyTorch does:
``(node, output_index)`` pairs, an :class:`AccumulateGrad` for a leaf, ``(None, 0)`` for a tensor that
needs no gradient. Two kinds of node build on it: :class:`~ourdl.autograd.array_function.ArrayFunction`
(ourdl's ops, forward on arrays) and :class:`~ourdl.autograd.Function` (user code, forward on tensors).

>>> import ourdl
>>> w = ourdl.ones(2, requires_grad=True)
>>> y = w * ourdl.ones(2)
>>> y.grad_fn.next_functions
((<AccumulateGrad>, 0), (None, 0))
>>> y.grad_fn.next_functions[0][0].variable is w
True
"""

from __future__ import annotations

import weakref

import numpy as np

from ..dtypes import from_numpy_dtype
from ..tensor import Tensor
from ..view_tracking import version_of
from .broadcasting import sum_to_shape

FREED = object()  # what ``_saved`` holds once backward has released the saved values


class SavedOutput:
    """A node's own output kept for its backward without a reference to the output tensor, which holds the node
    (``grad_fn``): the pair would be a reference cycle, and a forward pass without backward would stay in memory
    until Python's cyclic collector ran, as PyTorch's saved outputs avoid. Under ``create_graph`` backward reads
    the output tensor itself while it lives, and one made anew on the array with the node as ``grad_fn`` after."""

    __slots__ = ("array", "counter", "version", "ref", "index")

    def __init__(self, output: Tensor, index: int = 0):
        self.array, self.counter, self.ref, self.index = output._data, output._version, weakref.ref(output), index
        self.version = self.counter.value

    def tensor(self, node: "Node") -> Tensor:
        output = self.ref()
        if output is None:
            output = Tensor._make(self.array, True, node)
            if node.output_ids is not None:
                node.output_ids[id(output)] = self.index
            self.ref = weakref.ref(output)
        return output


def _freed_error(node: "Node") -> RuntimeError:
    return RuntimeError(
        f"Trying to backward through the graph a second time (or directly access saved tensors after they "
        f"have already been freed) in {node.name()}. Saved intermediate values of the graph are freed when "
        "you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through "
        "the graph a second time or if you need to access saved tensors after calling backward."
    )


def _stand_in(data: np.ndarray) -> np.ndarray:
    """An array of ``data``'s shape and dtype over one NaN with zero strides: a microsecond, where np.broadcast_to
    takes several; read-only (its buffer is bytes), so every released input of that shape and dtype shares it."""
    key = (data.shape, data.dtype)
    view = _STAND_INS.get(key)
    if view is None:
        nan = np.full(1, np.nan, dtype=data.dtype).tobytes()
        view = np.ndarray(data.shape, dtype=data.dtype, buffer=nan, strides=(0,) * data.ndim)
        if len(_STAND_INS) < 1024:
            _STAND_INS[key] = view
    return view


_STAND_INS: dict = {}  # (shape, dtype) -> the stand-in array of released inputs of that shape and dtype


class Node:
    """Base of every graph node: edges, saved values, name, ``next_functions``, checked gradients.

    A subclass defines ``_backward(grad, tensor_mode)``, returning one gradient per argument.

    >>> import ourdl
    >>> node = (ourdl.ones(2, requires_grad=True) * 3).grad_fn
    >>> isinstance(node, Node), node.name()
    (True, 'MulBackward0')
    """

    retained_output = None
    _hooks = None  # the hooks of the tensor this node makes (see ourdl.autograd.hooks)
    is_view = False  # True for ops whose output may share the input's memory (reshape, slicing, ...)
    view_changes_allowed = True  # False: an in-place change of the output view would bypass this node's backward
    output_ids = None  # {id(output): index} for a node with several outputs (their gradients arrive in a tuple)
    grads_are_fresh = True  # False: a returned gradient may be memory that someone else holds
    _tensor_mode = False
    _versions = ()
    _saved = ()
    _args = None  # the arguments, kept when one is a tensor that needs no gradient (else ``inputs`` describe them)
    _meta = None  # ``input_meta`` once backward has released the arguments
    _overwritten = ()  # arrays of this node's outputs that in-place ops changed afterwards (for graph drawings)

    def save_for_backward(self, *items) -> None:
        """Keep values for ``backward`` (read back with ``saved_tensors``); tensors' versions are checked then."""
        if self._recording:
            self._saved = items

    @property
    def input_meta(self) -> tuple:
        """``(shape, dtype)`` of each tensor argument (None for other arguments), for graph drawings."""
        if self._meta is not None:
            return self._meta
        if self._args is None:
            return tuple([None if a is None else (a.shape, a.dtype) for a in self.inputs])
        return tuple([(a._data.shape, a._data.dtype) if isinstance(a, Tensor) else None for a in self._args])

    @property
    def needs_input_grad(self) -> tuple:
        """Per argument, whether it is a tensor that needs a gradient (known in ``forward`` already)."""
        return tuple(t is not None for t in self.inputs)

    @property
    def saved_tensors(self) -> tuple:
        """What ``forward`` saved: tensors in a user's ``Function`` and under ``create_graph``, else arrays."""
        saved = self._saved
        if saved is FREED:
            raise _freed_error(self)
        tensor_mode = self._tensor_mode
        versions = self._versions  # () when every saved input was at version 0
        values = []
        for i, item in enumerate(saved):
            if isinstance(item, Tensor):
                expected = versions[i] if versions else 0
                if version_of(item) != expected:
                    raise _modified_error(self, item._data, version_of(item), expected)
                values.append(item if tensor_mode else item._data)
            elif type(item) is SavedOutput:
                if item.counter.value != item.version:
                    raise _modified_error(self, item.array, item.counter.value, item.version)
                values.append(item.tensor(self) if tensor_mode else item.array)
            else:
                values.append(Tensor._make(item) if tensor_mode and type(item) is np.ndarray else item)
        return tuple(values)

    def name(self) -> str:
        return type(self).__name__ + "Backward0"

    def __repr__(self) -> str:
        return f"<{self.name()}>"

    @property
    def next_functions(self) -> tuple:
        """``(node, output_index)`` per tensor argument, as PyTorch shows them: the node that made it (as it was when
        this node was recorded), an :class:`AccumulateGrad` for a leaf, ``(None, 0)`` when it needs no gradient.

        >>> import ourdl
        >>> x = ourdl.ones(3, requires_grad=True)
        >>> (x.exp() * 2).grad_fn.next_functions
        ((<ExpBackward0>, 0),)
        """
        return tuple(_next_function(edge) for edge, meta in zip(self.edges, self.input_meta) if meta is not None)

    def slot_of(self, output: Tensor) -> "OutputSlot":
        """The edge that gradients for ``output``, one of this node's several outputs, flow along."""
        return self._slots[self.output_ids[id(output)]]

    # -- used by the engine ----------------------------------------------------------
    def _backward(self, grad, tensor_mode: bool) -> tuple:
        raise NotImplementedError

    def _release(self) -> None:
        """Free what backward needed, as PyTorch frees a graph at ``backward()`` without ``retain_graph``: the
        saved values, the arguments (their description stays in ``input_meta``) and the inputs' memory."""
        if self._saved:
            self._saved = FREED
        if self._args is not None:
            self._meta = self.input_meta
            self._args = None
        # the inputs' memory: only their shape and dtype are needed from now on (checking returned gradients);
        # one element is not worth a stand-in (nor a new tuple, when no input is larger)
        inputs = self.inputs
        for a in inputs:
            if a is not None and a.size > 1:
                self.inputs = tuple([a if a is None or a.size < 2 else _stand_in(a) for a in inputs])
                return

    def _run_backward(self, grad, tensor_mode: bool, retain_graph: bool) -> tuple:
        if self._saved is FREED:
            raise _freed_error(self)
        grads = self._backward(grad, tensor_mode)
        if not retain_graph:
            self._release()
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
            shape, dtype = t.shape, t.dtype
            if tensor_mode:
                array = g._data  # its shape and dtype without making a Size and a DType
            else:
                if type(g) is not np.ndarray:
                    g = np.asanyarray(g)  # NumPy returns scalars, not 0-d arrays, from ops on 0-d arrays
                array = g
            if array.shape != shape:
                g = sum_to_shape(g, shape, self.name())
                array = g._data if tensor_mode else g
            if array.dtype != dtype:
                g = g.to(dtype) if tensor_mode else g.astype(dtype)
            fixed.append(g)
        return tuple(fixed)


def _modified_error(node: "Node", array: np.ndarray, version: int, expected: int) -> RuntimeError:
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{from_numpy_dtype(array.dtype).name} tensor of shape {list(array.shape)}], which is output 0 "
        f"of {node.name()}, is at version {version}; expected version {expected} instead. "
        "Clone the tensor before changing it in place, or change it out of place."
    )


class OutputSlot(Node):
    """The edge to output ``index`` of a node with several outputs: its gradient goes on in a tuple, at ``index``,
    so that the node runs once with the gradients of all its outputs."""

    def __init__(self, node: Node, index: int, count: int):
        self.node, self.index, self.count = node, index, count
        self.edges = (node,)

    def name(self) -> str:
        return self.node.name()

    def _run_backward(self, grad, tensor_mode: bool, retain_graph: bool) -> tuple:
        grads = [None] * self.count
        grads[self.index] = grad
        return (tuple(grads),)


class AccumulateGrad:
    """The node that adds a gradient into a leaf's ``.grad``, as ``next_functions`` shows it; one per leaf while
    someone holds it.

    >>> import ourdl
    >>> w = ourdl.ones(1, requires_grad=True)
    >>> a = (w * 2).grad_fn.next_functions[0][0]
    >>> a.variable is w, a is (w + 1).grad_fn.next_functions[0][0], a.next_functions
    (True, True, ())
    """

    _live: "weakref.WeakValueDictionary[int, AccumulateGrad]" = weakref.WeakValueDictionary()
    next_functions = ()

    def __init__(self, variable: Tensor):
        self.variable = variable

    @classmethod
    def of(cls, leaf: Tensor) -> "AccumulateGrad":
        # Keyed by id: while the accumulator lives it holds the leaf, so the id cannot be reused meanwhile.
        node = cls._live.get(id(leaf))
        if node is None:
            node = cls._live[id(leaf)] = cls(leaf)
        return node

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def __repr__(self) -> str:
        return "<AccumulateGrad>"


def edge_of(t: Tensor):
    """Where gradients with respect to ``t`` go: the node (or output slot) that made it, or ``t`` if a leaf.

    >>> import ourdl
    >>> x = ourdl.ones(2, requires_grad=True)
    >>> edge_of(x) is x, edge_of(x * 2)
    (True, <MulBackward0>)
    """
    node = t.grad_fn
    if node is None:
        return t
    return node if node.output_ids is None else node.slot_of(t)


def _next_function(edge) -> tuple:
    if edge is None:
        return (None, 0)
    if isinstance(edge, Tensor):
        return (AccumulateGrad.of(edge), 0)
    if isinstance(edge, OutputSlot):
        return (edge.node, edge.index)
    return (edge, 0)
