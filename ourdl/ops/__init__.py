"""The primitive operations, grouped by kind; importing this binds them to ``Tensor`` as methods."""

from . import methods
from .arithmetic import add, div, floor_divide, maximum, minimum, mul, pow, remainder, sub
from .comparison import (allclose, bitwise_and, bitwise_not, bitwise_or, bitwise_xor, eq, equal, ge, gt, isclose, le,
                         logical_and, logical_not, logical_or, logical_xor, lt, ne)
from .conversion import clone, to
from .creation import (arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like, is_tensor, linspace,
                       meshgrid, numel, ones, ones_like, tensor, zeros, zeros_like)
from .aliases import *  # noqa: F401,F403  (the names in its __all__)
from .decompositions import *  # noqa: F401,F403  (the names in its __all__)
from .gathering import *  # noqa: F401,F403  (the names in its __all__)
from .elementwise import (abs, acos, acosh, asin, asinh, atan, atanh, ceil, cos, cosh, erf, erfc, exp, expm1, floor,
                          isfinite, isinf, isnan, log, log10, log1p, log2, neg, reciprocal, round, rsqrt, sigmoid, sign, sin,
                          sinh, sqrt, square, tan, tanh, trunc)
from .indexing import index_add
from .linalg import bmm, dot, matmul, mm, mv, outer
from .matrices import *  # noqa: F401,F403  (the names in its __all__)
from .special import *  # noqa: F401,F403  (the names in its __all__)
from .statistics import *  # noqa: F401,F403  (the names in its __all__)
from .random import (Generator, bernoulli, default_generator, get_rng_state, initial_seed, manual_seed, normal, rand,
                     rand_like, randint, randint_like, randn, randn_like, randperm, seed, set_rng_state)
from .reductions import (all, amax, amin, any, argmax, argmin, cumsum, logsumexp, max, mean, min, norm, prod, std,
                         sum, var)
from .selection import argwhere, clamp, clip, nonzero, unique, where
from .shape import (broadcast_to, cat, chunk, column_stack, concat, concatenate, dstack, expand, flatten, flip, fliplr,
                    flipud, hsplit, hstack, movedim, moveaxis, narrow, permute, ravel, repeat, repeat_interleave,
                    reshape, select, split, squeeze, stack, swapaxes, swapdims, t, tensor_split, tile, transpose,
                    unbind, unflatten, unsqueeze, view, vsplit, vstack)

methods.bind()

# what ``from ourdl.ops import *`` gives ``ourdl``: the ops, not the modules that hold them
__all__ = [name for name, value in globals().items()
           if not name.startswith("_") and not isinstance(value, type(methods))]
