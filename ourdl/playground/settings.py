"""A playground run's settings: read from a URL's query (TF Playground's names where it has them), checked, written back.

Every setting has a default, so an empty query is a valid run. A value out of range,
a malformed one or an unknown key raises :class:`SettingsError` naming the key and what
would be right; the server answers it with a 400 and the page shows it.

>>> s = parse("dataset=spirals&networkShape=8,8&activation=leaky_relu(negative_slope=0.2)")
>>> s.layers, s.activations[1].name, s.activations[1].params
((8, 8), 'leaky_relu', {'negative_slope': 0.2})
>>> "networkShape=8%2C8" in to_query(s)
True
>>> parse("learningRate=-1")
Traceback (most recent call last):
...
ourdl.playground.settings.SettingsError: setting learningRate: expected a number in (0, 10], got '-1'
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import re
from urllib.parse import parse_qsl, urlencode

from .. import activations

DATASETS = {"circles": "classification", "xor": "classification", "gaussians": "classification",
            "spirals": "classification", "moons": "classification", "plane": "regression", "bumps": "regression",
            "quadratic": "regression"}
"""Each dataset and its problem; ``quadratic`` is the seeds' task, y = x² on [0, 2], with one input."""
FEATURES = ("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")
ONE_D_FEATURES = ("x1", "x1sq", "sinx1")
OPTIMIZERS = ("sgd", "momentum", "adam")
INITS = ("default", "xavier", "kaiming", "lecun", "gain")
LOSSES = ("squared", "cross_entropy")
REGULARIZATIONS = ("none", "L1", "L2")
MAX_LAYERS, MAX_UNITS = 8, 16
# Controls a teacher may hide with <name>_hide=true: the settings plus the page's own buttons.
HIDEABLE = ("dataset", "problem", "percTrainData", "noise", "batchSize", "regenerate", "features", "networkShape",
            "learningRate", "activation", "regularization", "regularizationRate", "optimizer", "init", "loss",
            "showTestData", "discretize", "seed", "points", "presets", "export", "step", "reset")


# Activations a playground run cannot use, and why: a run must repeat exactly from its settings.
UNREPEATABLE = {"rrelu": "it draws its slopes at random while training, so a run could not be repeated"}


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the key, what was given and what would be right."""


@dataclasses.dataclass(frozen=True)
class ActivationSpec:
    """One hidden layer's activation: a catalog name and its parameters (only those differing from the defaults).

    >>> spec = ActivationSpec.parse("elu(alpha=0.5)")
    >>> spec.name, spec.params, str(spec)
    ('elu', {'alpha': 0.5}, 'elu(alpha=0.5)')
    """

    name: str
    params: dict = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        inner = ",".join(f"{k}={_format(v)}" for k, v in self.params.items())
        return f"{self.name}({inner})" if inner else self.name

    def __hash__(self) -> int:
        return hash(str(self))

    @classmethod
    def parse(cls, text: str) -> "ActivationSpec":
        """Read ``name`` or ``name(key=value,...)``; the name must be an elementwise catalog activation."""
        match = re.fullmatch(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?\s*", text)
        if not match:
            raise SettingsError(f"setting activation: expected name or name(key=value,...), got {text!r}")
        try:
            entry = activations.get(match.group(1))
        except KeyError:
            raise SettingsError(f"setting activation: {match.group(1)!r} is not in the catalog; "
                                f"choose one of {', '.join(activation_names())}") from None
        if not entry.elementwise:
            raise SettingsError(f"setting activation: {entry.name} acts along a dimension, not unit by unit; "
                                f"choose one of {', '.join(activation_names())}")
        if entry.name in UNREPEATABLE:
            raise SettingsError(f"setting activation: {entry.name} is not offered: {UNREPEATABLE[entry.name]}")
        params = {}
        for item in filter(None, (match.group(2) or "").split(",")):
            key, _, value = item.partition("=")
            key = key.strip()
            if key not in entry.parameters:
                known = ", ".join(entry.parameters) or "none"
                raise SettingsError(f"setting activation: {entry.name} has no parameter {key!r} (it has: {known})")
            params[key] = _parameter_value(entry.name, key, value.strip(), entry.parameters[key])
        return cls(entry.name, {k: v for k, v in params.items() if v != entry.parameters[k]})


def activation_names() -> list:
    """The catalog's activations that act unit by unit and repeat exactly, the ones a hidden layer may use.

    >>> "leaky_relu" in activation_names(), "softmax" in activation_names(), "rrelu" in activation_names()
    (True, False, False)
    """
    return [entry.name for entry in activations.catalog() if entry.elementwise and entry.name not in UNREPEATABLE]


def _parameter_value(name, key, text, default):
    if isinstance(default, bool):
        if text not in ("true", "false", "True", "False", "1", "0"):
            raise SettingsError(f"setting activation: {name}'s {key} is true or false, got {text!r}")
        return text in ("true", "True", "1")
    if isinstance(default, (int, float)) and default is not inspect.Parameter.empty:
        number = _float(text)
        if number is None or not math.isfinite(number) or abs(number) > 1e6:
            raise SettingsError(f"setting activation: {name}'s {key} must be a finite number, got {text!r}")
        return number
    if isinstance(default, str):
        if not re.fullmatch(r"[A-Za-z0-9_]{1,32}", text):
            raise SettingsError(f"setting activation: {name}'s {key} must be a word, got {text!r}")
        return text
    raise SettingsError(f"setting activation: {name}'s {key} cannot be set from the page")


def _float(text):
    try:
        return float(text)
    except ValueError:
        return None


def _format(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything that decides a run; equal settings give the same run, step for step.

    >>> s = Settings()
    >>> s.dataset, s.layers, s.learning_rate, s.problem
    ('circles', (4, 2), 0.03, 'classification')
    """

    dataset: str = "circles"
    problem: str = "classification"
    train_percent: int = 50
    noise: int = 0
    batch_size: int = 10
    points: int = 500
    data_seed: int = 0
    features: tuple = ("x1", "x2")
    layers: tuple = (4, 2)
    activations: tuple = (ActivationSpec("tanh"), ActivationSpec("tanh"))
    learning_rate: float = 0.03
    regularization: str = "none"
    regularization_rate: float = 0.0
    optimizer: str = "sgd"
    init: str = "default"
    loss: str = "squared"
    seed: int = 0
    show_test_data: bool = False
    discretize: bool = False
    hide: tuple = ()

    @property
    def one_dimensional(self) -> bool:
        """Whether the data has one input (the x² task): the page then draws curves rather than heatmaps."""
        return self.dataset == "quadratic"


