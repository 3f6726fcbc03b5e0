"""A run: the same settings give the same run, it learns, a divergence is named, exports repeat it exactly."""

import os
import subprocess
import sys

import numpy as np
import pytest

import ourdl
from ourdl.playground import Run, export, parse
from ourdl.playground.frames import encode, frame


def _weights(run):
    return [p.detach().numpy().copy() for p in run.model.parameters()]


@pytest.mark.parametrize("init", ["default", "xavier", "kaiming", "lecun", "gain"])
def test_same_settings_same_run_and_another_seed_another(init):
    query = f"networkShape=4,3&points=80&init={init}&optimizer=momentum"
    a, b, c = Run(parse(query)), Run(parse(query)), Run(parse(query + "&seed=1"))
    ourdl.manual_seed(123)  # the global generator plays no part
    for run in (a, b, c):
        run.train(12)
    for x, y in zip(_weights(a), _weights(b)):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(_weights(a)[0], _weights(c)[0])


@pytest.mark.parametrize("query", ["dataset=circles&networkShape=6,4&learningRate=0.1&activation=relu",
                                   "dataset=xor&features=x1,x2,x1x2&networkShape=4&loss=cross_entropy&optimizer=adam",
                                   "dataset=plane&networkShape=3&regularization=L2&regularizationRate=0.001",
                                   "dataset=quadratic&features=x1&networkShape=4&activation=leaky_relu&optimizer=adam"])
def test_training_lowers_the_loss(query):
    run = Run(parse(query + "&points=200&learningRate=0.03"))
    before = run.losses()[0]
    run.train(300)
    assert run.losses()[0] < 0.7 * before


def test_a_diverging_run_stops_with_the_step_named():
    run = Run(parse("dataset=plane&networkShape=8,8&activation=relu&learningRate=10&points=100&batchSize=50"))
    run.train(200)
    assert run.diverged and "diverged at step" in run.diverged
    step = run.step
    run.train(5)
    assert run.step == step  # a diverged run takes no more steps


def test_the_exported_script_reaches_the_same_loss(tmp_path):
    run = Run(parse("dataset=moons&networkShape=5,3&activation=elu(alpha=0.5);prelu&regularization=L1"
                    "&regularizationRate=0.001&optimizer=adam&init=gain&batchSize=7&points=120"))
    run.train(23)
    path = tmp_path / "run.py"
    path.write_text(export.script(run))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env, timeout=120, check=True)
    train, test = run.losses()
    assert out.stdout.strip() == f"after 23 steps: training loss {train:.6f}, test loss {test:.6f}"


def test_exported_weights_load_into_pytorch_and_compute_the_same_output():
    torch = pytest.importorskip("torch")
    import safetensors.torch

    run = Run(parse("networkShape=4,3&activation=tanh;leaky_relu(negative_slope=0.2)&points=60"))
    run.train(10)
    state = safetensors.torch.load(export.weights(run))
    model = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(), torch.nn.Linear(4, 3),
                                torch.nn.LeakyReLU(0.2), torch.nn.Linear(3, 1))
    model.load_state_dict(state)
    x = run.x_test.numpy()
    expected = run.model(ourdl.tensor(x)).detach().numpy()
    np.testing.assert_allclose(model(torch.from_numpy(x)).detach().numpy(), expected, rtol=1e-5, atol=1e-6)


def test_frames_flag_dead_units_and_count_every_training_point():
    run = Run(parse("networkShape=3&activation=relu&points=100"))
    with ourdl.no_grad():
        run.linears[0].bias[1] = -1000.0  # unit 2 is below zero everywhere on the square
    f = frame(run, points=True)
    units = f["layers"][0]["units"]
    assert [u["dead"] for u in units] == [False, True, False]
    assert all(sum(u["hist"]) == 50 for u in units)
    assert len(f["points"]["train"]) == 50 and len(f["points"]["test"]) == 50
    assert set(f["features"]) == {"x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"}


def test_encode_scales_clamps_and_zeroes_nan():
    import base64

    out = encode(np.array([-1.0, 0.5, np.nan, 3.0]), 1.0)
    assert list(base64.b64decode(out["data"])) == [0, 191, 128, 255]


@pytest.mark.parametrize("name", __import__("ourdl.playground.settings", fromlist=["x"]).activation_names())
def test_every_offered_activation_trains_draws_and_exports(name):
    from ourdl import nn
    from ourdl.playground.export import _module_text
    from ourdl.playground.run import activation_module

    run = Run(parse(f"activation={name}&networkShape=2&points=40"))
    run.train(3)
    f = frame(run)
    assert len(f["layers"][0]["curve"]) == 64 and len(f["layers"][0]["units"]) == 2
    spec = run.settings.activations[0]
    written = eval(_module_text(spec), {"nn": nn, "ourdl": ourdl})  # the script's text builds the same module
    assert repr(written) == repr(activation_module(spec))
