"""Resampling: ``interpolate`` (modes ``nearest``, ``nearest-exact``, ``linear``, ``bilinear``, ``area``), and the
deprecated ``upsample``, ``upsample_nearest`` and ``upsample_bilinear`` that PyTorch keeps.

Each spatial dimension is resampled on its own, the last first (as PyTorch's CPU kernels do, which makes the
values the same to the bit): output position ``o`` reads input positions ``i0[o]`` and ``i1[o]`` with weights
``w0[o]`` and ``w1[o]`` (one position, weight one, for the nearest modes), computed in the input's precision by
PyTorch's formulas. Resampling is linear: its gradient adds
each output's gradient back to the positions it read, in proportion to the weights, and the derivative of that
is the resampling again, so derivatives of every order work.

>>> import ourdl
>>> interpolate(ourdl.tensor([[[1.0, 2.0]]]), scale_factor=2, mode="linear")
tensor([[[1.0000, 1.2500, 1.7500, 2.0000]]])
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .adaptive_pooling import adaptive_avg_pool1d, adaptive_avg_pool2d
from .linear_maps import LinearMap
from .pool_arguments import check_float
from .tensor_argument import require_tensor

__all__: list[str] = ["interpolate", "upsample", "upsample_nearest", "upsample_bilinear"]

_MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact")


class AxisResampling:
    """Resampling along one axis: ``out = x[i0] * w0 + x[i1] * w1`` (``x[i0]`` alone when ``w0`` is None)."""

    def __init__(self, axis: int, size: int, i0: np.ndarray, w0=None, i1=None, w1=None):
        self.axis, self.size, self.i0, self.w0, self.i1, self.w1 = axis, size, i0, w0, i1, w1

    def _shaped(self, w: np.ndarray, ndim: int) -> np.ndarray:
        return w.reshape((-1,) + (1,) * (ndim - 1 - self.axis))

    def apply(self, x: np.ndarray) -> np.ndarray:
        picked = np.take(x, self.i0, axis=self.axis)
        if self.w0 is None:
            return picked
        picked *= self._shaped(self.w0, x.ndim)
        picked += np.take(x, self.i1, axis=self.axis) * self._shaped(self.w1, x.ndim)
        return picked

    def adjoint(self, g: np.ndarray) -> np.ndarray:
        """The gradient of :meth:`apply`: each output's ``g`` added back to the positions it read, times the weights."""
        if np.isfinite(g).all():  # one matrix product (BLAS) per axis: where g is finite, zeros in it add nothing
            moved = np.swapaxes(g, self.axis, -1)
            return np.swapaxes(moved @ self._matrix(g.dtype), self.axis, -1)
        shape = g.shape[:self.axis] + (self.size,) + g.shape[self.axis + 1:]
        out = np.zeros(shape, dtype=g.dtype)
        if self.w0 is None:
            _add_at_sorted(out, self.i0, g, self.axis)
            return out
        _add_at_sorted(out, self.i0, g * self._shaped(self.w0, g.ndim), self.axis)
        _add_at_sorted(out, self.i1, g * self._shaped(self.w1, g.ndim), self.axis)
        return out

    def _matrix(self, dtype) -> np.ndarray:
        """The ``(out, size)`` matrix of weights (the resampling is ``x @ matrix.T`` along the axis)."""
        matrix = np.zeros((len(self.i0), self.size), dtype=dtype)
        rows = np.arange(len(self.i0))
        if self.w0 is None:
            matrix[rows, self.i0] = 1
        else:
            np.add.at(matrix, (rows, self.i0), self.w0)
            np.add.at(matrix, (rows, self.i1), self.w1)
        return matrix


def _add_at_sorted(out: np.ndarray, index: np.ndarray, values: np.ndarray, axis: int) -> None:
    """``out[..., index[o], ...] += values[..., o, ...]`` along ``axis`` for a nondecreasing ``index``: the values of
    each run of equal indices summed in one ``reduceat``."""
    if index.size == 0:
        return
    targets, starts = np.unique(index, return_index=True)
    where = (slice(None),) * axis + (targets,)
    out[where] += np.add.reduceat(values, starts, axis=axis)


class Resampling:
    """The resampling of every spatial dimension: applied last dimension first, its adjoint in the reverse order."""

    def __init__(self, steps: list):
        self.steps = steps

    @np.errstate(invalid="ignore", over="ignore")  # inf * 0 is NaN, as in PyTorch, silently
    def apply(self, x: np.ndarray) -> np.ndarray:
        for step in self.steps:
            x = step.apply(x)
        return x

    @np.errstate(invalid="ignore", over="ignore")
    def adjoint(self, g: np.ndarray) -> np.ndarray:
        for step in reversed(self.steps):
            g = step.adjoint(g)
        return g


class UpsampleNearest1D(LinearMap):
    """``interpolate(mode="nearest")`` of ``(N, C, L)``."""


class UpsampleNearest2D(LinearMap):
    """``interpolate(mode="nearest")`` of ``(N, C, H, W)``."""


class UpsampleNearestExact1D(LinearMap):
    """``interpolate(mode="nearest-exact")`` of ``(N, C, L)``."""


