"""Settings from a URL query: every key checked, errors that name the key, a round trip through to_query."""

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from ourdl.playground.settings import (FEATURES, ActivationSpec, Settings, SettingsError, activation_names, parse,
                                       to_query, update)


def test_empty_query_is_the_default_run():
    assert parse("") == Settings()
    assert parse("#") == Settings()


@pytest.mark.parametrize("query, words", [
    ("learningRate=0", "learningRate"), ("learningRate=nan", "learningRate"), ("noise=51", "noise"),
    ("percTrainData=5", "percTrainData"), ("batchSize=1.5", "batchSize"), ("networkShape=17", "networkShape"),
    ("networkShape=1,2,3,4,5,6,7,8,9", "networkShape"), ("networkShape=a", "networkShape"),
    ("features=x3", "features"), ("features=", "at least one"), ("features=x1,x1", "features"),
    ("dataset=mnist", "dataset"), ("dataset=plane&problem=classification", "regression set"),
    ("activation=nosuch", "not in the catalog"), ("activation=softmax", "acts along a dimension"),
    ("activation=elu(alpha=big)", "finite number"), ("activation=rrelu", "could not be repeated"), ("activation=relu;relu&networkShape=4", "2 activations"),
    ("colour=red", "unknown setting"), ("dataset=quadratic&features=x2", "one input"),
    ("dataset=plane&loss=cross_entropy", "classification"), ("seed=-1", "seed"), ("showTestData=yes", "showTestData"),
    ("play_hide=true", "not a control that can be hidden"), ("a=1&&b", "query string"),
])
def test_bad_values_are_refused_with_the_key_named(query, words):
    with pytest.raises(SettingsError, match=words):
        parse(query)


def test_activation_specs_per_layer_with_parameters():
    s = parse("networkShape=2,2&activation=leaky_relu(negative_slope=0.2);gelu(approximate=tanh)")
    assert s.activations == (ActivationSpec("leaky_relu", {"negative_slope": 0.2}),
                             ActivationSpec("gelu", {"approximate": "tanh"}))
    assert parse("activation=elu(alpha=1.0)").activations[0].params == {}  # the default is not repeated
    assert parse("networkShape=&activation=relu").activations == ()


def test_hide_flags_are_kept_and_written_back():
    s = parse("dataset_hide=true&noise_hide=true&seed_hide=false")
    assert s.hide == ("dataset", "noise")
    assert "dataset_hide=true" in to_query(s) and parse(to_query(s)) == s


def test_update_keeps_activations_when_layers_change_and_fixes_features_for_one_input():
    s = parse("networkShape=2,2&activation=relu;elu")
    assert [a.name for a in update(s, {"networkShape": "2,2,5"}).activations] == ["relu", "elu", "elu"]
    assert update(s, {"dataset": "quadratic"}).features == ("x1",)
    assert update(parse("loss=cross_entropy"), {"dataset": "plane"}).loss == "squared"


@hypothesis_settings(max_examples=60, deadline=None)
@given(layers=st.lists(st.integers(1, 16), max_size=8), features=st.sets(st.sampled_from(FEATURES), min_size=1),
       activation=st.sampled_from(activation_names()), lr=st.floats(1e-6, 10), seed=st.integers(0, 2**31 - 1),
       dataset=st.sampled_from(["circles", "xor", "gaussians", "spirals", "moons", "plane", "bumps"]),
       test=st.booleans())
def test_to_query_round_trips(layers, features, activation, lr, seed, dataset, test):
    s = parse(f"networkShape={','.join(map(str, layers))}&features={','.join(features)}&activation={activation}"
              f"&learningRate={lr!r}&seed={seed}&dataset={dataset}&showTestData={str(test).lower()}")
    assert parse(to_query(s)) == s
    assert s.learning_rate == lr and len(s.activations) == len(layers)
