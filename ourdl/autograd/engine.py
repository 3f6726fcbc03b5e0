"""The backward engine: reverse-mode differentiation over the recorded graph.

The graph is walked with an explicit stack (no recursion, so chains of any
length work): first every node reachable from the roots is counted by how
many consumers it has, then nodes run in an order where each runs once all
its consumers have sent their gradient (Kahn's topological order). A tensor
used several times receives the sum of its gradients.

>>> import ourdl
>>> x = ourdl.tensor(2.0, requires_grad=True)
>>> ourdl.autograd.grad(x * x * x, x)
(tensor(12.),)
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import numpy as np

from ..tensor import Tensor
from ..grad_mode import state
from ..quiet_numpy import ignore_errors, restore_errors
from ..sparse_rows import row_sparse, rows_of
from .hooks import run_hooks
from .node import edge_of


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph: bool = False, inputs=None) -> None:
    """Accumulate gradients of ``tensors`` into ``.grad`` of the leaves (or of ``inputs`` only).

    >>> import ourdl
    >>> w = ourdl.ones(3, requires_grad=True)
    >>> backward((w * 2).sum()); w.grad
    tensor([2., 2., 2.])
    """
    roots, root_grads = _prepare_roots(tensors, grad_tensors, create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    only = None if inputs is None else _as_list(inputs)
    _run(roots, root_grads, retain_graph, create_graph, capture=None, only=only)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph: bool = False, allow_unused: bool = False):
    """The gradients of ``outputs`` with respect to ``inputs``, returned rather than accumulated.

    ``.grad`` of no tensor is touched. With ``create_graph=True`` the results
    are themselves differentiable.

    >>> import ourdl
    >>> x = ourdl.tensor(3.0, requires_grad=True)
    >>> (g,) = grad(x ** 3, x, create_graph=True)
    >>> grad(g, x)
    (tensor(18.),)
    """
    inputs = _as_list(inputs)
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError(f"grad: input {i} does not require grad; only tensors with requires_grad=True can be inputs")
    roots, root_grads = _prepare_roots(outputs, grad_outputs, create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    captured = _run(roots, root_grads, retain_graph, create_graph, capture=inputs, only=None)
    results = []
    for i, t in enumerate(inputs):
        g = captured[i]
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"One of the differentiated Tensors (input {i}) appears to not have been used in the graph. "
                    "Set allow_unused=True if this is the desired behavior."
                )
            results.append(None)
        elif isinstance(g, Tensor):
            results.append(g)
        else:
            results.append(Tensor._make(g if g.flags.owndata and g.flags.writeable else g.copy()))
    return tuple(results)


def _as_list(x) -> list:
    if isinstance(x, Tensor):
        return [x]
    return list(x)


def _prepare_roots(tensors, grad_tensors, create_graph):
    if grad_tensors is None and not create_graph and type(tensors) is Tensor and tensors._base is None:
        # the common case, made fast: loss.backward() of one recorded element without hooks
        node, data = tensors._grad_fn, tensors._data
        if node is not None and not node._hooks and data.size == 1:
            return [tensors], [_one(data.shape, data.dtype)]
    roots = _as_list(tensors)
    if grad_tensors is None:
        grads = [None] * len(roots)
    elif isinstance(grad_tensors, Tensor) or not isinstance(grad_tensors, Sequence):
        grads = [grad_tensors]
    else:
        grads = list(grad_tensors)
    if len(grads) != len(roots):
        raise RuntimeError(f"grad_tensors should have the same length as tensors ({len(grads)} != {len(roots)})")
    arrays = []
    for i, (root, g) in enumerate(zip(roots, grads)):
        if not isinstance(root, Tensor):
            raise TypeError(f"backward: expected a Tensor as output {i}, got {type(root).__name__}")
        if not root.requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn: "
                "nothing recorded leads to it; did you forget requires_grad=True on the inputs, or compute it under no_grad?"
            )
        if g is None:
            if root._data.size != 1:
                raise RuntimeError(
                    f"grad can be implicitly created only for scalar outputs, but the output has shape "
                    f"{list(root.shape)}; pass gradient= a tensor of that shape (e.g. ones_like(output)) or reduce it first"
                )
            node = root._grad_fn
            if create_graph or (root._hooks if node is None else node._hooks):  # a hook may change it in place
                g = np.ones(root._data.shape, root._data.dtype)
            else:
                g = _one(root._data.shape, root._data.dtype)
        else:
            if create_graph and isinstance(g, Tensor):
                # Kept as a tensor: the gradient computed from it is differentiable with respect to it too.
                _check_grad_shape(i, g, root)
                arrays.append(g if g._data.dtype == root._data.dtype else g.to(root.dtype))
                continue
            g = g._data if isinstance(g, Tensor) else np.asarray(g, dtype=root._data.dtype)
            _check_grad_shape(i, g, root)
            if g.dtype != root._data.dtype:
                g = g.astype(root._data.dtype)
        arrays.append(Tensor._make(g) if create_graph else g)
    return roots, arrays


def _one(shape: tuple, dtype: np.dtype) -> np.ndarray:
    """The implicit gradient of a one-element output without hooks: a shared read-only 1 of that shape and dtype
    (ops never write into the gradient they receive; a leaf's ``.grad`` copies one it cannot own)."""
    key = (shape, dtype)
    one = _ONES.get(key)
    if one is None:
        one = np.ones(shape, dtype)
        one.flags.writeable = False
        if len(_ONES) < 256:
            _ONES[key] = one
    return one


_ONES: dict = {}  # (shape, dtype) -> the implicit gradient of a one-element output


def _check_grad_shape(i, g, root):
    if tuple(g.shape) != root._data.shape:
        raise RuntimeError(
            f"Mismatch in shape: grad_output[{i}] has a shape of {list(g.shape)} and output[{i}] has a "
            f"shape of {list(root.shape)}"
        )


def _run(roots, root_grads, retain_graph, create_graph, capture, only):
    """Walk the graph from ``roots``; accumulate into leaves or collect grads of ``capture``.

    A graph that starts as a chain (each node with one input that needs a gradient: ``loss.backward()`` through
    ``sum``, activations, a leaf's ``* b``) is walked along the chain with no bookkeeping: every node there has one
    consumer. The rest, from the first node with several such inputs, goes through Kahn's order."""
    # Gradients arrive per node (a node has one output) or per leaf tensor.
    pending: dict = {}
    starts = []
    walk = _Walk(retain_graph, create_graph, capture, only)
    for root, g in zip(roots, root_grads):
        key = edge_of(root)
        _claim(walk.claimed, g)
        if key in pending:
            pending[key] = _add(pending[key], g)
        else:
            pending[key] = g
            starts.append(key)
    targets = capture if capture is not None else only
    previous_mode = state.enabled
    state.enabled = create_graph
    token = ignore_errors()  # inf and NaN in gradients propagate silently, as in PyTorch
    try:
        if len(starts) == 1:
            key = starts[0]
            path = _chain(key) if targets is not None else None
            if targets is None or path is not None:
                if path is not None:
                    walk.needed = _needed_on_chain(path, targets)
                key, pending = _walk_chain(walk, key, pending[key])
                starts = list(pending)
        if starts:
            _walk_graph(walk, starts, pending, targets)
    finally:
        restore_errors(token)
        state.enabled = previous_mode
    return walk.captured


def _chain(key):
    """The keys from ``key`` to a leaf when every node on the way has at most one input that needs a gradient, else
    None."""
    path = [key]
    while not isinstance(key, Tensor):
        following = None
        for edge in key.edges:
            if edge is not None:
                if following is not None:
                    return None
                following = edge
        if following is None:
            break
        path.append(following)
        key = following
    return path


def _needed_on_chain(path, targets) -> set:
    """The nodes of a chain whose backward must run: those before the last of ``targets`` on it."""
    wanted = {id(edge_of(t)) for t in targets}
    last = max((i for i, key in enumerate(path) if id(key) in wanted), default=0)
    return set(path[:last])


def _walk_chain(walk, key, g):
    """Run ``key`` and the nodes after it while each has one input that needs a gradient; return the last node run
    and the gradients it sent (several inputs), or ``(None, {})`` at the chain's end."""
    visit = walk.visit
    while True:
        input_grads = visit(key, g)
        if input_grads is None:
            return None, {}
        following = None
        g = None
        for child, gi in zip(key.edges, input_grads):
            if child is not None:
                if following is not None:  # a node of several inputs: what it sent goes on in the general walk
                    return key, _gradients_sent(key, input_grads)
                following, g = child, gi
        if following is None:
            return None, {}
        key = following


def _gradients_sent(node, input_grads) -> dict:
    sent: dict = {}
    for child, gi in zip(node.edges, input_grads):
        if child is not None:
            sent[child] = _add(sent.get(child), gi) if child in sent else gi
    return sent


def _walk_graph(walk, starts, pending, targets) -> None:
    """Kahn's order from ``starts``: each key runs once all its consumers have sent their gradient."""
    deps: dict = {}
    parents: dict | None = None if targets is None else {}  # child -> the nodes it feeds, to prune below
    stack = []
    for key in starts:
        deps[key] = 0
        if not isinstance(key, Tensor):
            stack.append(key)
    while stack:
        node = stack.pop()
        for key in node.edges:
            if key is None:
                continue
            if parents is not None:
                parents.setdefault(key, []).append(node)
            count = deps.get(key)
            if count is None:  # first visit
                deps[key] = 1
                if not isinstance(key, Tensor):
                    stack.append(key)
            else:
                deps[key] = count + 1
    if parents is not None:
        walk.needed = _leading_to(targets, parents)
    visit = walk.visit
    ready = [key for key, count in deps.items() if count == 0]
    while ready:
        key = ready.pop()
        input_grads = visit(key, pending.pop(key, None))
        if input_grads is None:
            if isinstance(key, Tensor):
                continue
            input_grads = (None,) * len(key.edges)
        for child, gi in zip(key.edges, input_grads):
            if child is None:
                continue
            if gi is not None:
                total = pending.get(child)
                pending[child] = gi if total is None else _add(total, gi)
            count = deps[child] - 1
            deps[child] = count
            if count == 0:
                ready.append(child)


class _Walk:
    """What one backward pass carries from key to key, and what it does at each (:meth:`visit`)."""

    __slots__ = ("retain_graph", "create_graph", "capture", "captured", "capture_keys", "only_leaves", "claimed",
                 "needed")

    def __init__(self, retain_graph, create_graph, capture, only):
        self.retain_graph, self.create_graph, self.capture = retain_graph, create_graph, capture
        self.claimed: dict = {}  # arrays a leaf's .grad must not take over, someone else holds them (see _claim)
        self.captured = self.capture_keys = self.needed = None
        if capture is not None:
            self.capture_keys = {id(edge_of(t)): i for i, t in enumerate(capture)}
            self.captured = [None] * len(capture)
        self.only_leaves = None if only is None else {id(t) for t in only}

    def visit(self, key, g):
        """Hooks, capture, accumulation into a leaf, or the node's backward: the gradients it sends to its inputs
        (None when it sends none)."""
        create_graph = self.create_graph
        if g is not None and key._hooks:
            g = run_hooks(key._hooks, g, create_graph)
            _claim(self.claimed, g)
        if self.capture_keys is not None and g is not None and id(key) in self.capture_keys:
            i = self.capture_keys[id(key)]
            self.captured[i] = _add(self.captured[i], g)
        if isinstance(key, Tensor):  # a leaf
            if g is not None and self.capture is None and (self.only_leaves is None or id(key) in self.only_leaves):
                _accumulate(key, g, create_graph, self.claimed)
                if key._post_accumulate_hooks:
                    for hook in tuple(key._post_accumulate_hooks.values()):
                        hook(key)
            return None
        if g is None or (self.needed is not None and key not in self.needed):
            return None
        claimed = self.claimed
        if not create_graph:
            _claim(claimed, g)
        retained = key.retained_output
        if retained is not None and retained._grad_fn is key:
            own = g if key.output_ids is None else g[key.output_ids[id(retained)]]
            if own is not None:
                _accumulate(retained, own, create_graph, claimed)
        input_grads = key._run_backward(g, create_graph, self.retain_graph)
        if not (create_graph or key.grads_are_fresh):
            for gi in input_grads:
                _claim(claimed, gi)
        return input_grads


def _leading_to(targets, parents) -> set:
    """The nodes with a path to one of ``targets``: only their backward needs to run (as PyTorch prunes)."""
    needed: set = set()
    frontier = [edge_of(t) for t in targets]
    while frontier:
        for node in parents.get(frontier.pop(), ()):
            if node not in needed:
                needed.add(node)
                frontier.append(node)
    return needed


def _add(total, g):
    """The sum of two gradients for one key: arrays, tensors, or tuples of them (a node with several outputs)."""
    if total is None:
        return g
    if g is None:
        return total
    if type(total) is tuple:
        return tuple([_add(a, b) for a, b in zip(total, g)])
    total = total + g
    return np.asarray(total) if isinstance(total, np.generic) else total  # 0-d arrays add up to a NumPy scalar


def _claim(claimed: dict, g) -> None:
    """Note that ``g`` (an array someone else may hold) must not become a leaf's ``.grad`` as it is.

    By a weak reference, not by its ``id`` alone: once an array dies, a new one may get its ``id``, and would
    be copied for nothing (a first layer's weight gradient was, holding a second copy of it)."""
    if type(g) is np.ndarray:  # only arrays are ever taken over (anything else is copied)
        claimed[id(g)] = weakref.ref(g)


def _is_claimed(claimed: dict, g: np.ndarray) -> bool:
    ref = claimed.get(id(g))
    return ref is not None and ref() is g


def _accumulate(t: Tensor, g, create_graph: bool, claimed: dict) -> None:
    """``t.grad += g``, in place where safe; a fresh ``.grad`` never aliases another array."""
    if create_graph:
        if not isinstance(g, Tensor):
            g = Tensor._make(g)
        # a differentiable copy, as PyTorch: the gradient may be a (read-only broadcast) view or held elsewhere
        t._grad = g.clone() if t._grad is None else t._grad + g
        return
    if t._grad is None:
        if type(g) is not np.ndarray or not (g.flags.owndata and g.flags.writeable) or _is_claimed(claimed, g):
            rows = rows_of(g)
            g = np.array(g) if rows is None else row_sparse(np.array(g), rows)  # a sparse gradient stays so
        _claim(claimed, g)
        t._grad = Tensor._make(g)
    elif t._grad._requires_grad:
        t._grad = Tensor._make(t._grad._data + g)
    else:
        np.add(t._grad._data, g, out=t._grad._data)
