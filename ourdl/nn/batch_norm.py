"""Batch normalisation: ``F.batch_norm`` and ``BatchNorm1d``/``2d``/``3d``, over every dimension but the channels.

For an input of shape ``(N, C, *)`` each channel is normalised over the batch and the trailing dimensions:
:math:`y = \\frac{x - \\mu_c}{\\sqrt{\\sigma_c^2 + \\epsilon}} \\gamma_c + \\beta_c`. One node does the whole
layer (:class:`BatchNormFunction`): the statistics and the gradients sum each row of a channel in one pass
(``einsum``; OpenBLAS's threaded matrix-vector product was measured 200x slower on some shapes) and add the rows'
sums in float64 (PyTorch accumulates in double on the CPU too), and the backward formula, written
once, also runs on tensors, so second derivatives are exact.

>>> import ourdl
>>> from ourdl import nn
>>> y = nn.BatchNorm2d(3)(ourdl.randn(4, 3, 5, 5))
>>> [round(v, 4) + 0.0 for v in y.mean((0, 2, 3)).tolist()]
[0.0, 0.0, 0.0]
"""

from __future__ import annotations

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..kernels import kernel
from ..ops.creation import ones, tensor, zeros
from ..ops.tensor_argument import require_tensor
from ..tensor import Tensor
from . import init
from .module import Module
from .parameter import Parameter

