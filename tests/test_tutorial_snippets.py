"""Snippets written the way PyTorch tutorials write them give PyTorch's results, with ``torch`` -> ``ourdl``."""

import numpy as np
import pytest

import ourdl
from tests.oracle import assert_same, torch


def _run_both(snippet):
    """Run ``snippet(lib)`` with ourdl and with torch; compare what it returns."""
    ours, theirs = snippet(ourdl), snippet(torch)
    for o, t in zip(ours, theirs):
        assert_same(o, t)


def test_sigmoid_derivative_plot_snippet():
    def snippet(lib):
        x = lib.arange(-8.0, 8.0, 0.1, requires_grad=True)
        y = lib.sigmoid(x)
        y.backward(lib.ones_like(x), retain_graph=True)
        first = x.grad.clone()
        x.grad.data.zero_()
        y.backward(lib.ones_like(x))
        return y.detach(), first, x.grad

    _run_both(snippet)


def test_relu_derivative_snippet():
    # Step 0.25 is exact in binary. With 0.1, torch's vectorised arange gives 4.4e-16 where ourdl gives 0.0
    # (both within an ulp of the true -8 + 80 * 0.1), and relu'(x) differs at that one point.
    def snippet(lib):
        x = lib.arange(-8.0, 8.0, 0.25, requires_grad=True)
        y = lib.relu(x)
        y.backward(lib.ones_like(x), retain_graph=True)
        return y.detach(), x.grad

    _run_both(snippet)


def test_manual_sgd_with_no_grad_update():
    def snippet(lib):
        lib.manual_seed(0)
        xs = lib.tensor(np.linspace(-1, 1, 20, dtype=np.float32)).reshape(-1, 1)
        ys = 3 * xs + 0.5
        w = lib.zeros(1, 1, requires_grad=True)
        b = lib.zeros(1, requires_grad=True)
        lr = 0.1
        for _ in range(50):
            loss = ((xs @ w + b - ys) ** 2).mean()
            loss.backward()
            with lib.no_grad():
                w -= w.grad * lr
                b -= b.grad * lr
                w.grad.zero_()
                b.grad.zero_()
        return w.detach(), b.detach(), loss.detach()

    _run_both(snippet)


def test_accuracy_idiom():
    def snippet(lib):
        out = lib.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
        yb = lib.tensor([1, 0, 0, 0])
        preds = lib.argmax(out, dim=1)
        return ((preds == yb).float().mean(),)

    _run_both(snippet)


def test_hand_written_nll_and_log_softmax():
    logits = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    target = [2, 0, 1, 1, 2]

    def snippet(lib):
        x = lib.tensor(logits, requires_grad=True)
        log_softmax = x - x.exp().sum(-1).log().unsqueeze(-1)

        def nll(input, target):
            return -input[range(target.shape[0]), target].mean()

        loss = nll(log_softmax, lib.tensor(target))
        loss.backward()
        return loss.detach(), x.grad

    _run_both(snippet)


def test_mnist_from_scratch_style_model():
    """The 'What is torch.nn really?' model: weights from randn / sqrt(n), requires_grad_(), a loop of SGD."""
    data = np.random.default_rng(1).standard_normal((64, 784)).astype(np.float32)
    labels = np.random.default_rng(2).integers(0, 10, 64)
    init = np.random.default_rng(3).standard_normal((784, 10)).astype(np.float32)

    def snippet(lib):
        weights = lib.tensor(init) / np.sqrt(784)
        weights.requires_grad_()
        bias = lib.zeros(10, requires_grad=True)
        x, y = lib.tensor(data), lib.tensor(labels)

        def model(xb):
            z = xb @ weights + bias
            return z - z.exp().sum(-1).log().unsqueeze(-1)

        for start in range(0, 64, 16):
            xb, yb = x[start:start + 16], y[start:start + 16]
            loss = -model(xb)[range(16), yb].mean()
            loss.backward()
            with lib.no_grad():
                weights -= weights.grad * 0.5
                bias -= bias.grad * 0.5
                weights.grad.zero_()
                bias.grad.zero_()
        return loss.detach(), weights.detach(), bias.detach()

    ours, theirs = snippet(ourdl), snippet(torch)
    for o, t in zip(ours, theirs):
        assert_same(o, t, rtol=1e-4, atol=1e-5)


def test_requires_grad_chain_and_grad_fn_printing():
    x = ourdl.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    assert repr(y).endswith("grad_fn=<AddBackward0>)")
    assert repr(out) == "tensor(27., grad_fn=<MeanBackward0>)"
    out.backward()
    assert repr(x.grad) == "tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])"


def test_vector_jacobian_product_snippet():
    def snippet(lib):
        x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
        y = x * 2
        for _ in range(3):
            y = y * 2
        v = lib.tensor([0.1, 1.0, 0.0001], dtype=lib.float32)
        y.backward(v)
        return y.detach(), x.grad

    _run_both(snippet)


def test_stop_tracking_snippets():
    x = ourdl.ones(3, requires_grad=True)
    assert (x ** 2).requires_grad
    with ourdl.no_grad():
        assert not (x ** 2).requires_grad
    assert not x.detach().requires_grad
    assert x.detach().eq(x).all()


@pytest.mark.parametrize("lib_name", ["ourdl", "torch"])
def test_same_snippet_runs_under_either_name(lib_name):
    lib = ourdl if lib_name == "ourdl" else torch
    a = lib.randn(2, 2)
    a = ((a * 3) / (a - 1))
    assert not a.requires_grad
    a.requires_grad_(True)
    b = (a * a).sum()
    assert b.grad_fn is not None
