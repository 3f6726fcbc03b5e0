"""scikit-learn's bundled 8x8 handwritten digits: real data that needs no download.

1,797 grey-scale images of 8x8 pixels with values 0..16, 10 classes. The split is fixed
and needs no random numbers: every fifth sample (indices 0, 5, 10, ...) is the test set
(360 samples), the other 1,437 are the training set.

>>> train, test = Digits(train=True), Digits(train=False)
>>> len(train), len(test)
(1437, 360)
"""

from __future__ import annotations

from enum import Enum

import numpy as np

from ..tensor import Tensor
from .dataset import TensorDataset

TEST_EVERY = 5


class PixelScaling(str, Enum):
    """How :class:`Digits` scales its pixels (``normalize=``); the strings ``"unit"`` and ``"standard"`` work too.

    >>> PixelScaling("standard") is PixelScaling.STANDARD
    True
    """

    UNIT = "unit"
    STANDARD = "standard"


class Digits(TensorDataset):
    """The scikit-learn digits as a dataset of ``(image, label)``.

    Args:
        train: the 1,437 training samples, or (False) the 360 test samples.
        normalize: ``True`` or ``PixelScaling.UNIT`` (default) scales pixels from 0..16 to [0, 1]; ``PixelScaling.STANDARD``
            centres each pixel on its training-split mean and divides by its training-split standard
            deviation (at least one grey level, so near-constant border pixels are only centred), the
            same statistics for both splits; ``False`` keeps the raw counts.
        flatten: images of shape ``(64,)`` (default) rather than ``(1, 8, 8)``.

    Needs scikit-learn (``pip install "ourdl[digits]"`` or ``pip install scikit-learn``).

    >>> image, label = Digits(train=False, flatten=False)[0]
    >>> tuple(image.shape), label.item()
    ((1, 8, 8), 0)
    """

    classes = [str(d) for d in range(10)]

    def __init__(self, train: bool = True, normalize: bool | PixelScaling | str = True, flatten: bool = True):
        try:  # scikit-learn is optional and takes half a second to import
            from sklearn.datasets import load_digits
        except ImportError as error:
            raise ImportError("Digits needs scikit-learn, which is not installed: "
                              "pip install scikit-learn  (or pip install 'ourdl[digits]')") from error
        bunch = load_digits()
        in_train = np.arange(len(bunch.target)) % TEST_EVERY != 0
        keep = in_train if train else ~in_train
        images = bunch.data[keep]
        if normalize == PixelScaling.STANDARD:
            images = (images - bunch.data[in_train].mean(0)) / np.maximum(bunch.data[in_train].std(0), 1.0)
        elif normalize is True or normalize == PixelScaling.UNIT:
            images = images / 16.0
        elif normalize is not False:
            raise ValueError(f"Digits: normalize must be True, False, 'unit' or 'standard', got {normalize!r}")
        images = images.astype(np.float32)
        if not flatten:
            images = images.reshape(-1, 1, 8, 8)
        super().__init__(Tensor._make(images), Tensor._make(bunch.target[keep].astype(np.int64)))
        self.train = bool(train)
        self.targets = self.tensors[1]
