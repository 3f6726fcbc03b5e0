"""The activation catalog: one :class:`Activation` entry per function, every other form derived.

An entry is made by decorating the functional form (PyTorch's name and
signature) with :func:`register`; the decorator records the description
(formula, derivative, range, properties, reference) and derives the rest:
the generated docstring, the in-place variant (``relu_``), the Module
(``entry.module()``), the scalar form on Python floats, the NumPy form on
arrays and derivatives of any order (by autograd).

>>> import ourdl
>>> relu = ourdl.activations.get("relu")
>>> relu.scalar(-1.5), relu.scalar(2.0)
(0.0, 2.0)
>>> relu.derivative([-1.0, 2.0]).tolist()
[0.0, 1.0]
"""

from __future__ import annotations

import enum
import inspect
import math

import numpy as np

from ..autograd.engine import grad
from ..grad_mode import no_grad
from ..ops.creation import tensor
from .display import entry_latex, entry_markdown

class Property(enum.Flag):
    """What holds for an activation, as flags: ``Property.SMOOTH | Property.MONOTONIC``.

    >>> Property.SMOOTH in (Property.SMOOTH | Property.MONOTONIC)
    True
    """

    MONOTONIC = enum.auto()
    SMOOTH = enum.auto()
    BOUNDED_ABOVE = enum.auto()
    BOUNDED_BELOW = enum.auto()
    ZERO_CENTRED = enum.auto()
    SATURATING = enum.auto()
    SELF_GATED = enum.auto()
    LEARNABLE = enum.auto()


PROPERTY_NAMES = tuple(flag.name.lower() for flag in Property)
"""The keys of every entry's ``properties`` dict, in order."""
_NOT_PARAMETERS = {"input", "inplace", "training", "_stacklevel", "dtype", "out"}
_REGISTRY: dict[str, "Activation"] = {}
_ALIASES: dict[str, str] = {}


class Activation:
    """One catalog entry: the description of an activation and its derived forms.

    Attributes: ``name``, ``parameters`` (name -> default, PyTorch's names),
    ``formula`` and ``derivative_formula`` (LaTeX), ``range`` (low, high),
    ``properties`` (dict of booleans: monotonic, smooth, bounded_above,
    bounded_below, zero_centred, saturating, self_gated, learnable), ``paper``,
    ``year``, ``kinks`` (where it is not differentiable), ``elementwise``
    (False for those acting along a dimension), ``functional`` (the function on
    tensors), ``module_name`` and ``aliases``.

    >>> import ourdl
    >>> elu = ourdl.activations.get("elu")
    >>> elu.parameters, elu.range, elu.module_name
    ({'alpha': 1.0}, (-1.0, inf), 'ELU')
    """

    def __init__(self, functional, *, name, module_name, formula, derivative_formula, range, properties, paper,
                 year, kinks, elementwise, aliases, inplace, repr_template, example, defaults):
        self.functional = functional
        self.name = name
        self.module_name = module_name
        self.formula = formula
        self.derivative_formula = derivative_formula
        self.range = tuple(range)
        self.properties = properties
        self.paper = paper
        self.year = year
        self.kinks = tuple(kinks)
        self.elementwise = elementwise
        self.aliases = tuple(aliases)
        self.inplace = inplace
        self.repr_template = repr_template
        self.example = example
        self.signature = inspect.signature(functional)
        self.parameters = {p.name: defaults.get(p.name, p.default) for p in self.signature.parameters.values()
                           if p.name not in _NOT_PARAMETERS}

    def __repr__(self) -> str:
        return f"<activation {self.name}{self._parameter_text()}: {self.formula}>"

    def _repr_markdown_(self) -> str:
        return entry_markdown(self)

    def _repr_latex_(self) -> str:
        return entry_latex(self)

    def _parameter_text(self) -> str:
        return "(" + ", ".join(f"{k}={v!r}" for k, v in self.parameters.items()) + ")" if self.parameters else ""

    # -- derived forms ------------------------------------------------------------------
    module_factory = None  # entry -> its Module class; ourdl.nn registers it (nn sits above the catalog)

    @classmethod
    def set_module_factory(cls, factory) -> None:
        """Register ``factory(entry) -> Module class``, the maker behind :meth:`module`; ``ourdl.nn`` does it at import.

        >>> import ourdl
        >>> ourdl.activations.get("relu").module_factory is ourdl.nn.activation_modules.module_class
        True
        """
        cls.module_factory = staticmethod(factory)

    def module(self, *args, **params):
        """A Module computing this activation (``nn.ReLU()`` for ``relu``), built with ``params``."""
        if self.module_factory is None:
            raise RuntimeError(f"activation {self.name!r}: no Module factory is registered; import ourdl.nn first")
        return self.module_factory(self)(*args, **params)

    def _call(self, x, params):
        params = {**{k: v for k, v in self.parameters.items() if v is not inspect.Parameter.empty}, **params}
        if not self.elementwise and "dim" in self.parameters and params.get("dim") is None:
            params["dim"] = -1
        return self.functional(x, **params)

    def numpy(self, array, **params) -> np.ndarray:
        """The activation on a NumPy array (float64 unless the array is float32), outside any graph.

        Activations acting along a dimension use the last one unless ``dim`` is given.
        """
        with no_grad():
            return self._call(tensor(_float_array(array)), params).numpy()

    def scalar(self, x: float, **params) -> float:
        """The activation of one Python float, as a Python float (``get("relu").scalar(-1.5) == 0.0``)."""
        return float(self.numpy(np.float64(x), **params))

    def derivative(self, array, order: int = 1, **params) -> np.ndarray:
        """The ``order``-th derivative (1 or 2) at each element of ``array``, by autograd.

        For an elementwise activation this is f'(x) (or f''(x)) elementwise; for one acting along
        a dimension it is the gradient of the sum of the outputs, ``d sum(f(x)) / dx``.
        """
        if order not in (1, 2):
            raise ValueError(f"derivative: order must be 1 or 2, got {order}")
        x = tensor(_float_array(array), requires_grad=True)
        y = self._call(x, params)
        (d,) = grad(y.sum(), [x], create_graph=order == 2)
        if order == 2:
            if not d.requires_grad:  # f' is piecewise constant (relu, ...): nothing leads back to x, f'' = 0
                return np.zeros_like(x.detach().numpy())
            (d,) = grad(d.sum(), [x], allow_unused=True)
            if d is None:
                return np.zeros_like(x.detach().numpy())
        return d.detach().numpy()

    def docstring(self) -> str:
        """The generated documentation: formula, derivative, parameters, shape, properties, reference, example."""
        lines = [f"{self.name.replace('_', ' ').capitalize()} activation: :math:`{self.formula}`.", "",
                 f"Derivative: :math:`{self.derivative_formula}`.", ""]
        if self.parameters:
            lines.append("Parameters: " + ", ".join(f"``{k}`` (default {v!r})" for k, v in self.parameters.items()
                                                    if v is not inspect.Parameter.empty) + ".")
        shape = "``(*)``, any shape; output the same shape" if self.elementwise else \
            "acts along ``dim``; see the parameters for the shape"
        lines += [f"Shape: {shape}.", f"Range: {_interval(self.range)}.",
                  "Properties: " + (", ".join(k.replace("_", " ") for k, v in self.properties.items() if v) or "none")
                  + ".", f"Introduced in: {self.paper} ({self.year})." if self.paper else "", ""]
        if self.example:
            call, result = self.example
            lines += [">>> import ourdl", ">>> import ourdl.activations.functional as F", f">>> {call}", result]
        return "\n".join(line for line in lines if line is not None)


