"""Every experiment runs quickly, writes the promised report, repeats exactly, and the robust claims hold.

Each experiment runs with two seeds, then again with the first of them alone (its numbers must
repeat), inside one test, so that the suite stays fast when pytest-xdist spreads the tests over processes.
"""

import json
import math

import numpy as np
import pytest

from ourdl import lab
from ourdl.lab.results_table import load_rows

VERDICTS = {"supported", "contradicted", "inconclusive (quick run)"}
# experiment -> the figures its report promises
FIGURES = {
    "stuck_fits": {"good_fits", "loss_distribution"},
    "dead_relus": {"relu_over_training", "final_vs_lr"},
    "gradients": {"gradient_per_layer", "activation_histograms", "training_loss", "training_grad_norm"},
    "initialisation": {"variance", "ratio"},
    "self_normalisation": {"variance", "mean"},
    "approximation": {"error_vs_units"},
    "shootout": {"accuracy_digits", "accuracy_spirals", "accuracy_fashion_mnist", "accuracy_fashion_mnist_lenet"},
    "gelu_mlp": {"training_loss"},
    "robustness": {"accuracy_over_draws"},
}
# a smaller grid for the experiments whose quick run trains many networks, to keep the suite lean
GRID = {"shootout": {"activation": ["relu", "gelu", "sigmoid", "step"]},
        "gelu_mlp": {"activation": ["gelu", "relu", "elu"]},
        "robustness": {"activation": ["relu", "silu", "sigmoid"]}}


def test_the_registry_holds_the_nine_experiments_with_claims_and_sources():
    assert [e.name for e in lab.catalog()] == list(FIGURES)
    for e in lab.catalog():
        assert len(e.claim) > 40 and any(c.isdigit() for c in e.source)
    with pytest.raises(KeyError, match="known: stuck_fits"):
        lab.get("nope")


def _has_fashion_mnist() -> bool:
    from ourdl.lab.data import FILES, fashion_mnist_root

    raw = fashion_mnist_root() / "FashionMNIST" / "raw"
    return all((raw / f).exists() or (raw / f.removesuffix(".gz")).exists() for f in FILES)


ON_FASHION_MNIST = {"shootout", "gelu_mlp", "robustness"}


