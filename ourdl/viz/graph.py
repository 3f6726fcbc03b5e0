"""``draw_graph``: the computation graph behind a tensor, as Graphviz DOT (and SVG/PNG through ``dot``).

Every tensor in the graph is a box with its name (when known), shape, dtype
and, for small tensors, its values and gradient; every operation is an
ellipse between its inputs and its output, as micrograd draws its scalars.
Inputs that need no gradient (data, constants) appear as grey boxes.
A node of ``ourdl.graph`` is drawn the tutorials' way: one shape per scalar node with its
name, value and gradient.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..autograd import grad
from ..autograd.node import OutputSlot, edge_of
from ..graph import Node, Op
from ..tensor import Tensor

INSTALL_HINT = (
    "the Graphviz program 'dot' is not installed, so only the DOT file was written; install Graphviz to render "
    "SVG/PNG (Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz; conda: conda install graphviz)"
)


class GraphvizMissing(RuntimeError):
    """Raised after writing the ``.dot`` file when the ``dot`` program is not there to render it."""


@dataclass
class GraphDrawing:
    """The DOT text of a graph; ``save(path)`` writes it and renders ``.svg``/``.png``/``.pdf`` with ``dot``.

    >>> import tempfile
    >>> import ourdl
    >>> w = ourdl.tensor([1.0, -2.0], requires_grad=True)
    >>> drawing = draw_graph((w * w).sum(), names={"w": w})
    >>> drawing.source.splitlines()[0]
    'digraph computation {'
    >>> [p.name for p in drawing.save(Path(tempfile.mkdtemp()) / "graph.dot")]
    ['graph.dot']
    """

    source: str
    nodes: int

    def save(self, path) -> list[Path]:
        """Write ``<path stem>.dot`` and, for an ``.svg``/``.png``/``.pdf`` path, render it; returns the files."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        dot_path = path.with_suffix(".dot")
        dot_path.write_text(self.source)
        if path.suffix == ".dot":
            return [dot_path]
        if path.suffix not in (".svg", ".png", ".pdf"):
            raise ValueError(f"draw_graph: cannot write {path.name!r}; use .dot, .svg, .png or .pdf")
        program = shutil.which("dot")
        if program is None:
            raise GraphvizMissing(f"{INSTALL_HINT} (wrote {dot_path})")
        subprocess.run([program, f"-T{path.suffix[1:]}", str(dot_path), "-o", str(path)], check=True,
                       capture_output=True, text=True)
        return [dot_path, path]

    def _repr_svg_(self):
        program = shutil.which("dot")
        if program is None:
            return None
        return subprocess.run([program, "-Tsvg"], input=self.source, capture_output=True, text=True).stdout


def draw_graph(root: Tensor | Node, path=None, names: dict | None = None, max_values: int = 8,
               grads: bool = True, direction: str = "LR") -> GraphDrawing:
    """Draw the graph that ``root.backward()`` would walk (a tensor's, or a node graph of ``ourdl.graph``).

    ``names`` maps a label to a tensor (``dict(model.named_parameters())``
    works) so boxes carry readable names. With ``grads=True`` and a scalar
    ``root``, the gradient of ``root`` with respect to every tensor in the
    graph is computed (nothing's ``.grad`` is touched) and shown for tensors
    of at most ``max_values`` elements; otherwise the leaves' ``.grad`` is
    shown where set. ``direction`` is Graphviz's ``rankdir``: ``"LR"`` (left
    to right) or ``"TB"`` (top to bottom, better for pages).

    >>> import ourdl
    >>> w = ourdl.tensor([1.0, -2.0], requires_grad=True)
    >>> drawing = draw_graph(ourdl.relu(w * 3).sum(), names={"w": w})
    >>> drawing.nodes   # w, Mul, w*3, Relu, relu, Sum, sum, and the constant 3 is not a tensor
    7
    >>> "Relu" in drawing.source
    True

    For an ``ourdl.graph`` node, every node it depends on is drawn with its name, its ``.value``
    and its ``.grad`` as they stand (call ``forward()`` and ``backward()`` first): Variables as
    boxes (blue when trainable), ops as ellipses named by their class.

    >>> from ourdl.graph import Variable
    >>> w, x = Variable(-0.5, name="w"), Variable(2.0, trainable=False, name="x")
    >>> y = w * x
    >>> _ = y.forward(); y.backward()
    >>> drawing = draw_graph(y)
    >>> drawing.nodes
    3
    >>> print(next(line for line in drawing.source.splitlines() if 'label="w' in line).split("label=")[1])
    "w\\nvalue -0.5\\ngrad 2"];
    """
    if direction not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"draw_graph: direction must be LR, TB, RL or BT, got {direction!r}")
    if isinstance(root, Node):
        drawing = _draw_nodes(root, direction, {id(node): name for name, node in (names or {}).items()})
        if path is not None:
            drawing.save(path)
        return drawing
    # by edge: a drawn intermediate is made anew over the memory the op read, so it is not the user's object
    labels = {id(edge_of(t)): name for name, t in (names or {}).items()}
    tensors, ops, edges, constants, replaced = _walk(root)
    gradients = _gradients(root, tensors) if grads else {}
    lines = [
        "digraph computation {",
        f"  rankdir={direction};",
        '  node [fontname="Helvetica", fontsize=10];',
    ]
    for t in tensors:
        g = gradients.get(id(t), t.grad if t.is_leaf else None)
        label = None if id(t) in replaced else labels.get(id(edge_of(t)))
        text = [label or ("output" if t is root else ("leaf" if t.is_leaf else ""))]
        text.append(f"{list(t.shape)} {t.dtype}".replace("ourdl.", ""))
        if id(t) in replaced:
            text.append("(since changed in place)")
        elif t.numel() <= max_values:
            text.append("data " + _format(t._data))
            if g is not None:
                text.append("grad " + _format(g._data if isinstance(g, Tensor) else g))
        style = 'style=filled, fillcolor="#dbeafe"' if t.is_leaf else 'style=filled, fillcolor="#f8fafc"'
        lines.append(f'  t{id(t)} [shape=box, {style}, label="{_escape(text)}"];')
    for node in ops:
        lines.append(f'  f{id(node)} [shape=ellipse, style=filled, fillcolor="#fde68a", label="{_op_name(node)}"];')
    for key, (shape, dtype) in constants.items():
        text = ["input (no grad)", f"{list(shape)} {np.dtype(dtype).name}"]
        lines.append(f'  c{key} [shape=box, style="filled,dashed", fillcolor="#e5e7eb", label="{_escape(text)}"];')
    lines.extend(f"  {a} -> {b};" for a, b in edges)
    lines.append("}")
    drawing = GraphDrawing("\n".join(lines) + "\n", len(tensors) + len(ops))
    if path is not None:
        drawing.save(path)
    return drawing


