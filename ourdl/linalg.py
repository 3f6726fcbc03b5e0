"""``ourdl.linalg``: inverses, determinants, solves, norms and decompositions, as ``torch.linalg``.

Every function works on batches: the last two dimensions are the matrix, any leading dimensions
are a batch. Gradients are exact; each backward is written with differentiable ops, so second
derivatives come for free. A singular or non-positive-definite input raises :class:`LinAlgError`.

This module only names them; they are made in :mod:`ourdl.ops.linalg_inverse`,
:mod:`ourdl.ops.linalg_norms`, :mod:`ourdl.ops.linalg_decompositions` and :mod:`ourdl.ops.linalg_factorizations`.

>>> import ourdl
>>> ourdl.linalg.inv(ourdl.eye(2) * 2)
tensor([[0.5000, 0.0000],
        [0.0000, 0.5000]])
"""

from .ops.linalg_decompositions import cholesky, eigh, eigvalsh, pinv, svd, svdvals
from .ops.linalg_factorizations import lu, lu_factor, lu_factor_ex, lu_solve, qr
from .ops.linalg_inverse import LinAlgError, det, inv, matrix_power, slogdet, solve
from .ops.linalg_norms import matrix_norm, norm, vector_norm

__all__: list[str] = ["LinAlgError", "inv", "det", "slogdet", "solve", "matrix_power", "vector_norm", "matrix_norm",
                      "norm", "svd", "svdvals", "pinv", "eigh", "eigvalsh", "cholesky", "qr", "lu_factor", "lu_factor_ex",
                      "lu", "lu_solve"]
