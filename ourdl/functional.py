"""``ourdl.functional``: the functions ``torch.functional`` holds that ourdl has, the same objects as ``ourdl.*``.

>>> import ourdl
>>> ourdl.functional.einsum("i,i->", ourdl.ones(3), ourdl.ones(3))
tensor(3.)
>>> ourdl.functional.split is ourdl.split
True
"""

from .ops import einsum, meshgrid, norm, split, unique

__all__ = ["einsum", "meshgrid", "norm", "split", "unique"]
