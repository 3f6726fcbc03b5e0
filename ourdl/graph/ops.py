"""The built-in ops of the node graph: arithmetic, ``exp``, ``log`` and the square loss, each a value and its local derivatives.

Each op reads its parents' values in ``compute()`` and answers ``get_parent_grad(parent)``
with d(self)/d(parent). When one node is both parents (``x * x``) that is the total
derivative (2x), and ``backward()`` asks once per distinct parent. Floats follow IEEE as
PyTorch does: 1/0 is inf, log(0) is -inf, exp(1000) is inf, (-8) ** 0.5 is nan.

>>> from ourdl.graph import Variable, Exp, Log
>>> x = Variable(2.0)
>>> y = Log(Exp(x) * x)
>>> round(y.forward(), 6), y.backward(), x.grad    # log(e^x · x) = x + log x; its derivative 1 + 1/x
(2.693147, None, 1.5)
"""

from __future__ import annotations

import math

from .node import Op

INF = math.inf


class Add(Op, operator="add"):
    """a + b; d/da = 1, d/db = 1 (``a + b`` on nodes builds it).

    >>> from ourdl.graph import Variable, Add
    >>> a, b = Variable(2.0), Variable(3.0)
    >>> c = Add(a, b)
    >>> c.forward(), c.get_parent_grad(a), c.get_parent_grad(b)
    (5.0, 1.0, 1.0)
    """

    __slots__ = ()
    arity = 2

    def compute(self):
        a, b = self.parents
        self.value = a.value + b.value

    def get_parent_grad(self, parent):
        a, b = self.parents
        if parent is a:
            return 2.0 if parent is b else 1.0
        if parent is b:
            return 1.0
        return Op.get_parent_grad(self, parent)


class Sub(Op, operator="sub"):
    """a - b; d/da = 1, d/db = -1 (``a - b`` on nodes builds it).

    >>> from ourdl.graph import Variable, Sub
    >>> a, b = Variable(2.0), Variable(3.0)
    >>> c = Sub(a, b)
    >>> c.forward(), c.get_parent_grad(a), c.get_parent_grad(b)
    (-1.0, 1.0, -1.0)
    """

    __slots__ = ()
    arity = 2

    def compute(self):
        a, b = self.parents
        self.value = a.value - b.value

    def get_parent_grad(self, parent):
        a, b = self.parents
        if parent is a:
            return 0.0 if parent is b else 1.0
        if parent is b:
            return -1.0
        return Op.get_parent_grad(self, parent)


class Mul(Op, operator="mul"):
    """a · b; d/da = b, d/db = a (``a * b`` on nodes builds it).

    >>> from ourdl.graph import Variable, Mul
    >>> a, b = Variable(2.0), Variable(3.0)
    >>> c = Mul(a, b)
    >>> c.forward(), c.get_parent_grad(a), c.get_parent_grad(b)
    (6.0, 3.0, 2.0)
    """

    __slots__ = ()
    arity = 2

    def compute(self):
        a, b = self.parents
        self.value = a.value * b.value

    def get_parent_grad(self, parent):
        a, b = self.parents
        if parent is a:
            return 2.0 * a.value if parent is b else b.value
        if parent is b:
            return a.value
        return Op.get_parent_grad(self, parent)


class Div(Op, operator="div"):
    """a / b; d/da = 1/b, d/db = -a/b² (``a / b`` on nodes builds it; 1/0 is inf, 0/0 is nan).

    >>> from ourdl.graph import Variable, Div
    >>> a, b = Variable(3.0), Variable(2.0)
    >>> c = Div(a, b)
    >>> c.forward(), c.get_parent_grad(a), c.get_parent_grad(b)
    (1.5, 0.5, -0.75)
    """

    __slots__ = ()
    arity = 2

    def compute(self):
        a, b = self.parents
        self.value = divide(a.value, b.value)

    def get_parent_grad(self, parent):
        a, b = self.parents
        if parent is a:
            return divide(1.0, b.value) - (divide(a.value, b.value * b.value) if parent is b else 0.0)
        if parent is b:
            return -divide(a.value, b.value * b.value)
        return Op.get_parent_grad(self, parent)


class Neg(Op, operator="neg"):
    """-a; d/da = -1 (``-a`` on a node builds it).

    >>> from ourdl.graph import Variable, Neg
    >>> a = Variable(2.0)
    >>> c = Neg(a)
    >>> c.forward(), c.get_parent_grad(a)
    (-2.0, -1.0)
    """

    __slots__ = ()
    arity = 1

    def compute(self):
        self.value = -self.parents[0].value

    def get_parent_grad(self, parent):
        if parent is self.parents[0]:
            return -1.0
        return Op.get_parent_grad(self, parent)


