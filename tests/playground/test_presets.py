"""The lessons say what happens: check it happens, on the lessons' own settings."""

import numpy as np
import pytest

from ourdl.playground import PRESETS, Run, parse
from ourdl.playground.frames import frame


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_lesson_is_a_valid_state_with_a_title(name):
    preset = PRESETS[name]
    assert parse(preset["query"]) and preset["title"] and preset["watch"]


@pytest.mark.slow
def test_relu_units_die_on_the_lesson_and_leaky_relu_escapes():
    dead, alive = Run(parse(PRESETS["relu-dies"]["query"])), Run(parse(PRESETS["leaky-escapes"]["query"]))
    for run in (dead, alive):
        run.train(600)
    assert all(unit["dead"] for unit in frame(dead)["layers"][0]["units"])
    assert dead.losses()[0] > 1.0
    assert not any(unit["dead"] for unit in frame(alive)["layers"][0]["units"])
    assert alive.losses()[0] < 0.01


def test_deep_sigmoid_gradients_fade_towards_the_input():
    run = Run(parse(PRESETS["deep-sigmoid"]["query"]))
    run.train(20)
    norms = np.array(run.grad_norms)
    assert norms[0] < norms[-1] / 100


def test_kaiming_keeps_relu_pre_activations_wider_than_xavier():
    def last_reach(name):
        return frame(Run(parse(PRESETS[name]["query"])))["layers"][-1]["reach"]

    assert last_reach("kaiming-deep-relu") > 2 * last_reach("xavier-deep-relu")
