"""``ourdl quickstart``: train a small network with raw tensors and print its loss falling.

The network fits y = x² on [0, 2] with input → Linear(1, 8) → ReLU → Linear(8, 1),
written with nothing but tensors and autograd, as a first look at the engine.
"""

from __future__ import annotations


def train(epochs: int = 300, hidden: int = 8, lr: float = 0.05, seed: int = 0, report=print) -> list[float]:
    """Fit y = x² on [0, 2] by full-batch gradient descent; returns the loss per epoch."""
    import ourdl

    ourdl.manual_seed(seed)
    x = ourdl.linspace(0, 2, 64).reshape(-1, 1)
    y = x * x
    w1 = ourdl.randn(1, hidden, requires_grad=True)
    b1 = ourdl.zeros(hidden, requires_grad=True)
    w2 = (ourdl.randn(hidden, 1) * (1 / hidden**0.5)).requires_grad_()
    b2 = ourdl.zeros(1, requires_grad=True)
    losses = []
    for epoch in range(epochs):
        prediction = ourdl.relu(x @ w1 + b1) @ w2 + b2
        loss = ((prediction - y) ** 2).mean()
        for p in (w1, b1, w2, b2):
            p.grad = None
        loss.backward()
        with ourdl.no_grad():
            for p in (w1, b1, w2, b2):
                p -= lr * p.grad
        losses.append(loss.item())
        if epoch % max(epochs // 10, 1) == 0 or epoch == epochs - 1:
            report(f"epoch {epoch:4d}  loss {loss.item():.5f}")
    return losses


def run(args) -> int:
    train(epochs=args.epochs, hidden=args.hidden, seed=args.seed)
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("quickstart", help="fit y = x² with raw tensors and print the loss falling")
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--hidden", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.set_defaults(run=run)