class Pow(Op, operator="pow"):
    """a ** b; d/da = b · a^(b-1) (0 where b = 0), d/db = a^b · ln a (0 where a = 0 and b >= 0, as PyTorch).

    ``x ** 2`` on a node builds ``Pow(x, Variable(2.0, trainable=False))``.

    >>> from ourdl.graph import Variable, Pow
    >>> a, b = Variable(2.0), Variable(3.0)
    >>> c = Pow(a, b)
    >>> c.forward(), c.get_parent_grad(a), round(c.get_parent_grad(b), 6)
    (8.0, 12.0, 5.545177)
    """

    __slots__ = ()
    arity = 2

    def compute(self):
        a, b = self.parents
        self.value = power(a.value, b.value)

    def get_parent_grad(self, parent):
        a, b = self.parents
        if parent is not a and parent is not b:
            return Op.get_parent_grad(self, parent)
        x, y = a.value, b.value
        grad = 0.0
        if parent is a and y != 0.0:
            grad += y * power(x, y - 1.0)
        if parent is b and not (x == 0.0 and y >= 0.0):
            grad += self.value * (math.log(x) if x > 0.0 else (-INF if x == 0.0 else math.nan))
        return grad


class Exp(Op):
    """e^a; d/da = e^a (overflows to inf as PyTorch does).

    >>> from ourdl.graph import Variable, Exp
    >>> a = Variable(0.0)
    >>> c = Exp(a)
    >>> c.forward(), c.get_parent_grad(a)
    (1.0, 1.0)
    """

    __slots__ = ()
    arity = 1

    def compute(self):
        self.value = exp(self.parents[0].value)

    def get_parent_grad(self, parent):
        if parent is self.parents[0]:
            return self.value
        return Op.get_parent_grad(self, parent)


class Log(Op):
    """ln a; d/da = 1/a (log 0 = -inf, log of a negative number = nan, as PyTorch).

    >>> from ourdl.graph import Variable, Log
    >>> a = Variable(2.0)
    >>> c = Log(a)
    >>> round(c.forward(), 6), c.get_parent_grad(a)
    (0.693147, 0.5)
    """

    __slots__ = ()
    arity = 1

    def compute(self):
        x = self.parents[0].value
        self.value = math.log(x) if x > 0.0 else (-INF if x == 0.0 else math.nan)

    def get_parent_grad(self, parent):
        if parent is self.parents[0]:
            return divide(1.0, parent.value)
        return Op.get_parent_grad(self, parent)


class SquareLoss(Op):
    """(prediction - target)², the squared error of one sample (``nn.MSELoss`` on one value);
    d/d prediction = 2 (prediction - target), d/d target = -2 (prediction - target).

    >>> from ourdl.graph import Variable, SquareLoss
    >>> p, t = Variable(3.0), Variable(1.0, trainable=False)
    >>> loss = SquareLoss(p, t)
    >>> loss.forward(), loss.get_parent_grad(p), loss.get_parent_grad(t)
    (4.0, 4.0, -4.0)
    """

    __slots__ = ()
    arity = 2

    def compute(self):
        prediction, target = self.parents
        error = prediction.value - target.value
        self.value = error * error

    def get_parent_grad(self, parent):
        prediction, target = self.parents
        if parent is prediction:
            return 0.0 if parent is target else 2.0 * (prediction.value - target.value)
        if parent is target:
            return -2.0 * (prediction.value - target.value)
        return Op.get_parent_grad(self, parent)


def divide(a: float, b: float) -> float:
    """a / b with IEEE's answers where Python raises: ±inf for a nonzero a over zero, nan for 0/0.

    >>> divide(1.0, 0.0), divide(-1.0, 0.0), divide(1.0, -0.0), divide(6.0, 3.0)
    (inf, -inf, -inf, 2.0)
    """
    if b != 0.0:
        return a / b
    if a == 0.0 or a != a:
        return math.nan
    return math.copysign(INF, a) * math.copysign(1.0, b)


def power(a: float, b: float) -> float:
    """a ** b as a real number: nan for a negative base and a fractional exponent, inf on overflow or for 0 ** -1.

    >>> power(2.0, 10.0), power(-8.0, 1 / 3), power(0.0, -1.0), power(10.0, 400.0)
    (1024.0, nan, inf, inf)
    """
    try:
        return math.pow(a, b)
    except OverflowError:
        return INF if a > 0.0 or b % 2.0 != 1.0 else -INF
    except ValueError:  # 0 ** negative, or negative ** fraction
        if a == 0.0:
            return INF if b % 2.0 != 1.0 or math.copysign(1.0, a) > 0 else -INF
        return math.nan


def exp(a: float) -> float:
    """e^a, inf past the largest float instead of Python's OverflowError.

    >>> exp(0.0), exp(1000.0), exp(-1000.0)
    (1.0, inf, 0.0)
    """
    try:
        return math.exp(a)
    except OverflowError:
        return INF
