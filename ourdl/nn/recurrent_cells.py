"""Recurrent cells, one step at a time: ``RNNCell``, ``LSTMCell`` and ``GRUCell``, with PyTorch's parameter names
(``weight_ih`` ``(gates * hidden_size, input_size)``, ``weight_hh`` ``(gates * hidden_size, hidden_size)``,
``bias_ih``, ``bias_hh``), gate order (LSTM i, f, g, o; GRU r, z, n) and default initialisation
:math:`\\mathcal U(-1/\\sqrt{\\text{hidden\\_size}}, 1/\\sqrt{\\text{hidden\\_size}})`.

A cell step is the layers' recurrence over a sequence of length one, so a cell and a one-layer ``RNN``/``LSTM``/
``GRU`` with the same weights compute the same values and gradients. Loop over a sequence yourself with a cell
(for example to feed each output back as the next input); a layer is faster over a known sequence.

>>> import ourdl
>>> from ourdl import nn
>>> cell = nn.LSTMCell(10, 20)
>>> x, (h, c) = ourdl.randn(6, 3, 10), (ourdl.zeros(3, 20), ourdl.zeros(3, 20))
>>> for x_t in x:
...     h, c = cell(x_t, (h, c))
>>> h.shape
ourdl.Size([3, 20])
"""

from __future__ import annotations

from ..ops.creation import empty, zeros
from ..ops.tensor_argument import require_tensor
from ..tensor import Tensor
from .module import Module
from .parameter import Parameter
from .recurrence import Cell, run
from .recurrent import RNNBase, check_sizes


class RNNCellBase(Module):
    """The parameters, initialisation and checks shared by the cells; ``num_chunks`` is the number of gates.

    >>> from ourdl import nn
    >>> nn.RNNCellBase(3, 4, True, 4).weight_ih.shape
    ourdl.Size([16, 3])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, device=None, dtype=None):
        super().__init__()
        check_sizes(input_size=input_size, hidden_size=hidden_size)
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        self.weight_ih = Parameter(empty(num_chunks * hidden_size, input_size, dtype=dtype))
        self.weight_hh = Parameter(empty(num_chunks * hidden_size, hidden_size, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, dtype=dtype))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    reset_parameters = RNNBase.reset_parameters  # every weight and bias from U(-1/sqrt(H), 1/sqrt(H))

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        nonlinearity = getattr(self, "nonlinearity", "tanh")
        if nonlinearity != "tanh":
            s += f", nonlinearity={nonlinearity}"
        return s

    def _step(self, cell: Cell, input: Tensor, hx: tuple) -> tuple:
        """Check the input and the states (``hx``: a tuple of Tensors or None) like PyTorch and run one step:
        ``(h', c')``, ``c'`` None but for an LSTM."""
        require_tensor(input, f"{cell.value.lower()}_cell")  # PyTorch's function: lstm_cell, gru_cell, ...
        if input.ndim not in (1, 2):
            raise ValueError(f"{self}: Expected input to be 1D or 2D, got {input.ndim}D instead (input of "
                             f"shape {list(input.shape)}; expected (N, input_size) or (input_size))")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"{self}: input has inconsistent input_size: got {input.shape[-1]} expected "
                               f"{self.input_size}")
        if input.dtype != self.weight_ih.dtype:
            raise RuntimeError(f"{self}: input has dtype {input.dtype}, the weights {self.weight_ih.dtype}; convert "
                               f"the input with .to({self.weight_ih.dtype}) or the cell with .to({input.dtype})")
        batched = input.ndim == 2
        x = input if batched else input.unsqueeze(0)
        states = []
        for k, h in enumerate(hx):
            if h is None:
                states.append(zeros(x.shape[0], self.hidden_size, dtype=input.dtype))
                continue
            which = f"hx[{k}]" if cell is Cell.LSTM else "hidden"
            if not isinstance(h, Tensor):
                raise TypeError(f"{self}: expected {which} to be a Tensor, got {type(h).__name__}")
            if h.ndim not in (1, 2):
                raise ValueError(f"{self}: Expected {which} to be 1D or 2D, got {h.ndim}D instead")
            if h.ndim != input.ndim:
                raise RuntimeError(f"{self}: Expected {which} to be {input.ndim}D like the input, got {h.ndim}D "
                                   f"(shape {list(h.shape)}); batched input (N, input_size) needs states "
                                   "(N, hidden_size), unbatched input (input_size) states (hidden_size)")
            h = h if batched else h.unsqueeze(0)
            if h.shape[0] != x.shape[0]:
                raise RuntimeError(f"{self}: Input batch size {x.shape[0]} doesn't match hidden{k} batch size "
                                   f"{h.shape[0]}")
            if h.shape[1] != self.hidden_size:
                raise RuntimeError(f"{self}: hidden{k} has inconsistent hidden_size: got {h.shape[1]}, expected "
                                   f"{self.hidden_size}")
            if h.dtype != input.dtype:
                raise RuntimeError(f"{self}: hidden{k} has dtype {h.dtype}, the input {input.dtype}")
            states.append(h)
        c0 = states[1] if cell is Cell.LSTM else None
        _, h, c = run(cell, x.unsqueeze(0), states[0], c0, self.weight_ih, self.weight_hh, self.bias_ih,
                      self.bias_hh, False)
        if not batched:
            h, c = h.squeeze(0), (c.squeeze(0) if c is not None else None)
        return h, c


