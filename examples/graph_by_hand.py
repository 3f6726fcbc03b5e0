"""Lesson 0: the computational graph node by node, as the tutorials build it by hand (``ourdl.graph``).

Every value is a scalar node: a Variable is a leaf, an Op computes its value from its parents
(``compute``) and gives its local derivative for each parent (``get_parent_grad``). Here: your
own ReLU and LeakyReLU ops, the adaptive linear unit learning y = w x + b, and the 1-2-1
LeakyReLU network fitting y = x² sample by sample, drawn node by node and animated.

    python examples/graph_by_hand.py              # writes graph.svg (or graph.dot), fit.png and fit.gif
    python examples/graph_by_hand.py --quick
"""

import argparse
import random
from pathlib import Path

from ourdl import viz
from ourdl.graph import GradientDescent, LeakyRelu, Op, Relu, SquareLoss, TinyNetwork, Variable, fit

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("-o", "--out", default=".", help="folder for the pictures")
parser.add_argument("--quick", action="store_true", help="fewer epochs")
args = parser.parse_args()
out = Path(args.out)


# 1. Your own ops: two methods each.
class MyRelu(Op):
    """max(0, x); derivative 1 for x > 0, else 0."""

    arity = 1

    def compute(self):
        self.value = max(0.0, self.parents[0].value)

    def get_parent_grad(self, parent):
        if parent is not self.parents[0]:
            return Op.get_parent_grad(self, parent)  # the error that names both nodes
        return 1.0 if parent.value > 0 else 0.0


class MyLeakyRelu(Op):
    """x for x > 0, else 0.1 x; derivative 1 or 0.1."""

    arity = 1
    slope = 0.1

    def compute(self):
        x = self.parents[0].value
        self.value = x if x > 0 else self.slope * x

    def get_parent_grad(self, parent):
        if parent is not self.parents[0]:
            return Op.get_parent_grad(self, parent)
        return 1.0 if parent.value > 0 else self.slope


x = Variable(-2.0, trainable=False, name="x")
for mine, builtin, params in ((MyRelu, Relu, {}), (MyLeakyRelu, LeakyRelu, {"negative_slope": 0.1})):
    ours, theirs = mine(x), builtin(x, **params)
    x.grad = 0.0
    ours.forward()
    ours.backward()
    print(f"{mine.__name__}(-2) = {ours.value}, slope {x.grad};  built-in {builtin.__name__}: {theirs.forward()}, "
          f"static form {builtin.function(-2.0, *params.values())}")
print("Relu.relu(-1.0) =", Relu.relu(-1.0))

# 2. The adaptive linear unit: one weight, one bias, one sample at a time.
w, b = Variable(0.0, name="w"), Variable(0.0, name="b")
y = Variable(0.0, trainable=False, name="y")
loss = SquareLoss(w * x + b, y)          # the graph is built once ...
optimizer = GradientDescent([w, b], lr=0.05)
rng = random.Random(0)
for _ in range(300 if args.quick else 2000):
    x.value = rng.uniform(-2.0, 2.0)     # ... and fed sample after sample
    y.value = 3.0 * x.value - 1.0
    loss.forward()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"adaline learned y = {w.value:.3f} x {b.value:+.3f}  (target y = 3 x - 1)")

# 3. The 1-2-1 LeakyReLU network, node by node, fitting y = x² on [0, 2].
net = TinyNetwork(hidden=2, activation="leaky_relu", seed=0, negative_slope=0.1)
rng = random.Random(1)
samples = [(v, v * v) for v in (rng.uniform(0.0, 2.0) for _ in range(64))]
epochs = 60 if args.quick else 300
losses = fit(net, samples, epochs=epochs, lr=0.02)
print(f"1-2-1 network: mean loss {losses[0]:.4f} in the first epoch, {losses[-1]:.4f} after {epochs}")
for j, (w1, b1, w2) in enumerate(zip(net.w1, net.b1, net.w2), start=1):
    print(f"unit {j}: {w2.value:+.3f} * leaky_relu({w1.value:+.3f} x {b1.value:+.3f}), bends at x = "
          f"{-b1.value / w1.value:.2f}")

# 4. See it: every node with its value and gradient for one sample, and the fit as it trains.
net.x.value, net.y.value = 1.5, 2.25
net.loss.forward()
net.loss.backward()
try:
    written = viz.draw_graph(net.loss).save(out / "graph.svg")
except viz.GraphvizMissing as missing:
    written = [out / "graph.dot"]
    print(missing)
print("wrote", ", ".join(str(p) for p in written))
record = viz.fit_quadratic_graph(epochs=epochs, frames=4 if args.quick else 40)
print(viz.explain_fit(record))
viz.animate_fit(out / "fit.png", record=record)
viz.animate_fit(out / "fit.gif", record=record)
print("wrote", out / "fit.png", "and", out / "fit.gif")
