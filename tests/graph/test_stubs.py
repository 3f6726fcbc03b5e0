"""ourdl/graph/activations.pyi declares every generated op and its static forms, so IDEs and type checkers see them.

The stub is generated from the catalog; when an activation is added, rewrite it with
``OURDL_WRITE_STUBS=1 python -m pytest tests/graph/test_stubs.py``.
"""

import os
from pathlib import Path

from ourdl.graph import activations

STUB = Path(activations.__file__).with_suffix(".pyi")
HEADER = '''"""Type stub of ourdl/graph/activations.py, generated from the catalog by tests/graph/test_stubs.py."""

from typing import Any, ClassVar

from .node import Node, Op

class ActivationOp(Op):
    entry: ClassVar[Any]
    parameters: ClassVar[dict[str, Any]]
    args: tuple
    def __init__(self, x: Node | float, *, name: str | None = ..., **params: Any) -> None: ...
    @staticmethod
    def function(x: float, *args: Any) -> float: ...
    @staticmethod
    def derivative(x: float, *args: Any) -> float: ...
    def compute(self) -> None: ...
    def get_parent_grad(self, parent: Node) -> float: ...

def activation_op(name: str) -> type[ActivationOp]: ...
'''


def stub_text() -> str:
    parts = [HEADER]
    for class_name in activations.__all__:
        op = getattr(activations, class_name)
        if not (isinstance(op, type) and issubclass(op, activations.ActivationOp)) or op is activations.ActivationOp:
            continue
        params = "".join(f", {k}: {type(v).__name__} = ..." for k, v in op.parameters.items())
        parts.append(f"\nclass {class_name}(ActivationOp):\n"
                     f"    def __init__(self, x: Node | float, *, name: str | None = ...{params}) -> None: ...\n"
                     + "".join(f"    @staticmethod\n    def {method}(x: float{params}) -> float: ...\n"
                               for method in (op.entry.name, "function", "derivative")))
    parts.append(f"\n__all__ = {activations.__all__!r}\n")
    return "".join(parts)


def test_the_stub_declares_every_generated_op():
    expected = stub_text()
    if os.environ.get("OURDL_WRITE_STUBS") == "1":
        STUB.write_text(expected)
    assert STUB.exists() and STUB.read_text() == expected, (
        f"{STUB} is out of date with the catalog: rewrite it with OURDL_WRITE_STUBS=1 python -m pytest {__file__}")