class RNNCell(RNNCellBase):
    """One step of an Elman cell: :math:`h' = \\phi(x W_{ih}^T + b_{ih} + h W_{hh}^T + b_{hh})`, :math:`\\phi` =
    ``tanh`` or ``relu``.

    Shapes: input ``(N, input_size)`` or ``(input_size)``, ``hx`` and output ``(N, hidden_size)`` or
    ``(hidden_size)``; ``hx`` zeros when not given.

    >>> import ourdl
    >>> from ourdl import nn
    >>> cell = nn.RNNCell(4, 2, nonlinearity="relu")
    >>> cell(ourdl.randn(3, 4)).shape
    ourdl.Size([3, 2])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device=None, dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}; select 'tanh' or 'relu'")
        super().__init__(input_size, hidden_size, bias, 1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        cell = Cell.RNN_TANH if self.nonlinearity == "tanh" else Cell.RNN_RELU
        return self._step(cell, input, (hx,))[0]


class LSTMCell(RNNCellBase):
    """One step of a long short-term memory cell, gates i, f, g, o:
    :math:`c' = f \\odot c + i \\odot g`, :math:`h' = o \\odot \\tanh(c')` with :math:`i, f, o = \\sigma(\\cdot)`,
    :math:`g = \\tanh(\\cdot)` of :math:`x W_{ih}^T + b_{ih} + h W_{hh}^T + b_{hh}`.

    ``forward(input, (h, c)=None)`` returns ``(h', c')``.

    >>> import ourdl
    >>> from ourdl import nn
    >>> h, c = nn.LSTMCell(4, 2)(ourdl.randn(4))
    >>> h.shape, c.shape
    (ourdl.Size([2]), ourdl.Size([2]))
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple | None = None) -> tuple:
        if hx is None:
            hx = (None, None)
        elif not isinstance(hx, (tuple, list)) or len(hx) != 2:
            raise TypeError(f"{self}: expected hx to be a tuple (h, c) of two Tensors, got {type(hx).__name__}")
        return self._step(Cell.LSTM, input, tuple(hx))


class GRUCell(RNNCellBase):
    """One step of a gated recurrent unit, gates r, z, n:
    :math:`n = \\tanh(x W_{in}^T + b_{in} + r \\odot (h W_{hn}^T + b_{hn}))`, :math:`h' = (1 - z) \\odot n + z
    \\odot h` with :math:`r, z = \\sigma(x W_{i\\cdot}^T + b_{i\\cdot} + h W_{h\\cdot}^T + b_{h\\cdot})`.

    >>> import ourdl
    >>> from ourdl import nn
    >>> cell = nn.GRUCell(4, 2)
    >>> cell(ourdl.randn(3, 4), ourdl.zeros(3, 2)).shape
    ourdl.Size([3, 2])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        return self._step(Cell.GRU, input, (hx,))[0]
