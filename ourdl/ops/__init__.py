"""The primitive operations, grouped by kind; importing this binds them to ``Tensor`` as methods.

Every op module declares ``__all__`` (its public functions, exported here and so as ``ourdl.<name>``) and
``METHODS`` (those that are Tensor methods too, bound by :mod:`~ourdl.ops.methods`). The ``linalg_*`` modules make
the ``ourdl.linalg`` namespace instead, and ``array_or_tensor``, ``promotion``, ``return_types`` and ``views`` are
helpers for the ops.
"""

from . import methods
from .arithmetic import *  # noqa: F401,F403
from .elementwise import *  # noqa: F401,F403
from .aliases import *  # noqa: F401,F403
from .comparison import *  # noqa: F401,F403
from .conversion import *  # noqa: F401,F403
from .counting import *  # noqa: F401,F403
from .creation import *  # noqa: F401,F403
from .convolution import *  # noqa: F401,F403
from .cumulative import *  # noqa: F401,F403
from .einsum import *  # noqa: F401,F403
from .extremes import *  # noqa: F401,F403
from .flipping import *  # noqa: F401,F403
from .fused import *  # noqa: F401,F403
from .gathering import *  # noqa: F401,F403
from .indexing import *  # noqa: F401,F403
from .joining import *  # noqa: F401,F403
from .matrix_functions import *  # noqa: F401,F403
from .matrix_parts import *  # noqa: F401,F403
from .products import *  # noqa: F401,F403
from .random import *  # noqa: F401,F403
from .reductions import *  # noqa: F401,F403
from .reshaping import *  # noqa: F401,F403
from .selection import *  # noqa: F401,F403
from .sorting import *  # noqa: F401,F403
from .special import *  # noqa: F401,F403
from .splitting import *  # noqa: F401,F403
from .statistics import *  # noqa: F401,F403
from .tiling import *  # noqa: F401,F403
from .typed_tensors import *  # noqa: F401,F403
from .two_argument import *  # noqa: F401,F403

methods.bind()

# what ``from ourdl.ops import *`` gives ``ourdl``: the ops, not the modules that hold them
__all__ = [name for name, value in globals().items()
           if not name.startswith("_") and not isinstance(value, type(methods))]
