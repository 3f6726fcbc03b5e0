"""``ourdl graph``: draw the computation graph of an expression or of a small model's loss."""

from __future__ import annotations

from pathlib import Path

import ourdl

from .. import nn
from .common import CommandError, add_out, add_seed, integers, layer_activation, output
from .expression import evaluate, parse_shapes
from .expression_limits import Limits

# viz loads matplotlib, which takes a second: it is imported inside the commands
# that plot, so that the others start fast.

MODEL_KINDS = ("mlp",)


def model_loss(spec: str, seed: int = 0, batch: int = 4):
    """``"mlp:2,8,1"`` or ``"mlp:2,8,1:tanh"`` → (the MSE loss of that MLP on a random batch, parameter names).

    >>> loss, names = model_loss("mlp:2,3,1")
    >>> sorted(names)[:2], tuple(loss.shape)
    (['0.bias', '0.weight'], ())
    """
    kind, _, rest = spec.partition(":")
    sizes_text, _, act = rest.partition(":")
    if kind not in MODEL_KINDS or not sizes_text:
        raise CommandError(f"model spec {spec!r}: expected {' or '.join(MODEL_KINDS)}:SIZES[:ACTIVATION], e.g. mlp:2,8,1")
    sizes = integers(sizes_text, "model sizes")
    if len(sizes) < 2 or min(sizes) < 1:
        raise CommandError(f"model spec {spec!r}: give at least the input and output sizes, each at least 1, "
                           "e.g. mlp:2,8,1")
    Limits().check_layers(sizes)
    ourdl.manual_seed(seed)
    model = nn.MLP(sizes, activation=layer_activation(act or "relu").name)
    x, y = ourdl.randn(batch, sizes[0]), ourdl.randn(batch, sizes[-1])
    loss = nn.MSELoss()(model(x), y)
    return loss, dict(model.named_parameters())


def build(target: str, shapes: dict | None = None, seed: int = 0):
    """The tensor to draw and its named inputs, from an expression or a model spec."""
    if target.split(":", 1)[0] in MODEL_KINDS and ":" in target:
        return model_loss(target, seed)
    return evaluate(target, shapes, seed)


def run(args) -> int:
    from ..viz import GraphvizMissing, draw_graph

    output(args.out, (".svg", ".png", ".pdf", ".dot"))
    result, names = build(args.target, parse_shapes(args.var), args.seed)
    try:
        drawing = draw_graph(result, args.out, names=names, direction=args.direction)
    except GraphvizMissing as missing:
        print(f"ourdl graph: {missing}")
        return 1
    print(f"graph with {drawing.nodes} nodes written to {Path(args.out).resolve()} (DOT source beside it)")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "graph", help="draw the computation graph of an expression or a model's loss",
        description="Draw the graph backward() walks. EXPRESSION_OR_MODEL is an expression of ourdl functions and tensor methods, "
                    "e.g. \"relu(x @ w + b).sum()\" (variables are small random tensors: x 4x3, w 3x2, b 2, y 4x2, "
                    "others 3; change with --var), or a model spec such as mlp:2,8,1 or mlp:2,8,1:tanh (its MSE loss "
                    "on a random batch).")
    parser.add_argument("target", metavar="EXPRESSION_OR_MODEL")
    parser.add_argument("--direction", choices=("LR", "TB"), default="LR",
                        help="left to right (LR, default) or top to bottom (TB)")
    parser.add_argument("--var", action="append", metavar="NAME=DIMS", help="shape of a variable, e.g. x=5,3")
    add_out(parser, "graph.svg", "the drawing: .svg, .png, .pdf or .dot")
    add_seed(parser)
    parser.set_defaults(run=run)
