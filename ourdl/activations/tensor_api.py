"""``ourdl.softmax`` and ``ourdl.log_softmax`` (and ``x.softmax(dim)``, ``x.log_softmax(dim)``): the catalog's
functions with ``dim`` required, as ``torch.softmax`` has it.

>>> import ourdl
>>> ourdl.tensor([[1.0, 2.0], [3.0, 3.0]]).softmax(dim=1)
tensor([[0.2689, 0.7311],
        [0.5000, 0.5000]])
"""

from __future__ import annotations

from . import along_dim
from ..ops.tensor_argument import require_tensor


def softmax(input, dim, dtype=None):
    """:math:`e^{x_i} / \\sum_j e^{x_j}` along ``dim`` (computed in ``dtype`` when given).

    >>> import ourdl
    >>> ourdl.softmax(ourdl.tensor([0.0, 0.0]), 0)
    tensor([0.5000, 0.5000])
    """
    require_tensor(input, "softmax")
    return along_dim.softmax(input, dim, dtype=dtype)


def log_softmax(input, dim, dtype=None):
    """:math:`x_i - \\log \\sum_j e^{x_j}` along ``dim`` (computed in ``dtype`` when given).

    >>> import ourdl
    >>> ourdl.log_softmax(ourdl.tensor([0.0, 0.0]), 0)
    tensor([-0.6931, -0.6931])
    """
    require_tensor(input, "log_softmax")
    return along_dim.log_softmax(input, dim, dtype=dtype)
