"""``ourdl.nn.functional`` (``F``): the stateless forms of the layers, losses and activations.

>>> import ourdl
>>> import ourdl.nn.functional as F
>>> F.linear(ourdl.ones(1, 2), ourdl.ones(3, 2)).tolist()
[[2.0, 2.0, 2.0]]
"""

from ..activations.functional import *  # noqa: F401,F403  (relu, gelu, softmax, ... from the catalog)
from .linear import linear  # noqa: F401
