"""Instance normalisation: each sample's channels normalised on their own, over the trailing dimensions.

It is batch normalisation of the input seen as one sample of ``N * C`` channels, which is how it is computed
(one :class:`~ourdl.nn.batch_norm.BatchNormFunction` node), as PyTorch does.

>>> import ourdl
>>> from ourdl import nn
>>> y = nn.InstanceNorm2d(3)(ourdl.randn(2, 3, 4, 4) * 5 + 2)
>>> round(y[1, 2].mean().item(), 5) + 0.0, round(y[1, 2].var(correction=0).item(), 3)
(0.0, 1.0)
"""

from __future__ import annotations

import warnings

import numpy as np

from ..ops.tensor_argument import require_tensor
from ..tensor import Tensor
from .batch_norm import _BatchNorm, run_batch_norm

__all__ = ["instance_norm", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"]


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel of each sample of an ``(N, C, *)`` input over its trailing dimensions:
    :math:`y_{nc} = \\frac{x_{nc} - \\mu_{nc}}{\\sqrt{\\sigma^2_{nc} + \\epsilon}} \\gamma_c + \\beta_c`.

    With ``use_input_stats`` the running statistics (when given) move towards the batch's average of the
    per-instance statistics (unbiased variance); without it they normalise instead.

    >>> import ourdl
    >>> instance_norm(ourdl.tensor([[[1.0, 3.0], [0.0, 4.0]]]))
    tensor([[[-1.0000,  1.0000],
             [-1.0000,  1.0000]]])
    """
    require_tensor(input, "instance_norm")
    if input.ndim < 2:
        raise IndexError(f"instance_norm: expected an input of shape (N, C, *) with at least 2 dimensions, got a "
                         f"{input.ndim}D input of shape {list(input.shape)} (Dimension out of range)")
    n, channels = input.shape[0], input.shape[1]
    if use_input_stats and int(np.prod(input.shape[2:], dtype=np.int64)) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {input.shape}")
    for name, value in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                        ("bias", bias)):
        if value is not None and value.numel() != channels:
            raise RuntimeError(f"instance_norm: {name} should contain {channels} elements not {value.numel()} "
                               f"(the channels of an input of shape {list(input.shape)})")
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("instance_norm: Expected running_mean and running_var to be defined when "
                           "use_input_stats is false")
    repeated = [None if t is None else Tensor._make(np.tile(t._data, n)) for t in (running_mean, running_var)]
    output = run_batch_norm(input.reshape(1, n * channels, *input.shape[2:]), repeated[0], repeated[1],
                            None if weight is None else weight.repeat(n), None if bias is None else bias.repeat(n),
                            use_input_stats, momentum, eps)
    if use_input_stats and running_mean is not None and n:
        for running, new in zip((running_mean, running_var), repeated):
            running._data[...] = new._data.reshape(n, channels).mean(0)
            running._version.value += 1
    return output.reshape(input.shape)


class _InstanceNorm(_BatchNorm):
    """What ``InstanceNorm1d``, ``2d`` and ``3d`` share: PyTorch's defaults (no affine, no running statistics) and
    an input with or without its batch dimension."""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = False,
                 track_running_stats: bool = False, device=None, dtype=None, *, bias: bool = True):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)

    def forward(self, input: Tensor) -> Tensor:
        require_tensor(input, "instance_norm")
        unbatched = self.ranks[0]
        if input.ndim not in self.ranks:
            raise ValueError(f"{type(self).__name__}: expected {unbatched}D or {unbatched + 1}D input "
                             f"{self.shape_text.format(C=self.num_features)} (got {input.ndim}D input of shape "
                             f"{list(input.shape)})")
        channel_dim = input.ndim - unbatched
        if input.shape[channel_dim] != self.num_features:
            if self.affine:
                raise ValueError(f"{type(self).__name__}: expected input's size at dim={channel_dim} to match "
                                 f"num_features ({self.num_features}), but got: {input.shape[channel_dim]}.")
            warnings.warn(f"input's size at dim={channel_dim} does not match num_features. You can silence this "
                          "warning by not passing in num_features, which is not used because affine=False",
                          UserWarning, stacklevel=2)
        batched = input.unsqueeze(0) if input.ndim == unbatched else input
        output = instance_norm(batched, self.running_mean, self.running_var, self.weight, self.bias,
                               self.training or not self.track_running_stats,
                               0.0 if self.momentum is None else self.momentum, self.eps)
        return output.squeeze(0) if input.ndim == unbatched else output


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation of ``(N, C, L)`` or ``(C, L)`` inputs: each channel of each sample on its own.

    >>> from ourdl import nn
    >>> nn.InstanceNorm1d(4)
    InstanceNorm1d(4, eps=1e-05, momentum=0.1, affine=False, bias=False, track_running_stats=False)
    """

    ranks = (2, 3)
    shape_text = "(shape (N, {C}, L) or ({C}, L))"


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation of images ``(N, C, H, W)`` or ``(C, H, W)``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.InstanceNorm2d(3, affine=True)(ourdl.randn(3, 5, 5)).shape
    ourdl.Size([3, 5, 5])
    """

    ranks = (3, 4)
    shape_text = "(shape (N, {C}, H, W) or ({C}, H, W))"


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation of volumes ``(N, C, D, H, W)`` or ``(C, D, H, W)``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.InstanceNorm3d(2)(ourdl.randn(1, 2, 3, 3, 3)).shape
    ourdl.Size([1, 2, 3, 3, 3])
    """

    ranks = (4, 5)
    shape_text = "(shape (N, {C}, D, H, W) or ({C}, D, H, W))"
