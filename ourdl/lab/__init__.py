"""``ourdl.lab``: experiments that measure what the literature claims about activation functions.

Each experiment states a claim and its source, measures it with ourdl's public
API, and returns a :class:`Result` (numbers, tables, figures) that
:func:`write_report` turns into Markdown and HTML. ``quick=True`` runs in
seconds; the default run takes minutes. The same seed gives the same numbers.

From the command line: ``ourdl lab list`` and ``ourdl lab run NAME --seed 0 -o DIR``.

>>> from ourdl import lab
>>> result = lab.get("initialisation").run(seed=0, quick=True)
>>> 0.4 < result.values["xavier"]["mean_ratio"] < 0.6
True

The diagnostics the experiments use work in any training loop: see
:mod:`ourdl.lab.diagnostics` (``DeadUnitTracker``, ``ActivationStats``,
``gradient_norms``).
"""

from . import diagnostics
from .diagnostics import ActivationStats, DeadUnitTracker, gradient_norms
from .registry import Experiment, catalog, experiment, get
from .report import write_report
from .result import Figure, Result, Table
from .experiments import (stuck_fits, dead_relus, gradients, initialisation, self_normalisation,  # noqa: F401
                          approximation, shootout, gelu_mlp, robustness)  # (importing registers each, in order)

__all__ = ["ActivationStats", "DeadUnitTracker", "Experiment", "Figure", "Result", "Table", "catalog", "diagnostics",
           "experiment", "get", "gradient_norms", "write_report"]
