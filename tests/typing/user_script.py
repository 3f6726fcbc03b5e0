"""A user's training script, written as for PyTorch: mypy must accept it against ourdl's stubs."""

import ourdl
import ourdl.nn.functional as F
from ourdl import nn, optim


class TwoLayer(nn.Module):
    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(2, hidden)
        self.act = nn.LeakyReLU(negative_slope=0.1)
        self.fc2 = nn.Linear(hidden, 1)

    def forward(self, x: ourdl.Tensor) -> ourdl.Tensor:
        return self.fc2(self.act(self.fc1(x)))


def train(steps: int = 5) -> float:
    ourdl.manual_seed(0)
    x = ourdl.randn(16, 2)
    w = ourdl.randn(2, 1, requires_grad=True)
    b = ourdl.tensor([0.5], requires_grad=True)
    y = (x @ w + b).relu().exp() + 1.0
    y = 2 * y - x.sum(dim=1, keepdim=True) / 3
    y.sum().backward()
    grad = w.grad
    assert grad is not None
    shape: ourdl.Size = x.shape
    rows: int = shape[0]
    first: ourdl.Tensor = x[0]
    x[0] = 0.0
    values, indices = x.max(dim=1)
    mask = (x > 0) & (x < 1.5)
    smooth = F.softplus(x, beta=2) + F.gelu(x, approximate="tanh") + F.relu(-x)

    model = nn.Sequential(nn.Linear(2, 8), nn.GELU(), nn.Linear(8, 1))
    other = TwoLayer(hidden=4)
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss = ourdl.zeros(())
    for _ in range(steps):
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y.detach()) + other(x).pow(2).mean()
        loss.backward()
        optimizer.step()
    with ourdl.no_grad():
        prediction = model(x).squeeze(-1).tanh()
    probabilities = ourdl.softmax(smooth, dim=-1).to(ourdl.float64)
    print(rows, first.tolist(), values.shape, indices.dtype, mask.float().mean().item(), prediction.numpy().mean(),
          probabilities.dtype == ourdl.float64)
    return float(loss.item())


if __name__ == "__main__":
    train()
