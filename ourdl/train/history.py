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


class History:
    """Per-epoch records (``epoch``, ``train_loss``, ``train_<metric>``, ``val_loss``, ``val_<metric>``, ``lr``, ``seconds``).

    ``history["train_loss"]`` is one value per epoch; ``as_dict()`` gives every column;
    ``save(path)`` writes JSON (atomically) and ``History.load(path)`` reads it back.

    >>> History([{"epoch": 1, "train_loss": 0.25}])
    History(1 epochs; last: epoch=1, train_loss=0.25)
    """

    def __init__(self, records=None):
        self.records = [dict(r) for r in records or ()]

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
        with atomic_write(path) as stream:
            stream.write(json.dumps(self.records, indent=1).encode())

    @classmethod
    def load(cls, path) -> "History":
        with open(path) as stream:
            return cls(json.load(stream))

    def __repr__(self) -> str:
        if not self.records:
            return "History(no epochs)"
        last = ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in self.records[-1].items())
        return f"History({len(self)} epochs; last: {last})"
