"""``Variable``: the wrapper of PyTorch before 0.4, kept so that old code runs; it returns a plain tensor.

>>> import ourdl
>>> from ourdl.autograd import Variable
>>> x = Variable(ourdl.ones(2), requires_grad=True)
>>> x, isinstance(x, Variable)
(tensor([1., 1.], requires_grad=True), True)
"""

from __future__ import annotations

import warnings

from ..tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, instance) -> bool:
        return isinstance(instance, Tensor)


class Variable(metaclass=_VariableMeta):
    """``Variable(data, requires_grad=False)``: a tensor sharing ``data``'s memory, cut from its graph, with
    ``requires_grad`` set, as PyTorch's legacy ``Variable`` returns. Every tensor is an instance of ``Variable``.
    ``volatile`` is accepted with PyTorch's warning that it has no effect (use ``no_grad``).

    >>> import ourdl
    >>> y = ourdl.ones(2, requires_grad=True) * 2
    >>> Variable(y).grad_fn is None
    True
    >>> Variable([1.0])
    Traceback (most recent call last):
    ...
    TypeError: Variable data has to be a tensor, but got list
    """

    def __new__(cls, data=None, requires_grad: bool = False, volatile: bool = False):
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                          UserWarning, stacklevel=2)
        if data is None:
            return Tensor()
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        return data.detach().requires_grad_(requires_grad)