# URL key -> (field, reader). Readers turn the text into the field's value or raise SettingsError.
def _choice(options):
    def read(key, text):
        if text not in options:
            raise SettingsError(f"setting {key}: expected one of {', '.join(options)}, got {text!r}")
        return text
    return read


def _integer(low, high):
    def read(key, text):
        if not re.fullmatch(r"-?\d{1,12}", text.strip()) or not low <= int(text) <= high:
            raise SettingsError(f"setting {key}: expected a whole number in [{low}, {high}], got {text!r}")
        return int(text)
    return read


def _number(low, high, low_open=False):
    def read(key, text):
        number = _float(text)
        if number is None or not math.isfinite(number) or number > high or number < low or \
                (low_open and number == low):
            raise SettingsError(f"setting {key}: expected a number in {'(' if low_open else '['}{low:g}, {high:g}], "
                                f"got {text!r}")
        return number
    return read


def _boolean(key, text):
    if text not in ("true", "false"):
        raise SettingsError(f"setting {key}: expected true or false, got {text!r}")
    return text == "true"


def _features(key, text):
    chosen = tuple(filter(None, text.split(",")))
    unknown = [f for f in chosen if f not in FEATURES]
    if unknown or len(set(chosen)) != len(chosen):
        raise SettingsError(f"setting {key}: expected distinct names among {', '.join(FEATURES)}, got {text!r}")
    return tuple(f for f in FEATURES if f in chosen)


def _layers(key, text):
    parts = [p for p in text.split(",") if p != ""]
    if len(parts) > MAX_LAYERS or not all(re.fullmatch(r"\d{1,3}", p) and 1 <= int(p) <= MAX_UNITS for p in parts):
        raise SettingsError(f"setting {key}: expected 0 to {MAX_LAYERS} layer widths, each 1 to {MAX_UNITS}, "
                            f"separated by commas, got {text!r}")
    return tuple(int(p) for p in parts)


def _activations(key, text):
    return tuple(ActivationSpec.parse(part) for part in text.split(";"))


READERS = {
    "dataset": ("dataset", _choice(tuple(DATASETS))), "problem": ("problem", _choice(("classification", "regression"))),
    "percTrainData": ("train_percent", _integer(10, 90)), "noise": ("noise", _integer(0, 50)),
    "batchSize": ("batch_size", _integer(1, 500)), "points": ("points", _integer(20, 2000)),
    "dataSeed": ("data_seed", _integer(0, 2**31 - 1)), "features": ("features", _features),
    "networkShape": ("layers", _layers), "activation": ("activations", _activations),
    "learningRate": ("learning_rate", _number(0.0, 10.0, low_open=True)),
    "regularization": ("regularization", _choice(REGULARIZATIONS)),
    "regularizationRate": ("regularization_rate", _number(0.0, 10.0)), "optimizer": ("optimizer", _choice(OPTIMIZERS)),
    "init": ("init", _choice(INITS)), "loss": ("loss", _choice(LOSSES)), "seed": ("seed", _integer(0, 2**31 - 1)),
    "showTestData": ("show_test_data", _boolean), "discretize": ("discretize", _boolean),
}


