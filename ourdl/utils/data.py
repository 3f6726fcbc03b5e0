"""``ourdl.utils.data``: the loading part of :mod:`ourdl.data` under ``torch.utils.data``'s name.

The same objects, not copies: ``ourdl.utils.data.DataLoader is ourdl.data.DataLoader``.

>>> import ourdl
>>> from ourdl.utils.data import DataLoader, TensorDataset
>>> x, = next(iter(DataLoader(TensorDataset(ourdl.arange(4.0)), batch_size=4)))
>>> x
tensor([0., 1., 2., 3.])
"""

from ..data import (BatchSampler, ChainDataset, ConcatDataset, DataLoader, Dataset, IterableDataset, RandomSampler,
                    Sampler, SequentialSampler, StackDataset, Subset, SubsetRandomSampler, TensorDataset,
                    WeightedRandomSampler, default_collate, default_convert, get_worker_info, random_split)

__all__ = ["BatchSampler", "ChainDataset", "ConcatDataset", "DataLoader", "Dataset", "IterableDataset", "RandomSampler",
           "Sampler", "SequentialSampler", "StackDataset", "Subset", "SubsetRandomSampler", "TensorDataset",
           "WeightedRandomSampler", "default_collate", "default_convert", "get_worker_info",
           "random_split"]
