"""The parameter settings the activation tests run: every setting that changes behaviour, per catalog entry.

Tests are generated from this table and from the catalog: adding an activation means adding its row here.
"""

import numpy as np

import ourdl.activations as A

# (catalog name, parameters): the ones PyTorch has, compared with torch.nn.functional.<name>(x, **parameters)
TORCH_CASES = [
    ("relu", {}), ("relu6", {}), ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.2}),
    ("leaky_relu", {"negative_slope": -0.5}), ("elu", {}), ("elu", {"alpha": 0.5}), ("selu", {}), ("celu", {}),
    ("celu", {"alpha": 2.0}), ("gelu", {}), ("gelu", {"approximate": "tanh"}), ("silu", {}), ("mish", {}),
    ("softplus", {}), ("softplus", {"beta": 2.0, "threshold": 5.0}), ("softplus", {"beta": 0.5, "threshold": 1.0}),
    ("softsign", {}), ("softshrink", {}), ("softshrink", {"lambd": 1.0}), ("softshrink", {"lambd": 0.0}),
    ("hardshrink", {}), ("hardshrink", {"lambd": 1.0}), ("tanhshrink", {}), ("hardtanh", {}),
    ("hardtanh", {"min_val": -2.0, "max_val": 3.0}), ("hardsigmoid", {}), ("hardswish", {}), ("logsigmoid", {}),
    ("threshold", {"threshold": 1.0, "value": 5.0}), ("threshold", {"threshold": 0.0, "value": 0.0}),
    ("sigmoid", {}), ("tanh", {}), ("rrelu", {}), ("rrelu", {"lower": 0.1, "upper": 0.5}),
]

# the ones beyond PyTorch: their published formulas in float64 NumPy, to compare values with
REFERENCE = {
    "step": (lambda x: np.where(x > 0, 1.0, 0.0), {}),
    "swish": (lambda x, beta=1.0: x / (1 + np.exp(-beta * x)), {"beta": 1.7}),
    "identity": (lambda x: x, {}),
    "exponential": (np.exp, {}),
    "squareplus": (lambda x, b=4.0: (x + np.sqrt(x * x + b)) / 2, {"b": 1.0}),
    "sparse_plus": (lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, x, (x + 1) ** 2 / 4)), {}),
    "sparse_sigmoid": (lambda x: np.clip((x + 1) / 2, 0, 1), {}),
    "hardswish": (lambda x: x * np.clip(x + 3, 0, 6) / 6, {}),
    "lisht": (lambda x: x * np.tanh(x), {}),
    "snake": (lambda x, alpha=1.0: x + np.sin(alpha * x) ** 2 / alpha, {"alpha": 0.5}),
}

ALONG_DIM = ["softmax", "log_softmax", "softmin"]


def special_values(name: str, params: dict) -> np.ndarray:
    """Kinks and their exact boundaries, the overflow range, ±inf, NaN, and some ordinary values."""
    entry = A.get(name)
    points = [0.0, -0.0, 1e-3, -1e-3, 0.5, -0.5, 1, -1, 2, -2, 3, -3, 3.5, -3.5, 5, 6, -6, 6.5, 20, -20, 30, -30,
              88, -88, 100, -100, 1000, -1000, np.inf, -np.inf, np.nan]
    points += list(entry.kinks) + [float(v) for k, v in params.items() if isinstance(v, float)]
    points += [-v for k, v in params.items() if k == "lambd"]
    if name == "softplus":
        t = params.get("threshold", 20.0) / params.get("beta", 1.0)
        points += [t, np.nextafter(t, np.inf), np.nextafter(t, -np.inf)]
    rng = np.random.default_rng(len(name))
    return np.array(points + list(rng.standard_normal(16) * 4))
