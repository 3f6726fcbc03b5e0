"""Datasets and batching with ``torch.utils.data``'s names, and ready datasets to learn on.

>>> import ourdl
>>> from ourdl.data import DataLoader, moons
>>> loader = DataLoader(moons(n=100, noise=0.1, seed=0), batch_size=32, shuffle=True)
>>> x, y = next(iter(loader))
>>> tuple(x.shape), y.dtype
((32, 2), ourdl.int64)
"""

from .collate import default_collate, default_convert
from .dataset import (ChainDataset, ConcatDataset, Dataset, IterableDataset, StackDataset, Subset, TensorDataset,
                      random_split)
from .samplers import (BatchSampler, RandomSampler, Sampler, SequentialSampler, SubsetRandomSampler,
                       WeightedRandomSampler)
from .workers import WorkerInfo, get_worker_info
from .loader import DataLoader
from .synthetic import circles, gaussians, moons, quadratic, sine, spirals, xor
from .digits import Digits, PixelScaling
from .download import DownloadError
from .idx import IDXError, read_idx, write_idx
from .mnist import MNIST, FashionMNIST
from .csv_dataset import CSVDataset
from . import transforms
