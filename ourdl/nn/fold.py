"""``nn.Unfold`` and ``nn.Fold``: the sliding-block layers over :func:`~ourdl.nn.functional.unfold` and
:func:`~ourdl.nn.functional.fold`, as PyTorch's.

>>> import ourdl
>>> from ourdl import nn
>>> blocks = nn.Unfold(kernel_size=2, stride=2)(ourdl.ones(1, 3, 4, 4))
>>> blocks.shape, nn.Fold(output_size=(4, 4), kernel_size=2, stride=2)(blocks).shape
(ourdl.Size([1, 12, 4]), ourdl.Size([1, 3, 4, 4]))
"""

from __future__ import annotations

from ..ops.unfolding import fold, unfold
from ..tensor import Tensor
from .module import Module


class Unfold(Module):
    """Every ``kernel_size`` block of ``(N, C, H, W)`` as a column: output ``(N, C·kh·kw, L)``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Unfold(3, padding=1)(ourdl.ones(2, 5, 8, 8)).shape
    ourdl.Size([2, 45, 64])
    """

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
                f"stride={self.stride}")


class Fold(Module):
    """Columns ``(N, C·kh·kw, L)`` summed back into an image ``(N, C, *output_size)``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Fold((4, 5), 2)(ourdl.ones(1, 8, 12)).shape
    ourdl.Size([1, 2, 4, 5])
    """

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")
