"""Evaluate a tensor expression such as ``relu(x @ w + b).sum()`` safely, for ``ourdl graph``.

The text is parsed with :mod:`ast` and walked node by node: only numbers,
variable names (small random tensors that require grad), arithmetic
(``+ - * / @ **``, unary ``-``), calls to ourdl's functions (``ourdl.*`` and
``ourdl.nn.functional.*``) and calls of public tensor methods are allowed.
Anything else (attributes of modules, imports, lambdas, subscripts,
comprehensions, dunder names) is refused with the offending piece named:
nothing is passed to ``eval``. What an expression may ask for (its size,
depth, numbers, tensor sizes and time) is bounded by
:class:`~ourdl.cli.expression_limits.Limits`, and the error names the bound.
"""

from __future__ import annotations

import ast
import inspect
import operator

import ourdl

from ..nn import functional
from .common import CommandError
from .expression_limits import LimitExceeded, Limits

DEFAULT_SHAPES = {"x": (4, 3), "w": (3, 2), "W": (3, 2), "b": (2,), "y": (4, 2), "t": (4, 2)}
OTHER_SHAPE = (3,)
_BINARY = {ast.Add: ("+", operator.add), ast.Sub: ("-", operator.sub), ast.Mult: ("*", operator.mul),
           ast.Div: ("/", operator.truediv), ast.MatMult: ("@", operator.matmul), ast.Pow: ("**", operator.pow)}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


def functions() -> dict:
    """The callables an expression may use, by name: ourdl's ops and ``nn.functional``."""
    table = {}
    for source in (ourdl, functional):
        for name in getattr(source, "__all__", dir(source)):
            value = getattr(source, name, None)
            if not name.startswith("_") and (inspect.isfunction(value) or inspect.isbuiltin(value)):
                table.setdefault(name, value)
    return table


