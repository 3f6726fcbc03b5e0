"""Every experiment runs quickly, writes the promised report, repeats exactly, and the robust claims hold."""

import json
import math

import numpy as np
import pytest

from ourdl import lab

# experiment -> the figures its report promises
FIGURES = {
    "stuck_fits": {"good_fits", "loss_distribution"},
    "dead_relus": {"relu_over_training", "final_vs_lr"},
    "gradients": {"gradient_per_layer", "activation_histograms", "training_loss", "training_grad_norm"},
    "initialisation": {"variance", "ratio"},
    "self_normalisation": {"variance", "mean"},
    "approximation": {"error_vs_units"},
    "shootout": {"accuracy_digits", "accuracy_spirals"},
}
_CACHE = {}


def quick(name, seed=0):
    """One quick run per experiment and seed, shared by the tests of this module."""
    if (name, seed) not in _CACHE:
        _CACHE[name, seed] = lab.get(name).run(seed=seed, quick=True)
    return _CACHE[name, seed]


def test_the_registry_holds_the_seven_experiments_with_claims_and_sources():
    assert [e.name for e in lab.catalog()] == list(FIGURES)
    for e in lab.catalog():
        assert len(e.claim) > 40 and any(c.isdigit() for c in e.source)
    with pytest.raises(KeyError, match="known: stuck_fits"):
        lab.get("nope")


@pytest.mark.parametrize("name", list(FIGURES))
def test_quick_run_writes_the_promised_report(name, tmp_path):
    result = quick(name)
    assert {f.name for f in result.figures} == FIGURES[name]
    assert result.tables and all(t.rows for t in result.tables)
    paths = {p.name for p in lab.write_report(result, tmp_path)}
    assert {f"{f}.png" for f in FIGURES[name]} | {"report.md", "report.html", "values.json"} == paths
    md = (tmp_path / "report.md").read_text()
    assert result.claim in md and result.source in md
    assert f"ourdl lab run {name} --seed 0 --quick -o DIR" in md
    assert md.count("\n|---") == len(result.tables)
    page = (tmp_path / "report.html").read_text()
    assert page.count("<img ") == len(FIGURES[name]) and page.count("<table>") == len(result.tables)


@pytest.mark.parametrize("name", list(FIGURES))
def test_same_seed_same_numbers(name):
    again = lab.get(name).run(seed=0, quick=True).values
    assert json.dumps(again, sort_keys=True) == json.dumps(quick(name).values, sort_keys=True)  # NaN equals NaN here


def test_another_seed_other_numbers():
    assert quick("initialisation", seed=1).values != quick("initialisation").values


def test_selu_keeps_variance_near_one_through_100_layers():
    values = quick("self_normalisation").values
    selu = values["selu"]
    assert values["depth"] == len(selu["var"]) == 100
    assert 0.8 <= min(selu["var"]) and max(selu["var"]) <= 1.25
    assert max(abs(m) for m in selu["mean"]) < 0.1
    # the others drift: ReLU's variance collapses, tanh's decays far below 1
    assert values["relu"]["var"][-1] < 1e-6 * values["relu"]["var"][0]
    assert values["tanh"]["var"][-1] < 0.1


def test_relu_variance_halves_per_layer_with_xavier_and_stays_with_kaiming():
    values = quick("initialisation").values
    assert values["depth"] >= 30
    xavier, kaiming = values["xavier"], values["kaiming"]
    assert xavier["mean_ratio"] == pytest.approx(xavier["theory"], abs=0.1)
    assert kaiming["mean_ratio"] == pytest.approx(kaiming["theory"], abs=0.1)
    assert all(r < 0.75 for r in xavier["ratio"])                       # it loses variance at every layer
    assert xavier["variance"][-1] < 1e-6 * xavier["variance"][0]
    assert 0.25 < kaiming["variance"][-1] / kaiming["variance"][0] < 4  # it keeps it through the depth


def test_deep_sigmoid_gradients_vanish_towards_the_first_layer():
    values = quick("gradients").values
    sigmoid = values["sigmoid"]["grad_norm_per_layer"]
    assert len(sigmoid) >= 10
    assert sigmoid[0] < 1e-2 * sigmoid[-1]                             # orders of magnitude smaller
    assert all(b > a for a, b in zip(sigmoid[:-1], sigmoid[1:]))        # shrinking layer by layer backwards
    for name in ("tanh", "relu"):                                      # the matched initialisations keep far more
        assert values[name]["first_over_last"] > 100 * values["sigmoid"]["first_over_last"]


def test_clipping_bounds_the_applied_step():
    values = quick("gradients").values
    for name in ("sigmoid", "tanh", "relu"):
        clipped, free = values[name]["clip=1.0"], values[name]["clip=None"]
        assert clipped["grad_norm"][0] == free["grad_norm"][0]           # same start, the norm is measured before clipping
        assert all(math.isfinite(loss) for loss in clipped["loss"])


def test_stuck_fits_reports_share_losses_and_dead_units():
    values = quick("stuck_fits").values
    for name in ("relu", "leaky_relu", "tanh"):
        v = values[name]
        assert len(v["losses"]) == values["runs"] and 0 <= v["good_share"] <= 1
        assert v["good_share"] == np.mean(np.array(v["losses"]) < values["good_fit_below"])
        assert 0 <= v["dead"] <= values["runs"]
    assert values["tanh"]["dead"] == 0                                  # tanh has no dead side
    assert values["relu"]["dead"] > 0                                   # some ReLU starts die


def test_approximation_error_falls_with_more_units():
    values = quick("approximation").values
    for target in ("x²", "sin(πx)", "|x|"):
        for act in ("relu", "tanh"):
            errors = values[f"{target}/{act}"]
            assert errors[-1] < errors[0] / 5


def test_shootout_covers_every_elementwise_catalog_activation():
    from ourdl.lab.experiments.shootout import contenders

    values = quick("shootout").values
    assert values["activations"] == contenders() and {"relu", "gelu", "sigmoid", "tanh"} <= set(contenders())
    for dataset in ("digits", "spirals"):
        for name in contenders():
            v = values[f"{dataset}/{name}"]
            assert len(v["accuracy"]) == len(values["seeds"]) and 0 <= v["mean"] <= 1
    assert values["digits/relu"]["mean"] > 0.3                          # well above chance (0.1) after two short epochs
