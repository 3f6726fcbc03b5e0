"""``ourdl.utils.tensorboard``: ``torch.utils.tensorboard``'s ``SummaryWriter`` for ourdl tensors and Modules.

The writer is tensorboardX's (events that TensorBoard reads, without PyTorch); every ``add_*`` method also takes
ourdl tensors, and :meth:`SummaryWriter.add_graph` draws an ourdl Module from the graph its forward pass records.

>>> import tempfile, ourdl
>>> with SummaryWriter(tempfile.mkdtemp()) as writer:
...     writer.add_scalar("loss", ourdl.tensor(0.25), 1)
...     writer.add_histogram("weights", ourdl.randn(100), 1)
"""

from __future__ import annotations

import functools

import numpy as np

from ..grad_mode import enable_grad
from ..tensor import Tensor

try:
    import tensorboardX
    from tensorboardX.proto import attr_value_pb2, event_pb2, graph_pb2, node_def_pb2, tensor_shape_pb2, versions_pb2
except ImportError as error:  # the optional dependency, named the way to get it
    raise ImportError("ourdl.utils.tensorboard needs tensorboardX: pip install 'ourdl[lab]' "
                      "(or pip install tensorboardX)") from error

__all__ = ["SummaryWriter"]


def to_numpy(value):
    """``value`` with every ourdl tensor in it (also inside dicts, lists and tuples) as a NumPy array.

    >>> import ourdl
    >>> to_numpy({"a": ourdl.tensor([1.0]), "b": [ourdl.tensor(2)]})
    {'a': array([1.], dtype=float32), 'b': [array(2)]}
    """
    if isinstance(value, Tensor):
        return value.detach().numpy()
    if isinstance(value, dict):
        return {k: to_numpy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(to_numpy(v) for v in value)
    return value


def _converting(method):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        return method(self, *to_numpy(args), **to_numpy(kwargs))
    # its own line, not tensorboardX's text (which points at pictures of tensorboardX's site)
    call.__doc__ = f"tensorboardX's ``SummaryWriter.{method.__name__}``, taking ourdl tensors as well."
    return call


class SummaryWriter(tensorboardX.SummaryWriter):
    """TensorBoard event files under ``log_dir`` (default ``runs/<date>_<host>``), as ``torch.utils.tensorboard``'s
    ``SummaryWriter``: ``add_scalar``, ``add_scalars``, ``add_histogram``, ``add_image(s)``, ``add_figure``,
    ``add_text``, ``add_embedding``, ``add_pr_curve``, ``add_hparams``, ``add_graph``, ... taking ourdl tensors.

    >>> import tempfile, ourdl
    >>> from ourdl import nn
    >>> writer = SummaryWriter(tempfile.mkdtemp())
    >>> writer.add_scalars("loss", {"train": 0.5, "valid": ourdl.tensor(0.75)}, 1)
    >>> writer.add_graph(nn.Sequential(nn.Linear(2, 3), nn.ReLU()), ourdl.zeros(1, 2))
    >>> writer.close()
    """

    def add_graph(self, model, input_to_model=None, verbose: bool = False, use_strict_trace: bool = True) -> None:
        """Draw ``model`` as the graph of its forward pass on ``input_to_model`` (a tensor or a tuple of them):
        one node per operation, grouped by the Module that ran it, with parameters and inputs as nodes.
        ``verbose`` prints the nodes; ``use_strict_trace`` is accepted for PyTorch's signature."""
        nodes = module_graph(model, input_to_model)
        if verbose:
            for node in nodes:
                print(f"{node.name} = {node.op}({', '.join(node.input)})")
        graph = graph_pb2.GraphDef(node=nodes, versions=versions_pb2.VersionDef(producer=22))
        self._get_file_writer().add_event(event_pb2.Event(graph_def=graph.SerializeToString()))


for _name in [n for n in dir(tensorboardX.SummaryWriter) if n.startswith("add_") and n != "add_graph"]:
    setattr(SummaryWriter, _name, _converting(getattr(tensorboardX.SummaryWriter, _name)))


def _shape_attr(shape) -> attr_value_pb2.AttrValue:
    dims = [tensor_shape_pb2.TensorShapeProto.Dim(size=int(n)) for n in shape]
    return attr_value_pb2.AttrValue(list=attr_value_pb2.AttrValue.ListValue(
        shape=[tensor_shape_pb2.TensorShapeProto(dim=dims)]))


def module_graph(model, inputs) -> list:
    """The NodeDefs of ``model``'s forward pass (in eval mode) on ``inputs``, named ``<module path>/<operation>_<k>``.

    An operation belongs to the innermost Module whose output it made; any other (one written inside a
    ``forward``) belongs to the Module around the operation that consumes it. Parameters are named by their
    path, inputs ``input/input.<i>``, outputs ``output/output.<i>``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> [n.name for n in module_graph(nn.Sequential(nn.Linear(2, 3), nn.ReLU()), ourdl.zeros(1, 2))]
    ['output/output.0', '1/Relu_0', '0/LinearFunction_0', '0/bias', '0/weight', 'input/input.0']
    """
    inputs = inputs if isinstance(inputs, (tuple, list)) else (inputs,)
    leaves = [x.detach().requires_grad_() if isinstance(x, Tensor) and x.is_floating_point() else x for x in inputs]
    made_by: dict[int, str] = {}
    names = {id(m): name for name, m in model.named_modules()}

    def record(module, args, output):
        for out in output if isinstance(output, (tuple, list)) else (output,):
            if isinstance(out, Tensor) and out.grad_fn is not None:
                made_by.setdefault(id(out.grad_fn), names[id(module)] or type(model).__name__)

    handles = [m.register_forward_hook(record) for m in model.modules()]
    training = model.training
    model.eval()  # as PyTorch traces: no running statistics change, no dropout
    try:
        with enable_grad():
            outputs = model(*leaves)
    finally:
        model.train(training)
        for handle in handles:
            handle.remove()
    outputs = outputs if isinstance(outputs, (tuple, list)) else (outputs,)
    parameters = {id(p): name for name, p in model.named_parameters()}
    inputs_by_id = {id(x): i for i, x in enumerate(leaves) if isinstance(x, Tensor)}
    top = type(model).__name__
    node_names: dict[int, str] = {}
    counts: dict[str, int] = {}
    ends = [(i, out) for i, out in enumerate(outputs) if isinstance(out, Tensor) and out.grad_fn is not None]
    stack = [(out.grad_fn, top) for _, out in reversed(ends)]
    order = []
    while stack:  # depth first from the outputs, naming each node once
        node, consumer_scope = stack.pop()
        if id(node) in node_names:
            continue
        variable = getattr(node, "variable", None)
        if variable is not None:
            if id(variable) in inputs_by_id:
                name = f"input/input.{inputs_by_id[id(variable)]}"
            else:
                name = parameters.get(id(variable), "constant").replace(".", "/")
            node_names[id(node)] = name
            order.append((node, name, "IO Node" if name.startswith("input/") else "Parameter", variable.shape))
            continue
        scope = made_by.get(id(node))
        scope = scope.replace(".", "/") if scope else consumer_scope
        op = type(node).__name__
        counts[f"{scope}/{op}"] = counts.get(f"{scope}/{op}", 0) + 1
        name = f"{scope}/{op}_{counts[f'{scope}/{op}'] - 1}"
        node_names[id(node)] = name
        order.append((node, name, op, None))
        parent = scope.rsplit("/", 1)[0] if id(node) in made_by and "/" in scope else scope
        for child, _ in node.next_functions:
            if child is not None:
                stack.append((child, parent))
    defs = [node_def_pb2.NodeDef(name=f"output/output.{i}", op="IO Node", input=[node_names[id(out.grad_fn)]],
                                 attr={"_output_shapes": _shape_attr(out.shape)}) for i, out in ends]
    for node, name, op, shape in order:
        sources = [node_names[id(child)] for child, _ in getattr(node, "next_functions", ()) if child is not None]
        attr = {"_output_shapes": _shape_attr(shape)} if shape is not None else {}
        defs.append(node_def_pb2.NodeDef(name=name, op=op, input=sources, attr=attr))
    return defs

