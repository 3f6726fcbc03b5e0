"""Convolution layers: ``Conv1d``, ``Conv2d``, ``Conv3d`` and ``ConvTranspose1d/2d/3d``, as PyTorch's.

Each holds ``weight`` (``(out, in/groups, *kernel_size)``; transposed: ``(in, out/groups, *kernel_size)``) and
``bias``, drawn as PyTorch draws them: ``kaiming_uniform_(a=sqrt(5))``, which gives
:math:`\\mathcal U(-1/\\sqrt{\\text{fan\\_in}}, 1/\\sqrt{\\text{fan\\_in}})` with
:math:`\\text{fan\\_in} = \\text{weight.shape[1]} \\cdot \\prod \\text{kernel\\_size}`, and the bias from the same
bound. ``padding_mode`` other than ``'zeros'`` pads the input with :func:`~ourdl.nn.functional.pad` first.

>>> import ourdl
>>> from ourdl import nn
>>> conv = nn.Conv2d(1, 6, 5, padding=2)
>>> conv(ourdl.ones(8, 1, 28, 28)).shape
ourdl.Size([8, 6, 28, 28])
"""

from __future__ import annotations

import math
import numbers

from ..ops.convolution import convolution, convolution_transpose
from ..ops.creation import empty
from ..ops.padding import pad
from ..ops.tensor_argument import require_tensor
from ..tensor import Tensor
from . import init
from .module import Module
from .parameter import Parameter

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _ntuple(value, d: int) -> tuple:
    if isinstance(value, numbers.Integral):
        return (int(value),) * d
    return tuple(value)


