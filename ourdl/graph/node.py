"""Scalar nodes of a computational graph, as the tutorials build it by hand: ``Variable``, ``Op`` and the walk.

Every value is a node. A :class:`Variable` is a leaf holding a number (a weight, an input, a
target); an :class:`Op` computes its ``value`` from its parents in ``compute()`` and gives its
local derivative d(self)/d(parent) in ``get_parent_grad(parent)``. ``node.forward()`` runs
``compute()`` over everything ``node`` depends on, parents before children; ``node.backward()``
walks the same order in reverse and applies the chain rule

    parent.grad += child.grad · d(child)/d(parent)

with plain loops (no recursion), so a node used by several children collects every
contribution. The order is found once and reused while the graph's wiring is unchanged: build
a graph once, then set an input's ``.value`` and call ``forward()`` again for the next sample.

>>> from ourdl.graph import Variable
>>> w, x, b = Variable(2.0, name="w"), Variable(3.0, trainable=False, name="x"), Variable(1.0, name="b")
>>> y = w * x + b
>>> y.forward(), y.backward(), w.grad, x.grad, b.grad
(7.0, None, 3.0, 2.0, 1.0)
"""

from __future__ import annotations

import itertools
import numbers
import weakref

# Python's ``+ - * / ** -`` on nodes build the Op classes that name themselves here (``class Add(Op, operator="add")``).
_OPERATORS: dict[str, type] = {}
_NAMES = itertools.count()
_EDGES = itertools.count()


class Node:
    """A value in the graph: ``.value`` (a float), ``.grad`` (d root / d self after ``backward()``), ``.name``,
    ``.parents`` (the nodes it is computed from) and ``.children`` (the live nodes computed from it).

    ``Node`` itself is abstract: make a :class:`Variable` or an :class:`Op`. Python's operators on
    nodes (and numbers) build ops: ``w * x + b`` is ``Add(Mul(w, x), b)``.

    >>> from ourdl.graph import Variable
    >>> a = Variable(3.0, name="a")
    >>> b = a * a - 1
    >>> type(b).__name__, [type(p).__name__ for p in b.parents], b.forward()
    ('Sub', ['Mul', 'Variable'], 8.0)
    >>> [type(c).__name__ for c in a.children]
    ['Mul']
    """

    __slots__ = ("value", "grad", "name", "parents", "_linked", "_children", "_plan", "__weakref__")

    def __init__(self, name: str | None = None):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"{type(self).__name__}: name must be a string, got {type(name).__name__} {name!r}")
        self.name = name if name is not None else f"{type(self).__name__.lower()}{next(_NAMES)}"
        self.grad = 0.0
        self._children = weakref.WeakValueDictionary()
        self._plan = None

    @property
    def children(self) -> list:
        return list(dict.fromkeys(self._children.values()))

    def forward(self) -> float:
        """Compute every op this node depends on, parents first, and return this node's value.

        >>> from ourdl.graph import Variable
        >>> x = Variable(2.0)
        >>> y = x * x
        >>> y.forward()
        4.0
        >>> x.value = 5.0       # the next sample: same graph, new value
        >>> y.forward()
        25.0
        """
        _, ops, leaves, _ = self._current_plan()
        for leaf in leaves:
            if leaf.value.__class__ is not float:
                leaf.value = _number(leaf.value, leaf)
        for op in ops:
            op.compute()
            if op.value.__class__ is not float:
                op.value = _number(op.value, op, "compute() set self.value to")
        return self.value

    def backward(self) -> None:
        """Fill ``.grad`` of every node this one depends on with d(self)/d(node), by the chain rule in reverse order.

        A :class:`Variable`'s ``.grad`` accumulates over calls until it is zeroed (``zero_grad()`` of
        the optimiser, or ``clear()``), as in PyTorch; an op's ``.grad`` holds d(self)/d(op) of the
        latest ``backward()``. Needs the values of the latest ``forward()``.

        >>> from ourdl.graph import Variable
        >>> x = Variable(3.0)
        >>> y = x * x + x          # x is used twice: both paths count
        >>> _ = y.forward(); y.backward(); x.grad
        7.0
        >>> y.backward(); x.grad   # accumulates until zeroed
        14.0
        """
        _, ops, _, steps = self._current_plan()
        for op in ops:
            if op.value is None:
                raise RuntimeError(f"backward() of {describe(self)}: {describe(op)} has no value; call "
                                   f"{self.name}.forward() first (and again after clear())")
            op.grad = 0.0
        self.grad += 1.0
        for op, get_parent_grad, parents in steps:
            grad = op.grad
            for parent in parents:
                parent.grad += grad * get_parent_grad(parent)

    def clear(self) -> None:
        """Forget the computed values (ops' ``.value`` becomes None) and zero every ``.grad`` this node depends on.

        Variables keep their values: they are the inputs and the weights.

        >>> from ourdl.graph import Variable
        >>> x = Variable(3.0)
        >>> y = x * 2.0
        >>> _ = y.forward(); y.backward(); y.clear()
        >>> y.value, x.value, x.grad
        (None, 3.0, 0.0)
        """
        _, ops, leaves, _ = self._current_plan()
        for op in ops:
            op.value = None
            op.grad = 0.0
        for leaf in leaves:
            leaf.grad = 0.0

    def _current_plan(self) -> tuple:
        plan = self._plan
        if plan is not None:
            for op, parents in plan[0]:
                if op.parents is not parents:
                    break
            else:
                return plan
        plan = self._plan = _make_plan(self)
        return plan

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, value={self.value!r}, grad={self.grad!r})"

    def __add__(self, other):
        return _OPERATORS["add"](self, other)

    def __radd__(self, other):
        return _OPERATORS["add"](other, self)

    def __sub__(self, other):
        return _OPERATORS["sub"](self, other)

    def __rsub__(self, other):
        return _OPERATORS["sub"](other, self)

    def __mul__(self, other):
        return _OPERATORS["mul"](self, other)

    def __rmul__(self, other):
        return _OPERATORS["mul"](other, self)

    def __truediv__(self, other):
        return _OPERATORS["div"](self, other)

    def __rtruediv__(self, other):
        return _OPERATORS["div"](other, self)

    def __pow__(self, other):
        return _OPERATORS["pow"](self, other)

    def __rpow__(self, other):
        return _OPERATORS["pow"](other, self)

    def __neg__(self):
        return _OPERATORS["neg"](self)