def test_fashion_mnist_loads_without_a_second_copy_of_its_images():
    import tracemalloc

    from ourdl.lab.data import fashion_mnist_split

    if not _has_fashion_mnist():
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")
    fashion_mnist_split.cache_clear()
    tracemalloc.start()
    try:
        train, test = fashion_mnist_split(3_000, 1_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        fashion_mnist_split.cache_clear()
    data = sum(t.numpy().nbytes for t in train.tensors + test.tensors)
    assert peak < 1.1 * data, f"loading took {peak / data:.2f}x the data it keeps"  # the uint8 files are a quarter


@pytest.mark.parametrize("name", list(FIGURES))
def test_quick_run_report_reproducibility_and_claims(name, tmp_path):
    if name in ON_FASHION_MNIST and not _has_fashion_mnist():
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")
    result = lab.get(name).run(seed=0, quick=True, seeds=2, table=tmp_path / "runs.jsonl", grid=GRID.get(name))
    # the promised report
    assert {f.name for f in result.figures} == FIGURES[name]
    assert result.tables and all(t.rows for t in result.tables)
    paths = {p.name for p in lab.write_report(result, tmp_path)}
    assert {f"{f}.png" for f in FIGURES[name]} | {"report.md", "report.html", "values.json"} == paths
    md = (tmp_path / "report.md").read_text()
    assert result.claim in md and result.source in md
    assert f"ourdl lab run {name} --seed 0 --seeds 2 --quick -o DIR" in md
    assert md.index("**Verdict.**") < md.index("**Reproduce.**") < md.index("**Claim.**")  # the verdict on top
    assert result.verdicts and all(v.n == 2 and v.outcome.value in VERDICTS for v in result.verdicts)
    assert md.count("\n|---") == len(result.tables)
    page = (tmp_path / "report.html").read_text()
    assert page.count("<img ") == len(FIGURES[name]) and page.count("<table>") == len(result.tables)
    # the same seed gives the same numbers in every run (compared as JSON, where NaN equals NaN)
    lab.get(name).run(seed=0, quick=True, seeds=1, table=tmp_path / "again.jsonl", grid=GRID.get(name))
    first, again = (load_rows(tmp_path / table) for table in ("runs.jsonl", "again.jsonl"))
    assert len(first) == 2 * len(again) and all(r["status"] == "ok" for r in first + again)
    seed = again[0]["seed"]
    def measured(rows):  # without the wall-clock timings, which vary
        return json.dumps([{k: v for k, v in r["metrics"].items() if k != "timings"} for r in rows], sort_keys=True)

    assert measured([r for r in first if r["seed"] == seed]) == measured(again)
    # what the experiment measured
    for check in CLAIMS[name]:
        check(result.values)


def test_another_seed_other_numbers():
    first, second = (lab.get("initialisation").run(seed=s, quick=True, seeds=1).values for s in (0, 1))
    assert first != second


def selu_keeps_variance_near_one_through_100_layers(values):
    selu = values["selu"]
    assert values["depth"] == len(selu["var"]) == 100
    assert 0.8 <= min(selu["var"]) and max(selu["var"]) <= 1.25
    assert max(abs(m) for m in selu["mean"]) < 0.1
    # the others drift: ReLU's variance collapses, tanh's decays far below 1
    assert values["relu"]["var"][-1] < 1e-6 * values["relu"]["var"][0]
    assert values["tanh"]["var"][-1] < 0.1


def relu_variance_halves_per_layer_with_xavier_and_stays_with_kaiming(values):
    assert values["depth"] >= 30
    xavier, kaiming = values["xavier"], values["kaiming"]
    assert xavier["mean_ratio"] == pytest.approx(xavier["theory"], abs=0.1)
    assert kaiming["mean_ratio"] == pytest.approx(kaiming["theory"], abs=0.1)
    assert all(r < 0.75 for r in xavier["ratio"])                       # it loses variance at every layer
    assert xavier["variance"][-1] < 1e-6 * xavier["variance"][0]
    assert 0.25 < kaiming["variance"][-1] / kaiming["variance"][0] < 4  # it keeps it through the depth


def deep_sigmoid_gradients_vanish_towards_the_first_layer(values):
    sigmoid = values["sigmoid"]["grad_norm_per_layer"]
    assert len(sigmoid) >= 10
    assert sigmoid[0] < 1e-2 * sigmoid[-1]                             # orders of magnitude smaller
    assert all(b > a for a, b in zip(sigmoid[:-1], sigmoid[1:]))        # shrinking layer by layer backwards
    for name in ("tanh", "relu"):                                      # the matched initialisations keep far more
        assert values[name]["first_over_last"] > 100 * values["sigmoid"]["first_over_last"]


def clipping_keeps_the_runs_finite(values):
    for name in ("sigmoid", "tanh", "relu"):
        clipped, free = values[name]["clip=1.0"], values[name]["clip=None"]
        assert clipped["grad_norm"][0] == free["grad_norm"][0]           # same start, the norm is measured before clipping
        assert all(math.isfinite(loss) for loss in clipped["loss"])


def stuck_fits_reports_share_losses_and_dead_units(values):
    for name in ("relu", "leaky_relu", "tanh"):
        v = values[name]
        assert len(v["losses"]) == values["runs"] and 0 <= v["good_share"] <= 1
        assert v["good_share"] == np.mean(np.array(v["losses"]) < values["good_fit_below"])
        assert 0 <= v["dead"] <= values["runs"]
    assert values["tanh"]["dead"] == 0                                  # tanh has no dead side
    assert values["relu"]["dead"] > 0                                   # some ReLU starts die


def approximation_error_falls_with_more_units(values):
    for target in ("x²", "sin(πx)", "|x|"):
        for act in ("relu", "tanh"):
            errors = values[f"{target}/{act}"]
            assert errors[-1] < errors[0] / 5


def shootout_covers_every_elementwise_catalog_activation(values):
    from ourdl.lab.experiments.shootout import QUICK, contenders

    assert set(values["activations"]) == set(GRID["shootout"]["activation"]) and set(QUICK) <= set(contenders())
    for dataset in ("digits", "spirals", "fashion_mnist", "fashion_mnist_lenet"):
        for name in values["activations"]:
            v = values[f"{dataset}/{name}"]
            assert len(v["accuracy"]) == len(values["seeds"]) and 0 <= v["mean"] <= 1
    assert values["digits/relu"]["mean"] > 0.3                          # well above chance (0.1) after two short epochs
    assert values["fashion_mnist/relu"]["mean"] > 0.3
    assert values["fashion_mnist_lenet/relu"]["mean"] > 0.3 > values["fashion_mnist_lenet/step"]["mean"]  # a CNN too


def dead_relus_tracks_every_epoch_and_rate(values):
    for name in ("relu", "leaky_relu", "elu", "gelu"):
        for lr in values["rates"]:
            for curve in values[f"{name}@{lr}"]["dead"]:                # one per seed
                assert len(curve) == values["epochs"] + 1 and all(0 <= d <= 1 for d in curve)
    # the same start for every rate: the share at epoch 0 depends on the seed only
    for seed in range(len(values["seeds"])):
        assert len({values[f"relu@{lr}"]["dead"][seed][0] for lr in values["rates"]}) == 1


def gelu_mlp_records_loss_curves_per_seed(values):
    for name in GRID["gelu_mlp"]["activation"]:
        assert len(values[name]["loss_curve"]) == len(values["seeds"])
        assert all(len(curve) == values["epochs"] and curve[-1] < curve[0] for curve in values[name]["loss_curve"])
        assert all(a > 0.3 for a in values[name]["accuracy"])               # far above chance (0.1) on Fashion-MNIST


def robustness_draws_the_same_hyperparameters_for_every_activation(values):
    from ourdl.lab.experiments.robustness import hyperparameters

    assert values["draws"] == [hyperparameters(s) for s in values["seeds"]]
    assert values["draws"][0] != values["draws"][1]
    for name in GRID["robustness"]["activation"]:
        assert len(values[name]) == len(values["seeds"]) and all(0 <= a <= 1 for a in values[name])


CLAIMS = {
    "stuck_fits": [stuck_fits_reports_share_losses_and_dead_units],
    "dead_relus": [dead_relus_tracks_every_epoch_and_rate],
    "gradients": [deep_sigmoid_gradients_vanish_towards_the_first_layer, clipping_keeps_the_runs_finite],
    "initialisation": [relu_variance_halves_per_layer_with_xavier_and_stays_with_kaiming],
    "self_normalisation": [selu_keeps_variance_near_one_through_100_layers],
    "approximation": [approximation_error_falls_with_more_units],
    "shootout": [shootout_covers_every_elementwise_catalog_activation],
    "gelu_mlp": [gelu_mlp_records_loss_curves_per_seed],
    "robustness": [robustness_draws_the_same_hyperparameters_for_every_activation],
}