class _ConvNd(Module):
    """What the convolution layers share: arguments, parameters, initialisation, repr."""

    _dims = 0
    _transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                 padding_mode, output_padding, device, dtype):
        super().__init__()
        d = self._dims
        name = type(self).__name__
        if not isinstance(groups, numbers.Integral) or groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}")
            if padding == "same" and any(s != 1 for s in _ntuple(stride, d)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"padding_mode must be one of {set(_PADDING_MODES)}, but got padding_mode="
                             f"{padding_mode!r}")
        if self._transposed and padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {name}')
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = _ntuple(kernel_size, d)
        self.stride = _ntuple(stride, d)
        self.padding = padding if isinstance(padding, str) else _ntuple(padding, d)
        self.dilation = _ntuple(dilation, d)
        self.transposed = self._transposed
        self.output_padding = _ntuple(output_padding, d)
        self.groups = groups
        self.padding_mode = padding_mode
        # F.pad's amounts, last dimension first, for the padding modes that pad before convolving
        if padding == "valid":
            self._reversed_padding_repeated_twice = [0, 0] * d
        elif padding == "same":
            totals = [v * (k - 1) for v, k in zip(self.dilation, self.kernel_size)]
            self._reversed_padding_repeated_twice = [p for t in reversed(totals) for p in (t // 2, t - t // 2)]
        else:
            self._reversed_padding_repeated_twice = [p for p in reversed(self.padding) for _ in range(2)]
        shape = ((in_channels, out_channels // groups) if self._transposed
                 else (out_channels, in_channels // groups)) + self.kernel_size
        self.weight = Parameter(empty(*shape, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weights again with PyTorch's default initialisation."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        d = self._dims
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * d:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * d:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * d:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class _Conv(_ConvNd):
    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, dilation=1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, 0, device, dtype)

    def _conv_forward(self, input: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
        d = self._dims
        if self.padding_mode != "zeros":
            if isinstance(input, Tensor) and input.ndim not in (d + 1, d + 2):
                raise RuntimeError(f"{self}: Expected {d + 1}D (unbatched) or {d + 2}D (batched) input to "
                                   f"conv{d}d, but got input of size: {list(input.shape)}")
            input = pad(input, self._reversed_padding_repeated_twice, mode=self.padding_mode)
            padding = 0
        else:
            padding = self.padding
        return convolution(input, weight, bias, self.stride, padding, self.dilation, self.groups, d,
                           f"conv{d}d", self)

    def forward(self, input: Tensor) -> Tensor:
        return self._conv_forward(input, self.weight, self.bias)


class Conv1d(_Conv):
    """1-D convolution over ``(N, C_in, L)`` or ``(C_in, L)``: :func:`~ourdl.nn.functional.conv1d` with a
    learned ``weight`` ``(C_out, C_in/groups, k)`` and ``bias``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Conv1d(4, 8, 3, padding="same")(ourdl.ones(2, 4, 10)).shape
    ourdl.Size([2, 8, 10])
    """

    _dims = 1


class Conv2d(_Conv):
    """2-D convolution over ``(N, C_in, H, W)`` or ``(C_in, H, W)``: :func:`~ourdl.nn.functional.conv2d` with a
    learned ``weight`` ``(C_out, C_in/groups, kH, kW)`` and ``bias``. Output size per dimension:
    :math:`\\lfloor (H + 2p - d(k - 1) - 1)/s \\rfloor + 1`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Conv2d(3, 16, 3, stride=2, padding=1, padding_mode="reflect")
    Conv2d(3, 16, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), padding_mode=reflect)
    >>> nn.Conv2d(16, 16, 3, groups=16)(ourdl.ones(1, 16, 8, 8)).shape
    ourdl.Size([1, 16, 6, 6])
    """

    _dims = 2


class Conv3d(_Conv):
    """3-D convolution over ``(N, C_in, D, H, W)``: :func:`~ourdl.nn.functional.conv3d` with learned parameters.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Conv3d(1, 2, 3)(ourdl.ones(1, 1, 4, 4, 4)).shape
    ourdl.Size([1, 2, 2, 2, 2])
    """

    _dims = 3


class _ConvTranspose(_ConvNd):
    _transposed = True

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, output_padding=0,
                 groups: int = 1, bias: bool = True, dilation=1, padding_mode: str = "zeros", device=None,
                 dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, output_padding, device, dtype)

    def _output_padding(self, input: Tensor, output_size) -> tuple:
        """The ``output_padding`` that gives ``output_size`` (PyTorch's ValueError when none does)."""
        if output_size is None:
            return self.output_padding
        d = self._dims
        output_size = [int(v) for v in output_size]
        if len(output_size) in (d + 1, d + 2):
            output_size = output_size[len(output_size) - d:]
        if len(output_size) != d:
            raise ValueError(f"ConvTranspose{d}D: for {input.ndim}D input, output_size must have {d} or "
                             f"{d + 2} elements (got {len(output_size)})")
        spatial = input.shape[input.ndim - d:]
        smallest = [(n - 1) * s - 2 * p + v * (k - 1) + 1 for n, s, p, v, k in
                    zip(spatial, self.stride, self.padding, self.dilation, self.kernel_size)]
        largest = [m + s - 1 for m, s in zip(smallest, self.stride)]
        if any(not lo <= o <= hi for o, lo, hi in zip(output_size, smallest, largest)):
            raise ValueError(f"requested an output size of {output_size}, but valid sizes range from {smallest} to "
                             f"{largest} (for an input of {spatial})")
        return tuple(o - m for o, m in zip(output_size, smallest))

    def forward(self, input: Tensor, output_size=None) -> Tensor:
        d = self._dims
        require_tensor(input, f"conv_transpose{d}d")
        if input.ndim not in (d + 1, d + 2):
            raise RuntimeError(f"{self}: Expected {d + 1}D (unbatched) or {d + 2}D (batched) input to "
                               f"conv_transpose{d}d, but got input of size: {list(input.shape)}")
        output_padding = self._output_padding(input, output_size)
        return convolution_transpose(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                                     self.groups, self.dilation, d, f"conv_transpose{d}d", self)


class ConvTranspose1d(_ConvTranspose):
    """1-D transposed convolution: :func:`~ourdl.nn.functional.conv_transpose1d` with a learned ``weight``
    ``(C_in, C_out/groups, k)`` and ``bias``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.ConvTranspose1d(4, 2, 3, stride=2)(ourdl.ones(1, 4, 5)).shape
    ourdl.Size([1, 2, 11])
    """

    _dims = 1


class ConvTranspose2d(_ConvTranspose):
    """2-D transposed convolution: :func:`~ourdl.nn.functional.conv_transpose2d` with a learned ``weight``
    ``(C_in, C_out/groups, kH, kW)`` and ``bias``; ``forward(input, output_size=None)`` picks the
    ``output_padding`` that gives ``output_size``. Output size:
    :math:`(H - 1)s - 2p + d(k - 1) + \\text{output\\_padding} + 1`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> up = nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1)
    >>> up(ourdl.ones(1, 8, 7, 7), output_size=[14, 14]).shape
    ourdl.Size([1, 4, 14, 14])
    """

    _dims = 2


class ConvTranspose3d(_ConvTranspose):
    """3-D transposed convolution: :func:`~ourdl.nn.functional.conv_transpose3d` with learned parameters.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.ConvTranspose3d(2, 1, 2, stride=2)(ourdl.ones(1, 2, 2, 2, 2)).shape
    ourdl.Size([1, 1, 4, 4, 4])
    """

    _dims = 3
