"""``ourdl.optim``: optimisers that update parameters in place, and learning-rate schedules.

>>> import ourdl
>>> from ourdl import nn, optim
>>> model = nn.Linear(3, 1)
>>> opt = optim.Adam(model.parameters(), lr=1e-2)
>>> loss = model(ourdl.ones(4, 3)).pow(2).mean()
>>> opt.zero_grad(); loss.backward(); opt.step()
"""

from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD
from .sparse_adam import SparseAdam

__all__ = ["Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "SGD", "SparseAdam", "lr_scheduler"]
