"""Recurrent layers over whole sequences: ``RNN`` (tanh or relu), ``LSTM`` and ``GRU``, with PyTorch's options,
parameter names and layouts, so that a state dict moves between ourdl and PyTorch unchanged.

Each layer and direction is one :class:`~ourdl.nn.recurrence.Recurrence` node: the input's share of the gates in
one matrix product for all steps, then one product :math:`h_{t-1} W_{hh}^T` per step, and backpropagation through
time in its backward. Layer ``k`` owns ``weight_ih_l{k}`` ``(gates * hidden_size, input)``, ``weight_hh_l{k}``
``(gates * hidden_size, hidden_size)``, ``bias_ih_l{k}`` and ``bias_hh_l{k}`` (``..._reverse`` for the backward
direction), the gates stacked in PyTorch's order (LSTM i, f, g, o; GRU r, z, n). Every weight starts from
:math:`\\mathcal U(-1/\\sqrt{\\text{hidden\\_size}}, 1/\\sqrt{\\text{hidden\\_size}})`.

>>> import ourdl
>>> from ourdl import nn
>>> lstm = nn.LSTM(10, 20, num_layers=2)
>>> output, (h_n, c_n) = lstm(ourdl.randn(5, 3, 10))
>>> output.shape, h_n.shape, c_n.shape
(ourdl.Size([5, 3, 20]), ourdl.Size([2, 3, 20]), ourdl.Size([2, 3, 20]))
"""

from __future__ import annotations

import math
import numbers
import warnings

from ..ops.creation import empty, zeros
from ..ops.joining import cat, stack
from ..ops.tensor_argument import require_tensor
from ..tensor import Tensor
from . import init
from .dropout import dropout as apply_dropout
from .module import Module
from .parameter import Parameter
from .lstm_projection import run_projected
from .recurrence import Cell, run
from .recurrent_packed import forward_packed
from .utils.rnn import PackedSequence


def check_sizes(**sizes) -> None:
    """PyTorch's checks of a recurrent layer's or cell's sizes: positive integers."""
    for name, value in sizes.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
        if value <= 0:
            raise ValueError(f"{name} must be greater than zero")


