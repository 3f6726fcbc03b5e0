"""ourdl: a deep learning framework on NumPy, with PyTorch's semantics.

>>> import ourdl
>>> x = ourdl.arange(-2.0, 2.0, 1.0, requires_grad=True)
>>> ourdl.relu(x).sum().backward()
>>> x.grad
tensor([0., 0., 0., 1.])
"""

from . import allocator  # first: glibc keeps large freed arrays for reuse from here on (see its docstring)
from . import quiet_numpy

quiet_numpy.silence()  # inf and NaN come silently, as from PyTorch (see its docstring)
from . import accelerator, autograd, backends, cuda
from ._version import __version__
from .autograd import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad,
                       set_grad_enabled)
from .devices import device, get_default_device, set_default_device
from .dtypes import (DType, bool_ as bool, float16, float32, float64, get_default_dtype, int8, int16, int32, int64,
                     promote_types, result_type, set_default_dtype, uint8)
from .ops import *  # noqa: F401,F403  (the op namespace is the public API, as torch.*)
from .ops import __all__ as _op_names
from .threads import get_num_threads, set_num_threads
from .size import Size
from .tensor import Tensor
from .tensor_repr import set_printoptions
from . import linalg, nn, optim
from .activations.functional import relu  # the catalog's (sigmoid and tanh are ops, described by the catalog)
from .activations.tensor_api import log_softmax, softmax

Tensor.relu, Tensor.sigmoid, Tensor.tanh = relu, sigmoid, tanh
Tensor.softmax, Tensor.log_softmax = softmax, log_softmax
from . import data, io, models, train, utils
from . import functional
from .io.serialization import load, save
from . import graph  # the scalar node graph of the tutorials: pure Python, cheap to import

half, float, double, long, int, short = float16, float32, float64, int64, int32, int16

__all__ = [*_op_names, "relu", "sigmoid", "softmax", "log_softmax", "get_num_threads", "set_num_threads", "device",
           "get_default_device", "set_default_device", "inference_mode", "is_inference_mode_enabled", "save", "load",
           "set_printoptions"]
