"""Image transforms for datasets, with ``torchvision.transforms``' names, arguments and behaviour.

An image is a tensor ``(..., H, W)`` (what :class:`ToTensor` makes) or, before ``ToTensor``, a NumPy array
``(H, W)`` or ``(H, W, C)`` as a dataset hands it out (where torchvision has a PIL image). The random transforms
draw from ourdl's default generator, so ``ourdl.manual_seed`` repeats them.

>>> import numpy as np, ourdl
>>> from ourdl.data import transforms as T
>>> pipeline = T.Compose([T.RandomCrop(28, padding=4), T.RandomHorizontalFlip(), T.ToTensor(),
...                       T.Normalize((0.2860,), (0.3530,))])
>>> pipeline(np.zeros((28, 28), np.uint8)).shape
ourdl.Size([1, 28, 28])
"""

from __future__ import annotations

import numbers

import numpy as np

from ..dtypes import get_default_dtype
from ..ops.random import default_generator
from ..tensor import Tensor

__all__ = ["Compose", "ToTensor", "Normalize", "RandomCrop", "RandomHorizontalFlip", "Lambda", "pad"]

PADDING_MODES = {"constant": "constant", "edge": "edge", "reflect": "reflect", "symmetric": "symmetric"}


class Compose:
    """Apply ``transforms`` one after the other: :math:`t_n(\\ldots t_2(t_1(x)))`.

    >>> from ourdl.data import transforms as T
    >>> T.Compose([T.Lambda(lambda x: x + 1), T.Lambda(lambda x: x * 10)])(1)
    20
    """

    def __init__(self, transforms):
        self.transforms = list(transforms)

    def __call__(self, img):
        for transform in self.transforms:
            img = transform(img)
        return img

    def __repr__(self) -> str:
        return f"{type(self).__name__}(" + "".join(f"\n    {t}" for t in self.transforms) + "\n)"


