"""Weight initialisers, as ``torch.nn.init``: each fills a tensor in place (no gradient recorded) and returns it.

All draw from ourdl's default generator (or ``generator=``), so
``ourdl.manual_seed`` makes an initialisation repeat exactly.

>>> import ourdl
>>> from ourdl.nn import init
>>> w = ourdl.empty(256, 128)
>>> _ = init.kaiming_uniform_(w, nonlinearity="relu")
>>> bool(w.abs().max() <= (6 / 128) ** 0.5)
True
"""

from __future__ import annotations

import math
import warnings
from functools import lru_cache

import numpy as np

from .. import activations
from ..grad_mode import no_grad
from ..ops.creation import tensor as make_tensor
from ..ops.inplace import overwrite
from ..ops.random import default_generator
from ..tensor import Tensor

__all__ = ["calculate_gain", "constant_", "eye_", "kaiming_normal_", "kaiming_uniform_", "normal_", "ones_", "orthogonal_",
           "trunc_normal_", "uniform_", "xavier_normal_", "xavier_uniform_", "zeros_"]

_LINEAR = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "identity")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain (scale of the weights' standard deviation) for a nonlinearity.

    PyTorch's values: linear, conv*, identity and sigmoid :math:`1`; tanh :math:`5/3`;
    relu :math:`\\sqrt 2`; leaky_relu :math:`\\sqrt{2 / (1 + \\text{negative\\_slope}^2)}`
    (``param`` is the slope, default 0.01); selu :math:`3/4`.

    Any other activation of the catalog (``ourdl.activations``) gets the gain that
    keeps the second moment of a unit-variance signal through it:
    :math:`1 / \\sqrt{E[f(z)^2]}` for :math:`z \\sim \\mathcal N(0, 1)`, computed by
    Gauss-Hermite quadrature (100 nodes) with the activation's default parameters.
    For relu this rule gives exactly :math:`\\sqrt 2`, PyTorch's value.

    >>> calculate_gain("tanh")
    1.6666666666666667
    >>> round(calculate_gain("leaky_relu", 0.2), 5)
    1.38675
    """
    if nonlinearity in _LINEAR or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    return _second_moment_gain(nonlinearity)


@lru_cache(maxsize=None)
def _second_moment_gain(name: str) -> float:
    try:
        module = activations.get(name).module()
    except (KeyError, ValueError, AttributeError):
        raise ValueError(f"Unsupported nonlinearity {name}: not in PyTorch's list nor in ourdl's activation catalog") from None
    nodes, weights = np.polynomial.hermite_e.hermegauss(100)
    values = module(make_tensor(nodes, dtype="float64"))._data
    second_moment = float(np.sum(weights * values**2) / math.sqrt(2 * math.pi))
    if not second_moment > 0:
        raise ValueError(f"calculate_gain: {name} maps N(0, 1) to zero; no gain keeps the signal's scale")
    return 1 / math.sqrt(second_moment)


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    if tensor.ndim < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _fill(tensor: Tensor, values) -> Tensor:
    """``values`` written into ``tensor`` outside the graph, as every initialiser writes."""
    with no_grad():
        return overwrite(tensor, values, "nn.init")


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator=None) -> Tensor:
    """Fill with samples of :math:`\\mathcal U(a, b)`.

    >>> import ourdl
    >>> bool((uniform_(ourdl.empty(100), -1, 1).abs() <= 1).all())
    True
    """
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator=None) -> Tensor:
    """Fill with samples of :math:`\\mathcal N(\\text{mean}, \\text{std}^2)`.

    >>> import ourdl
    >>> normal_(ourdl.empty(2, 3)).shape
    ourdl.Size([2, 3])
    """
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0,
                  generator=None) -> Tensor:
    """Fill with samples of :math:`\\mathcal N(\\text{mean}, \\text{std}^2)` truncated to :math:`[a, b]` (absolute bounds, as in PyTorch).

    Drawn by ``scipy.stats.truncnorm`` from ourdl's generator.

    >>> import ourdl
    >>> bool((trunc_normal_(ourdl.empty(1000), std=3.0).abs() <= 2).all())
    True
    """
    low, high = (a - mean) / std, (b - mean) / std
    from scipy import stats  # imported here: scipy.stats takes seconds to import

    return _fill(tensor, stats.truncnorm.rvs(low, high, loc=mean, scale=std, size=tuple(tensor.shape),
                                             random_state=(generator or default_generator).numpy))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val``.

    >>> import ourdl
    >>> constant_(ourdl.empty(2), 0.5)
    tensor([0.5000, 0.5000])
    """
    return _fill(tensor, val)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0.

    >>> import ourdl
    >>> zeros_(ourdl.empty(2))
    tensor([0., 0.])
    """
    return _fill(tensor, 0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1.

    >>> import ourdl
    >>> ones_(ourdl.empty(2))
    tensor([1., 1.])
    """
    return _fill(tensor, 1)


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-D tensor with the identity matrix (ones on the diagonal).

    >>> import ourdl
    >>> eye_(ourdl.empty(2, 3))
    tensor([[1., 0., 0.],
            [0., 1., 0.]])
    """
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    return _fill(tensor, np.eye(*tensor.shape))


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot uniform: :math:`\\mathcal U(-a, a)` with :math:`a = \\text{gain}\\sqrt{6 / (\\text{fan\\_in} + \\text{fan\\_out})}`.

    >>> import ourdl
    >>> bool((xavier_uniform_(ourdl.empty(3, 5)).abs() <= (6 / 8) ** 0.5).all())
    True
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / float(fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot normal: :math:`\\mathcal N(0, \\sigma^2)` with :math:`\\sigma = \\text{gain}\\sqrt{2 / (\\text{fan\\_in} + \\text{fan\\_out})}`.

    >>> import ourdl
    >>> xavier_normal_(ourdl.empty(3, 5)).shape
    ourdl.Size([3, 5])
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)), generator)


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     generator=None) -> Tensor:
    """He uniform: :math:`\\mathcal U(-b, b)` with :math:`b = \\text{gain}\\sqrt{3 / \\text{fan\\_mode}}`.

    ``gain = calculate_gain(nonlinearity, a)``; ``a`` is the leaky_relu slope.
    ``nn.Linear`` uses ``a=sqrt(5)``, which gives :math:`b = 1/\\sqrt{\\text{fan\\_in}}`.

    >>> import ourdl
    >>> bool((kaiming_uniform_(ourdl.empty(4, 100), a=5 ** 0.5).abs() <= 0.1).all())
    True
    """
    if tensor.numel() == 0:  # a layer with no inputs or outputs (Linear(0, 2)) has nothing to draw
        warnings.warn("Initializing zero-element tensors is a no-op")
        return tensor
    gain = calculate_gain(nonlinearity, a)
    bound = math.sqrt(3.0) * gain / math.sqrt(_fan(tensor, mode))
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                    generator=None) -> Tensor:
    """He normal: :math:`\\mathcal N(0, \\sigma^2)` with :math:`\\sigma = \\text{gain} / \\sqrt{\\text{fan\\_mode}}`.

    >>> import ourdl
    >>> kaiming_normal_(ourdl.empty(3, 5), nonlinearity="relu").shape
    ourdl.Size([3, 5])
    """
    if tensor.numel() == 0:
        warnings.warn("Initializing zero-element tensors is a no-op")
        return tensor
    gain = calculate_gain(nonlinearity, a)
    return normal_(tensor, 0.0, gain / math.sqrt(_fan(tensor, mode)), generator)


def orthogonal_(tensor: Tensor, gain: float = 1, generator=None) -> Tensor:
    """Fill with a (semi-)orthogonal matrix times ``gain`` (trailing dimensions flattened), by QR of a Gaussian matrix.

    >>> import ourdl
    >>> w = orthogonal_(ourdl.empty(3, 3)).double()
    >>> bool(ourdl.allclose(w @ w.T, ourdl.eye(3, dtype=ourdl.float64), atol=1e-6))
    True
    """
    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flat = (generator or default_generator).numpy.standard_normal((rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, (gain * q).reshape(tensor.shape))
