"""The affine layer :math:`y = x W^T + b` (``Linear``, ``F.linear``) and ``Identity``.

``F.linear`` is one graph node: the product, the bias and all three
gradients in one place, which is what keeps training a multilayer
perceptron as fast as PyTorch's at batch 128.

>>> import ourdl
>>> from ourdl import nn
>>> layer = nn.Linear(3, 2)
>>> layer(ourdl.ones(4, 3)).shape
ourdl.Size([4, 2])
"""

from __future__ import annotations

import math

import numpy as np

from ..autograd.array_function import ArrayFunction
from ..ops import array_or_tensor as dual
from ..ops.creation import empty
from ..ops.tensor_argument import require_tensor
from ..tensor import Tensor
from . import init
from .module import Module
from .parameter import Parameter


class LinearFunction(ArrayFunction):
    """:math:`y = x W^T + b`; backward :math:`\\partial x = g W`, :math:`\\partial W = g^T x`, :math:`\\partial b = \\sum g`."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        y = np.matmul(x, weight.T)
        if bias is not None:
            y += bias
        return y

    @staticmethod
    def backward(ctx, g):
        x, weight = ctx.saved_tensors
        needs = ctx.needs_input_grad
        grad_x = grad_w = grad_b = None
        if needs[0]:
            grad_x = g @ weight
        if needs[1] or needs[2]:
            g2 = g.reshape((-1, g.shape[-1])) if g.ndim != 2 else g
            if needs[1]:
                x2 = x.reshape((-1, x.shape[-1])) if x.ndim != 2 else x
                grad_w = g2.mT @ x2
            if needs[2]:
                grad_b = dual.reduce_sum(g2, 0)
        return grad_x, grad_w, grad_b


def _check(input, weight, bias, where) -> None:
    """Shape and dtype checks; ``where`` (the op's name or the layer, printed) is formatted only on error."""
    require_tensor(input, "linear")
    require_tensor(weight, "linear", "weight", 2)
    if bias is not None:
        require_tensor(bias, "linear", "bias", 3)
    in_features = weight.shape[-1]
    if input.ndim == 0 or input.shape[-1] != in_features:
        raise RuntimeError(
            f"{where}: expected input with last dimension {in_features} (in_features), got input of shape "
            f"{list(input.shape)}; weight has shape {list(weight.shape)}"
        )
    if bias is not None:
        output = tuple(input.shape[:-1]) + tuple(weight.shape[:-1])
        try:
            if np.broadcast_shapes(tuple(bias.shape), output) != output:
                raise ValueError
        except ValueError:
            raise RuntimeError(f"{where}: bias of shape {list(bias.shape)} does not broadcast to the output's shape "
                               f"{list(output)}; expected shape [{weight.shape[0]}]") from None
    if input.dtype != weight.dtype or (bias is not None and bias.dtype != weight.dtype):
        raise RuntimeError(
            f"{where}: input and weight must have the same dtype, got input {input.dtype} and weight {weight.dtype}"
            + (f" and bias {bias.dtype}" if bias is not None else "") + "; convert with .to(dtype)"
        )


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """:math:`y = x W^T + b` with ``weight`` of shape ``(out_features, in_features)``.

    Shapes: input ``(*, in_features)``, output ``(*, out_features)``.

    >>> import ourdl
    >>> linear(ourdl.ones(2, 3), ourdl.ones(4, 3), ourdl.zeros(4)).shape
    ourdl.Size([2, 4])
    """
    _check(input, weight, bias, "linear")
    return LinearFunction.apply(input, weight, bias)


class Linear(Module):
    """Applies :math:`y = x W^T + b`.

    ``weight`` has shape ``(out_features, in_features)`` and, like ``bias``, is
    initialised from :math:`\\mathcal U(-1/\\sqrt{\\text{in\\_features}}, 1/\\sqrt{\\text{in\\_features}})`
    (PyTorch's default: ``kaiming_uniform_(a=sqrt(5))``).

    Shape: input ``(*, in_features)``, output ``(*, out_features)``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Linear(20, 30)
    Linear(in_features=20, out_features=30, bias=True)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(empty(out_features, in_features, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weights again with PyTorch's default initialisation."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.in_features
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        _check(input, self.weight, self.bias, self)
        return LinearFunction.apply(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class Identity(Module):
    """Returns its input unchanged (arguments are accepted and ignored), a placeholder layer.

    >>> import ourdl
    >>> from ourdl import nn
    >>> nn.Identity()(ourdl.tensor([1.0]))
    tensor([1.])
    """

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input