def _draw_nodes(root: Node, direction: str, labels: dict) -> GraphDrawing:
    """A node graph of ``ourdl.graph``: one shape per scalar node, an edge from each parent to each child."""
    nodes, seen, stack = [], {id(root)}, [root]
    while stack:
        node = stack.pop()
        nodes.append(node)
        for parent in node.parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    lines = ["digraph computation {", f"  rankdir={direction};", '  node [fontname="Helvetica", fontsize=10];']
    for node in reversed(nodes):
        text = [labels.get(id(node), node.name)]
        if isinstance(node, Op):
            text.append(type(node).__name__)
            style = 'shape=ellipse, style=filled, fillcolor="#fde68a"'
        elif node.trainable:
            style = 'shape=box, style=filled, fillcolor="#dbeafe"'
        else:
            style = 'shape=box, style="filled,dashed", fillcolor="#e5e7eb"'
        text += [f"value {_number(node.value)}", f"grad {_number(node.grad)}"]
        lines.append(f'  n{id(node)} [{style}, label="{_escape(text)}"];')
    lines.extend(f"  n{id(parent)} -> n{id(node)};" for node in reversed(nodes) for parent in node.parents)
    lines.append("}")
    return GraphDrawing("\n".join(lines) + "\n", len(nodes))


def _number(value) -> str:
    return "—" if value is None else f"{value:.4g}"


def _walk(root: Tensor):
    """Tensors, op nodes, edges, non-grad inputs reachable from ``root`` (explicit stack, no recursion), and the
    ids of stand-ins for values that were changed in place after an op used them."""
    tensors, ops, edges, constants, replaced = [], [], [], {}, set()
    made = {(id(root.grad_fn), False): root} if root.grad_fn is not None and root.grad_fn.output_ids is None else {}
    seen_tensors, seen_ops = set(), set()
    stack = [root]
    while stack:
        t = stack.pop()
        if id(t) in seen_tensors:
            continue
        seen_tensors.add(id(t))
        tensors.append(t)
        node = t.grad_fn
        if node is None:
            continue
        edges.append((f"f{id(node)}", f"t{id(t)}"))
        if id(node) in seen_ops:
            continue
        seen_ops.add(id(node))
        ops.append(node)
        for i, (array, meta, edge) in enumerate(zip(node.inputs, node.input_meta, node.edges)):
            if array is not None:
                source = edge if isinstance(edge, Tensor) else _made(edge, array, made, replaced)
                edges.append((f"t{id(source)}", f"f{id(node)}"))
                stack.append(source)
            elif meta is not None:
                key = f"{id(node)}_{i}"
                constants[key] = meta
                edges.append((f"c{key}", f"f{id(node)}"))
    return tensors, ops, edges, constants, replaced


def _made(edge, array, made: dict, replaced: set) -> Tensor:
    """The tensor that ``edge`` (a node, or one output of a node with several) made, over ``array``, the memory an
    op read it from: one per edge, so that a tensor several ops used is drawn once. Nodes keep their inputs'
    arrays, not the tensors; when an in-place op changed that memory since, the box says so (its id in
    ``replaced``)."""
    node = edge.node if isinstance(edge, OutputSlot) else edge
    changed = any(array is old for old in node._overwritten)
    key = (id(edge), changed)
    t = made.get(key)
    if t is None:
        t = made[key] = Tensor._make(array, True, node)
        if isinstance(edge, OutputSlot):
            node.output_ids[id(t)] = edge.index
        if changed:
            replaced.add(id(t))
    return t


def _gradients(root: Tensor, tensors: list) -> dict:
    """d root / d t for every tensor of the graph, when ``root`` is a scalar whose graph is still there."""
    if root.numel() != 1 or not root.requires_grad:
        return {}
    try:
        found = grad(root, tensors, retain_graph=True, allow_unused=True)
    except RuntimeError:  # the graph was already freed by a backward(): fall back to the leaves' .grad
        return {}
    return {id(t): g for t, g in zip(tensors, found) if g is not None}


def _op_name(node) -> str:
    """``MulBackward0`` → ``Mul``, ``LinearFunctionBackward0`` → ``Linear``, a user Function's ``CubeBackward`` → ``Cube``."""
    name = node.name()
    for suffix in ("Backward0", "Backward1", "Backward", "Function"):
        name = name.removesuffix(suffix)
    return name


def _format(array: np.ndarray) -> str:
    return np.array2string(np.asarray(array), precision=4, suppress_small=True, separator=", ").replace("\n", "")


def _escape(lines: list) -> str:
    return "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in lines if line)
