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

LINE_WIDTH = 80
PRECISION = 4
THRESHOLD = 1000
EDGE_ITEMS = 3


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
        # As PyTorch: only nonzero finite values set the column width (nan, inf, -0. may stick out).
        self.width = max(len(self.format(v, pad=False)) for v in finite.tolist())

    def _fixed(self, v: float) -> str:
        if math.isfinite(v):
            return f"{v:.0f}." if self.int_mode else f"{v:.{PRECISION}f}"
        return f"{v:.0f}"

    def format(self, v, pad: bool = True) -> str:
        if not self.floating:
            text = str(v)
        elif self.sci_mode:
            text = f"{v:.{PRECISION}e}"
        else:
            text = self._fixed(v)
        return text.rjust(self.width) if pad else text


def _format_array(a: np.ndarray, formatter: _Formatter, indent: int, summarize: bool) -> str:
    if a.ndim == 0:
        return formatter.format(a.item(), pad=False)
    if a.ndim == 1:
        items = a.tolist()
        if summarize and len(items) > 2 * EDGE_ITEMS:
            parts = [formatter.format(v) for v in items[:EDGE_ITEMS]] + [" ..."] + [formatter.format(v) for v in items[-EDGE_ITEMS:]]
        else:
            parts = [formatter.format(v) for v in items]
        per_line = max(1, (LINE_WIDTH - indent) // (formatter.width + 2))
        lines = [", ".join(parts[i : i + per_line]) for i in range(0, len(parts), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    n = a.shape[0]
    if summarize and n > 2 * EDGE_ITEMS:
        rows = [_format_array(a[i], formatter, indent + 1, summarize) for i in range(EDGE_ITEMS)] + ["..."] + [
            _format_array(a[i], formatter, indent + 1, summarize) for i in range(n - EDGE_ITEMS, n)]
    else:
        rows = [_format_array(a[i], formatter, indent + 1, summarize) for i in range(n)]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def _summary_values(a: np.ndarray) -> np.ndarray:
    """The elements that will be printed when the tensor is summarised (for choosing the format)."""
    if a.ndim == 0:
        return a
    if a.shape[0] > 2 * EDGE_ITEMS:
        a = np.concatenate([a[:EDGE_ITEMS], a[-EDGE_ITEMS:]])
    return np.stack([_summary_values(row) for row in a]) if a.ndim > 1 else a


def tensor_repr(t) -> str:
    data = t._data
    prefix = "tensor("
    suffixes = []
    summarize = data.size > THRESHOLD
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
