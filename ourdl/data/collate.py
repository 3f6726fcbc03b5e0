"""Turning a list of samples into a batch (``default_collate``) and one sample into tensors (``default_convert``),
as ``torch.utils.data`` does.

>>> import ourdl
>>> default_collate([(ourdl.tensor([1.0, 2.0]), 0), (ourdl.tensor([3.0, 4.0]), 1)])
[tensor([[1., 2.],
        [3., 4.]]), tensor([0, 1])]
"""

from __future__ import annotations

import collections.abc
import numbers

import numpy as np

from ..tensor import Tensor


def default_collate(batch):
    """Stack a list of samples along a new first dimension, recursing into tuples, lists and dicts.

    Tensors and NumPy arrays are stacked into a tensor; Python ints become an ``int64`` tensor,
    floats a ``float64`` tensor and bools a ``bool`` tensor (PyTorch's rules); strings stay a list;
    a tuple or list of fields gives a list of batched fields; a dict gives a dict.

    >>> default_collate([{"x": 1.5}, {"x": 2.5}])
    {'x': tensor([1.5000, 2.5000], dtype=ourdl.float64)}
    """
    first = batch[0]
    if isinstance(first, Tensor):
        return Tensor._make(np.stack([sample._data for sample in _same_shapes(batch)]))
    if isinstance(first, (np.ndarray, np.generic)):
        return Tensor._make(np.stack(_same_shapes(batch)))
    if isinstance(first, bool):
        return Tensor._make(np.array(batch, dtype=np.bool_))
    if isinstance(first, numbers.Integral):
        return Tensor._make(np.array(batch, dtype=np.int64))
    if isinstance(first, numbers.Real):
        return Tensor._make(np.array(batch, dtype=np.float64))
    if isinstance(first, (str, bytes)):
        return list(batch)
    if isinstance(first, collections.abc.Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in first}
    if isinstance(first, collections.abc.Sequence):
        if any(len(sample) != len(first) for sample in batch):
            raise RuntimeError("default_collate: each sample in the batch must have the same number of fields")
        return [default_collate(list(field)) for field in zip(*batch)]
    raise TypeError(f"default_collate: batch must contain tensors, NumPy arrays, numbers, dicts or lists; "
                    f"found {type(first).__name__}")


def default_convert(data):
    """Turn NumPy arrays and NumPy scalars into tensors, recursing into dicts, tuples and lists and leaving
    everything else as it is: what a :class:`~ourdl.data.DataLoader` does with each sample when
    ``batch_size=None`` turns batching off.

    >>> import numpy as np
    >>> default_convert({"x": np.arange(2), "n": 3})
    {'x': tensor([0, 1]), 'n': 3}
    """
    if isinstance(data, (np.ndarray, np.generic)) and data.dtype.kind not in "SUO":
        return Tensor._make(np.array(data))
    if isinstance(data, collections.abc.Mapping):
        return {key: default_convert(value) for key, value in data.items()}
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # a named tuple keeps its type
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, (list, tuple)):
        return type(data)(default_convert(d) for d in data)
    return data


def _same_shapes(batch):
    shapes = {tuple(sample.shape) for sample in batch}
    if len(shapes) > 1:
        raise RuntimeError(f"default_collate: stack expects each sample to be of equal size, got shapes {sorted(shapes)}")
    return batch
