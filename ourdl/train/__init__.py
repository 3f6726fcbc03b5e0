"""Training: ``fit`` (the loop), ``evaluate``, the ``History`` it returns, and metrics.

>>> from ourdl.train import fit, evaluate, History, TrainingDiverged, TrainingInterrupted
"""

from .fit import OnDivergence, SchedulerInterval, TrainingDiverged, evaluate, fit
from .history import History
from .interrupt import TrainingInterrupted
from .metrics import METRICS, accuracy
