"""``repr`` of a tensor, laid out as PyTorch prints it.

>>> import ourdl
>>> ourdl.tensor([[1.0, 2.5], [3.0, 4.0]])
tensor([[1.0000, 2.5000],
        [3.0000, 4.0000]])
"""

from __future__ import annotations

import math

import numpy as np

from . import dtypes

PROFILES = {"default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
            "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
            "full": {"precision": 4, "threshold": float("inf"), "edgeitems": 3, "linewidth": 80}}
OPTIONS = {**PROFILES["default"], "sci_mode": None}
"""How tensors print; changed by :func:`set_printoptions`. ``sci_mode`` None lets the values choose."""


def set_printoptions(precision: int | None = None, threshold: float | None = None, edgeitems: int | None = None,
                     linewidth: int | None = None, profile: str | None = None, sci_mode: bool | None = None) -> None:
    """Set how tensors print, as ``torch.set_printoptions``: digits after the point, the element count above which
    a tensor is summarised with ``...``, the items kept at each edge then, the line width, a ``profile``
    (``'default'``, ``'short'``, ``'full'``) setting all four, and ``sci_mode`` (True/False forces scientific or
    fixed notation, None chooses; every call sets it, as in PyTorch).

    >>> import ourdl
    >>> set_printoptions(precision=2)
    >>> ourdl.tensor([1.2345, 2.0])
    tensor([1.23, 2.00])
    >>> set_printoptions(profile="default")
    """
    if profile is not None:
        if profile not in PROFILES:
            raise ValueError(f"set_printoptions: profile must be one of {sorted(PROFILES)}, got {profile!r}")
        OPTIONS.update(PROFILES[profile])
    for name, value in (("precision", precision), ("threshold", threshold), ("edgeitems", edgeitems),
                        ("linewidth", linewidth)):
        if value is not None:
            OPTIONS[name] = value
    OPTIONS["sci_mode"] = sci_mode  # as PyTorch: every call sets it, None by default


class _Formatter:
    """Chooses one format for all elements: integer-valued floats, fixed point, or scientific."""

    def __init__(self, values: np.ndarray):
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode = True, False
        flat = values.reshape(-1)
        if not self.floating:
            self.width = max((len(str(v)) for v in flat.tolist()), default=1)
            return
        finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if finite.size == 0:
            self.width = 1
            return
        magnitudes = np.abs(finite)
        low, high = magnitudes.min(), magnitudes.max()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        if self.int_mode:
            self.sci_mode = high / low > 1000.0 or high > 1.0e8
        else:
            self.sci_mode = high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4
        if OPTIONS["sci_mode"] is not None:
            self.sci_mode = OPTIONS["sci_mode"]
        # As PyTorch: only nonzero finite values set the column width (nan, inf, -0. may stick out).
        self.width = max(len(self.format(v, pad=False)) for v in finite.tolist())

    def _fixed(self, v: float) -> str:
        if math.isfinite(v):
            return f"{v:.0f}." if self.int_mode else f"{v:.{OPTIONS['precision']}f}"
        return f"{v:.0f}"

    def format(self, v, pad: bool = True) -> str:
        if not self.floating:
            text = str(v)
        elif self.sci_mode:
            text = f"{v:.{OPTIONS['precision']}e}"
        else:
            text = self._fixed(v)
        return text.rjust(self.width) if pad else text


def _format_array(a: np.ndarray, formatter: _Formatter, indent: int, summarize: bool) -> str:
    if a.ndim == 0:
        return formatter.format(a.item(), pad=False)
    if a.ndim == 1:
        items = a.tolist()
        if summarize and len(items) > 2 * OPTIONS['edgeitems']:
            parts = [formatter.format(v) for v in items[:OPTIONS['edgeitems']]] + [" ..."] + [formatter.format(v) for v in items[-OPTIONS['edgeitems']:]]
        else:
            parts = [formatter.format(v) for v in items]
        per_line = max(1, (OPTIONS['linewidth'] - indent) // (formatter.width + 2))
        lines = [", ".join(parts[i : i + per_line]) for i in range(0, len(parts), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    n = a.shape[0]
    if summarize and n > 2 * OPTIONS['edgeitems']:
        rows = [_format_array(a[i], formatter, indent + 1, summarize) for i in range(OPTIONS['edgeitems'])] + ["..."] + [
            _format_array(a[i], formatter, indent + 1, summarize) for i in range(n - OPTIONS['edgeitems'], n)]
    else:
        rows = [_format_array(a[i], formatter, indent + 1, summarize) for i in range(n)]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def _summary_values(a: np.ndarray) -> np.ndarray:
    """The elements that will be printed when the tensor is summarised (for choosing the format)."""
    if a.ndim == 0:
        return a
    if a.shape[0] > 2 * OPTIONS['edgeitems']:
        a = np.concatenate([a[:OPTIONS['edgeitems']], a[-OPTIONS['edgeitems']:]])
    return np.stack([_summary_values(row) for row in a]) if a.ndim > 1 else a


def tensor_repr(t) -> str:
    data = t._data
    prefix = "tensor("
    suffixes = []
    summarize = data.size > OPTIONS['threshold']
    if data.size == 0:
        body = "[]"
        if data.shape != (0,):
            suffixes.append(f"size={tuple(data.shape)}")
    else:
        shown = _summary_values(data) if summarize else data
        body = _format_array(data, _Formatter(shown), len(prefix), summarize)
    dtype = t.dtype
    if dtype not in (dtypes.get_default_dtype(), dtypes.int64, dtypes.bool_):
        suffixes.append(f"dtype={dtype!r}")
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return prefix + body + "".join(", " + s for s in suffixes) + ")"