__all__ = ["batch_norm", "BatchNormFunction", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d"]


def channel_sums(a: np.ndarray) -> np.ndarray:
    """:math:`\\sum_{n, l} a_{ncl}` per channel of an ``(N, C, L)`` array, shape ``(1, C, 1)``, in float64."""
    return np.einsum("ncl->nc", a).sum(0, dtype=np.float64)[None, :, None]


def channel_dots(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:math:`\\sum_{n, l} a_{ncl} b_{ncl}` per channel, shape ``(1, C, 1)``, in float64."""
    return np.einsum("ncl,ncl->nc", a, b).sum(0, dtype=np.float64)[None, :, None]


def input_gradient(g, centered, scale, k_centered, k_shift):
    """:math:`\\partial x = g\\,s - (x - \\mu)\\,k - k'` in training, with the per-channel
    :math:`s = \\gamma / \\sqrt{\\sigma^2 + \\epsilon}`, :math:`k = s \\sum g \\hat x / (M \\sqrt{\\sigma^2 + \\epsilon})`,
    :math:`k' = s \\sum g / M`; on arrays or tensors."""
    return g * scale - centered * k_centered - k_shift


def affine(x, alpha, beta):
    """:math:`x\\,\\alpha + \\beta` (per-channel ``alpha`` and ``beta`` broadcast)."""
    return x * alpha + beta


# One pass each over the full-size arrays where NumPy makes three (4x faster for the backward, measured).
input_gradient_kernel = kernel(5)(input_gradient)
affine_kernel = kernel(3)(affine)


class BatchNormFunction(ArrayFunction):
    """:math:`y = \\hat x \\gamma + \\beta`, :math:`\\hat x = (x - \\mu) / \\sqrt{\\sigma^2 + \\epsilon}` per channel
    of an ``(N, C, *)`` input, :math:`\\mu, \\sigma^2` the batch's (biased) statistics in training, else the given
    running ones (``weight``/``bias`` may be None).

    Backward, with :math:`M` values per channel and sums over the batch and trailing dimensions:
    :math:`\\partial\\beta = \\sum g`, :math:`\\partial\\gamma = \\sum g \\hat x`, and
    :math:`\\partial x = \\frac{\\gamma}{\\sqrt{\\sigma^2+\\epsilon}}\\,(g - \\frac{1}{M}\\sum g
    - \\frac{\\hat x}{M} \\sum g \\hat x)` in training (:math:`\\gamma g / \\sqrt{\\sigma^2+\\epsilon}` with running
    statistics). Under ``create_graph`` the statistics are recomputed from the input with ops, so the backward is
    itself differentiable. In training, ``running_mean``/``running_var`` (arrays) are updated in place:
    :math:`r \\leftarrow (1 - m)\\,r + m\\,s` with the unbiased variance.

    >>> import ourdl
    >>> x = ourdl.tensor([[1.0], [3.0]], requires_grad=True)
    >>> y = BatchNormFunction.apply(x, None, None, training=True, eps=0.0)
    >>> y
    tensor([[-1.],
            [ 1.]], grad_fn=<BatchNormFunctionBackward0>)
    >>> (y * ourdl.tensor([[1.0], [0.0]])).sum().backward(); x.grad
    tensor([[0.],
            [0.]])
    """

    @staticmethod
    def forward(ctx, x, weight, bias, *, training, eps, running_mean=None, running_var=None, momentum=0.0):
        with np.errstate(all="ignore"):  # inf and NaN inputs give NaN, silently, as in PyTorch
            return _normalise(ctx, x, weight, bias, training, eps, running_mean, running_var, momentum)

    @staticmethod
    def backward(ctx, g):
        with np.errstate(all="ignore"):
            return _gradients(ctx, g)


def _normalise(ctx, x, weight, bias, training, eps, running_mean, running_var, momentum):
    """The forward of :class:`BatchNormFunction` on arrays."""
    dtype = x.dtype
    x3 = x.reshape(_shape3(x))
    count = x3.shape[0] * x3.shape[2]
    if training:
        mean = channel_sums(x3) / count  # NaN for an empty batch, as in PyTorch
        centered = x3 - mean.astype(dtype)
        var = channel_dots(centered, centered) / count
        if running_mean is not None and count:
            running_mean *= 1.0 - momentum
            running_mean += (momentum * mean.ravel()).astype(running_mean.dtype)
            running_var *= 1.0 - momentum
            running_var += (momentum * var.ravel() * (count / max(count - 1, 1))).astype(running_var.dtype)
        ctx.centered = centered
    else:
        mean = running_mean.astype(np.float64).reshape(1, -1, 1)
        var = running_var.astype(np.float64).reshape(1, -1, 1)
    invstd = 1.0 / np.sqrt(var + eps)
    alpha = (invstd if weight is None else invstd * weight.reshape(1, -1, 1)).astype(dtype)
    if training:  # (x - mean) alpha + bias: a value equal to its channel's mean gives exactly the bias
        shift = np.zeros_like(alpha) if bias is None else bias.reshape(1, -1, 1).astype(dtype, copy=False)
        out = affine_kernel(centered, alpha, shift)
    else:  # as PyTorch: x alpha + beta, beta = bias - mean alpha (from the rounded alpha)
        beta = -mean * alpha if bias is None else bias.reshape(1, -1, 1) - mean * alpha
        out = affine_kernel(x3, alpha, beta.astype(dtype))
    ctx.save_for_backward(x, weight)
    ctx.mean, ctx.invstd, ctx.training, ctx.eps, ctx.count = mean, invstd, training, eps, count
    return out.reshape(x.shape)


def _gradients(ctx, g):
    """The gradients of :class:`BatchNormFunction`, on arrays or (under ``create_graph``) on tensors."""
    x, weight = ctx.saved_tensors
    shape3 = _shape3(x)
    g3 = g.reshape(shape3)
    count = max(ctx.count, 1)
    needs_dots = ctx.training or ctx.needs_input_grad[1]
    if isinstance(g, Tensor):  # under create_graph: statistics as ops on the input, so they are differentiated
        x3 = x.reshape(shape3)
        mean = x3.mean((0, 2), keepdim=True) if ctx.training else tensor(ctx.mean.astype(g.dtype.numpy))
        centered = x3 - mean
        invstd = ((centered * centered).mean((0, 2), keepdim=True) + ctx.eps).rsqrt() if ctx.training \
            else tensor(ctx.invstd.astype(g.dtype.numpy))
        sum_g = g3.sum((0, 2), keepdim=True)
        sum_gc = (g3 * centered).sum((0, 2), keepdim=True) if needs_dots else None
        weight = None if weight is None else weight.reshape(1, -1, 1)
    else:  # per-channel sums and factors in float64, cast once before they meet the full-size arrays
        centered = ctx.centered if ctx.training else None
        if centered is None and needs_dots:
            centered = x.reshape(shape3) - ctx.mean.astype(g.dtype)
        invstd, sum_g = ctx.invstd, channel_sums(g3)
        sum_gc = channel_dots(g3, centered) if needs_dots else None
        weight = None if weight is None else weight.reshape(1, -1, 1).astype(np.float64)
    cast = _caster(g)
    scale = invstd if weight is None else invstd * weight
    grad_x = None
    if ctx.needs_input_grad[0] and not ctx.training:
        grad_x = (g3 * cast(scale)).reshape(x.shape)
    elif ctx.needs_input_grad[0]:
        gradient = input_gradient if isinstance(g, Tensor) else input_gradient_kernel
        grad_x = gradient(g3, centered, cast(scale), cast(sum_gc * invstd * invstd * scale / count),
                          cast(sum_g * scale / count)).reshape(x.shape)
    grad_weight = cast(sum_gc * invstd).reshape(-1) if ctx.needs_input_grad[1] else None
    grad_bias = cast(sum_g).reshape(-1) if ctx.needs_input_grad[2] else None
    return grad_x, grad_weight, grad_bias


def _shape3(x) -> tuple:
    """``(N, C, L)``: the trailing dimensions as one (written out, as -1 cannot be inferred for an empty batch)."""
    return x.shape[0], x.shape[1], int(np.prod(x.shape[2:], dtype=np.int64))


def _caster(g):
    """Per-channel values to the gradient's dtype: float64 arrays are cast, tensors already have it."""
    if isinstance(g, Tensor):
        return lambda value: value
    return lambda value: value.astype(g.dtype)


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Batch normalisation over dimension 1 (channels) of an ``(N, C, *)`` input.

    :math:`y = \\frac{x - \\mu}{\\sqrt{\\sigma^2 + \\epsilon}} \\gamma + \\beta` per channel. In training the
    batch's mean and biased variance normalise, and the running statistics (when given) are updated in place:
    :math:`r \\leftarrow (1 - m) r + m\\,s` with the *unbiased* batch variance, as PyTorch. Otherwise the running
    statistics normalise.

    >>> import ourdl
    >>> x = ourdl.tensor([[1.0], [3.0]])
    >>> batch_norm(x, None, None, training=True)
    tensor([[-1.0000],
            [ 1.0000]])
    """
    require_tensor(input, "batch_norm")
    if input.ndim < 2:
        raise IndexError(f"batch_norm: expected an input of shape (N, C, *) with at least 2 dimensions, got a "
                         f"{input.ndim}D input of shape {list(input.shape)} (Dimension out of range)")
    channels = input.shape[1]
    for position, name, value in ((4, "running_mean", running_mean), (5, "running_var", running_var),
                                  (2, "weight", weight), (3, "bias", bias)):  # PyTorch's positions
        if value is not None:
            require_tensor(value, "batch_norm", name, position)
        if value is not None and value.numel() != channels:
            raise RuntimeError(f"batch_norm: {name} should contain {channels} elements not {value.numel()} "
                               f"(the channels of an input of shape {list(input.shape)})")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError("batch_norm: running_mean must be defined in evaluation mode (pass training=True to "
                           "normalise with the batch's statistics)")
    if training and input.numel() // max(channels, 1) == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {input.shape}")
    return run_batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def run_batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps) -> Tensor:
    """:class:`BatchNormFunction` on checked arguments; bumps the running statistics' versions when it updates them."""
    out = BatchNormFunction.apply(input, weight, bias, training=training, eps=eps, momentum=momentum,
                                  running_mean=None if running_mean is None else running_mean._data,
                                  running_var=None if running_var is None else running_var._data)
    if training and running_mean is not None:
        running_mean._version.value += 1
        running_var._version.value += 1
    return out


def register_affine(module: Module, size: int, affine: bool, bias: bool, dtype) -> None:
    """Give ``module`` PyTorch's ``weight`` (ones) and ``bias`` (zeros) of ``size``, each None when turned off."""
    module.register_parameter("weight", Parameter(ones(size, dtype=dtype)) if affine else None)
    module.register_parameter("bias", Parameter(zeros(size, dtype=dtype)) if affine and bias else None)


def reset_affine(module: Module) -> None:
    """:math:`\\gamma = 1`, :math:`\\beta = 0` for the ``weight`` and ``bias`` that ``module`` has."""
    if module.weight is not None:
        init.ones_(module.weight)
    if module.bias is not None:
        init.zeros_(module.bias)


class _BatchNorm(Module):
    """What ``BatchNorm1d``, ``2d`` and ``3d`` share; they differ in the input ranks they accept."""

    ranks: tuple = ()
    shape_text = ""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None, *, bias: bool = True):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        register_affine(self, num_features, affine, bias, dtype)
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", tensor(0))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batch tracked."""
        if self.track_running_stats:
            init.zeros_(self.running_mean)
            init.ones_(self.running_var)
            init.zeros_(self.num_batches_tracked)

    def reset_parameters(self) -> None:
        """Running statistics reset, :math:`\\gamma = 1`, :math:`\\beta = 0`."""
        self.reset_running_stats()
        reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        require_tensor(input, "batch_norm")
        if input.ndim not in self.ranks:
            raise ValueError(f"{type(self).__name__}: expected {' or '.join(f'{r}D' for r in self.ranks)} input "
                             f"{self.shape_text.format(C=self.num_features)} (got {input.ndim}D input of shape "
                             f"{list(input.shape)})")
        per_channel = self.weight is not None or self.bias is not None or self.running_mean is not None
        if per_channel and input.shape[1] != self.num_features:
            raise RuntimeError(f"{type(self).__name__}({self.num_features}): expected input with {self.num_features} "
                               f"channels {self.shape_text.format(C=self.num_features)}, got input of shape "
                               f"{list(input.shape)}: running_mean should contain {input.shape[1]} elements not "
                               f"{self.num_features}")
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked._data += 1
            self.num_batches_tracked._version.value += 1
            if self.momentum is None:  # a cumulative average: the n-th batch weighs 1/n
                momentum = 1.0 / float(self.num_batches_tracked._data)
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        keep = not self.training or self.track_running_stats
        return batch_norm(input, self.running_mean if keep else None, self.running_var if keep else None,
                          self.weight, self.bias, use_batch, momentum, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of ``(N, C)`` or ``(N, C, L)`` inputs over the batch, per channel.

    ``bias=False`` keeps the scale :math:`\\gamma` but no shift. Buffers ``running_mean``, ``running_var`` and
    ``num_batches_tracked`` (when ``track_running_stats``); ``momentum=None`` uses a cumulative average. In
    ``eval()`` mode the running statistics normalise.

    >>> from ourdl import nn
    >>> nn.BatchNorm1d(3)
    BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
    """

    ranks = (2, 3)
    shape_text = "(shape (N, {C}) or (N, {C}, L))"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of images ``(N, C, H, W)``, per channel over the batch and the pixels.

    Arguments, buffers and ``state_dict`` keys as :class:`BatchNorm1d` (and PyTorch's).

    >>> import ourdl
    >>> from ourdl import nn
    >>> layer = nn.BatchNorm2d(2)
    >>> y = layer(ourdl.randn(8, 2, 4, 4) * 3 + 1)
    >>> list(layer.state_dict()), layer.num_batches_tracked.item()
    (['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked'], 1)
    """

    ranks = (4,)
    shape_text = "(shape (N, {C}, H, W))"


class BatchNorm3d(_BatchNorm):
    """Batch normalisation of volumes ``(N, C, D, H, W)``, per channel over the batch and the voxels.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.BatchNorm3d(2)(ourdl.randn(2, 2, 3, 3, 3)).shape
    ourdl.Size([2, 2, 3, 3, 3])
    """

    ranks = (5,)
    shape_text = "(shape (N, {C}, D, H, W))"
