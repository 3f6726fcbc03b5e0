"""Training node by node: the adaptive linear unit, gradient descent's contract, the 1-2-1 network against ourdl.nn."""

import random

import numpy as np
import pytest

import ourdl
from ourdl import nn, optim
from ourdl.graph import GradientDescent, SquareLoss, TinyNetwork, Variable, fit


def test_the_adaptive_linear_unit_learns_a_line_from_samples():
    w, b = Variable(0.0, name="w"), Variable(0.0, name="b")
    x, y = Variable(0.0, trainable=False), Variable(0.0, trainable=False)
    loss = SquareLoss(w * x + b, y)
    optimizer = GradientDescent([w, b], lr=0.05)
    rng = random.Random(0)
    for _ in range(2000):
        x.value = rng.uniform(-2.0, 2.0)
        y.value = -1.5 * x.value + 0.7
        loss.forward()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert w.value == pytest.approx(-1.5, abs=1e-6) and b.value == pytest.approx(0.7, abs=1e-6)


def test_gradients_accumulate_until_zero_grad():
    w = Variable(2.0)
    y = w * w * 3.0
    optimizer = GradientDescent([w], lr=0.01)
    y.forward()
    y.backward()
    y.backward()
    assert w.grad == 2 * 12.0
    optimizer.step()
    assert w.value == pytest.approx(2.0 - 0.01 * 24.0)
    optimizer.zero_grad()
    assert w.grad == 0.0 and "1 parameters, lr=0.01" in repr(optimizer)


def test_sgd_sample_by_sample_follows_the_same_path_as_ourdl_nn():
    """The 1-2-1 LeakyReLU network trained 200 steps in both engines from the same weights, float64."""
    net = TinyNetwork(hidden=2, activation="leaky_relu", seed=4, negative_slope=0.1)
    model = net.to_module(ourdl.float64)
    graph_optimizer = GradientDescent(net.parameters, lr=0.05)
    tensor_optimizer = optim.SGD(model.parameters(), lr=0.05)
    rng = random.Random(1)
    for _ in range(200):
        x = rng.uniform(0.0, 2.0)
        graph_loss = net.train_step(x, x * x, graph_optimizer)
        loss = nn.MSELoss()(model(ourdl.tensor([[x]], dtype=ourdl.float64)), ourdl.tensor([[x * x]], dtype=ourdl.float64))
        tensor_optimizer.zero_grad()
        loss.backward()
        tensor_optimizer.step()
        assert graph_loss == pytest.approx(loss.item(), rel=1e-10, abs=1e-14)
    for key, value in model.state_dict().items():
        np.testing.assert_allclose(np.asarray(net.state_dict()[key]), value.numpy(), rtol=1e-10, atol=1e-13)


def test_the_1_2_1_leaky_relu_network_fits_a_three_piece_polyline():
    net = TinyNetwork(hidden=2, activation="leaky_relu", seed=0, negative_slope=0.1)
    rng = random.Random(0)
    samples = [(x, x * x) for x in (rng.uniform(0.0, 2.0) for _ in range(64))]
    seen = []
    losses = fit(net, samples, epochs=300, lr=0.02, on_epoch=lambda epoch, loss: seen.append(epoch))
    assert seen == list(range(1, 301)) and losses[-1] < 0.005 < losses[0]
    folds = sorted(-b.value / w.value for w, b in zip(net.w1, net.b1))
    assert all(0.0 < fold < 2.0 for fold in folds)            # two bends inside [0, 2]: three pieces
    grid = np.linspace(0.0, 2.0, 41)
    assert np.abs([net(x) - x * x for x in grid]).max() < 0.15


def test_state_dict_and_module_names():
    net = TinyNetwork(hidden=3, seed=0)
    state = net.state_dict()
    assert [len(state["0.weight"]), len(state["0.bias"]), len(state["2.weight"][0]), len(state["2.bias"])] == [3] * 3 + [1]
    model = net.to_module()
    assert isinstance(model[1], nn.LeakyReLU) and model[0].weight.dtype == ourdl.float32
    assert [p.name for p in net.parameters][:3] == ["w1_1", "w1_2", "w1_3"]
    assert net.units[0].name == "u1" and net.output.name == "output" and net.loss.name == "loss"
