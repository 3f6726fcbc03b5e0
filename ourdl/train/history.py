"""``History``: what :func:`ourdl.train.fit` measured, one record per epoch.

>>> h = History()
>>> h.append({"epoch": 1, "train_loss": 0.9})
>>> h.append({"epoch": 2, "train_loss": 0.5, "val_loss": 0.6})
>>> h["train_loss"], h.as_dict()["val_loss"]
([0.9, 0.5], [None, 0.6])
"""

from __future__ import annotations

import json

from ..data.files import atomic_write
from ..rich_display import html_table, line_chart


class History:
    """Per-epoch records (``epoch``, ``train_loss``, ``train_<metric>``, ``val_loss``, ``val_<metric>``, ``lr``, ``seconds``).

    ``history["train_loss"]`` is one value per epoch; ``as_dict()`` gives every column;
    ``save(path)`` writes JSON (atomically) and ``History.load(path)`` reads it back.
    ``diverged`` is ``None``, or ``{"epoch", "step", "loss"}`` where a run that
    ``fit(..., on_divergence="stop")`` ended met its first NaN or infinite loss.
    ``nonfinite`` lists the steps ``fit(..., on_divergence="continue")`` skipped, each as
    ``{"epoch", "step", "loss"}``.

    >>> History([{"epoch": 1, "train_loss": 0.25}])
    History(1 epochs; last: epoch=1, train_loss=0.25)
    >>> History([{"epoch": 1, "train_loss": float("inf")}], diverged={"epoch": 1, "step": 4, "loss": float("inf")})
    History(1 epochs; last: epoch=1, train_loss=inf; diverged at epoch 1, step 4)
    >>> History([{"epoch": 1, "train_loss": 0.5}], nonfinite=[{"epoch": 1, "step": 2, "loss": float("nan")}])
    History(1 epochs; last: epoch=1, train_loss=0.5; 1 non-finite step skipped)
    """

    def __init__(self, records=None, diverged: dict | None = None, nonfinite=None):
        self.records = [dict(r) for r in records or ()]
        self.diverged = dict(diverged) if diverged is not None else None
        self.nonfinite = [dict(s) for s in nonfinite or ()]

    def append(self, record: dict) -> None:
        self.records.append(dict(record))

    def keys(self) -> list:
        names = []
        for record in self.records:
            names += [k for k in record if k not in names]
        return names

    def __getitem__(self, key: str) -> list:
        if key not in self.keys():
            raise KeyError(f"History has no {key!r}; it has {self.keys()}")
        return [record.get(key) for record in self.records]

    def __len__(self) -> int:
        return len(self.records)

    def as_dict(self) -> dict:
        """Column name -> list of per-epoch values (None where an epoch has no value)."""
        return {key: self[key] for key in self.keys()}

    def save(self, path) -> None:
        """Write ``{"records": [...], "diverged": ..., "nonfinite": [...]}`` as JSON (NaN and inf as ``NaN`` and
        ``Infinity``)."""
        with atomic_write(path) as stream:
            stream.write(json.dumps({"records": self.records, "diverged": self.diverged,
                                     "nonfinite": self.nonfinite}, indent=1).encode())

    @classmethod
    def load(cls, path) -> "History":
        """Read what :meth:`save` wrote; a bare list of records (the format before ``diverged``) reads too."""
        with open(path) as stream:
            saved = json.load(stream)
        if isinstance(saved, list):
            return cls(saved)
        return cls(saved["records"], saved["diverged"], saved.get("nonfinite"))

    def __repr__(self) -> str:
        if not self.records:
            return "History(no epochs)"
        last = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in self.records[-1].items())
        stop = f"; diverged at epoch {self.diverged['epoch']}, step {self.diverged['step']}" if self.diverged else ""
        if self.nonfinite:
            stop += f"; {len(self.nonfinite)} non-finite step{'s' * (len(self.nonfinite) > 1)} skipped"
        return f"History({len(self)} epochs; last: {last}{stop})"

    def _repr_html_(self) -> str:
        """The losses (and each metric) per epoch as small charts, then the table of every epoch."""
        if not self.records:
            return "<div>History: no epochs</div>"
        epochs = [record.get("epoch", i + 1) for i, record in enumerate(self.records)]
        columns = self.as_dict()
        numeric = {k: [float("nan") if v is None else v for v in values] for k, values in columns.items()
                   if k not in ("epoch", "seconds", "lr") and all(isinstance(v, (int, float, type(None))) for v in values)}
        losses = {k: v for k, v in numeric.items() if k.endswith("loss")}
        metrics = {k: v for k, v in numeric.items() if not k.endswith("loss")}
        charts = "".join(line_chart(epochs, group, xlabel="epoch") for group in (losses, metrics) if group)
        stop = f" (diverged at epoch {self.diverged['epoch']}, step {self.diverged['step']})" if self.diverged else ""
        table = html_table(list(columns), [[r.get(k) for k in columns] for r in self.records],
                           caption=f"History: {len(self)} epochs{stop}")
        return f'<div style="display:flex;gap:12px;flex-wrap:wrap">{charts}</div>{table}'
