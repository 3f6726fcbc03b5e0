"""The bounds on what an ``ourdl graph`` expression may ask for, checked before the work is done.

An expression is text typed by anyone, so each way it could run away is
bounded and named in the error when hit: its length, its nesting depth and
node count (checked on the syntax tree before anything runs), the size of
plain numbers (``9**9**9`` is refused from the logarithms of its operands,
never computed), the elements of every tensor (from the sizes given to a
call and the shapes of an operation's operands, before it allocates), the
multiply-adds of a matrix product, and the time the evaluation takes.
"""

from __future__ import annotations

import ast
import contextlib
import math
import signal
import threading
import time
from dataclasses import dataclass

from .common import CommandError


class LimitExceeded(CommandError):
    """An expression asked for more than a bound allows; the message names the bound and its value."""


@dataclass(frozen=True)
class Limits:
    """The bounds; each is far above what a drawable graph needs.

    >>> Limits().check_number(2**70)
    Traceback (most recent call last):
    ...
    ourdl.cli.expression_limits.LimitExceeded: expression: the number 1180591620717411303424 is beyond the bound on plain numbers (|n| < 2**63 for integers, finite for floats)
    """

    length: int = 2_000  # characters of text
    depth: int = 64  # nesting of the syntax tree
    nodes: int = 1_000  # syntax-tree nodes
    elements: int = 10_000_000  # elements of one tensor (40 MB of float32)
    work: int = 1_000_000_000  # multiply-adds of one matrix product
    seconds: float = 10.0

    def check_text(self, text: str) -> None:
        if len(text) > self.length:
            raise LimitExceeded(f"expression: {len(text)} characters, beyond the bound of {self.length}")

    def check_tree(self, tree: ast.AST) -> None:
        """Depth and size of the tree, walked with an explicit stack (a deep tree must not recurse here)."""
        stack, count = [(tree, 1)], 0
        while stack:
            node, depth = stack.pop()
            count += 1
            if depth > self.depth:
                raise LimitExceeded(f"expression: nested more than {self.depth} levels deep (the bound on depth); "
                                    "long chains such as a+a+a+... or ----x count one level per term")
            if count > self.nodes:
                raise LimitExceeded(f"expression: more than {self.nodes} terms (the bound on its size)")
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))

    def check_number(self, value):
        """``value`` if it is a plain number within bounds (the result of arithmetic on numbers)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        if isinstance(value, int) and abs(value) >= 2**63 or isinstance(value, float) and not math.isfinite(value):
            shown = value if isinstance(value, float) or abs(value) < 10**40 else f"with {_digits(value)} digits"
            raise LimitExceeded(f"expression: the number {shown} is beyond the bound on plain numbers "
                                "(|n| < 2**63 for integers, finite for floats)")
        return value

    def check_power(self, base, exponent) -> None:
        """Refuse ``base ** exponent`` of plain numbers whose result would be out of bounds, without computing it."""
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (base, exponent))
        if not numbers or base == 0 or abs(base) == 1 or exponent <= 0:
            return
        if exponent * math.log2(abs(base)) >= 1023:  # past float64's largest and int64's: refused unevaluated
            raise LimitExceeded(f"expression: {base} ** {exponent} has about {int(exponent * math.log10(abs(base))) + 1:,} "
                                "digits, beyond the bound on plain numbers (|n| < 2**63 for integers, finite for floats)")

    def check_call(self, name: str, args, kwargs, tensor=None) -> None:
        """Refuse a call whose integer arguments (sizes) multiply past the bound on elements.

        For a method of ``tensor`` (``x.repeat(100, 100)``) the product includes its elements;
        ``eye(n)`` counts n twice.
        """
        values = list(_numbers(args)) + list(_numbers(kwargs.values()))
        if name == "eye" and len(values) == 1:
            values *= 2
        if name == "arange":
            given = dict(zip(("start", "end", "step"), args)) | kwargs
            if "end" not in given:  # arange(end)
                given = {"start": 0, "end": given.get("start", 0), "step": given.get("step", 1)}
            start, end, step = given["start"], given["end"], given.get("step", 1)
            plain = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, end, step))
            count = abs((end - start) / step) if plain and step else 0
            if count > self.elements:
                raise LimitExceeded(f"expression: arange{_shown(args, kwargs)} would hold {count:,.0f} elements, "
                                    f"beyond the bound of {self.elements:,} per tensor")
            return
        product = math.prod(max(abs(int(v)), 1) for v in values if isinstance(v, int))
        product *= max(tensor.numel(), 1) if tensor is not None else 1
        if product > self.elements:
            raise LimitExceeded(f"expression: {name}{_shown(args, kwargs)} asks for sizes whose product is "
                                f"{product:,}, beyond the bound of {self.elements:,} elements per tensor")

    def check_binary(self, symbol: str, left, right) -> None:
        """Refuse an operation on two tensors whose result (or matrix product's work) is past its bound."""
        shapes = [tuple(getattr(v, "shape", ())) for v in (left, right)]
        if not all(hasattr(v, "shape") for v in (left, right)):
            return
        if symbol == "@" and all(len(s) >= 1 for s in shapes):
            a, b = shapes
            rows, inner, cols = (a[-2] if len(a) > 1 else 1), a[-1], (b[-1] if len(b) > 1 else 1)
            batch = max(math.prod(a[:-2]), math.prod(b[:-2]), 1)
            elements, work = batch * rows * cols, batch * rows * inner * cols
            if work > self.work:
                raise LimitExceeded(f"expression: the matrix product of shapes {list(a)} and {list(b)} takes "
                                    f"{work:,} multiply-adds, beyond the bound of {self.work:,}")
        else:
            length = max(len(s) for s in shapes)
            padded = [(1,) * (length - len(s)) + s for s in shapes]
            elements = math.prod(max(pair) if min(pair) != 0 else 0 for pair in zip(*padded))
        if elements > self.elements:
            raise LimitExceeded(f"expression: {symbol} of shapes {list(shapes[0])} and {list(shapes[1])} would hold "
                                f"{elements:,} elements, beyond the bound of {self.elements:,} per tensor")

    def check_layers(self, sizes) -> None:
        """Refuse an MLP deeper than the bound on depth, or whose weight matrices are past the bound on elements."""
        if len(sizes) > self.depth:
            raise LimitExceeded(f"model: {len(sizes)} layer sizes, beyond the bound of {self.depth} on depth")
        for fan_in, fan_out in zip(sizes, sizes[1:]):
            if fan_in * fan_out > self.elements:
                raise LimitExceeded(f"model: a {fan_in} → {fan_out} layer holds {fan_in * fan_out:,} weights, beyond "
                                    f"the bound of {self.elements:,} elements per tensor")

    def check_result(self, value) -> None:
        numel = getattr(value, "numel", None)
        if numel is not None and numel() > self.elements:
            raise LimitExceeded(f"expression: a tensor of shape {list(value.shape)} ({numel():,} elements) is beyond "
                                f"the bound of {self.elements:,} per tensor")

    def deadline(self):
        """A function that raises once :attr:`seconds` have passed since this call."""
        end = time.monotonic() + self.seconds

        def check() -> None:
            if time.monotonic() > end:
                raise LimitExceeded(self._late())

        return check

    @contextlib.contextmanager
    def alarm(self):
        """Within the block, the time bound also stops one long operation, between its steps.

        A timer signal does it, so only on the main thread (where Python delivers signals); elsewhere the
        checks of :meth:`deadline` between the expression's terms remain.
        """
        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer") \
                or self.seconds <= 0:
            yield
            return

        def ring(signum, frame):
            raise LimitExceeded(self._late())

        previous = signal.signal(signal.SIGALRM, ring)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def _late(self) -> str:
        return f"expression: still running after {self.seconds:g} s, the bound on time"


def _digits(value: int) -> str:
    return f"{int(value.bit_length() * math.log10(2)) + 1:,}"


def _numbers(values):
    """Every number in ``values``, looking into tuples and lists (shapes)."""
    for value in values:
        if isinstance(value, (tuple, list)):
            yield from _numbers(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield value


def _shown(args, kwargs) -> str:
    text = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
    return f"({text[:80]}{'…' if len(text) > 80 else ''})"