class UpsampleNearestExact2D(LinearMap):
    """``interpolate(mode="nearest-exact")`` of ``(N, C, H, W)``."""


class UpsampleLinear1D(LinearMap):
    """``interpolate(mode="linear")`` of ``(N, C, L)``."""


class UpsampleBilinear2D(LinearMap):
    """``interpolate(mode="bilinear")`` of ``(N, C, H, W)``."""


_NODES = {("nearest", 1): UpsampleNearest1D, ("nearest", 2): UpsampleNearest2D,
          ("nearest-exact", 1): UpsampleNearestExact1D, ("nearest-exact", 2): UpsampleNearestExact2D,
          ("linear", 1): UpsampleLinear1D, ("bilinear", 2): UpsampleBilinear2D}


def _inverse(scale):
    """``1 / scale_factor`` when a positive one was given (PyTorch then uses it instead of ``size / out``)."""
    return 1.0 / scale if scale is not None and scale > 0 else None


def _nearest(axis: int, size: int, out: int, scale, exact: bool) -> AxisResampling:
    given = _inverse(scale)
    ratio = np.float32(given) if given is not None else np.float32(size) / np.float32(out)
    o = np.arange(out)
    if exact:  # PyTorch: floorf((o + 0.5) * scale), the product in double, then rounded to float
        source = np.floor(((o + 0.5) * np.float64(ratio)).astype(np.float32))
    elif out == size:
        return AxisResampling(axis, size, o)
    elif out == 2 * size:
        return AxisResampling(axis, size, o >> 1)
    else:
        source = np.floor(o.astype(np.float32) * ratio)
    return AxisResampling(axis, size, np.minimum(source.astype(np.int64), size - 1))


def _linear(axis: int, size: int, out: int, scale, align_corners: bool, dtype) -> AxisResampling:
    t = dtype.type
    if out == size:  # PyTorch's weights for an unchanged size: 1 and 0 (so an infinity there still gives NaN)
        o = np.arange(out)
        return AxisResampling(axis, size, o, np.ones(out, dtype), o, np.zeros(out, dtype))
    if align_corners:
        ratio = t(size - 1) / t(out - 1) if out > 1 else t(0)
        source = ratio * np.arange(out).astype(dtype)
    else:
        given = _inverse(scale)
        ratio = t(given) if given is not None else t(size) / t(out)
        source = np.maximum(ratio * (np.arange(out).astype(dtype) + t(0.5)) - t(0.5), t(0))
    i0 = np.minimum(np.floor(source).astype(np.int64), size - 1)
    w1 = np.clip(source - i0.astype(dtype), t(0), t(1))
    i1 = i0 + (i0 < size - 1)
    return AxisResampling(axis, size, i0, t(1) - w1, i1, w1)