def parse(query) -> Settings:
    """Settings from a query string (``"dataset=xor&seed=3"``, a leading ``#`` or ``?`` allowed) or a dict of strings.

    ``activation`` is one spec for every hidden layer or one per layer separated by ``;``.

    >>> parse("#networkShape=3,3,3&activation=relu;elu;tanh").activations[2].name
    'tanh'
    """
    if isinstance(query, str):
        text = query.lstrip("#?")
        try:
            pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text), max_num_fields=64)
        except ValueError as error:
            raise SettingsError(f"the settings could not be read as a query string: {error}") from None
    else:
        pairs = list(query.items())
    values, hide = {}, []
    for key, text in pairs:
        if not isinstance(text, str) or len(text) > 400:
            raise SettingsError(f"setting {key}: expected text of at most 400 characters")
        if key.endswith("_hide"):
            control = key[:-len("_hide")]
            if control not in HIDEABLE:
                raise SettingsError(f"setting {key}: {control!r} is not a control that can be hidden; "
                                    f"hideable: {', '.join(HIDEABLE)}")
            if _boolean(key, text):
                hide.append(control)
            continue
        if key not in READERS:
            raise SettingsError(f"unknown setting {key!r}; known: {', '.join(READERS)}, and <control>_hide")
        field, read = READERS[key]
        values[field] = read(key, text)
    return _complete(values, tuple(hide))


def _complete(values: dict, hide: tuple) -> Settings:
    dataset = values.get("dataset", Settings.dataset)
    values.setdefault("problem", DATASETS[dataset])
    if DATASETS[dataset] != values["problem"]:
        fitting = [name for name, kind in DATASETS.items() if kind == values["problem"]]
        raise SettingsError(f"setting dataset: {dataset} is a {DATASETS[dataset]} set, but problem is "
                            f"{values['problem']}; choose one of {', '.join(fitting)}")
    if dataset == "quadratic":
        values.setdefault("features", ("x1",))
        wrong = [f for f in values["features"] if f not in ONE_D_FEATURES]
        if wrong:
            raise SettingsError(f"setting features: the quadratic set has one input; use {', '.join(ONE_D_FEATURES)}, "
                                f"not {', '.join(wrong)}")
    if not values.get("features", Settings.features):
        raise SettingsError("setting features: choose at least one input feature")
    layers = values.get("layers", Settings.layers)
    specs = values.get("activations", (ActivationSpec("tanh"),))
    if len(specs) == 1:
        specs = specs * len(layers)
    elif len(specs) != len(layers):
        raise SettingsError(f"setting activation: {len(specs)} activations given for {len(layers)} hidden layers; "
                            f"give one for all or one per layer")
    values["activations"] = specs
    if values.get("loss") == "cross_entropy" and values["problem"] == "regression":
        raise SettingsError("setting loss: cross_entropy is for classification; a regression uses squared")
    return Settings(**values, hide=hide)


def to_query(settings: Settings) -> str:
    """The query string that :func:`parse` reads back into ``settings`` (defaults included, so a link is explicit).

    >>> parse(to_query(Settings(seed=7))).seed
    7
    """
    fields = {field: key for key, (field, _) in READERS.items()}
    pairs = []
    for field in dataclasses.fields(Settings):
        if field.name == "hide":
            continue
        value = getattr(settings, field.name)
        if field.name == "activations":
            text = "tanh" if not value else str(value[0]) if len(set(value)) == 1 else ";".join(map(str, value))
        elif isinstance(value, tuple):
            text = ",".join(map(str, value))
        elif isinstance(value, bool):
            text = "true" if value else "false"
        else:
            text = _format(value)
        pairs.append((fields[field.name], text))
    pairs += [(f"{control}_hide", "true") for control in settings.hide]
    return urlencode(pairs)


def update(settings: Settings, changes: dict) -> Settings:
    """``settings`` with the URL keys in ``changes`` replaced, checked as a whole.

    >>> update(Settings(), {"networkShape": "5"}).activations
    (ActivationSpec(name='tanh', params={}),)
    """
    current = dict(parse_qsl(to_query(settings), keep_blank_values=True))
    if "networkShape" in changes and "activation" not in changes:
        # a layer added or removed keeps the others' activations; a new one copies the last
        layers = _layers("networkShape", str(changes["networkShape"]))
        specs = list(settings.activations[:len(layers)])
        specs += [specs[-1] if specs else ActivationSpec("tanh")] * (len(layers) - len(specs))
        current["activation"] = ";".join(map(str, specs)) if specs else "tanh"
    if "dataset" in changes and "problem" not in changes:
        current["problem"] = DATASETS.get(str(changes["dataset"]), settings.problem)
    if changes.get("dataset") == "quadratic" and "features" not in changes:
        current["features"] = ",".join(f for f in settings.features if f in ONE_D_FEATURES) or "x1"
    if changes.get("problem") == "regression" or DATASETS.get(str(changes.get("dataset"))) == "regression":
        current["loss"] = "squared"
    current.update({str(k): str(v) for k, v in changes.items()})
    return parse(current)
