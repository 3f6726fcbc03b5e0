"""Normalisation layers: ``BatchNorm1d`` (statistics over the batch) and ``LayerNorm`` (over each sample's features).

Both compute :math:`y = \\frac{x - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}} \\gamma + \\beta` from differentiable ops,
so gradients of every order flow through the statistics.

>>> import ourdl
>>> from ourdl import nn
>>> y = nn.LayerNorm(4)(ourdl.tensor([[1.0, 2.0, 3.0, 4.0]]))
>>> round(y.mean().item(), 6), round(y.var(correction=0).item(), 3)
(0.0, 1.0)
"""

from __future__ import annotations

import numpy as np

from ..ops.creation import ones, tensor, zeros
from ..tensor import Tensor
from . import init
from .module import Module
from .parameter import Parameter


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Batch normalisation over dimension 1 (channels) of ``(N, C)`` or ``(N, C, L)``.

    In training (or without running statistics) the batch's mean and biased variance normalise, and
    the running statistics (when given) are updated in place:
    :math:`r \\leftarrow (1 - m) r + m\\,s` with the *unbiased* batch variance, as PyTorch.
    Otherwise the running statistics normalise.

    >>> import ourdl
    >>> x = ourdl.tensor([[1.0], [3.0]])
    >>> batch_norm(x, None, None, training=True)
    tensor([[-1.0000],
            [ 1.0000]])
    """
    if input.ndim not in (2, 3):
        raise ValueError(f"batch_norm: expected 2D or 3D input (got {input.ndim}D input of shape {list(input.shape)})")
    axes = (0,) if input.ndim == 2 else (0, 2)
    shape = (1, input.shape[1]) + (1,) * (input.ndim - 2)
    if training or running_mean is None:
        count = input.numel() // input.shape[1]
        if training and count <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")
        mean = input.mean(axes, keepdim=True)
        centered = input - mean
        var = (centered * centered).mean(axes, keepdim=True)
        output = centered * (var + eps).rsqrt()
        if training and running_mean is not None:
            _update(running_mean, mean._data.reshape(-1), momentum)
            _update(running_var, var._data.reshape(-1) * (count / max(count - 1, 1)), momentum)
    else:
        output = (input - running_mean.reshape(shape)) * (running_var.reshape(shape) + eps).rsqrt()
    if weight is not None:
        output = output * weight.reshape(shape)
    if bias is not None:
        output = output + bias.reshape(shape)
    return output


def _update(running: Tensor, value: np.ndarray, momentum: float) -> None:
    data = running._data
    data *= 1.0 - momentum
    data += momentum * value.astype(data.dtype, copy=False)
    running._version.value += 1


class BatchNorm1d(Module):
    """Batch normalisation of ``(N, C)`` or ``(N, C, L)`` inputs over the batch, per channel.

    ``bias=False`` keeps the scale :math:`\\gamma` but no shift. Buffers ``running_mean``, ``running_var`` and ``num_batches_tracked`` (when ``track_running_stats``);
    ``momentum=None`` uses a cumulative average. In ``eval()`` mode the running statistics normalise.

    >>> from ourdl import nn
    >>> nn.BatchNorm1d(3)
    BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None, *, bias: bool = True):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = Parameter(ones(num_features, dtype=dtype))
        else:
            self.register_parameter("weight", None)
        if affine and bias:
            self.bias = Parameter(zeros(num_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", tensor(0))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            init.zeros_(self.running_mean)
            init.ones_(self.running_var)
            init.zeros_(self.num_batches_tracked)

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in (2, 3) or input.shape[1] != self.num_features:
            raise ValueError(f"{self!r}: expected input of shape (N, {self.num_features}) or (N, {self.num_features}, L), "
                             f"got {list(input.shape)}")
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked._data += 1
            if self.momentum is None:
                momentum = 1.0 / float(self.num_batches_tracked._data)
        use_batch = self.training or self.running_mean is None
        return batch_norm(input, self.running_mean if not self.training or self.track_running_stats else None,
                          self.running_var if not self.training or self.track_running_stats else None,
                          self.weight, self.bias, use_batch, momentum, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


def layer_norm(input: Tensor, normalized_shape, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise over the last ``len(normalized_shape)`` dimensions of each sample (biased variance).

    >>> import ourdl
    >>> layer_norm(ourdl.tensor([[0.0, 2.0]]), (2,))
    tensor([[-1.0000,  1.0000]])
    """
    normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(normalized_shape)
    if tuple(input.shape[input.ndim - k:]) != normalized_shape or input.ndim < k:
        raise RuntimeError(
            f"layer_norm: given normalized_shape={list(normalized_shape)}, expected input with shape "
            f"[*, {', '.join(map(str, normalized_shape))}], but got input of size {list(input.shape)}"
        )
    axes = tuple(range(input.ndim - k, input.ndim))
    mean = input.mean(axes, keepdim=True)
    centered = input - mean
    output = centered * ((centered * centered).mean(axes, keepdim=True) + eps).rsqrt()
    if weight is not None:
        output = output * weight
    if bias is not None:
        output = output + bias
    return output


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
