"""Lesson 4: an MLP on the 8x8 digits with nn, optim and a DataLoader, the everyday PyTorch loop.

    python examples/mlp_digits.py             # 64 → 128 → 64 → 10, ReLU, Adam
    python examples/mlp_digits.py --activation gelu
"""

import argparse

import ourdl
from ourdl import nn, optim
from ourdl.data import DataLoader, Digits

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--activation", default="relu")
parser.add_argument("--epochs", type=int, default=15)
parser.add_argument("--quick", action="store_true", help="two epochs only")
args = parser.parse_args()
epochs = 2 if args.quick else args.epochs

ourdl.manual_seed(0)
train_loader = DataLoader(Digits(train=True), batch_size=32, shuffle=True)
test_loader = DataLoader(Digits(train=False), batch_size=256)
model = nn.MLP([64, 128, 64, 10], activation=args.activation)
optimizer = optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
print(model)

for epoch in range(epochs):
    model.train()
    total = 0.0
    for images, labels in train_loader:
        loss = loss_fn(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
    model.eval()
    correct = 0
    with ourdl.no_grad():
        for images, labels in test_loader:
            correct += (model(images).argmax(dim=1) == labels).sum().item()
    print(f"epoch {epoch + 1:3d}  train loss {total / len(train_loader.dataset):.4f}  "
          f"test accuracy {correct / len(test_loader.dataset):.2%}")
