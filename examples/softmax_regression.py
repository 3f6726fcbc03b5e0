"""Lesson 3: softmax regression from scratch on the 8x8 digits, with raw tensors and autograd only.

No nn, no optim: the weights are tensors with requires_grad=True, the loss is written out
(log-softmax, then the negative log-likelihood of the right class), and gradient descent
is one line under no_grad(), as the classic PyTorch tutorials write it.

    python examples/softmax_regression.py
"""

import argparse

import numpy as np

import ourdl
from ourdl.data import Digits

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--epochs", type=int, default=300)
parser.add_argument("--lr", type=float, default=0.5)
parser.add_argument("--quick", action="store_true", help="a few epochs only")
args = parser.parse_args()
epochs = 5 if args.quick else args.epochs

train, test = Digits(train=True), Digits(train=False)
x, labels = train.tensors
one_hot = ourdl.tensor(np.eye(10, dtype=np.float32)[labels.numpy()])

ourdl.manual_seed(0)
weights = (ourdl.randn(64, 10) * 0.01).requires_grad_()
bias = ourdl.zeros(10, requires_grad=True)


def log_softmax(logits):
    return logits - ourdl.logsumexp(logits, dim=1, keepdim=True)


for epoch in range(epochs):
    loss = -(one_hot * log_softmax(x @ weights + bias)).sum(dim=1).mean()
    loss.backward()
    with ourdl.no_grad():
        weights -= args.lr * weights.grad
        bias -= args.lr * bias.grad
        weights.grad = None
        bias.grad = None
    if epoch % max(epochs // 5, 1) == 0 or epoch == epochs - 1:
        print(f"epoch {epoch:4d}  loss {loss.item():.4f}")

x_test, y_test = test.tensors
with ourdl.no_grad():
    predictions = (x_test @ weights + bias).argmax(dim=1)
accuracy = (predictions == y_test).float().mean().item()
print(f"test accuracy {accuracy:.2%}")
