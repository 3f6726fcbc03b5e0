"""The registry of experiments: each one a claim from the literature, its source, and a function that measures it.

>>> from ourdl import lab
>>> "self_normalisation" in [e.name for e in lab.catalog()]
True
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Callable

from ..ops.random import manual_seed
from .result import Result

_REGISTRY: dict[str, "Experiment"] = {}


@dataclass(frozen=True)
class Experiment:
    """One lab experiment.

    ``measure(seed, quick)`` does the work and returns a :class:`Result`;
    :meth:`run` seeds ourdl's generator first and labels the result with the
    experiment, so the same seed always gives the same numbers.

    >>> double = Experiment("double", "Doubling", "2 x 21 = 42", "arithmetic",
    ...                     lambda seed, quick: Result("measured 42", {"product": 2 * 21}))
    >>> result = double.run(seed=1, quick=True)
    >>> result.values, result.claim
    ({'product': 42}, '2 x 21 = 42')
    >>> result.command
    'ourdl lab run double --seed 1 --quick -o DIR'
    """

    name: str
    title: str
    claim: str
    source: str
    measure: Callable[[int, bool], Result]

    def run(self, seed: int = 0, quick: bool = False) -> Result:
        """Run the experiment; ``quick=True`` takes seconds, the default takes minutes.

        The experiments multiply small matrices, where one BLAS thread is fastest
        and keeps its speed on a busy machine (several threads spinning for two
        cores slowed them 20 to 200 times here), so they run with one BLAS thread
        when ``threadpoolctl`` (installed with scikit-learn) is available.
        """
        manual_seed(seed)
        with _one_blas_thread():
            result = self.measure(seed, quick)
        result.name, result.title, result.claim, result.source = self.name, self.title, self.claim, self.source
        result.seed, result.quick = seed, quick
        return result


def _one_blas_thread():
    try:  # threadpoolctl is optional (it comes with scikit-learn) and takes 15 ms to import
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def experiment(name: str, title: str, claim: str, source: str):
    """Decorator that registers ``measure(seed, quick) -> Result`` as an experiment.

    >>> @experiment("demo_only", "Demo", "1 + 1 = 2", "arithmetic")
    ... def demo(seed, quick):
    ...     return Result("measured", {"sum": 1 + 1})
    >>> get("demo_only").run(seed=3).values
    {'sum': 2}
    >>> _ = _REGISTRY.pop("demo_only")
    """

    def register(measure):
        if name in _REGISTRY:
            raise ValueError(f"lab: an experiment named {name!r} is already registered")
        _REGISTRY[name] = Experiment(name, title, claim, source, measure)
        return measure

    return register


def catalog() -> list[Experiment]:
    """Every registered experiment, in registration order (as ``ourdl.activations.catalog()`` lists activations).

    >>> [e.name for e in catalog()][:3]
    ['stuck_fits', 'dead_relus', 'gradients']
    """
    return list(_REGISTRY.values())


def get(name: str) -> Experiment:
    """The experiment called ``name``; a clear error lists the known names otherwise.

    >>> get("initialisation").title
    'Initialisation and variance'
    >>> get("nope")
    Traceback (most recent call last):
        ...
    KeyError: "lab: no experiment named 'nope'; known: stuck_fits, dead_relus, ..."
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"lab: no experiment named {name!r}; known: {', '.join(_REGISTRY)}") from None

