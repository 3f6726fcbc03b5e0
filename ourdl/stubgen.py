"""Writes the ``.pyi`` stubs that let IDEs and type checkers see ourdl's runtime API.

Most of ``Tensor``'s methods are attached from outside ``ourdl/tensor.py``, and the catalog generates the
activation Modules and functions, so neither a type checker nor an IDE can read them from the source. As
PyTorch does, ourdl ships stubs generated from the imported package:

- every public name of a stubbed module is declared: a stub replaces its module for type checkers;
- functions get their runtime signature; classes the generated ones' members, while classes defined
  statically elsewhere are re-exported from there, so ``ourdl.nn.Linear`` is the class mypy reads in
  ``ourdl/nn/linear.py``;
- annotations are the real ones where present; a missing return annotation is ``Tensor`` where PyTorch
  (the oracle, whose own stubs say so) returns a ``Tensor`` in every overload, and ``Any`` otherwise;
- the second operand of an operator dunder is ``Tensor | float | int`` (``x + 1``, ``2 * x``, ``x @ w``).

Regenerate with ``make stubs`` (``python -m ourdl.stubgen``); ``python -m ourdl.stubgen --check`` and the test
``tests/test_stubs.py`` fail when the committed stubs differ from the runtime API. Run it in a fresh interpreter:
a name that some other code attached at run time (a test registering an activation) would enter the stubs.
``import ourdl`` does not import this module.

>>> from ourdl.stubgen import stub_path
>>> stub_path("ourdl.nn.functional")
'ourdl/nn/functional.pyi'
"""

from __future__ import annotations

import argparse
import ast
import __future__
import importlib
import importlib.util
import inspect
import math
import re
import sys
import types
import typing
from pathlib import Path

# The modules whose names are made at import time, and where PyTorch declares the same names (torch's files, read
# as text) for the return-type oracle.
STUBBED = {
    "ourdl": ("_C/_VariableFunctions.pyi", "functional.py"),
    "ourdl.tensor": ("_C/__init__.pyi", "_tensor.py"),
    "ourdl.nn": ("nn/modules/*.py",),
    "ourdl.nn.functional": ("nn/functional.pyi", "_C/_nn.pyi", "nn/functional.py"),
}
ROOT = Path(__file__).resolve().parent.parent
HEADER = "# Generated from the runtime API by `python -m ourdl.stubgen` (make stubs); do not edit.\n"
# Python's binary operator protocol: the other operand of ``x + 1``, ``2 ** x``, ``x @ w``, ``x < 0``.
OPERATOR = re.compile(r"__[ri]?(add|sub|mul|truediv|floordiv|mod|pow|matmul|and|or|xor|lshift|rshift)__|__(lt|le|gt|ge)__")
SKIPPED = {"__module__", "__doc__", "__dict__", "__weakref__", "__slots__", "__qualname__", "__annotations__",
           "__firstlineno__", "__static_attributes__", "__orig_bases__", "__parameters__", "__abstractmethods__",
           "__match_args__", "__annotate_func__", "__annotations_cache__"}


def stub_path(module_name: str) -> str:
    """The stub's path relative to the checkout: ``ourdl/nn/functional.pyi``, ``ourdl/__init__.pyi``."""
    module = importlib.import_module(module_name)
    return Path(module.__file__).with_suffix(".pyi").relative_to(ROOT).as_posix()


def generate() -> dict[str, str]:
    """Every stub's text, keyed by its path relative to the checkout."""
    importlib.import_module("ourdl")
    return {stub_path(name): _Stub(sys.modules[name], _oracle(files)).text() for name, files in STUBBED.items()}


