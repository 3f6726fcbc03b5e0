"""Normalisation within each sample: ``LayerNorm`` (over the trailing features) and ``GroupNorm`` (over groups of
channels). Batch statistics are in :mod:`ourdl.nn.batch_norm`, per-sample channels in :mod:`ourdl.nn.instance_norm`.

Both compute :math:`y = \\frac{x - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}} \\gamma + \\beta`, so gradients of
every order flow through the statistics.

>>> import ourdl
>>> from ourdl import nn
>>> y = nn.LayerNorm(4)(ourdl.tensor([[1.0, 2.0, 3.0, 4.0]]))
>>> round(y.mean().item(), 6), round(y.var(correction=0).item(), 3)
(0.0, 1.0)
"""

from __future__ import annotations

import numpy as np

from ..dtypes import float16
from ..ops.creation import ones, zeros
from ..ops.tensor_argument import require_tensor
from ..tensor import Tensor
from .batch_norm import BatchNormFunction, register_affine, reset_affine
from .module import Module
from .parameter import Parameter
__all__ = ["layer_norm", "LayerNorm", "group_norm", "GroupNorm"]


def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise over the last ``len(normalized_shape)`` dimensions of each sample (biased variance).

    >>> import ourdl
    >>> layer_norm(ourdl.tensor([[0.0, 2.0]]), (2,))
    tensor([[-1.0000,  1.0000]])
    """
    require_tensor(input, "layer_norm")
    for position, name, value in ((3, "weight", weight), (4, "bias", bias)):
        if value is not None:
            require_tensor(value, "layer_norm", name, position)
    normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(normalized_shape)
    if tuple(input.shape[input.ndim - k:]) != normalized_shape or input.ndim < k:
        raise RuntimeError(
            f"layer_norm: given normalized_shape={list(normalized_shape)}, expected input with shape "
            f"[*, {', '.join(map(str, normalized_shape))}], but got input of size {list(input.shape)}"
        )
    half = input.dtype == float16  # computed in float32 and rounded once, as PyTorch computes half precision
    if half:
        input, weight, bias = (None if t is None else t.float() for t in (input, weight, bias))
    axes = tuple(range(input.ndim - k, input.ndim))
    mean = input.mean(axes, keepdim=True)
    centered = input - mean
    output = centered * ((centered * centered).mean(axes, keepdim=True) + eps).rsqrt()
    if weight is not None:
        output = output * weight
    if bias is not None:
        output = output + bias
    return output.half() if half else output


class LayerNorm(Module):
    """Layer normalisation over the trailing ``normalized_shape``, with per-element ``weight`` and ``bias``.

    >>> from ourdl import nn
    >>> nn.LayerNorm(8)
    LayerNorm((8,), eps=1e-05, elementwise_affine=True, bias=True)
    """

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True, bias: bool = True,
                 device=None, dtype=None):
        super().__init__()
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(ones(*self.normalized_shape, dtype=dtype))
            if bias:
                self.bias = Parameter(zeros(*self.normalized_shape, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise each sample's channels in ``num_groups`` groups (over the group's channels and the trailing
    dimensions of an ``(N, C, *)`` input, biased variance), then scale and shift per channel.

    :math:`y_{nc\\ldots} = \\frac{x - \\mu_{ng}}{\\sqrt{\\sigma^2_{ng} + \\epsilon}} \\gamma_c + \\beta_c`, channel
    :math:`c` in group :math:`g = \\lfloor c G / C \\rfloor`.

    >>> import ourdl
    >>> group_norm(ourdl.tensor([[[0.0, 2.0], [5.0, 5.0]]]), 2)
    tensor([[[-1.0000,  1.0000],
             [ 0.0000,  0.0000]]])
    """
    require_tensor(input, "group_norm")
    if input.ndim < 2:
        raise RuntimeError(f"group_norm: Expected at least 2 dimensions for input tensor but received {input.ndim}")
    channels = input.shape[1]
    if num_groups <= 0 or channels % num_groups:
        raise RuntimeError(f"group_norm: Expected number of channels in input to be divisible by num_groups, but got "
                           f"input of shape {list(input.shape)} and num_groups={num_groups}")
    for name, value in (("weight", weight), ("bias", bias)):
        if value is not None and (value.ndim != 1 or value.numel() != channels):
            raise RuntimeError(f"group_norm: Expected {name} to be a vector of size equal to the number of channels "
                               f"in input, but got {name} of shape {list(value.shape)} and input of shape "
                               f"{list(input.shape)}")
    spatial = int(np.prod(input.shape[2:], dtype=np.int64))
    if input.shape[0] * (channels // num_groups) * spatial == 1:
        raise ValueError("Expected more than 1 value per channel when training, got input size "
                         f"{[input.shape[0] * channels // num_groups, num_groups] + list(input.shape[2:])}")
    per_group = (channels // num_groups) * spatial
    grouped = input.reshape(1, input.shape[0] * num_groups, per_group)
    output = BatchNormFunction.apply(grouped, None, None, training=True, eps=eps).reshape(input.shape)
    shape = (1, channels) + (1,) * (input.ndim - 2)
    if weight is not None:
        output = output * weight.reshape(shape)
    if bias is not None:
        output = output + bias.reshape(shape)
    return output


class GroupNorm(Module):
    """Group normalisation: each sample's ``num_channels`` channels normalised in ``num_groups`` groups, with a
    per-channel ``weight`` and ``bias`` when ``affine``. Input ``(N, C, *)``, output the same shape.

    >>> import ourdl
    >>> from ourdl import nn
    >>> layer = nn.GroupNorm(2, 4)
    >>> layer
    GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)
    >>> layer(ourdl.randn(3, 4, 5, 5)).shape
    ourdl.Size([3, 4, 5, 5])
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True, device=None,
                 dtype=None, *, bias: bool = True):
        super().__init__()
        if num_groups <= 0 or num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        register_affine(self, num_channels, affine, bias, dtype)

    def reset_parameters(self) -> None:
        """:math:`\\gamma = 1`, :math:`\\beta = 0`."""
        reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        require_tensor(input, "group_norm")
        if input.ndim < 2 or input.shape[1] != self.num_channels:
            raise RuntimeError(f"{type(self).__name__}({self.num_groups}, {self.num_channels}): expected input of "
                               f"shape (N, {self.num_channels}, *), got input of shape {list(input.shape)}")
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, bias={self.bias is not None}"
