"""The arguments of the pooling functions read and checked as PyTorch does, and the windows they describe.

A pooling window along one spatial dimension of length ``L`` starts at ``o * stride - padding`` for output
position ``o`` and covers ``kernel_size`` taps ``dilation`` apart. The number of outputs is

:math:`L_{out} = \\left\\lfloor \\frac{L + 2p - d (k - 1) - 1}{s} \\right\\rfloor + 1`

(rounded up instead with ``ceil_mode``, except that the last window must start inside the input or its left
padding). Every check raises PyTorch's exception type, with a message that names the function.

>>> Pooling.read("max_pool2d", 2, None, 0, 1, False, 2).output_sizes((28, 28))
(14, 14)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .tensor_argument import require_tensor

__all__: list[str] = []

_SCALAR_NAMES = {"int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long", "uint8": "Byte", "bool": "Bool",
                 "float16": "Half"}


def as_tuple(value, dims: int, op: str, what: str, allow_empty: bool = False) -> tuple:
    """``value`` (an int or a sequence of 1 or ``dims`` ints) as ``dims`` ints; PyTorch's errors otherwise."""
    if isinstance(value, (bool, float)) or not isinstance(value, (int, np.integer, tuple, list)):
        raise TypeError(f"{op}(): argument '{what}' must be tuple of ints, not {type(value).__name__}")
    if isinstance(value, (int, np.integer)):
        return (int(value),) * dims
    if any(isinstance(v, (bool, float)) or not isinstance(v, (int, np.integer)) for v in value):
        raise TypeError(f"{op}(): argument '{what}' must be tuple of ints, but found element of type "
                        f"{type(next(v for v in value if not isinstance(v, (int, np.integer)))).__name__}")
    if len(value) == 1:
        return (int(value[0]),) * dims
    if len(value) != dims or (not value and not allow_empty):
        pair = "two ints" if dims == 2 else f"{dims} ints"
        omitted = "be omitted, " if allow_empty else ""
        raise RuntimeError(f"{op}(): {what} must either {omitted}be a single int, or a tuple of {pair}")
    return tuple(int(v) for v in value)


def check_rank(op: str, input, dims: int) -> None:
    """``input`` must be a tensor with ``dims`` spatial dimensions and a channel dimension, batched or not, with no
    empty dimension but the batch."""
    require_tensor(input, op)
    shape = tuple(input.shape)
    if len(shape) not in (dims + 1, dims + 2):
        raise RuntimeError(f"{op}(): Expected {dims + 1}D or {dims + 2}D (batch mode) tensor with optional 0 dim batch "
                           f"size for input, but got: {list(shape)} ({len(shape)}D)")
    if any(n == 0 for n in shape[-dims - 1:]):
        raise RuntimeError(f"{op}(): Expected {dims + 1}D or {dims + 2}D (batch mode) tensor with optional 0 dim batch "
                           f"size for input, but got: {list(shape)} (an empty non-batch dimension)")


def check_float(op: str, input) -> None:
    """PyTorch's averaging and interpolation take floating tensors only."""
    if input._data.dtype.kind != "f":
        name = _SCALAR_NAMES.get(input._data.dtype.name, input._data.dtype.name)
        raise NotImplementedError(f"\"{op}\" not implemented for '{name}'")


