"""The lab's diagnostics on small models whose dead units and statistics are known by construction."""

import numpy as np
import pytest

import ourdl
from ourdl import nn
from ourdl.train.diagnostics import ActivationStats, DeadUnitTracker, activation_modules, gradient_norms


def _set(layer, weight, bias):
    with ourdl.no_grad():
        layer.weight.copy_(ourdl.tensor(weight, dtype=ourdl.float32))
        layer.bias.copy_(ourdl.tensor(bias, dtype=ourdl.float32))


def _known_model():
    """Inputs in [0, 1): in the first layer units 1 and 3 never fire; in the second, unit 0 never fires."""
    first, second = nn.Linear(2, 4), nn.Linear(4, 2)
    _set(first, [[1, 1], [-1, -1], [1, -1], [0, 0]], [0.1, -0.1, 0.0, -1.0])
    _set(second, [[0, 0, 0, 0], [1, 0, 1, 0]], [-0.5, 0.5])
    return nn.Sequential(first, nn.ReLU(), second, nn.ReLU(), nn.Linear(2, 1))


def test_dead_units_of_a_constructed_model():
    model = _known_model()
    with DeadUnitTracker(model) as tracker:
        model(ourdl.rand(200, 2))
    assert {k: v.tolist() for k, v in tracker.dead().items()} == {"1": [False, True, False, True], "3": [True, False]}
    assert tracker.dead_counts() == {"1": 2, "3": 1}
    assert tracker.dead_share(per_layer=True) == {"1": 0.5, "3": 0.5}
    assert tracker.dead_share() == pytest.approx(3 / 6)


def test_dead_units_accumulate_over_batches_and_reset():
    model = _known_model()
    tracker = DeadUnitTracker(model, modules={"first": model[1]})
    model(ourdl.rand(50, 2))
    assert tracker.dead_counts() == {"first": 2}
    model(-ourdl.rand(50, 2))           # negative inputs wake unit 1 up: it was active on some sample now
    assert tracker.dead()["first"].tolist() == [False, False, False, True]
    tracker.reset()
    with pytest.raises(RuntimeError, match="no forward pass"):
        tracker.dead_share()
    tracker.remove()
    model(ourdl.rand(5, 2))             # removed: nothing observed any more
    assert tracker.dead() == {}


def test_a_leaky_unit_with_negative_input_counts_as_never_active():
    model = nn.Sequential(nn.Linear(1, 1), nn.LeakyReLU())
    _set(model[0], [[1.0]], [-5.0])
    with DeadUnitTracker(model) as tracker:
        model(ourdl.rand(20, 1))
    assert tracker.dead_share() == 1.0


def test_trackers_need_something_to_watch():
    with pytest.raises(ValueError, match="no modules to watch"):
        DeadUnitTracker(nn.Sequential(nn.Linear(2, 2)))


def test_activation_modules_finds_catalog_modules_in_order():
    model = nn.Sequential(nn.Linear(2, 3), nn.GELU(), nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 1))
    assert list(activation_modules(model)) == ["1", "3"]


def test_activation_stats_match_numpy():
    model = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 4), nn.Sigmoid())
    batches = [ourdl.randn(16, 3), ourdl.randn(8, 3)]
    with ActivationStats(model, keep_values=True) as stats, ourdl.no_grad():
        for b in batches:
            model(b)
    with ourdl.no_grad():               # hooks removed: recompute what they saw
        tanh = np.concatenate([ourdl.tanh(model[0](b)).numpy() for b in batches]).astype(np.float64)
        sig = np.concatenate([model(b).numpy() for b in batches]).astype(np.float64)
    got = stats.stats()
    assert got["1"]["mean"] == pytest.approx(tanh.mean(), rel=1e-6)
    assert got["1"]["var"] == pytest.approx(tanh.var(), rel=1e-5)
    assert got["3"]["min"] == pytest.approx(sig.min()) and got["3"]["max"] == pytest.approx(sig.max())
    counts, edges = stats.histogram("3", bins=5)
    assert counts.sum() == 8 * 4 and np.all((edges >= 0) & (edges <= 1))


def test_histogram_needs_kept_values():
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    with ActivationStats(model) as stats:
        model(ourdl.randn(4, 2))
    with pytest.raises(KeyError, match="keep_values=True"):
        stats.histogram("1")


def test_gradient_norms_are_the_l2_norms_of_the_grads():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    assert gradient_norms(model) == {}
    (model(ourdl.randn(10, 3)) ** 2).sum().backward()
    norms = gradient_norms(model)
    assert list(norms) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    for name, p in model.named_parameters():
        assert norms[name] == pytest.approx(float(np.linalg.norm(p.grad.numpy())), rel=1e-6)


def test_in_a_training_loop_dead_relu_units_get_no_gradient():
    from ourdl import optim

    model = _known_model()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    tracker = DeadUnitTracker(model, modules={"hidden": model[1]})
    for _ in range(3):
        tracker.reset()
        optimizer.zero_grad()
        (model(ourdl.rand(32, 2)) ** 2).mean().backward()
        dead = tracker.dead()["hidden"]
        grad = model[0].weight.grad.numpy()
        assert dead.tolist() == [False, True, False, True]                # they stay dead: nothing moves them
        assert np.all(grad[dead] == 0) and np.all(model[0].bias.grad.numpy()[dead] == 0)
        optimizer.step()
    tracker.remove()
