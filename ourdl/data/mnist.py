"""MNIST and Fashion-MNIST from their IDX files: in a folder of yours, in the system's folder, or downloaded.

The files live in ``<root>/MNIST/raw`` (``<root>/FashionMNIST/raw``), the layout torchvision
uses, gzipped or not: ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``. Where they are not (or without ``root``),
the folder a system package installs is used: Debian's ``dataset-fashion-mnist``
(``apt-get install dataset-fashion-mnist``) puts Fashion-MNIST's four files in
``/usr/share/datasets/fashion-mnist``, so Fashion-MNIST needs no network at all. With
``download=True`` a missing file (or one whose checksum is wrong) is fetched into ``root`` from
the first mirror that serves it with the right SHA-256 checksum (the published digests of the
gzipped files); a checksum may also be given as ``"md5:<hex>"``.

Example (Fashion-MNIST from the system's package, or from ``data/FashionMNIST/raw``)::

    train = FashionMNIST("data", train=True)
    loader = DataLoader(train, batch_size=128, shuffle=True)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..tensor import Tensor
from .dataset import TensorDataset
from .download import download as fetch
from .files import matches
from .idx import IDXError, read_idx

SPLITS = {True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
          False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}


class MNIST(TensorDataset):
    """The 28x28 grey-scale handwritten digits: 60,000 training and 10,000 test images, 10 classes.

    Samples are ``(image, label)``: ``image`` a ``float32`` tensor in [0, 1] of shape ``(1, 28, 28)``
    (``(784,)`` with ``flatten=True``), ``label`` an ``int64`` class index. ``targets`` holds
    all labels, ``data`` the ``uint8`` images ``(N, 28, 28)``. As torchvision's, ``transform`` is
    called on each image (a ``uint8`` ``(28, 28)`` array, what :class:`~ourdl.data.transforms.ToTensor`
    takes) and ``target_transform`` on each label (an ``int``) in ``ds[i]``; without them the
    :class:`~ourdl.data.DataLoader` slices whole batches out of the ready tensors. ``mirrors`` and
    ``checksums`` (file name -> ``"sha256:..."``, or ``"md5:..."``) replace the built-in lists, e.g. to
    use a local mirror. ``limit`` keeps the first ``limit`` samples only, reading no more of the files
    than they take (a subset without the memory of the whole set).

    The files are looked for in ``<root>/MNIST/raw`` and then in ``system_folders`` (with ``root=None``
    only there); ``download=True`` fetches what ``root`` lacks.

    >>> import tempfile
    >>> from ourdl.data import write_idx
    >>> root = tempfile.mkdtemp()
    >>> write_idx(f"{root}/MNIST/raw/train-images-idx3-ubyte.gz", np.zeros((3, 28, 28), np.uint8))
    >>> write_idx(f"{root}/MNIST/raw/train-labels-idx1-ubyte.gz", np.array([7, 2, 1], np.uint8))
    >>> image, label = MNIST(root)[0]
    >>> tuple(image.shape), label.item()
    ((1, 28, 28), 7)
    >>> len(MNIST(root, limit=2))
    2
    """

    folder = "MNIST"
    system_folders: tuple = ()  # where a system package installs the files (there is none for MNIST)
    system_package = ""
    mirrors = ("https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/")
    checksums = {"train-images-idx3-ubyte.gz": "sha256:440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                 "train-labels-idx1-ubyte.gz": "sha256:3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                 "t10k-images-idx3-ubyte.gz": "sha256:8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                 "t10k-labels-idx1-ubyte.gz": "sha256:f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"}
    classes = [str(d) for d in range(10)]

    def __init__(self, root=None, train: bool = True, transform=None, target_transform=None, download: bool = False,
                 *, flatten: bool = False, mirrors=None, checksums=None, timeout: float = 30.0,
                 limit: int | None = None):
        self.root = None if root is None else Path(root)
        self.train = bool(train)
        self.transform, self.target_transform, self.flatten = transform, target_transform, flatten
        if download:
            if self.root is None:
                raise ValueError(f"{type(self).__name__}: download=True needs root=, the folder to download into")
            self.raw_folder = self.root / self.folder / "raw"
            self.download(mirrors or self.mirrors, checksums or self.checksums, timeout)
        self.raw_folder = self._locate()
        image_file, label_file = (self._find(name) for name in SPLITS[self.train])
        images, labels = read_idx(image_file, limit), read_idx(label_file, limit)
        self._check(images, labels, image_file, label_file)
        self.data = Tensor._make(images)
        self.targets = Tensor._make(labels.astype(np.int64))
        if self.transform is None and self.target_transform is None:
            data = images.reshape(len(images), -1 if flatten else 1, *(() if flatten else images.shape[1:]))
            super().__init__(Tensor._make(np.multiply(data, np.float32(1 / 255), dtype=np.float32)), self.targets)
        else:  # samples are made one at a time by the transforms: no float copy of the whole set
            super().__init__(self.data, self.targets)

    @property
    def batches_by_slicing(self) -> bool:
        """Whether a batch is rows of the ready tensors (no transform to call per sample)."""
        return self.transform is None and self.target_transform is None

    def __getitem__(self, index):
        if self.batches_by_slicing:
            return super().__getitem__(index)
        image, label = self.data._data[index], int(self.targets._data[index])
        if self.transform is None:
            image = Tensor._make(np.multiply(image, np.float32(1 / 255), dtype=np.float32)[None])
        else:
            image = self.transform(image)
        if self.flatten:
            image = image.reshape(-1)
        return image, label if self.target_transform is None else self.target_transform(label)

    def _locate(self) -> Path:
        """The first of ``<root>/<folder>/raw`` and the system folders that holds this split's files."""
        for folder in self._candidates():
            if all((folder / name).exists() or (folder / (name + ".gz")).exists() for name in SPLITS[self.train]):
                return folder
        return self._candidates()[0] if self._candidates() else Path(self.folder)

    def _candidates(self) -> list:
        own = [] if self.root is None else [self.root / self.folder / "raw"]
        return own + [Path(folder) for folder in self.system_folders]

    def download(self, mirrors, checksums, timeout: float = 30.0) -> None:
        """Fetch every file of both splits that is missing or fails its checksum (an unpacked copy counts as present)."""
        for name, checksum in checksums.items():
            path = self.raw_folder / name
            if (self.raw_folder / name.removesuffix(".gz")).exists():
                continue
            if not (path.exists() and matches(path, checksum)):
                fetch(name, self.raw_folder, mirrors, checksum, timeout)

    def _find(self, stem: str) -> Path:
        for name in (stem, stem + ".gz"):
            if (self.raw_folder / name).exists():
                return self.raw_folder / name
        names = ", ".join(f"{s}.gz" for pair in SPLITS.values() for s in pair)
        looked = ", ".join(str(folder.resolve()) for folder in self._candidates()) or "nowhere (no root= given)"
        package = (f" Install Debian's package, which puts them in {self.system_folders[0]}: "
                   f"sudo apt-get install {self.system_package}." if self.system_package else "")
        own = (self.root / self.folder / "raw").resolve() if self.root is not None else f"<root>/{self.folder}/raw"
        raise FileNotFoundError(
            f"{type(self).__name__}: {stem}(.gz) not found; looked in {looked}.{package} Or pass root= and "
            f"download=True to fetch the files, or, without a network, download {names} from one of "
            f"{', '.join(self.mirrors)} and put them in {own}.")

    def _check(self, images, labels, image_file, label_file) -> None:
        if images.ndim != 3 or images.dtype != np.uint8:
            raise IDXError(f"{image_file}: expected uint8 images of shape (N, rows, columns), got {images.dtype} {images.shape}")
        if labels.ndim != 1 or len(labels) != len(images):
            raise IDXError(f"{label_file}: expected {len(images)} labels to match {image_file}, got shape {labels.shape}")
        if labels.size and (labels.min() < 0 or labels.max() >= len(self.classes)):
            bad = labels.min() if labels.min() < 0 else labels.max()
            raise IDXError(f"{label_file}: label {bad} out of range for {len(self.classes)} classes "
                           f"(0 to {len(self.classes) - 1})")


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: 28x28 grey-scale images of clothing in 10 classes, MNIST's format and sizes.

    Its files go in ``<root>/FashionMNIST/raw``; without them there (or without ``root``) the files of Debian's
    ``dataset-fashion-mnist`` package in ``/usr/share/datasets/fashion-mnist`` are read.

    >>> FashionMNIST.classes[9]
    'Ankle boot'
    """

    folder = "FashionMNIST"
    system_folders = ("/usr/share/datasets/fashion-mnist",)
    system_package = "dataset-fashion-mnist"
    mirrors = ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
               "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")
    checksums = {"train-images-idx3-ubyte.gz": "sha256:3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                 "train-labels-idx1-ubyte.gz": "sha256:a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                 "t10k-images-idx3-ubyte.gz": "sha256:346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                 "t10k-labels-idx1-ubyte.gz": "sha256:67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"}
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
