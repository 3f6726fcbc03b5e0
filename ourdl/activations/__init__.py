"""The activation catalog: every activation described once, as data; every form derived.

>>> import ourdl
>>> gelu = ourdl.activations.get("gelu")
>>> gelu.parameters, gelu.range[0] < 0, gelu.properties["smooth"]
({'approximate': 'none'}, True, True)
>>> round(gelu.scalar(1.0), 4)
0.8413
>>> [a.name for a in ourdl.activations.catalog()][:4]
['celu', 'elu', 'exponential', 'gelu']
"""

from . import functional
from .registry import PROPERTY_NAMES, Activation, Property, catalog, get, register

__all__ = ["Activation", "PROPERTY_NAMES", "Property", "catalog", "functional", "get", "register"]
