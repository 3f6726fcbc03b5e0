"""fit_quadratic_graph: the node-graph network's fit recorded as the tensor version's, drawn and explained alike."""

import numpy as np
from PIL import Image

from ourdl.viz import animate_fit, explain_fit, fit_quadratic_graph


def test_record_frames_units_and_model():
    record = fit_quadratic_graph(epochs=40, frames=5, seed=0)
    assert record.activation == "leaky_relu" and len(record.losses) == 40 and len(record.frames) == 5
    assert [frame[0] for frame in record.frames] == [0, 10, 20, 30, 40] and np.isnan(record.frames[0][1])
    epoch, loss, units, bias, output = record.frames[-1]
    assert loss == record.losses[-1] and units.shape == (2, 200)
    np.testing.assert_allclose(units.sum(axis=0) + bias, output, rtol=1e-12)
    assert record.model[1].negative_slope == 0.1


def test_the_default_fit_is_a_three_piece_polyline_and_animates(tmp_path):
    record = fit_quadratic_graph(frames=4)
    assert record.losses[-1] < 0.005
    assert "2 folds fall inside [0, 2]" in explain_fit(record) and "3 pieces" in explain_fit(record)
    animate_fit(tmp_path / "fit.gif", record=record)
    assert Image.open(tmp_path / "fit.gif").n_frames == 4


def test_other_activations_and_sizes():
    record = fit_quadratic_graph("tanh", hidden=3, epochs=5, frames=2, samples=16)
    assert record.activation == "tanh" and record.frames[-1][2].shape == (3, 200)
