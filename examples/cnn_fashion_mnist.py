"""Lesson 5: a convolutional network on real Fashion-MNIST, and the same script on PyTorch.

    python examples/cnn_fashion_mnist.py                        # LeNet-5, ReLU, 15 epochs on ourdl
    python examples/cnn_fashion_mnist.py --model resnet --activation gelu
    python examples/cnn_fashion_mnist.py --framework torch      # the same network and training on PyTorch
    python examples/cnn_fashion_mnist.py --quick                # 2,000 images, one epoch: a check that it runs

Images are read by ``ourdl.data.FashionMNIST`` (the files of Debian's ``dataset-fashion-mnist``, or ``--data-dir``)
on both sides, normalised with the training set's mean and standard deviation, and trained with Adam and a
cosine learning-rate schedule; the random crop (padding 2) and horizontal flip of the ResNet run are drawn with NumPy
from ``--seed``, so both frameworks see the same batches.
"""

import argparse
import importlib
import time

import numpy as np

from ourdl.data import FashionMNIST

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--framework", default="ourdl", choices=["ourdl", "torch"])
parser.add_argument("--model", default="lenet", choices=["lenet", "resnet"])
parser.add_argument("--activation", default="relu", help="a catalog name (ourdl) / an nn Module name (torch)")
parser.add_argument("--epochs", type=int, default=None, help="default: 15 for lenet, 8 for resnet")
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--widths", default="16,32,64", help="the ResNet's stage widths (default 16,32,64)")
parser.add_argument("--lr", type=float, default=None, help="Adam's learning rate (default 2e-3 lenet, 4e-3 resnet)")
parser.add_argument("--data-dir", default=None, help="folder holding FashionMNIST/raw (default: the system's copy)")
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--quick", action="store_true", help="2,000 training images, one epoch")
args = parser.parse_args()
epochs = 1 if args.quick else args.epochs or (15 if args.model == "lenet" else 8)
lr = args.lr or (2e-3 if args.model == "lenet" else 4e-3)
widths = tuple(int(w) for w in args.widths.split(","))
lib = importlib.import_module(args.framework)
nn = lib.nn


def torch_twin(model: str, activation: str):
    """The network of ``ourdl.models`` built from PyTorch's layers: same modules, same parameter names."""
    act = getattr(nn, {"relu": "ReLU", "gelu": "GELU", "silu": "SiLU", "tanh": "Tanh", "elu": "ELU"}[activation])
    if model == "lenet":
        return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), act(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), act(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Linear(400, 120), act(), nn.Linear(120, 84), act(),
                             nn.Linear(84, 10))

    class BasicBlock(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
            self.bn1, self.act1 = nn.BatchNorm2d(cout), act()
            self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
            self.bn2, self.act2 = nn.BatchNorm2d(cout), act()
            self.shortcut = nn.Sequential()
            if stride != 1 or cin != cout:
                self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

        def forward(self, x):
            return self.act2(self.bn2(self.conv2(self.act1(self.bn1(self.conv1(x))))) + self.shortcut(x))

    class ResNet(nn.Module):
        def __init__(self, widths=(16, 32, 64)):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(1, widths[0], 3, padding=1, bias=False), nn.BatchNorm2d(widths[0]),
                                      act())
            self.stages = nn.Sequential(*[BasicBlock(a, b, 1 if i == 0 else 2)
                                          for i, (a, b) in enumerate(zip((widths[0],) + widths[:-1], widths))])
            self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(widths[-1], 10))

        def forward(self, x):
            return self.head(self.stages(self.stem(x)))

    return ResNet(widths)


def build(model: str, activation: str):
    if args.framework == "torch":
        return torch_twin(model, activation)
    from ourdl import models
    return models.LeNet5(activation) if model == "lenet" else models.ResNet(activation, widths=widths, blocks=1)


def augment(images: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random 28x28 crop of each image padded by 2 with zeros, flipped left-right with probability 1/2."""
    n = len(images)
    padded = np.pad(images, ((0, 0), (0, 0), (2, 2), (2, 2)))
    dy, dx = rng.integers(0, 5, n), rng.integers(0, 5, n)
    rows = dy[:, None] + np.arange(28)
    cols = dx[:, None] + np.arange(28)
    out = padded[np.arange(n)[:, None, None], 0, rows[:, :, None], cols[:, None, :]][:, None]
    flip = rng.random(n) < 0.5
    out[flip] = out[flip, :, :, ::-1]
    return out


root = {} if args.data_dir is None else {"root": args.data_dir}
train_set, test_set = FashionMNIST(**root, train=True), FashionMNIST(**root, train=False)
x_train, y_train = train_set.tensors[0].numpy(), train_set.tensors[1].numpy()
x_test, y_test = test_set.tensors[0].numpy(), test_set.tensors[1].numpy()
if args.quick:
    x_train, y_train, x_test, y_test = x_train[:2000], y_train[:2000], x_test[:1000], y_test[:1000]
mean, std = x_train.mean(), x_train.std()
x_train, x_test = (x_train - mean) / std, (x_test - mean) / std

lib.manual_seed(args.seed)
rng = np.random.default_rng(args.seed)
model = build(args.model, args.activation)
optimizer = lib.optim.Adam(model.parameters(), lr=lr)
steps = epochs * -(-len(x_train) // args.batch_size)
schedule = lib.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps)
loss_fn = nn.CrossEntropyLoss()
print(f"{args.model} ({sum(p.numel() for p in model.parameters()):,} parameters) on {args.framework}, "
      f"{len(x_train):,} training images")

start = time.perf_counter()
for epoch in range(epochs):
    model.train()
    order = rng.permutation(len(x_train))
    images = augment(x_train, rng) if args.model == "resnet" else x_train
    total = 0.0
    for first in range(0, len(order), args.batch_size):
        index = order[first:first + args.batch_size]
        xb, yb = lib.from_numpy(np.ascontiguousarray(images[index])), lib.from_numpy(y_train[index])
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        total += loss.item() * len(index)
    model.eval()
    correct = 0
    with lib.no_grad():
        for first in range(0, len(x_test), 1000):
            logits = model(lib.from_numpy(x_test[first:first + 1000]))
            correct += int((logits.argmax(dim=1).numpy() == y_test[first:first + 1000]).sum())
    print(f"epoch {epoch + 1:3d}  train loss {total / len(x_train):.4f}  test accuracy {correct / len(x_test):.2%}  "
          f"({time.perf_counter() - start:.0f} s)", flush=True)
