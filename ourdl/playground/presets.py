"""The lessons the playground opens on: each a name, a title, what to watch, and the settings (a URL query).

>>> from ourdl.playground.settings import parse
>>> parse(PRESETS["relu-dies"]["query"]).activations[0].name
'relu'
>>> sorted(PRESETS)[:2]
['deep-sigmoid', 'kaiming-deep-relu']
"""

from __future__ import annotations

import dataclasses

from .settings import Settings, parse

_X2 = "dataset=quadratic&features=x1&networkShape=2&optimizer=adam&learningRate=0.05&batchSize=500&points=128&seed=0"
_DEEP = "dataset=circles&networkShape=8,8,8,8,8,8&points=500&batchSize=10&seed=0"

PRESETS = {
    "relu-dies": {
        "title": "A ReLU unit dies and the fit sticks",
        "watch": "Both ReLU units are pushed below zero on all of [0, 2]: their histograms sit left of the kink, "
                 "the derivative there is 0, and the loss stops falling (about 1.6).",
        "query": f"{_X2}&activation=relu"},
    "leaky-escapes": {
        "title": "LeakyReLU escapes",
        "watch": "The same start with a slope of 0.2 below zero: gradient still flows, the units fold into a "
                 "polyline through the parabola and the loss falls below 0.01.",
        "query": f"{_X2}&activation=leaky_relu(negative_slope=0.2)"},
    "deep-sigmoid": {
        "title": "A deep sigmoid network stops learning",
        "watch": "Six sigmoid layers: each multiplies the gradient by at most 1/4, so the gradient-norm chart "
                 "shows the first layers' norms orders of magnitude below the last; the surface barely moves.",
        "query": f"{_DEEP}&activation=sigmoid&init=xavier&learningRate=0.03"},
    "xavier-deep-relu": {
        "title": "Xavier initialisation under ReLU",
        "watch": "Xavier's variance suits tanh; ReLU halves the signal's second moment at each layer, so the "
                 "pre-activation histograms shrink layer by layer. Compare with Kaiming.",
        "query": f"{_DEEP}&activation=relu&init=xavier&learningRate=0.01"},
    "kaiming-deep-relu": {
        "title": "Kaiming initialisation under ReLU",
        "watch": "Kaiming's gain √2 makes up for the half ReLU cuts away: the histograms keep their width through "
                 "all six layers and the gradient norms stay level.",
        "query": f"{_DEEP}&activation=relu&init=kaiming&learningRate=0.01"},
    "selu-keeps-variance": {
        "title": "SELU keeps its variance",
        "watch": "With LeCun initialisation, SELU pulls each layer's pre-activations back towards mean 0 and "
                 "variance 1: the histograms look alike from the first layer to the last.",
        "query": f"{_DEEP}&activation=selu&init=lecun&learningRate=0.01"},
}
"""name -> {"title", "watch", "query"}; the page lists them, ``ourdl playground --preset NAME`` opens one."""


def matching(settings: Settings) -> str:
    """The name of the lesson whose settings these are (hidden controls aside), or ``""``.

    >>> matching(parse(PRESETS["deep-sigmoid"]["query"] + "&noise_hide=true")), matching(Settings())
    ('deep-sigmoid', '')
    """
    plain = dataclasses.replace(settings, hide=())
    return next((name for name, preset in PRESETS.items() if parse(preset["query"]) == plain), "")
