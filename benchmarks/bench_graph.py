"""The node graph (``ourdl.graph``): one per-sample SGD update of the 1-2-1 LeakyReLU network, against micrograd and PyTorch.

One update is forward, backward and the gradient-descent step for one sample (x, x²) of the
network x → Linear(1, 2) → LeakyReLU(0.1) → Linear(2, 1) with the square loss, float64 Python
numbers. The contenders, each timed in fresh processes that alternate (see harness.py):

* ``ourdl.graph``: the graph is built once; each sample sets ``x`` and ``y``, then
  ``loss.forward()``, ``zero_grad()``, ``loss.backward()``, ``step()``.
* micrograd (``pip install micrograd``): the graph rebuilt for every sample, as micrograd is used,
  with LeakyReLU added the way micrograd writes its own ops. Where micrograd is not installed, a
  minimal closure engine of the same design, written below, stands in (the table says which).
* PyTorch: ``nn.Sequential(Linear, LeakyReLU, Linear)``, ``MSELoss``, ``optim.SGD``, one sample a
  step, float64, 2 threads (a tiny graph: the thread count does not matter here).

    python benchmarks/bench_graph.py [--quick]
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import random

from harness import Contender, compare, print_table

LR = 0.02
SLOPE = 0.1


def samples(n: int = 64, seed: int = 0) -> list:
    """(x, x²) for x uniform on [0, 2], the task of the tutorials."""
    rng = random.Random(seed)
    return [(x, x * x) for x in (rng.uniform(0.0, 2.0) for _ in range(n))]


def initial_weights(seed: int = 0) -> list:
    """w1_1, w1_2, b1_1, b1_2, w2_1, w2_2, b2 drawn as ``ourdl.graph.TinyNetwork(seed=seed)`` draws them."""
    rng, bound = random.Random(seed), 1 / math.sqrt(2)
    return [rng.uniform(-1.0, 1.0) for _ in range(4)] + [rng.uniform(-bound, bound) for _ in range(3)]


def _cycle(data: list):
    i = 0

    def take():
        nonlocal i
        i = (i + 1) % len(data)
        return data[i]

    return take


def ourdl_graph_step():
    """One SGD update of ``ourdl.graph.TinyNetwork`` (built once, reused for every sample)."""
    from ourdl.graph import GradientDescent, TinyNetwork

    net = TinyNetwork(hidden=2, activation="leaky_relu", seed=0, negative_slope=SLOPE)
    optimizer = GradientDescent(net.parameters, LR)
    take = _cycle(samples())

    def step():
        x, y = take()
        net.train_step(x, y, optimizer)

    step.parameters = net.parameters
    return step


def scalar_engine_step(engine: str = "micrograd"):
    """One SGD update of the same network in a rebuild-per-sample scalar engine: micrograd, or the closure engine."""
    Value = importlib.import_module("micrograd.engine").Value if engine == "micrograd" else ClosureValue
    params = [Value(v) for v in initial_weights()]
    w1, b1, w2, b2 = params[0:2], params[2:4], params[4:6], params[6]
    take = _cycle(samples())

    def step():
        x, y = take()
        hidden = [leaky_relu(w * x + b, Value) for w, b in zip(w1, b1)]
        loss = (w2[0] * hidden[0] + w2[1] * hidden[1] + b2 - y) ** 2
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= LR * p.grad

    step.parameters = params
    return step


def leaky_relu(v, Value):
    """LeakyReLU(0.1) as micrograd writes an op: the output Value and a closure that pushes its gradient back."""
    out = Value(v.data if v.data > 0 else SLOPE * v.data, (v,), "leaky_relu")

    def _backward():
        v.grad += (1.0 if v.data > 0 else SLOPE) * out.grad

    out._backward = _backward
    return out


class ClosureValue:
    """The stand-in for micrograd: a scalar with a closure per op and a topological backward, nothing more."""

    def __init__(self, data, _children=(), _op=""):
        self.data, self.grad, self._prev, self._backward = data, 0.0, _children, lambda: None

    def __add__(self, other):
        other = other if isinstance(other, ClosureValue) else ClosureValue(other)
        out = ClosureValue(self.data + other.data, (self, other))

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, ClosureValue) else ClosureValue(other)
        out = ClosureValue(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __sub__(self, other):  # a number: the benchmark subtracts only the target
        return self + (-other)

    def __pow__(self, k):
        out = ClosureValue(self.data ** k, (self,))

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((child, False) for child in node._prev)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


def torch_step():
    """One SGD update of the same network in PyTorch, one sample per step, float64."""
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.LeakyReLU(SLOPE), torch.nn.Linear(2, 1)).double()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.MSELoss()
    data = [(torch.tensor([[x]], dtype=torch.float64), torch.tensor([[y]], dtype=torch.float64)) for x, y in samples()]
    take = _cycle(data)

    def step():
        x, y = take()
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def main(quick: bool = False) -> None:
    scalar = "micrograd" if importlib.util.find_spec("micrograd") else "closure engine"
    contenders = {
        "ourdl": Contender("bench_graph:ourdl_graph_step", number=2000),
        scalar: Contender("bench_graph:scalar_engine_step", {"engine": "micrograd" if scalar == "micrograd" else
                                                             "closure"}, number=2000),
        "torch": Contender("bench_graph:torch_step", number=500),
    }
    row = compare(contenders, rounds=3 if quick else 5, repeats=5 if quick else 10, threads=2,
                  label="1-2-1 LeakyReLU, one SGD update per sample")
    title = "ourdl.graph, per-sample SGD update (forward, backward, step)"
    print_table([row], title=f"{title}: against {scalar}", reference=scalar)
    print_table([row], title=f"{title}: against PyTorch (2 threads)", reference="torch")
    best = {name: result.best * 1e6 for name, result in row.results.items()}
    print("best per update: " + ", ".join(f"{name} {us:.1f} us" for name, us in best.items())
          + " (goal for ourdl.graph: <= 30 us)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and repeats")
    main(quick=parser.parse_args().quick)
