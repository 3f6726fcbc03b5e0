"""Lesson 2: two bent lines make a curve. Fit y = x² on [0, 2] with input → Linear(1, 2) → ReLU → Linear(2, 1).

    python examples/fit_quadratic.py                         # ReLU, writes fit.png and fit.gif
    python examples/fit_quadratic.py --activation leaky_relu
"""

import argparse
from pathlib import Path

import ourdl
from ourdl import nn, optim, viz
from ourdl.data import quadratic

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--activation", default="relu")
parser.add_argument("--epochs", type=int, default=600)
parser.add_argument("-o", "--out", default=".", help="folder for the pictures")
parser.add_argument("--quick", action="store_true", help="a few epochs only")
args = parser.parse_args()
epochs = 20 if args.quick else args.epochs

# The training loop, written out as PyTorch users write it.
ourdl.manual_seed(0)
x, y = quadratic(n=64, seed=0).tensors
model = nn.Sequential(nn.Linear(1, 2), ourdl.activations.get(args.activation).module(), nn.Linear(2, 1))
optimizer = optim.Adam(model.parameters(), lr=0.05)
loss_fn = nn.MSELoss()
for epoch in range(epochs):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % max(epochs // 5, 1) == 0 or epoch == epochs - 1:
        print(f"epoch {epoch:4d}  loss {loss.item():.5f}")

# Each hidden unit contributes one bent line w2_j * act(w1_j x + b1_j); the output is their sum plus b2.
w1, b1 = model[0].weight.detach().numpy()[:, 0], model[0].bias.detach().numpy()
w2 = model[2].weight.detach().numpy()[0]
for j in range(2):
    print(f"unit {j + 1}: {w2[j]:+.3f} * {args.activation}({w1[j]:+.3f} x {b1[j]:+.3f})")

# The same experiment, animated frame by frame.
record = viz.fit_quadratic(args.activation, hidden=2, epochs=epochs, frames=4 if args.quick else 40)
viz.animate_fit(Path(args.out) / "fit.png", record=record)
viz.animate_fit(Path(args.out) / "fit.gif", record=record)
print("wrote", Path(args.out) / "fit.png", "and", Path(args.out) / "fit.gif")
