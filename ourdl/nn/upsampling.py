"""Upsampling layers: ``Upsample``, ``UpsamplingNearest2d`` and ``UpsamplingBilinear2d`` over
:func:`ourdl.nn.functional.interpolate`, with PyTorch's arguments, attributes and ``repr``.

>>> import ourdl
>>> from ourdl import nn
>>> nn.Upsample(scale_factor=2)(ourdl.zeros(1, 3, 4, 4)).shape
ourdl.Size([1, 3, 8, 8])
"""

from __future__ import annotations

from ..ops.interpolation import interpolate
from ..tensor import Tensor
from .module import Module

__all__: list[str] = ["Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d"]


class Upsample(Module):
    """Resamples ``(N, C, L)`` or ``(N, C, H, W)`` to ``size`` or by ``scale_factor`` with ``mode`` (``'nearest'``,
    ``'nearest-exact'``, ``'linear'``, ``'bilinear'``, ``'area'``); see :func:`ourdl.nn.functional.interpolate`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
    Upsample(scale_factor=2.0, mode='bilinear')
    >>> nn.Upsample(size=3, mode="linear")(ourdl.tensor([[[0.0, 1.0]]]))
    tensor([[[0.0000, 0.5000, 1.0000]]])
    """

    def __init__(self, size=None, scale_factor=None, mode: str = "nearest", align_corners=None,
                 recompute_scale_factor=None):
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor = tuple(float(factor) for factor in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                           recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self) -> str:
        what = f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else f"size={self.size!r}"
        return f"{what}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """``Upsample(mode='nearest')`` of ``(N, C, H, W)``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.UpsamplingNearest2d(scale_factor=2)(ourdl.tensor([[[[1.0, 2.0]]]]))
    tensor([[[[1., 1., 2., 2.],
              [1., 1., 2., 2.]]]])
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """``Upsample(mode='bilinear', align_corners=True)`` of ``(N, C, H, W)``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.UpsamplingBilinear2d(size=(1, 3))(ourdl.tensor([[[[0.0, 2.0]]]]))
    tensor([[[[0., 1., 2.]]]])
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