class RNNBase(Module):
    """The machinery shared by ``RNN``, ``LSTM`` and ``GRU``: parameters, checks, layers and directions.

    ``mode`` is ``"RNN_TANH"``, ``"RNN_RELU"``, ``"LSTM"`` or ``"GRU"``. Input ``(L, N, H_in)`` (``(N, L, H_in)``
    with ``batch_first``) or unbatched ``(L, H_in)``; the initial state ``(D * num_layers, N, H)`` (unbatched
    ``(D * num_layers, H)``), zeros when not given, with ``D = 2`` if ``bidirectional``. Between layers, dropout
    with probability ``dropout`` in training. The input may be a :class:`~ourdl.nn.utils.rnn.PackedSequence`
    (the output is then one too, and each sequence's final state is that of its own last step). An LSTM with ``proj_size > 0`` passes on
    :math:`h_t = W_{hr} (o \\odot \\tanh c_t)` of size ``proj_size`` (parameters ``weight_hr_l{k}``
    ``(proj_size, hidden_size)``; ``h_0`` and the output have size ``proj_size``, ``c_0`` ``hidden_size``).

    >>> from ourdl import nn
    >>> nn.RNNBase("GRU", 4, 8, bidirectional=True)
    RNNBase(4, 8, bidirectional=True)
    """

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None):
        super().__init__()
        if mode not in Cell.__members__:
            raise ValueError(f"Unrecognized RNN mode: {mode}")
        if isinstance(dropout, bool) or not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an element "
                             "being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
                          f"num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}")
        check_sizes(input_size=input_size, hidden_size=hidden_size, num_layers=num_layers)
        if isinstance(proj_size, bool) or not isinstance(proj_size, int):
            raise TypeError(f"proj_size should be of type int, got: {type(proj_size).__name__}")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if proj_size and mode != "LSTM":
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        self.mode, self.cell = mode, Cell[mode]
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, float(dropout)
        self.bidirectional, self.proj_size = bidirectional, proj_size
        directions = 2 if bidirectional else 1
        gate_rows = self.cell.gates * hidden_size
        state_size = proj_size or hidden_size  # the size of h: what each step passes on and outputs
        self._all_weights = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else state_size * directions
            for direction in range(directions):
                suffix = "_reverse" if direction == 1 else ""
                shapes = {f"weight_ih_l{layer}{suffix}": (gate_rows, layer_input),
                          f"weight_hh_l{layer}{suffix}": (gate_rows, state_size)}
                if bias:
                    shapes.update({f"bias_ih_l{layer}{suffix}": (gate_rows,), f"bias_hh_l{layer}{suffix}": (gate_rows,)})
                if proj_size:
                    shapes[f"weight_hr_l{layer}{suffix}"] = (proj_size, hidden_size)
                for name, shape in shapes.items():
                    setattr(self, name, Parameter(empty(*shape, dtype=dtype)))
                self._all_weights.append(list(shapes))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw every weight and bias from :math:`\\mathcal U(-1/\\sqrt{H}, 1/\\sqrt{H})`, PyTorch's default.

        >>> from ourdl import nn
        >>> bool(nn.GRU(3, 4).weight_hh_l0.abs().max() <= 0.5)
        True
        """
        bound = 1.0 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    @property
    def all_weights(self) -> list:
        """The parameters per layer and direction: ``[[weight_ih, weight_hh, bias_ih, bias_hh], ...]`` (then
        ``weight_hr`` with ``proj_size``).

        >>> from ourdl import nn
        >>> [w.shape for w in nn.RNN(3, 4, bias=False).all_weights[0]]
        [ourdl.Size([4, 3]), ourdl.Size([4, 4])]
        """
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self) -> None:
        """Accepted for PyTorch code; ourdl's weights need no flattening (it is cuDNN's layout in PyTorch).

        >>> from ourdl import nn
        >>> nn.LSTM(2, 3).flatten_parameters()
        """

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        return s

    # -- forward ----------------------------------------------------------------------------------
    def forward(self, input, hx=None):
        if isinstance(input, PackedSequence):
            return forward_packed(self, input, hx)
        batched = self._check_input(input)
        x = input if batched else input.unsqueeze(1 if not self.batch_first else 0)
        if self.batch_first:
            x = x.transpose(0, 1)
        states = self._initial_states(hx, batched, x.shape[1], input.dtype)
        x, h_n, c_n = self.run_layers(x, states, self.run_direction)
        if self.batch_first:
            x = x.transpose(0, 1)
        if not batched:
            x = x.squeeze(1 if not self.batch_first else 0)
            h_n, c_n = h_n.squeeze(1), (c_n.squeeze(1) if c_n is not None else None)
        return x, ((h_n, c_n) if self.cell is Cell.LSTM else h_n)

    def run_layers(self, x, states: tuple, run_direction) -> tuple:
        """Every layer and direction in turn from ``states`` ``(h_0, c_0)``, each by ``run_direction(x, h0, c0,
        weights, reverse)`` (which returns ``(output, h_n, c_n)``), dropout between layers in training:
        ``(last layer's output, h_n, c_n)`` with the final states stacked ``(D * num_layers, ...)``."""
        directions = 2 if self.bidirectional else 1
        finals = ([], [])
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                k = layer * directions + direction
                c0 = states[1][k] if self.cell is Cell.LSTM else None
                out, h_n, c_n = run_direction(x, states[0][k], c0, self.all_weights[k], direction == 1)
                outputs.append(out)
                finals[0].append(h_n)
                finals[1].append(c_n)
            x = outputs[0] if directions == 1 else cat(outputs, -1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = apply_dropout(x, self.dropout, True)
        return (x, *(stack(f) if f[0] is not None else None for f in finals))

    def run_direction(self, x, h0, c0, weights: list, reverse: bool) -> tuple:
        """One layer in one direction over ``x`` ``(T, B, features)`` with its ``weights`` (``all_weights[k]``):
        ``(output, h_n, c_n)``.

        >>> import ourdl
        >>> from ourdl import nn
        >>> lstm = nn.LSTM(2, 3, proj_size=1)
        >>> [t.shape for t in lstm.run_direction(ourdl.ones(4, 1, 2), ourdl.zeros(1, 1), ourdl.zeros(1, 3),
        ...                                       lstm.all_weights[0], False)]
        [ourdl.Size([4, 1, 1]), ourdl.Size([1, 1]), ourdl.Size([1, 3])]
        """
        biases = weights[2:4] if self.bias else [None, None]
        if self.proj_size:
            return run_projected(x, h0, c0, weights[0], weights[1], *biases, weights[-1], reverse)
        return run(self.cell, x, h0, c0, weights[0], weights[1], *biases, reverse)

    def _check_input(self, input) -> bool:
        require_tensor(input, self.mode.lower())  # PyTorch's function: rnn_tanh, rnn_relu, lstm, gru
        if input.ndim not in (2, 3):
            raise ValueError(f"{self}: Expected input to be 2D or 3D, got {input.ndim}D instead (input of shape "
                             f"{list(input.shape)}; expected {self._layout()} or unbatched (L, H_in))")
        self.check_features(input)
        if input.shape[1 if input.ndim == 3 and self.batch_first else 0] == 0:
            raise RuntimeError(f"{self}: Expected sequence length to be larger than 0 in RNN (input of shape "
                               f"{list(input.shape)})")
        return input.ndim == 3

    def check_features(self, input: Tensor) -> None:
        """PyTorch's checks of the input's dtype and feature size (the last dimension).

        >>> import ourdl
        >>> from ourdl import nn
        >>> nn.GRU(3, 4).check_features(ourdl.zeros(5, 2))
        Traceback (most recent call last):
        RuntimeError: GRU(3, 4): input.size(-1) must be equal to input_size. Expected 3, got 2 (input of shape [5, 2])
        """
        weight = self.weight_ih_l0
        if input.dtype != weight.dtype:
            raise ValueError(f"{self}: input dtype ({input.dtype}) does not match weight dtype ({weight.dtype}). "
                             f"Convert input: input.to({weight.dtype}), or convert model: model.to({input.dtype})")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"{self}: input.size(-1) must be equal to input_size. Expected {self.input_size}, got "
                               f"{input.shape[-1]} (input of shape {list(input.shape)})")

    def _layout(self) -> str:
        return "(N, L, H_in) with batch_first" if self.batch_first else "(L, N, H_in)"

    def _initial_states(self, hx, batched: bool, batch: int, dtype) -> tuple:
        """``(h0, c0)``, each ``(D * num_layers, N, H)`` (``c0`` None but for an LSTM), checked like PyTorch's."""
        layers = self.num_layers * (2 if self.bidirectional else 1)
        lstm = self.cell is Cell.LSTM
        sizes = (self.proj_size or self.hidden_size, self.hidden_size)  # of h and c
        if hx is None:
            return tuple(zeros(layers, batch, sizes[k], dtype=dtype) if lstm or k == 0 else None for k in range(2))
        parts = self._hidden_parts(hx)
        dims = tuple(p.ndim for p in parts)
        want = 3 if batched else 2
        if any(d != want for d in dims):
            kind = "batched 3-D" if batched else "unbatched 2-D"
            names, got = ("hx and cx", f"({', '.join(f'{d}-D' for d in dims)}) tensors") if lstm else \
                ("hx", f"{dims[0]}-D tensor")
            raise RuntimeError(f"{self}: For {kind} input, {names} should also be {want}-D but got {got}")
        if not batched:
            parts = tuple(p.unsqueeze(1) for p in parts)
        for k, part in enumerate(parts):
            expected = (layers, batch, sizes[k])
            if tuple(part.shape) != expected:
                which = f"hidden[{k}]" if lstm else "hidden"
                size = "proj_size" if self.proj_size and k == 0 else "hidden_size"
                raise RuntimeError(f"{self}: Expected {which} size {expected}, got {list(part.shape)} "
                                   f"(the initial state is (num_layers * num_directions, batch, {size}))")
            if part.dtype != self.weight_ih_l0.dtype:
                raise RuntimeError(f"{self}: the initial state has dtype {part.dtype}, the weights "
                                   f"{self.weight_ih_l0.dtype}; convert it with .to({self.weight_ih_l0.dtype})")
        return parts if lstm else (parts[0], None)

    def _hidden_parts(self, hx) -> tuple:
        if self.cell is not Cell.LSTM:
            if not isinstance(hx, Tensor):
                raise TypeError(f"{self}: expected hx to be a Tensor, got {type(hx).__name__}")
            return (hx,)
        if not isinstance(hx, (tuple, list)) or len(hx) != 2 or not all(isinstance(p, Tensor) for p in hx):
            raise TypeError(f"{self}: expected hx to be a tuple (h_0, c_0) of two Tensors, got {type(hx).__name__}")
        return tuple(hx)


def refuse_projection(layer: str, kwargs: dict) -> None:
    """PyTorch's answer to keywords that ``layer`` (``RNN`` or ``GRU``) does not take: ``proj_size``, even 0, is a
    ValueError (only an LSTM projects its states), any other an unexpected keyword.

    >>> refuse_projection("GRU", {"proj_size": 2})
    Traceback (most recent call last):
    ...
    ValueError: proj_size argument is only supported for LSTM, not RNN or GRU
    """
    if "proj_size" in kwargs:
        raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
    if kwargs:
        raise TypeError(f"{layer}.__init__() got an unexpected keyword argument '{next(iter(kwargs))}'")


class RNN(RNNBase):
    """An Elman recurrent layer: :math:`h_t = \\phi(x_t W_{ih}^T + b_{ih} + h_{t-1} W_{hh}^T + b_{hh})` with
    :math:`\\phi` = ``tanh`` or ``relu`` (``nonlinearity``).

    ``forward(input, h_0=None)`` returns ``(output, h_n)``: ``output`` ``(L, N, D * H)`` holds the last layer's
    :math:`h_t` for every step, ``h_n`` ``(D * num_layers, N, H)`` every layer's last state.

    >>> import ourdl
    >>> from ourdl import nn
    >>> rnn = nn.RNN(10, 20, num_layers=2, nonlinearity="relu", batch_first=True)
    >>> output, h_n = rnn(ourdl.randn(3, 5, 10))
    >>> output.shape, h_n.shape
    (ourdl.Size([3, 5, 20]), ourdl.Size([2, 3, 20]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device=None, dtype=None, **kwargs):
        refuse_projection("RNN", kwargs)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__(f"RNN_{nonlinearity.upper()}", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device=device, dtype=dtype)


class LSTM(RNNBase):
    """A long short-term memory layer (gates in PyTorch's order i, f, g, o):

    .. math::
        i, f, o = \\sigma(x_t W_{i\\cdot}^T + b_{i\\cdot} + h_{t-1} W_{h\\cdot}^T + b_{h\\cdot}),\\quad
        g = \\tanh(\\ldots),\\quad c_t = f \\odot c_{t-1} + i \\odot g,\\quad h_t = o \\odot \\tanh(c_t)

    ``forward(input, (h_0, c_0)=None)`` returns ``(output, (h_n, c_n))``, shaped as for :class:`RNN`. With
    ``proj_size > 0``, :math:`h_t = W_{hr} (o \\odot \\tanh c_t)`: ``output`` and ``h_n`` have ``proj_size``
    features, ``c_n`` ``hidden_size`` (parameters ``weight_hr_l{k}``).

    >>> import ourdl
    >>> from ourdl import nn
    >>> lstm = nn.LSTM(4, 6, bidirectional=True)
    >>> output, (h_n, c_n) = lstm(ourdl.randn(7, 2, 4), (ourdl.zeros(2, 2, 6), ourdl.zeros(2, 2, 6)))
    >>> output.shape, h_n.shape
    (ourdl.Size([7, 2, 12]), ourdl.Size([2, 2, 6]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device=device, dtype=dtype)


class GRU(RNNBase):
    """A gated recurrent unit layer (gates in PyTorch's order r, z, n):

    .. math::
        r, z = \\sigma(x_t W_{i\\cdot}^T + b_{i\\cdot} + h_{t-1} W_{h\\cdot}^T + b_{h\\cdot}),\\quad
        n = \\tanh(x_t W_{in}^T + b_{in} + r \\odot (h_{t-1} W_{hn}^T + b_{hn})),\\quad
        h_t = (1 - z) \\odot n + z \\odot h_{t-1}

    ``forward(input, h_0=None)`` returns ``(output, h_n)``, shaped as for :class:`RNN`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> gru = nn.GRU(4, 6, num_layers=3)
    >>> output, h_n = gru(ourdl.randn(7, 4))  # unbatched: (L, H_in)
    >>> output.shape, h_n.shape
    (ourdl.Size([7, 6]), ourdl.Size([3, 6]))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, device=None,
                 dtype=None, **kwargs):
        refuse_projection("GRU", kwargs)
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)