def evaluate(text: str, shapes: dict | None = None, seed: int = 0, limits: Limits = Limits()):
    """Evaluate ``text``; returns ``(result, variables)`` where ``variables`` maps each name to its tensor.

    >>> result, variables = evaluate("relu(x @ w + b).sum()")
    >>> sorted(variables), tuple(result.shape)
    (['b', 'w', 'x'], ())
    >>> evaluate("__import__('os')")
    Traceback (most recent call last):
    ...
    ourdl.cli.common.CommandError: expression: '__import__' is not an ourdl function or a variable name
    >>> evaluate("9**9**9")
    Traceback (most recent call last):
    ...
    ourdl.cli.expression_limits.LimitExceeded: expression: 9 ** 387420489 has about 369,693,100 digits, beyond the bound on plain numbers (|n| < 2**63 for integers, finite for floats)
    """
    limits.check_text(text)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        raise CommandError(f"expression: cannot parse {text!r}: {error.msg}") from None
    except (RecursionError, MemoryError):  # the parser's own stack, before our bound on depth could look
        raise LimitExceeded(f"expression: nested more than {limits.depth} levels deep (the bound on depth)") from None
    limits.check_tree(tree)
    in_time = limits.deadline()
    ourdl.manual_seed(seed)
    known = functions()
    shapes = {**DEFAULT_SHAPES, **(shapes or {})}
    variables: dict = {}

    def variable(name: str):
        if name not in variables:
            if name.startswith("_"):
                raise CommandError(f"expression: the name {name!r} is not allowed")
            shape = shapes.get(name, OTHER_SHAPE)
            limits.check_call(f"the variable {name}", shape, {})
            variables[name] = ourdl.randn(*shape, requires_grad=True)
        return variables[name]

    def constant(node):
        if isinstance(node.value, (int, float, bool)) or node.value is None:
            return limits.check_number(node.value)
        raise CommandError(f"expression: {ast.unparse(node)!r} is not allowed here; use a number")

    def argument(node):
        if isinstance(node, ast.Constant):
            return constant(node)
        if isinstance(node, (ast.Tuple, ast.List)):
            return tuple(argument(e) for e in node.elts)
        return walk(node)

    def walk(node):
        in_time()
        value = step(node)
        limits.check_result(value)
        return limits.check_number(value)

    def step(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return constant(node)
        if isinstance(node, ast.Name):
            if node.id in known:
                raise CommandError(f"expression: {node.id!r} is a function; call it, e.g. {node.id}(x)")
            return variable(node.id)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            symbol, apply = _BINARY[type(node.op)]
            left, right = walk(node.left), walk(node.right)
            limits.check_binary(symbol, left, right)
            if symbol == "**":
                limits.check_power(left, right)
            return apply(left, right)
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return _UNARY[type(node.op)](walk(node.operand))
        if isinstance(node, ast.Call):
            function = callee(node.func)
            if any(k.arg is None for k in node.keywords):
                raise CommandError("expression: **keyword unpacking is not allowed")
            if any(isinstance(a, ast.Starred) for a in node.args):
                raise CommandError("expression: *argument unpacking is not allowed")
            args = [argument(a) for a in node.args]
            kwargs = {k.arg: argument(k.value) for k in node.keywords}
            limits.check_call(getattr(function, "__name__", "a call"), args, kwargs,
                              getattr(function, "__self__", None) if isinstance(node.func, ast.Attribute) else None)
            return function(*args, **kwargs)
        if isinstance(node, ast.Attribute) and node.attr in ("T", "mT"):
            return getattr(walk(node.value), node.attr)
        raise CommandError(f"expression: {ast.unparse(node)!r} is not allowed; use variables, numbers, "
                           "+ - * / @ **, ourdl functions and tensor methods")

    def callee(func):
        """The function or bound tensor method a call names, checked before its arguments are evaluated."""
        if isinstance(func, ast.Name):
            if func.id not in known:
                raise CommandError(f"expression: {func.id!r} is not an ourdl function or a variable name")
            return known[func.id]
        if isinstance(func, ast.Attribute) and not func.attr.startswith("_"):
            target = walk(func.value)
            method = getattr(type(target), func.attr, None)
            if isinstance(target, ourdl.Tensor) and callable(method):
                return getattr(target, func.attr)
            raise CommandError(f"expression: {func.attr!r} is not a tensor method")
        raise CommandError(f"expression: cannot call {ast.unparse(func)!r}")

    try:
        with limits.alarm():
            result = walk(tree)
    except CommandError:
        raise
    except RecursionError:
        raise LimitExceeded(f"expression: nested more than {limits.depth} levels deep (the bound on depth)") from None
    except MemoryError:
        raise LimitExceeded("expression: ran out of memory; ask for smaller tensors") from None
    except Exception as error:  # whatever an op raised on these arguments is the expression's mistake to show
        shown = ", ".join(f"{k}{list(v.shape)}" for k, v in variables.items())
        detail = str(error) if isinstance(error, (TypeError, ValueError, RuntimeError, IndexError)) else \
            f"{type(error).__name__}: {error}"
        raise CommandError(f"expression {text!r} failed with variables {shown}: {detail}") from None
    if not isinstance(result, ourdl.Tensor):
        raise CommandError(f"expression: {text!r} gives {type(result).__name__}, not a tensor")
    return result, variables


def parse_shapes(items) -> dict:
    """``["x=4,3", "b=2"]`` → ``{"x": (4, 3), "b": (2,)}``."""
    shapes = {}
    for item in items or ():
        name, _, dims = item.partition("=")
        try:
            shape = tuple(int(d) for d in dims.split(",") if d.strip())
        except ValueError:
            shape = (-1,)
        if not name.strip().isidentifier() or min(shape, default=0) < 0:
            raise CommandError(f"--var expects NAME=DIMS with sizes ≥ 0, like x=4,3; got {item!r}")
        shapes[name.strip()] = shape
    return shapes
