"""A one-element kernel's two forms: numba's, with the :func:`inline` helpers it calls compiled into it, and
NumPy's, the same source rewritten to run on whole arrays (what a kernel runs while numba loads; see
:mod:`ourdl.kernels`).

>>> import numpy as np
>>> def clip_low(x, low):
...     return low if x < low else x
>>> numpy_form(clip_low)(np.array([-1.0, 2.0]), np.float64(0.0))
array([0., 2.])
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types

import numpy as np


def inline(fn):
    """Decorator: ``fn``, a one-element function, may be called from kernels: numba inlines it into the kernel,
    and the kernel's NumPy form calls its NumPy form. (numba's disk cache watches only the kernel's own file: a
    change to a helper in another file takes effect in compiled kernels once that cache is cleared.)

    >>> @inline
    ... def twice(v):
    ...     return 2 * v
    >>> numpy_form(twice)(np.array([1.5]))
    array([3.])
    """
    fn.inline_in_kernels = True
    return fn


_NUMBA_HELPERS: dict = {}  # helper -> its numba function, made once
_NUMPY_HELPERS: dict = {}  # helper -> its NumPy form, made once


def _helper_globals(fn, convert) -> dict:
    """``fn``'s globals with each :func:`inline` helper it names replaced by ``convert(helper)``."""
    namespace = dict(fn.__globals__)
    for name in fn.__code__.co_names:
        if getattr(namespace.get(name), "inline_in_kernels", False):
            namespace[name] = convert(namespace[name])
    return namespace


def with_numba_helpers(fn):
    """``fn`` seeing numba-compiled helpers under its helpers' names (numba resolves globals when compiling)."""
    if not any(getattr(fn.__globals__.get(name), "inline_in_kernels", False) for name in fn.__code__.co_names):
        return fn
    copy = types.FunctionType(fn.__code__, _helper_globals(fn, _numba_helper), fn.__name__, fn.__defaults__,
                              fn.__closure__)
    copy.__qualname__, copy.__module__, copy.__doc__ = fn.__qualname__, fn.__module__, fn.__doc__
    return copy


def _numba_helper(helper):
    if helper not in _NUMBA_HELPERS:
        from numba import njit  # deferred: numba takes ~130 ms to import

        _NUMBA_HELPERS[helper] = njit(inline="always")(with_numba_helpers(helper))
    return _NUMBA_HELPERS[helper]


def _numpy_helper(helper):
    if helper not in _NUMPY_HELPERS:
        _NUMPY_HELPERS[helper] = numpy_form(helper)
    return _NUMPY_HELPERS[helper]


class _ToNumPy(ast.NodeTransformer):
    """Rewrites a one-element kernel into NumPy code that computes the same thing on arrays."""

    _CALLS = {"min": "minimum", "max": "maximum", "abs": "abs"}

    def visit_IfExp(self, node):
        self.generic_visit(node)
        return ast.Call(func=_np("where"), args=[node.test, node.body, node.orelse], keywords=[])

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id in self._CALLS:
            node.func = _np(self._CALLS[node.func.id])
        return node

    def visit_Constant(self, node):
        # numba types a literal 0.5 as float64 and 3 as int64, which promote a float32 operand: so must NumPy
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            return node
        kind = "float64" if isinstance(node.value, float) else "int64"
        return ast.Call(func=_np(kind), args=[node], keywords=[])


def _np(name: str) -> ast.Attribute:
    return ast.Attribute(value=ast.Name(id="_kernel_numpy", ctx=ast.Load()), attr=name, ctx=ast.Load())


def numpy_form(fn):
    """``fn``, a one-element kernel, rewritten to run on whole arrays with NumPy (see the module's docstring).

    >>> def clip_low(x, low):
    ...     return low if x < low else x
    >>> numpy_form(clip_low)(np.array([-1.0, 2.0]), np.float64(0.0))
    array([0., 2.])
    """
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    definition = tree.body[0]
    definition.decorator_list = []
    tree = ast.fix_missing_locations(_ToNumPy().visit(tree))
    namespace = {**_helper_globals(fn, _numpy_helper), "_kernel_numpy": np}
    exec(compile(tree, inspect.getsourcefile(fn) or "<kernel>", "exec"), namespace)
    return namespace[definition.name]
