"""``ourdl.lab``: experiments that measure what the literature claims about activation functions.

Each experiment states a claim and its source, measures it with ourdl's public
API, and returns a :class:`Result` (numbers, tables, figures) that
:func:`write_report` turns into Markdown and HTML. ``quick=True`` runs in
seconds; the default run takes minutes. The same seed gives the same numbers.

Every experiment is a sweep of seeded runs (:func:`sweep`: joblib processes or a Dask cluster,
one tidy table that resumes) judged over the seeds: each claim's verdict (supported,
contradicted or inconclusive), its 95% interval and the test used (:mod:`ourdl.lab.statistics`)
open the report.

From the command line: ``ourdl lab list`` and
``ourdl lab run NAME --seed 0 --seeds 10 --jobs 2 -o DIR`` (``--cluster local|tcp://HOST:PORT``,
``--log-dir`` for TensorBoard logs, written by :func:`ourdl.train.fit`, ``--quick`` for a run of seconds).

>>> from ourdl import lab
>>> result = lab.get("initialisation").run(seed=0, quick=True)  # 3 seeds
>>> 0.4 < result.values["xavier"]["mean_ratio"] < 0.6
True
>>> [v.outcome.value for v in result.verdicts]
['supported', 'supported', 'inconclusive (quick run)']

The diagnostics the experiments use work in any training loop: see
:mod:`ourdl.train.diagnostics` (``DeadUnitTracker``, ``ActivationStats``,
``gradient_norms``).
"""

from ..train import diagnostics
from ..train.diagnostics import ActivationStats, DeadUnitTracker, gradient_norms
from .registry import Experiment, catalog, experiment, get, swept_experiment
from .report import write_report
from .result import Figure, Result, Table
from .results_table import ResultsTableError, load_rows
from .statistics import Outcome, Summary, Verdict, bootstrap_ci, compare, compare_to, equivalent, summarise
from .sweep import spawn_seeds, sweep
from .experiments import (stuck_fits, dead_relus, gradients, initialisation, self_normalisation,  # noqa: F401
                          approximation, shootout, gelu_mlp, robustness)  # (importing registers each, in order)

__all__ = ["ActivationStats", "DeadUnitTracker", "Experiment", "Figure", "Outcome", "Result", "ResultsTableError",
           "Summary", "Table", "Verdict", "bootstrap_ci", "catalog", "compare", "compare_to",
           "diagnostics", "equivalent", "experiment", "get", "gradient_norms", "load_rows", "spawn_seeds", "summarise",
           "sweep", "swept_experiment", "write_report"]