def _oracle(files: tuple[str, ...]) -> dict[tuple[str | None, str], set[str]]:
    """PyTorch's return annotations, as written: ``(class or None, name) -> {"Tensor", ...}``, one per overload."""
    import torch  # the oracle, from the test extra: imported only while generating

    base = Path(torch.__file__).parent
    returns: dict[tuple[str | None, str], set[str]] = {}
    bases: dict[str, list[str]] = {}
    for pattern in files:
        for path in sorted(base.glob(pattern)):
            for node in ast.parse(path.read_text()).body:
                members = [(None, node)]
                if isinstance(node, ast.ClassDef):
                    members = [(node.name, n) for n in node.body]
                    bases[node.name] = [ast.unparse(b).rpartition(".")[2] for b in node.bases]
                for owner, member in members:
                    if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        written = ast.unparse(member.returns).strip("'\"") if member.returns else "?"
                        returns.setdefault((owner, member.name), set()).add(written)
                    elif isinstance(member, ast.AnnAssign) and isinstance(member.target, ast.Name):  # `T: Tensor`
                        written = ast.unparse(member.annotation).strip("'\"")
                        returns.setdefault((owner, member.target.id), set()).add(written)
    for owner, parents in bases.items():  # class Tensor(TensorBase): what Tensor inherits from TensorBase
        for (other, name), written in list(returns.items()):
            if other in parents and (owner, name) not in returns:
                returns[owner, name] = written
    return returns


def _static_names(module_name: str) -> set[str]:
    """The classes and functions a module's source defines at top level: those mypy can see."""
    spec = importlib.util.find_spec(module_name)
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return set()
    tree = ast.parse(Path(spec.origin).read_text())
    return {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))}


def _home(cls) -> str | None:
    """The module a type checker finds ``cls`` in, or None when it is made at run time."""
    module_name, name = getattr(cls, "__module__", None), getattr(cls, "__qualname__", "")
    if not isinstance(module_name, str) or "." in name or "<" in name:
        return None
    module = sys.modules.get(module_name)
    if module is None or getattr(module, name, None) is not cls:
        return None
    if module_name == "builtins":
        return module_name
    if module_name in STUBBED:
        return module_name if not name.startswith("_") else None
    if module_name.split(".")[0] == "ourdl":
        return module_name if name in _static_names(module_name) else None
    return None if any(part.startswith("_") for part in module_name.split(".")) else module_name


def _literal(value) -> str:
    """A default as a stub writes it: the value when it is a plain literal, else ``...``."""
    if value is None or isinstance(value, (bool, str)) or type(value) in (int, float):
        if isinstance(value, float) and not math.isfinite(value):
            return "..."
        text = repr(value)
        return text if len(text) <= 40 else "..."
    return "..."


