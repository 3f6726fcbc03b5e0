"""The datasets the experiments train on, split into training and test sets the same way for every seed.

Each worker process loads a dataset once and keeps it (the sweep's runs in one process share it).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from ourdl.data import Digits, FashionMNIST, TensorDataset, spirals

DEBIAN_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")  # Debian's package dataset-fashion-mnist
FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz")


def _first(dataset: TensorDataset, limit: int | None) -> TensorDataset:
    if limit is None:
        return dataset
    return TensorDataset(*(t[:limit].clone() for t in dataset.tensors))  # a copy: the full set can be freed


@functools.lru_cache(maxsize=4)
def spirals_split(samples: int, seed: int = 0, noise: float = 0.05) -> tuple[TensorDataset, TensorDataset]:
    """Two spirals: ``samples`` for training and half as many for testing, both drawn from ``seed``."""
    train = spirals(n=samples, noise=noise, seed=seed)
    test = spirals(n=samples // 2, noise=noise, seed=seed + 10_000)
    return train, test


@functools.lru_cache(maxsize=4)
def digits_split(limit: int | None = None) -> tuple[TensorDataset, TensorDataset]:
    """scikit-learn's 8x8 digits with ourdl's fixed split; ``limit`` keeps the first samples of each (quick runs)."""
    return _first(Digits(train=True), limit), _first(Digits(train=False), limit)


def fashion_mnist_root() -> Path:
    """A folder holding ``FashionMNIST/raw`` with the four files: ``$OURDL_DATA`` if set, else ``~/.cache/ourdl``.

    When the files are not there but Debian's ``dataset-fashion-mnist`` is installed, links to its
    files are made there (the package installs them in ``/usr/share/datasets/fashion-mnist``).
    """
    root = Path(os.environ.get("OURDL_DATA") or Path.home() / ".cache" / "ourdl")
    raw = root / FashionMNIST.folder / "raw"
    for name in FILES:
        source = DEBIAN_FASHION_MNIST / name
        if not (raw / name).exists() and not (raw / name.removesuffix(".gz")).exists() and source.exists():
            raw.mkdir(parents=True, exist_ok=True)
            (raw / name).unlink(missing_ok=True)  # a dangling link left by a removed package
            (raw / name).symlink_to(source)
    return root


@functools.lru_cache(maxsize=2)
def fashion_mnist_split(train_limit: int | None = None, test_limit: int | None = None, flatten: bool = True):
    """Fashion-MNIST's training and test sets in [0, 1], as flat 784-feature rows (or ``(1, 28, 28)`` images
    with ``flatten=False``); ``*_limit`` keeps the first samples.

    Only the samples kept are read from the files and converted to float32, so a worker holds
    its subset and no more (the uint8 images are dropped once converted).
    Raises ``FileNotFoundError`` saying how to get the files (``apt-get install dataset-fashion-mnist``).
    """
    root = fashion_mnist_root()

    def converted(train: bool, limit: int | None) -> TensorDataset:
        # only the float32 images and the labels leave: the uint8 images go with the FashionMNIST object, before
        # the next set is read (the training set's would otherwise stay beside the test set's conversion)
        return TensorDataset(*FashionMNIST(root, train=train, flatten=flatten, limit=limit).tensors)

    try:
        return converted(True, train_limit), converted(False, test_limit)
    except FileNotFoundError as error:
        raise FileNotFoundError(f"{error}\nOn Debian or Ubuntu: sudo apt-get install dataset-fashion-mnist") from None