class ToTensor:
    """An image array ``(H, W)`` or ``(H, W, C)`` to a float tensor ``(C, H, W)``: ``uint8`` values divided by 255
    into :math:`[0, 1]`, other dtypes kept as they are (as torchvision). A tensor passes unchanged.

    >>> import numpy as np
    >>> ToTensor()(np.array([[0, 255]], np.uint8))
    tensor([[[0., 1.]]])
    """

    def __call__(self, pic):
        if isinstance(pic, Tensor):
            return pic
        if not isinstance(pic, np.ndarray):
            raise TypeError(f"ToTensor: pic should be an ndarray (H, W) or (H, W, C) or a Tensor. Got {type(pic)}")
        if pic.ndim not in (2, 3):
            raise ValueError(f"ToTensor: pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        image = (pic[:, :, None] if pic.ndim == 2 else pic).transpose(2, 0, 1)
        if image.dtype == np.uint8:
            dtype = get_default_dtype().numpy
            return Tensor._make(np.multiply(image, dtype.type(1 / 255), dtype=dtype))
        return Tensor._make(np.ascontiguousarray(image))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Normalize:
    """Per channel, :math:`y_c = (x_c - \\text{mean}_c) / \\text{std}_c` of a float tensor ``(..., C, H, W)``
    (differentiable; ``inplace`` changes the input).

    >>> import ourdl
    >>> Normalize((0.5,), (0.25,))(ourdl.tensor([[[0.0, 1.0]]]))
    tensor([[[-2.,  2.]]])
    """

    def __init__(self, mean, std, inplace: bool = False):
        self.mean, self.std, self.inplace = mean, std, inplace

    def __call__(self, tensor: Tensor) -> Tensor:
        if not isinstance(tensor, Tensor):
            raise TypeError(f"Normalize: img should be a Tensor. Got {type(tensor)}")
        if not tensor.dtype.is_floating_point:
            raise TypeError(f"Normalize: Input tensor should be a float tensor. Got {tensor.dtype}.")
        if tensor.ndim < 3:
            raise ValueError(f"Normalize: Expected tensor to be a tensor image of size (..., C, H, W). Got "
                             f"tensor.size() = {tensor.shape}")
        dtype = tensor.dtype.numpy
        mean, std = (np.asarray(v, dtype=dtype).reshape(-1) for v in (self.mean, self.std))
        if (std == 0).any():
            raise ValueError(f"Normalize: std evaluated to zero after conversion to {tensor.dtype}, leading to "
                             "division by zero.")
        channels = tensor.shape[-3]
        for name, value in (("mean", mean), ("std", std)):
            if value.size not in (1, channels):
                raise ValueError(f"Normalize: {name} has {value.size} values for an image of {channels} channels "
                                 f"(shape {list(tensor.shape)}); give one per channel, or one for all")
        mean, std = (Tensor._make(v.reshape(-1, 1, 1)) for v in (mean, std))
        if self.inplace:
            return tensor.sub_(mean).div_(std)
        return (tensor - mean) / std

    def __repr__(self) -> str:
        return f"{type(self).__name__}(mean={self.mean}, std={self.std})"


def _size(size) -> tuple:
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    if len(size) == 1:
        return int(size[0]), int(size[0])
    if len(size) != 2:
        raise ValueError(f"RandomCrop: Please provide only two dimensions (h, w) for size, got {size}.")
    return int(size[0]), int(size[1])


def _padding(padding) -> tuple:
    """``(left, top, right, bottom)`` from an int or a sequence of 1, 2 (left/right, top/bottom) or 4 values."""
    if isinstance(padding, numbers.Number):
        return (int(padding),) * 4
    padding = tuple(int(p) for p in padding)
    if len(padding) == 1:
        return padding * 4
    if len(padding) == 2:
        return padding[0], padding[1], padding[0], padding[1]
    if len(padding) == 4:
        return padding
    raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element tuple")


def _image_axes(img) -> tuple:
    """The axes of height and width: the last two of a tensor, the first two of an image array."""
    if isinstance(img, Tensor):
        return img.ndim - 2, img.ndim - 1
    if isinstance(img, np.ndarray) and img.ndim in (2, 3):
        return 0, 1
    raise TypeError(f"expected a Tensor (..., H, W) or an ndarray (H, W) or (H, W, C), got {type(img).__name__} "
                    f"of {getattr(img, 'ndim', '?')} dimensions")


def pad(img, padding, fill=0, padding_mode: str = "constant"):
    """Pad an image's borders by ``padding`` (int, or (left/right, top/bottom), or (left, top, right, bottom)) with
    ``fill`` (``constant``) or by repeating the edge (``edge``), mirroring without (``reflect``) or with
    (``symmetric``) the edge pixel.

    >>> import ourdl
    >>> pad(ourdl.tensor([[1.0, 2.0]]), (1, 0), padding_mode="reflect")
    tensor([[2., 1., 2., 1.]])
    """
    if padding_mode not in PADDING_MODES:
        raise ValueError(f"Padding mode should be either constant, edge, reflect or symmetric, got {padding_mode!r}")
    left, top, right, bottom = _padding(padding)
    h_axis, w_axis = _image_axes(img)
    array = img._data if isinstance(img, Tensor) else img
    if padding_mode == "reflect" and (max(top, bottom) >= array.shape[h_axis] or max(left, right) >= array.shape[w_axis]):
        raise ValueError(f"pad: reflect padding ({left}, {top}, {right}, {bottom}) must be smaller than the image "
                         f"(height {array.shape[h_axis]}, width {array.shape[w_axis]})")
    widths = [(0, 0)] * array.ndim
    widths[h_axis], widths[w_axis] = (top, bottom), (left, right)
    options = {"constant_values": fill} if padding_mode == "constant" else {}
    padded = np.pad(array, widths, mode=PADDING_MODES[padding_mode], **options)
    return Tensor._make(padded) if isinstance(img, Tensor) else padded


class RandomCrop:
    """Crop a random ``size`` (int or (h, w)) window, after padding the borders by ``padding`` (see :func:`pad`) and,
    with ``pad_if_needed``, padding both sides of a dimension smaller than the crop by the difference.

    >>> import ourdl
    >>> _ = ourdl.manual_seed(0)
    >>> RandomCrop(2, padding=1)(ourdl.ones(1, 3, 3)).shape
    ourdl.Size([1, 2, 2])
    """

    def __init__(self, size, padding=None, pad_if_needed: bool = False, fill=0, padding_mode: str = "constant"):
        self.size = _size(size)
        if padding is not None:
            _padding(padding)
        if padding_mode not in PADDING_MODES:
            raise ValueError(f"Padding mode should be either constant, edge, reflect or symmetric, got "
                             f"{padding_mode!r}")
        self.padding, self.pad_if_needed, self.fill, self.padding_mode = padding, pad_if_needed, fill, padding_mode

    @staticmethod
    def get_params(img, output_size) -> tuple:
        """``(top, left, height, width)`` of a random crop of ``output_size`` inside ``img``."""
        h_axis, w_axis = _image_axes(img)
        h, w = img.shape[h_axis], img.shape[w_axis]
        th, tw = output_size
        if h < th or w < tw:
            raise ValueError(f"Required crop size {(th, tw)} is larger than input image size {(h, w)}")
        if (h, w) == (th, tw):
            return 0, 0, h, w
        rng = default_generator.numpy
        return int(rng.integers(0, h - th + 1)), int(rng.integers(0, w - tw + 1)), th, tw

    def __call__(self, img):
        if self.padding is not None:
            img = pad(img, self.padding, self.fill, self.padding_mode)
        h_axis, w_axis = _image_axes(img)
        if self.pad_if_needed and img.shape[w_axis] < self.size[1]:
            img = pad(img, (self.size[1] - img.shape[w_axis], 0), self.fill, self.padding_mode)
        if self.pad_if_needed and img.shape[h_axis] < self.size[0]:
            img = pad(img, (0, self.size[0] - img.shape[h_axis]), self.fill, self.padding_mode)
        top, left, height, width = self.get_params(img, self.size)
        window = [slice(None)] * img.ndim
        window[h_axis], window[w_axis] = slice(top, top + height), slice(left, left + width)
        return img[tuple(window)]

    def __repr__(self) -> str:
        return f"{type(self).__name__}(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip:
    """Mirror the image left to right with probability ``p``.

    >>> import ourdl
    >>> RandomHorizontalFlip(p=1.0)(ourdl.tensor([[[1.0, 2.0, 3.0]]]))
    tensor([[[3., 2., 1.]]])
    """

    def __init__(self, p: float = 0.5):
        self.p = p

    def __call__(self, img):
        if default_generator.numpy.random() < self.p:
            _, w_axis = _image_axes(img)
            return img.flip(w_axis) if isinstance(img, Tensor) else np.flip(img, w_axis)
        return img

    def __repr__(self) -> str:
        return f"{type(self).__name__}(p={self.p})"


class Lambda:
    """A user's function as a transform.

    >>> Lambda(lambda x: x * 2)(21)
    42
    """

    def __init__(self, lambd):
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {type(lambd).__name__!r}")
        self.lambd = lambd

    def __call__(self, img):
        return self.lambd(img)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