class _Stub:
    """One module's stub: its public names, declared from the imported objects."""

    def __init__(self, module: types.ModuleType, oracle: dict):
        self.module, self.oracle = module, oracle
        names = set(getattr(module, "__all__", ())) | {n for n in vars(module) if not n.startswith("_")}
        self.bound = {n: getattr(module, n) for n in sorted(names)
                      if not isinstance(getattr(module, n), __future__._Feature)  # `annotations`
                      and getattr(getattr(module, n), "__name__", None) != __spec__.name}  # not ourdl.stubgen
        self.imports: set[str] = set()
        self.imported: dict[str, object] = {}

    # -- references to types --------------------------------------------------------------------------------
    def ref(self, cls, scope: frozenset = frozenset()) -> str:
        """How this stub names a class: ``Tensor``, ``builtins.int`` where shadowed, ``Any`` when unreachable."""
        if cls is None or cls is type(None):
            return "None"
        home = _home(cls)
        if home is None:
            return "Any"
        name = cls.__qualname__
        if home == "builtins":
            if name in self.bound or name in scope:
                self.imports.add("import builtins")
                return f"builtins.{name}"
            return name
        for bound_name, obj in self.bound.items():
            if obj is cls and bound_name not in scope:
                return bound_name
        if name not in self.bound and name not in scope and self.imported.setdefault(name, cls) is cls:
            self.imports.add(f"from {home} import {name}")
            return name
        self.imports.add(f"import {home}")
        return f"{home}.{name}"

    def annotation(self, ann, scope: frozenset, namespace: dict) -> str:
        """A runtime annotation (object or string) as stub text; whatever cannot be resolved is ``Any``."""
        for _ in range(3):  # `-> "Size"` under `from __future__ import annotations` is a string of a string
            if isinstance(ann, typing.ForwardRef):
                ann = ann.__forward_arg__
            if not isinstance(ann, str):
                break
            try:
                ann = eval(ann, namespace)  # in the annotation's own module, as typing.get_type_hints does
            except Exception:
                return "Any"
        if ann is None or ann is type(None):
            return "None"
        if ann is typing.Any or ann is Ellipsis:
            return "Any" if ann is typing.Any else "..."
        origin, args = typing.get_origin(ann), typing.get_args(ann)
        if origin in (typing.Union, types.UnionType):
            parts = [self.annotation(a, scope, namespace) for a in args]
            return "Any" if "Any" in parts else " | ".join(dict.fromkeys(parts))
        if origin is typing.Literal:
            self.imports.add("from typing import Literal")
            return f"Literal[{', '.join(repr(a) for a in args)}]"
        if origin is not None and isinstance(origin, type):
            head = self.ref(origin, scope)
            if head == "Any" or not args:
                return head
            inner = [("[" + ", ".join(self.annotation(x, scope, namespace) for x in a) + "]") if isinstance(a, list)
                     else self.annotation(a, scope, namespace) for a in args]
            return f"{head}[{', '.join(inner)}]"
        if isinstance(ann, type):
            return self.ref(ann, scope)
        return "Any"

    # -- declarations -----------------------------------------------------------------------------------------
    def function(self, name: str, fn, *, owner: str | None = None, scope: frozenset = frozenset(),
                 first: str | None = None) -> list[str]:
        """``def name(...) -> R: ...``; ``first`` names the bound parameter (``self``, ``cls``) of a method."""
        tensor = self.ref(sys.modules["ourdl.tensor"].Tensor, scope)
        if name in ("__eq__", "__ne__") and first:  # object's take any operand and return bool; a Tensor's, a Tensor
            return [f"def {name}(self, other: Any) -> {tensor}: ...  # type: ignore[override]"]
        try:
            signature = inspect.signature(fn)
        except (TypeError, ValueError):
            params = ([first] if first else []) + ["*args: Any", "**kwargs: Any"]
            return [f"def {name}({', '.join(params)}) -> {self.returns(name, owner, scope)}: ..."]
        namespace = getattr(inspect.unwrap(fn), "__globals__", {})
        parameters = list(signature.parameters.values())
        if first and OPERATOR.fullmatch(name):  # Python calls an operator with one operand, never more
            parameters = parameters[:1] + [p for p in parameters[1:] if p.default is p.empty]
        texts = []
        if first:
            positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
            if parameters and parameters[0].kind in positional:
                parameters = parameters[1:]
            texts.append(first)
        star = False
        for i, p in enumerate(parameters):
            if p.kind is p.KEYWORD_ONLY and not star:
                texts.append("*")
            star = star or p.kind in (p.KEYWORD_ONLY, p.VAR_POSITIONAL)
            ann = "Any" if p.annotation is p.empty else self.annotation(p.annotation, scope, namespace)
            if first and i == 0 and p.annotation is p.empty and OPERATOR.fullmatch(name):
                ann = f"{tensor} | {self.ref(float, scope)} | {self.ref(int, scope)}"
            prefix = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
            default = "" if p.default is p.empty else f" = {_literal(p.default)}"
            texts.append(f"{prefix}{p.name}: {ann}{default}")
            if p.kind is p.POSITIONAL_ONLY and (i + 1 == len(parameters) or parameters[i + 1].kind is not p.kind):
                texts.append("/")
        if signature.return_annotation is not signature.empty:
            returned = self.annotation(signature.return_annotation, scope, namespace)
        else:
            returned = "None" if name == "__init__" else self.returns(name, owner, scope)
        return [f"def {name}({', '.join(texts)}) -> {returned}: ..."]

    def returns(self, name: str, owner: str | None, scope: frozenset) -> str:
        """``Tensor`` where every PyTorch overload of the same name returns one, else ``Any``."""
        written = self.oracle.get((owner, name), set())
        if written and written <= {"Tensor", "torch.Tensor"}:
            return self.ref(sys.modules["ourdl.tensor"].Tensor, scope)
        return "Any"

    def klass(self, name: str, cls) -> list[str]:
        """A class made at run time, with its members and those of its ancestors that are made at run time."""
        mro = cls.__mro__
        made = [c for c in mro if c is not object and (c is cls or _home(c) is None)]
        base = next((c for c in mro[1:] if c is not object and _home(c) is not None), None)
        members: dict[str, object] = {}
        for c in reversed(made):
            members.update((n, v) for n, v in vars(c).items()
                           if n not in SKIPPED and (not n.startswith("_") or (n.startswith("__") and n.endswith("__"))))
        annotations = {n: a for c in reversed(made) for n, a in vars(c).get("__annotations__", {}).items()
                       if not n.startswith("_") and n not in members}
        scope = frozenset(members) | frozenset(annotations)
        namespace = vars(sys.modules[cls.__module__]) if cls.__module__ in sys.modules else {}
        lines = [f"class {name}({self.ref(base)}):" if base is not None else f"class {name}:"]
        body = [f"{n}: {self.annotation(a, scope, dict(namespace))}" for n, a in sorted(annotations.items())]
        for n, value in sorted(members.items()):
            body += self.member(cls.__name__, n, value, scope)
        return lines + ["    " + line for line in body or ["..."]]

    def member(self, owner: str, name: str, value, scope: frozenset) -> list[str]:
        """One class member: a method, static or class method, property, or a class attribute."""
        if isinstance(value, staticmethod):
            return ["@staticmethod", *self.function(name, value.__func__, owner=owner, scope=scope)]
        if isinstance(value, classmethod):
            return ["@classmethod", *self.function(name, value.__func__, owner=owner, scope=scope, first="cls")]
        if isinstance(value, property):
            lines = ["@property", *self.function(name, value.fget, owner=owner, scope=scope, first="self")]
            if value.fset is not None:
                setter = self.function(name, value.fset, owner=owner, scope=scope, first="self")[0]
                lines += [f"@{name}.setter", setter.rsplit(" -> ", 1)[0] + " -> None: ..."]
            return lines
        if inspect.isfunction(value):
            return self.function(name, value, owner=owner, scope=scope, first="self")
        if value is vars(object).get(name):
            return []
        if name == "__hash__" and value is None:
            self.imports.add("from typing import ClassVar")
            return ["__hash__: ClassVar[None]  # type: ignore[assignment]"]
        return [f"{name}: {self.ref(type(value), scope)}"]

    def text(self) -> str:
        """The stub: imports, then submodules, re-exported classes, values, classes and functions, each sorted."""
        modules, exports, values, classes, functions = [], [], [], [], []
        defined: dict[int, str] = {}
        for name, value in self.bound.items():
            if inspect.ismodule(value):
                parent, _, last = value.__name__.rpartition(".")
                modules.append(f"from {parent} import {last} as {name}" if parent and last == name
                               else f"import {value.__name__} as {name}")
            elif inspect.isclass(value):
                home = _home(value)
                if home not in (None, self.module.__name__):
                    exports.append(f"from {home} import {value.__qualname__} as {name}")
                elif id(value) in defined:
                    values.append(f"{name} = {defined[id(value)]}")
                else:
                    defined[id(value)] = name
                    classes += [*self.klass(name, value), ""]
            elif callable(value) and _has_signature(value):
                functions += self.function(name, value)
            else:
                values.append(f"{name}: {self.ref(type(value))}")
        self.imports.add("from typing import Any")
        imports = sorted(self.imports, key=lambda line: (line.startswith("from"), line))
        sections = [imports, modules, exports, values, classes, functions]
        return HEADER + "\n" + "\n\n".join("\n".join(s).strip("\n") for s in sections if s) + "\n"


def _has_signature(value) -> bool:
    try:
        inspect.signature(value)
    except (TypeError, ValueError):
        return inspect.isroutine(value)
    return True


def main(argv: list[str] | None = None) -> int:
    """Writes the stubs, or with ``--check`` says which differ from the runtime API (exit status 1)."""
    parser = argparse.ArgumentParser(prog="python -m ourdl.stubgen", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the files on disk, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for path, text in generate().items():
        target = ROOT / path
        if target.exists() and target.read_text() == text:
            continue
        stale.append(path)
        if not args.check:
            target.write_text(text)
    if args.check and stale:
        print(f"stale stubs: {', '.join(stale)}; regenerate them with `make stubs` (python -m ourdl.stubgen)")
        return 1
    print(("stale: " if args.check else "wrote: ") + (", ".join(stale) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
