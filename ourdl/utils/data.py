"""``ourdl.utils.data``: the loading part of :mod:`ourdl.data` under ``torch.utils.data``'s name.

The same objects, not copies: ``ourdl.utils.data.DataLoader is ourdl.data.DataLoader``.

>>> import ourdl
>>> from ourdl.utils.data import DataLoader, TensorDataset
>>> x, = next(iter(DataLoader(TensorDataset(ourdl.arange(4.0)), batch_size=4)))
>>> x
tensor([0., 1., 2., 3.])
"""

from ..data import DataLoader, Dataset, Subset, TensorDataset, default_collate, random_split

__all__ = ["DataLoader", "Dataset", "Subset", "TensorDataset", "default_collate", "random_split"]