class Variable(Node):
    """A leaf of the graph: a number set from outside (``trainable=True`` for a weight the optimiser updates).

    ``value`` must be a real number (an int becomes a float). Set ``.value`` to feed the next
    sample into a graph built once, then call ``forward()`` on the node you want.

    >>> from ourdl.graph import Variable
    >>> w = Variable(0.5, name="w")
    >>> x = Variable(2, trainable=False, name="x")
    >>> x.value, w.trainable, x.trainable
    (2.0, True, False)
    >>> w
    Variable('w', value=0.5, grad=0.0)
    """

    __slots__ = ("trainable",)

    def __init__(self, value, trainable: bool = True, name: str | None = None):
        Node.__init__(self, name)
        self.value = _number(value, self)
        self.trainable = bool(trainable)

    @property
    def parents(self) -> tuple:
        """Always empty: a Variable is a leaf."""
        return ()


class Op(Node):
    """A node computed from its parents. Subclasses define ``compute(self)`` and ``get_parent_grad(self, parent)``.

    ``compute`` sets ``self.value`` from ``self.parents[i].value``; ``get_parent_grad(parent)``
    returns d(self)/d(parent) as a number, read from the values of the latest ``forward()``.
    Set the class attribute ``arity`` to the number of parents the op takes (None: any number).
    Numbers given as parents become constant Variables. Ending ``get_parent_grad`` with
    ``return Op.get_parent_grad(self, parent)`` gives the error for a node that is not a parent.

    A ReLU written by hand, f(x) = max(0, x), f'(x) = 1 if x > 0 else 0:

    >>> from ourdl.graph import Op, Variable
    >>> class MyRelu(Op):
    ...     arity = 1
    ...     def compute(self):
    ...         self.value = max(0.0, self.parents[0].value)
    ...     def get_parent_grad(self, parent):
    ...         if parent is self.parents[0]:
    ...             return 1.0 if parent.value > 0 else 0.0
    ...         return Op.get_parent_grad(self, parent)
    >>> x = Variable(-2.0)
    >>> y = MyRelu(x * 3.0 + 7.0)
    >>> y.forward(), y.backward(), x.grad
    (1.0, None, 3.0)

    Rewiring an op (``op.parents = (a, b)``) is allowed: the next ``forward()`` or ``backward()``
    checks the new parents and finds the new order.
    """

    __slots__ = ()
    arity: int | None = None

    def __init_subclass__(cls, operator: str | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        if operator is not None:
            _OPERATORS[operator] = cls

    def __init__(self, *parents, name: str | None = None):
        Node.__init__(self, name)
        self.value = None
        self._linked = ()
        self.parents = parents
        self._relink()

    def compute(self) -> None:
        """Set ``self.value`` from the parents' values (subclasses define it)."""
        raise NotImplementedError(f"{describe(self)}: {type(self).__name__} must define compute(self), "
                                  "setting self.value from self.parents[i].value")

    def get_parent_grad(self, parent) -> float:
        """d(self)/d(parent) as a number (subclasses define it; this base version explains what went wrong)."""
        if not any(parent is p for p in self.parents):
            names = ", ".join(describe(p) for p in self.parents)
            raise ValueError(f"{describe(self)}.get_parent_grad: {describe(parent)} is not one of its parents "
                             f"({names})")
        raise NotImplementedError(f"{describe(self)}: {type(self).__name__} must define "
                                  "get_parent_grad(self, parent), returning d(self)/d(parent)")

    def _relink(self) -> None:
        """Check ``self.parents`` (count, types) and record this op among its parents' children."""
        parents = tuple(self.parents)
        arity = type(self).arity
        if arity is not None and len(parents) != arity:
            raise TypeError(f"{describe(self)} takes {arity} parent{'s' if arity != 1 else ''}, got {len(parents)}")
        parents = tuple(_as_node(p, self) for p in parents)
        for parent in dict.fromkeys(self._linked):
            for key, child in list(parent._children.items()):
                if child is self:
                    del parent._children[key]
        for parent in dict.fromkeys(parents):
            parent._children[next(_EDGES)] = self
        self.parents = self._linked = parents


def describe(node) -> str:
    """How errors name a node: ``Mul 'h1'``; anything else by its type and repr."""
    if isinstance(node, Node):
        return f"{type(node).__name__} {node.name!r}"
    return f"{type(node).__name__} {node!r}"


def _number(value, node, what: str = "value") -> float:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    hint = "; call .item() on an array or tensor of one element" if hasattr(value, "shape") else ""
    if value is None and what != "value":
        raise TypeError(f"{describe(node)}: compute() did not set self.value")
    raise TypeError(f"{describe(node)}: {what} {type(value).__name__} {value!r}, but a node's value must be a real "
                    f"number (int or float){hint}")


def _as_node(value, op: Op) -> Node:
    if isinstance(value, Node):
        return value
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return Variable(value, trainable=False, name=repr(float(value)))
    raise TypeError(f"{describe(op)}: a parent must be a Node or a real number, got {type(value).__name__} {value!r}")


def _make_plan(root: Node) -> tuple:
    """The walk of ``root``: ((op, its parents) as planned, ops in topological order, leaves, backward steps).

    Depth first with an explicit stack (no recursion limit); ops rewired since they were linked are
    checked and relinked on the way; a cycle is an error that names it.
    """
    order, state = [], {id(root): 0}  # 0: on the current path, 1: done
    stack = [(root, iter(_linked_parents(root)))]
    while stack:
        node, pending = stack[-1]
        for parent in pending:
            seen = state.get(id(parent))
            if seen is None:
                state[id(parent)] = 0
                stack.append((parent, iter(_linked_parents(parent))))
                break
            if seen == 0:
                path = [n for n, _ in stack]
                path = path[next(i for i, n in enumerate(path) if n is parent):] + [parent]
                raise RuntimeError("the graph has a cycle: " + " -> ".join(describe(n) for n in reversed(path))
                                   + "; a node cannot depend on itself")
        else:
            stack.pop()
            state[id(node)] = 1
            order.append(node)
    ops = tuple(n for n in order if isinstance(n, Op))
    leaves = tuple(n for n in order if not isinstance(n, Op))
    steps = tuple((op, op.get_parent_grad, tuple(dict.fromkeys(op.parents))) for op in reversed(ops))
    return tuple((op, op.parents) for op in ops), ops, leaves, steps


def _linked_parents(node: Node) -> tuple:
    if isinstance(node, Op) and node.parents is not node._linked:
        node._relink()
    return node.parents
