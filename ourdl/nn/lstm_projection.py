"""An LSTM with projections (``proj_size > 0``): the state passed on is :math:`h_t = W_{hr} (o \\odot \\tanh c_t)`,
of size ``proj_size``, as in PyTorch (Sak et al., 2014).

It runs step by step as recorded ops (``F.linear`` for the input's share of all steps, then per step a product,
the gate activations and the projection), so its gradients of every order are those of the ops; the layers without
projections run as one fused node (:mod:`~ourdl.nn.recurrence`), several times faster.

>>> import ourdl
>>> x, w_ih, w_hh, w_hr = ourdl.ones(3, 1, 2), ourdl.zeros(8, 2), ourdl.zeros(8, 1), ourdl.ones(1, 2)
>>> out, h_n, c_n = run_projected(x, ourdl.zeros(1, 1), ourdl.zeros(1, 2), w_ih, w_hh, None, None, w_hr, False)
>>> out.shape, h_n.shape, c_n.shape  # h has proj_size 1, c hidden_size 2
(ourdl.Size([3, 1, 1]), ourdl.Size([1, 1]), ourdl.Size([1, 2]))
"""

from __future__ import annotations

from ..ops.joining import stack
from ..tensor import Tensor
from .linear import linear


def run_projected(input: Tensor, h0: Tensor, c0: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih, b_hh, w_hr: Tensor,
                  reverse: bool) -> tuple:
    """One LSTM layer in one direction with projections over ``input`` ``(T, B, F)``, from ``h0`` ``(B, P)`` and
    ``c0`` ``(B, H)``: :math:`a = x_t W_{ih}^T + b_{ih} + h_{t-1} W_{hh}^T + b_{hh}` (gates i, f, g, o),
    :math:`c_t = \\sigma(f) c_{t-1} + \\sigma(i) \\tanh(g)`, :math:`h_t = (\\sigma(o) \\tanh c_t) W_{hr}^T`.
    Returns ``(output (T, B, P), h_n, c_n)``.

    >>> import ourdl
    >>> w_hr = ourdl.tensor([[2.0]])
    >>> out, h_n, c_n = run_projected(ourdl.zeros(1, 1, 1), ourdl.zeros(1, 1), ourdl.ones(1, 1), ourdl.zeros(4, 1),
    ...                               ourdl.zeros(4, 1), None, None, w_hr, False)
    >>> round(c_n.item(), 4), round(h_n.item(), 4)  # c = 0.5 * 1 + 0.5 * tanh(0); h = 2 * 0.5 * tanh(0.5)
    (0.5, 0.4621)
    """
    n = w_hh.shape[0] // 4
    xw = linear(input, w_ih, b_ih)
    w_t, w_hr_t = w_hh.T, w_hr.T
    h, c = h0, c0
    outputs = [None] * input.shape[0]
    for t in range(input.shape[0] - 1, -1, -1) if reverse else range(input.shape[0]):
        gates = xw[t] + h @ w_t
        if b_hh is not None:
            gates = gates + b_hh
        s = gates.sigmoid()
        c = s[..., n:2 * n] * c + s[..., :n] * gates[..., 2 * n:3 * n].tanh()
        h = (s[..., 3 * n:] * c.tanh()) @ w_hr_t
        outputs[t] = h
    return stack(outputs), h, c