def _interval(r) -> str:
    low, high = r
    return f"{'(' if math.isinf(low) else '['}{low}, {high}{')' if math.isinf(high) else ']'}"


def _float_array(array) -> np.ndarray:
    a = np.asarray(array)
    return a if a.dtype in (np.float32, np.float64) else a.astype(np.float64)


def catalog() -> list:
    """Every registered activation, sorted by name.

    >>> import ourdl
    >>> [a.name for a in ourdl.activations.catalog()][:3]
    ['celu', 'elu', 'exponential']
    """
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def get(name: str) -> Activation:
    """The entry called ``name`` (or one of its aliases); an unknown name lists the valid ones.

    >>> import ourdl
    >>> ourdl.activations.get("gelu").parameters
    {'approximate': 'none'}
    """
    key = _ALIASES.get(name, name)
    if key not in _REGISTRY:
        valid = ", ".join(sorted(list(_REGISTRY) + list(_ALIASES)))
        raise KeyError(f"unknown activation {name!r}; the catalog has: {valid}")
    return _REGISTRY[key]


def register(function=None, *, name=None, module_name=None, formula="", derivative_formula="",
             range=(-math.inf, math.inf), properties=Property(0), paper="", year=None, kinks=(), elementwise=True,
             aliases=(), inplace=False, repr_template=None, example=None, defaults=None):
    """Add an activation to the catalog; usable bare (``@register``) or with a description.

    ``function(input, **params)`` computes it on tensors with ourdl ops (its derivatives then come
    from autograd); its keyword parameters and defaults become the entry's ``parameters``.
    ``properties`` are the :class:`Property` flags that hold (``Property.SMOOTH | Property.MONOTONIC``).

    >>> import ourdl
    >>> @ourdl.activations.register(formula=r"x \\cdot \\tanh(a x)", range=(-float("inf"), float("inf")))
    ... def tanhgate(input, a=1.0):
    ...     return input * ourdl.tanh(a * input)
    >>> round(ourdl.activations.get("tanhgate").scalar(1.0), 4)
    0.7616
    >>> ourdl.activations.get("tanhgate").module(a=2.0)
    Tanhgate(a=2.0)
    """

    def decorate(fn):
        if not isinstance(properties, Property):
            raise TypeError(f"register: properties must be ourdl.activations.Property flags, e.g. Property.SMOOTH | "
                            f"Property.MONOTONIC, not {properties!r}")
        entry_name = name or fn.__name__
        entry = Activation(
            fn, name=entry_name, module_name=module_name or "".join(p.capitalize() for p in entry_name.split("_")),
            formula=formula, derivative_formula=derivative_formula, range=range,
            properties={flag.name.lower(): flag in properties for flag in Property}, paper=paper, year=year, kinks=kinks,
            elementwise=elementwise, aliases=aliases, inplace=inplace, repr_template=repr_template, example=example,
            defaults=defaults or {})
        _REGISTRY[entry_name] = entry
        for alias in aliases:
            _ALIASES[alias] = entry_name
        fn.__doc__ = entry.docstring()
        fn.activation = entry
        return fn

    return decorate(function) if function is not None else decorate