def _sizes(input, size, scale_factor, recompute_scale_factor) -> tuple:
    """The output sizes and the scale factors the kernels use (None where the size decides), as PyTorch's
    ``interpolate`` works them out."""
    dims, spatial = input.ndim - 2, list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("interpolate(): only one of size or scale_factor should be defined")
    if size is not None:
        if recompute_scale_factor:
            raise ValueError("interpolate(): recompute_scale_factor is not meaningful with an explicit size.")
        sizes = tuple(size) if isinstance(size, (tuple, list)) else (size,) * dims
        if len(sizes) != dims:
            raise ValueError(f"interpolate(): Input and output must have the same number of spatial dimensions, but "
                             f"got input with spatial dimensions of {spatial} and output size of {size}. Please "
                             f"provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, "
                             f"...,oK) format.")
        if not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in sizes):
            raise TypeError(f"interpolate(): expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                            f"Tuple[int, int, int], but got size with types {[type(n) for n in sizes]}")
        return tuple(int(n) for n in sizes), (None,) * dims
    if scale_factor is None:
        raise ValueError("interpolate(): either size or scale_factor should be defined")
    scales = tuple(scale_factor) if isinstance(scale_factor, (tuple, list)) else (scale_factor,) * dims
    if len(scales) != dims:
        raise ValueError(f"interpolate(): Input and scale_factor must have the same number of spatial dimensions, but "
                         f"got input with spatial dimensions of {spatial} and scale_factor of shape {scale_factor}. "
                         f"Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, "
                         f"...,sK) format.")
    sizes = tuple(math.floor(float(n) * float(s)) for n, s in zip(spatial, scales))
    return sizes, (None,) * dims if recompute_scale_factor else tuple(float(s) for s in scales)


def interpolate(input, size=None, scale_factor=None, mode: str = "nearest", align_corners=None,
                recompute_scale_factor=None, antialias: bool = False):
    """Resample ``input`` ``(N, C, L)`` or ``(N, C, H, W)`` to ``size`` or by ``scale_factor`` (give one).

    Along each spatial dimension, output position :math:`o` reads the input at

    - ``nearest``: :math:`\\min(\\lfloor o\\,r \\rfloor, L-1)`; ``nearest-exact``: :math:`\\min(\\lfloor (o+\\tfrac12) r
      \\rfloor, L-1)`, with :math:`r = L / L_{out}`, or ``1 / scale_factor`` when a scale factor is used as given;
    - ``linear`` (3-d input) and ``bilinear`` (4-d, one dimension after the other):
      :math:`(1-\\lambda)\\,x[i] + \\lambda\\,x[i+1]` at :math:`s = o\\,(L-1)/(L_{out}-1)` with ``align_corners=True``,
      else :math:`s = \\max(r (o + \\tfrac12) - \\tfrac12, 0)`; :math:`i = \\lfloor s \\rfloor`, :math:`\\lambda = s - i`;
    - ``area``: adaptive average pooling to the output size.

    With a ``scale_factor`` the output size is :math:`\\lfloor L \\cdot scale \\rfloor`; ``recompute_scale_factor=True``
    makes the kernels use that size's ratio instead of the factor. ``align_corners`` is for the linear modes only
    (default False). ``antialias`` is not supported.

    >>> import ourdl
    >>> x = ourdl.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    >>> interpolate(x, scale_factor=2)
    tensor([[[[1., 1., 2., 2.],
              [1., 1., 2., 2.],
              [3., 3., 4., 4.],
              [3., 3., 4., 4.]]]])
    >>> interpolate(x, size=3, mode="bilinear", align_corners=True)
    tensor([[[[1.0000, 1.5000, 2.0000],
              [2.0000, 2.5000, 3.0000],
              [3.0000, 3.5000, 4.0000]]]])
    """
    require_tensor(input, "interpolate")
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("interpolate(): align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    else:
        align_corners = bool(align_corners)
    if input.ndim not in (3, 4) or mode not in _MODES:
        raise NotImplementedError(f"interpolate(): Input Error: Only 3D and 4D input Tensors supported (got "
                                  f"{input.ndim}D) for the modes: nearest | linear | bilinear | area | nearest-exact "
                                  f"(got {mode})")
    sizes, scales = _sizes(input, size, scale_factor, recompute_scale_factor or (mode == "area" and size is None))
    if antialias:
        raise NotImplementedError("interpolate(): antialias=True is not supported by ourdl")
    dims = input.ndim - 2
    if (mode, dims) in (("bilinear", 1), ("linear", 2)):
        needed = "4D" if mode == "bilinear" else "3D"
        raise NotImplementedError(f"interpolate(): Got {input.ndim}D input, but {mode} mode needs {needed} input")
    if mode in ("bicubic", "trilinear"):
        raise NotImplementedError(f"interpolate(): mode {mode!r} is not supported by ourdl (nearest, nearest-exact, "
                                  f"linear, bilinear and area are)")
    if mode == "area":
        return (adaptive_avg_pool1d if dims == 1 else adaptive_avg_pool2d)(input, sizes)
    spatial = tuple(input.shape[2:])
    if input.shape[1] == 0 or 0 in spatial or any(n <= 0 for n in sizes):
        names = ("H", "W")[-dims:]
        joint = " and " if dims == 1 else " "
        raise RuntimeError("interpolate(): Input and output sizes should be greater than 0, but got input ("
                           + ", ".join(f"{a}: {n}" for a, n in zip(names, spatial)) + f"){joint}output ("
                           + ", ".join(f"{a}: {n}" for a, n in zip(names, sizes)) + ")")
    if mode in ("linear", "bilinear"):
        check_float(f"upsample_{mode}{dims}d", input)
    elif input._data.dtype != np.uint8:
        check_float(f"upsample_{mode.replace('-', '_')}{dims}d", input)
    steps = []
    for axis in range(input.ndim - 1, 1, -1):  # the last dimension first, as PyTorch's kernels
        n, out, scale = input.shape[axis], sizes[axis - 2], scales[axis - 2]
        if mode in ("nearest", "nearest-exact"):
            steps.append(_nearest(axis, n, out, scale, mode == "nearest-exact"))
        else:
            steps.append(_linear(axis, n, out, scale, align_corners, input._data.dtype))
    return _NODES[mode, dims].apply(input, Resampling(steps))


def _deprecated(name: str) -> None:
    warnings.warn(f"`nn.functional.{name}` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=3)


def upsample(input, size=None, scale_factor=None, mode: str = "nearest", align_corners=None):
    """:func:`interpolate` under its old name (with PyTorch's deprecation warning).

    >>> import ourdl, warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     upsample(ourdl.tensor([[[1.0, 2.0]]]), scale_factor=2)
    tensor([[[1., 1., 2., 2.]]])
    """
    _deprecated("upsample")
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """``interpolate(mode="nearest")`` under its old name (with PyTorch's deprecation warning).

    >>> import ourdl, warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     upsample_nearest(ourdl.tensor([[[1.0, 2.0]]]), 3)
    tensor([[[1., 1., 2.]]])
    """
    _deprecated("upsample_nearest")
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """``interpolate(mode="bilinear", align_corners=True)`` under its old name (with PyTorch's deprecation
    warning).

    >>> import ourdl, warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     upsample_bilinear(ourdl.tensor([[[[0.0, 2.0]]]]), (1, 3))
    tensor([[[[0., 1., 2.]]]])
    """
    _deprecated("upsample_bilinear")
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)