@dataclass(frozen=True)
class Pooling:
    """One pooling call's geometry: per spatial dimension the kernel size, stride, padding and dilation."""

    op: str
    kernel: tuple
    stride: tuple
    padding: tuple
    dilation: tuple
    ceil_mode: bool

    @classmethod
    def read(cls, op: str, kernel_size, stride, padding, dilation, ceil_mode, dims: int) -> "Pooling":
        """Arguments as a PyTorch pooling function takes them (``stride`` None or empty: the kernel size)."""
        kernel = as_tuple(kernel_size, dims, op, "kernel_size")
        if stride is None or (isinstance(stride, (tuple, list)) and len(stride) == 0):
            stride = kernel
        else:
            stride = as_tuple(stride, dims, op, "stride", allow_empty=True)
        return cls(op, kernel, stride, as_tuple(padding, dims, op, "padding"),
                   as_tuple(dilation, dims, op, "dilation"), bool(ceil_mode))

    def as_2d(self) -> "Pooling":
        """A 1-d pooling as a 2-d one over planes of one row (2-d unchanged)."""
        if len(self.kernel) == 2:
            return self
        return Pooling(self.op, (1,) + self.kernel, (1,) + self.stride, (0,) + self.padding, (1,) + self.dilation,
                       self.ceil_mode)

    def output_sizes(self, sizes: tuple) -> tuple:
        """The output's spatial sizes for input sizes ``sizes``, after PyTorch's checks of the arguments."""
        op = self.op
        if any(p < 0 for p in self.padding):
            raise RuntimeError(f"{op}(): pad must be non-negative, but got pad: {_show(self.padding)}")
        if any(s == 0 for s in self.stride):
            raise RuntimeError(f"{op}(): stride should not be zero")
        if any(k <= 0 for k in self.kernel):
            raise RuntimeError(f"{op}(): kernel size should be greater than zero, but got {_show(self.kernel)}")
        if any(s < 0 for s in self.stride):
            raise RuntimeError(f"{op}(): stride should be greater than zero, but got {_show(self.stride)}")
        if any(d <= 0 for d in self.dilation):
            raise RuntimeError(f"{op}(): dilation should be greater than zero, but got {_show(self.dilation)}")
        if any(p > k // 2 for p, k in zip(self.padding, self.kernel)):
            raise RuntimeError(f"{op}(): pad should be at most half of effective kernel size, but got pad="
                               f"{_show(self.padding)}, kernel_size={_show(self.kernel)} and dilation="
                               f"{_show(self.dilation)}")
        out = tuple(self._one_size(*args) for args in zip(sizes, self.kernel, self.stride, self.padding,
                                                           self.dilation))
        if any(n < 1 for n in out):
            raise RuntimeError(f"{op}(): Given input size: ({'x'.join(map(str, sizes))}). Calculated output size: "
                               f"({'x'.join(map(str, out))}). Output size is too small")
        return out

    def _one_size(self, size: int, k: int, s: int, p: int, d: int) -> int:
        span = size + 2 * p - d * (k - 1) - 1
        n = (span + (s - 1 if self.ceil_mode else 0)) // s + 1
        if self.ceil_mode and (n - 1) * s >= size + p:  # the last window would start in the right padding
            n -= 1
        return n


def _show(values: tuple) -> str:
    return str(values[0]) if len(set(values)) == 1 else str(values)


def padded_extent(size: int, out: int, k: int, s: int, p: int, d: int) -> tuple:
    """``(before, after)``: the padding that makes every one of ``out`` windows lie inside the array (``after`` covers
    ``ceil_mode``'s last window as well as the padding)."""
    reach = (out - 1) * s + (k - 1) * d + 1
    return p, max(0, reach - size - p)


def window_views(padded: np.ndarray, out: tuple, pooling: Pooling, planes_last: bool = False):
    """For each kernel tap ``(i, j)`` in row-major order, the strided view of ``padded`` (shape ``(B, H', W')``, or
    ``(H', W', B)`` with ``planes_last``) that holds that tap of every window: ``kh * kw`` arrays of shape
    ``(B, out_h, out_w)`` (or ``(out_h, out_w, B)``)."""
    (oh, ow), (kh, kw), (sh, sw), (dh, dw) = out, pooling.kernel, pooling.stride, pooling.dilation
    lead = () if planes_last else (slice(None),)
    for i in range(kh):
        for j in range(kw):
            yield padded[lead + (slice(i * dh, i * dh + (oh - 1) * sh + 1, sh),
                                 slice(j * dw, j * dw + (ow - 1) * sw + 1, sw))]


def overlapping(pooling: Pooling) -> bool:
    """Whether windows share elements (a stride shorter than the dilated kernel)."""
    return any(s < d * (k - 1) + 1 for k, s, d in zip(pooling.kernel, pooling.stride, pooling.dilation))


def planes_last(planes: int, out: tuple, pooling: Pooling) -> bool:
    """Whether to pool with the planes as the last axis: for many small planes and overlapping windows, where every
    strided pass over ``(B, H, W)`` would run NumPy's inner loop over one short output row (3x faster measured on
    1024 planes of 28x28, 3x3 windows, stride 2)."""
    return overlapping(pooling) and planes >= 4 * out[1]


def planes_last_array(shape: tuple, planes: int, dtype, fill) -> np.ndarray:
    """An array ``shape + (planes,)`` filled with ``fill``, its rows a few elements longer than ``planes`` (a view
    of the first ``planes``): rows of exactly 4 KB (1024 float32 planes) put every element of a column in the same
    cache set, and copying such an array back to ``(planes, ...)`` order ran 20x slower."""
    return np.full(shape + (planes + 16,), fill, dtype=dtype)[..., :planes]
