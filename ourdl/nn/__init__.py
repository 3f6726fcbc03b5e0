"""``ourdl.nn``: modules, layers, losses, initialisers and the functional forms, with PyTorch's names.

>>> import ourdl
>>> from ourdl import nn
>>> model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
>>> model(ourdl.ones(4, 2)).shape
ourdl.Size([4, 1])
"""

from . import functional, init, utils
from .activation_modules import *  # noqa: F401,F403  (the catalog's activation Modules: ReLU, GELU, ...)
from .container import ModuleDict, ModuleList, Sequential
from .conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .parameter_containers import ParameterDict, ParameterList
from .batch_norm import BatchNorm1d, BatchNorm2d, BatchNorm3d
from .dropout import Dropout, Dropout1d, Dropout2d, Dropout3d
from .embedding import Embedding
from .embedding_bag import EmbeddingBag
from .flatten import Flatten, Unflatten
from .linear import Identity, Linear
from .loss_modules import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss, MSELoss, NLLLoss,
                   SmoothL1Loss)
from .mlp import MLP
from .module import Module
from .instance_norm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
from .normalization import GroupNorm, LayerNorm
from .parameter import Parameter
from .pooling import (AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AvgPool1d, AvgPool2d,
                      MaxPool1d, MaxPool2d)
from .recurrent import GRU, LSTM, RNN, RNNBase
from .recurrent_cells import GRUCell, LSTMCell, RNNCell, RNNCellBase
