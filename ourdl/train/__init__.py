"""Training: ``fit`` (the loop), ``evaluate``, the ``History`` it returns, metrics, TensorBoard logs and diagnostics.

>>> from ourdl.train import fit, evaluate, History, TrainingDiverged, TrainingInterrupted, TensorBoardLogger
"""

from .fit import OnDivergence, SchedulerInterval, TrainingDiverged, evaluate, fit
from .history import History
from .interrupt import TrainingInterrupted
from .metrics import METRICS, accuracy
from .tensorboard import TensorBoardLogger
