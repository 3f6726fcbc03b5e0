"""The sweep's tidy table: one JSON object per line and per run, rewritten atomically after every finished run.

A row holds ``experiment``, ``params`` (the grid point, e.g. ``{"activation": "relu"}``), ``seed``,
``status`` (``"ok"`` or ``"failed"``), ``error`` (the exception of a failed run, else ``None``),
``metrics`` (what the run measured, fixed by the grid point and the seed, but for wall-clock
measurements, kept under ``metrics["timings"]``) and ``seconds`` (the run's wall-clock time). The file reads
with ``pandas.read_json(path, lines=True)`` (``pandas.json_normalize`` flattens the nested columns).
A run is known by its :func:`run_key`, so a sweep stopped half-way resumes where it stopped.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "runs.jsonl"
>>> row = {"experiment": "demo", "params": {"activation": "relu"}, "seed": 7, "status": "ok", "error": None,
...        "metrics": {"accuracy": 0.5}, "seconds": 0.1}
>>> save_rows(path, [row])
>>> load_rows(path) == [row]
True
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ..data.files import atomic_write

COLUMNS = ("experiment", "params", "seed", "status", "error", "metrics", "seconds")


class ResultsTableError(ValueError):
    """A results table that cannot be read: not JSON lines, or a line without the table's columns."""


def run_key(experiment: str, params: dict, seed: int) -> str:
    """The identity of one run: the experiment, its grid point and its seed, as one canonical string.

    >>> run_key("demo", {"lr": 0.1, "activation": "relu"}, 3)
    'demo|{"activation": "relu", "lr": 0.1}|3'
    """
    return f"{experiment}|{json.dumps(params, sort_keys=True)}|{int(seed)}"


def _plain(value):
    """NumPy scalars and arrays as the Python numbers and lists JSON holds; anything else is an error."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"lab: a run's metrics must be numbers, strings, lists or dicts; got {type(value).__name__}")


def as_json(metrics: dict) -> dict:
    """``metrics`` as they read back from the table (NumPy numbers to Python's, tuples to lists).

    A fresh run's row then equals the row a resumed sweep reads from the table.

    >>> as_json({"accuracy": np.float32(0.5), "curve": (1, 2), "counts": np.arange(2)})
    {'accuracy': 0.5, 'curve': [1, 2], 'counts': [0, 1]}
    """
    return json.loads(json.dumps(metrics, default=_plain))


def load_rows(path) -> list[dict]:
    """The rows of the table at ``path`` (none if it does not exist); a damaged file raises :class:`ResultsTableError`.

    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "runs.jsonl"
    >>> _ = bad.write_text("not json\\n")
    >>> load_rows(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    ourdl.lab.results_table.ResultsTableError: lab: the results table .../runs.jsonl is corrupt at line 1 ...
    """
    path = Path(path)
    if not path.exists():
        return []
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ResultsTableError(f"lab: the results table {path} is corrupt at line {number} ({error.msg}); "
                                    "move it away to start the sweep afresh") from None
        if not isinstance(row, dict) or set(COLUMNS) - set(row):
            raise ResultsTableError(f"lab: the results table {path} is corrupt at line {number}: a row needs the "
                                    f"columns {', '.join(COLUMNS)}; move it away to start the sweep afresh")
        rows.append(row)
    return rows


def save_rows(path, rows: list[dict]) -> None:
    """Write ``rows`` to ``path`` in one atomic replacement: a reader sees the old table or the new one, never half.

    NaN and infinities are written as JSON's ``NaN``/``Infinity`` (which Python and pandas read back).
    """
    TableWriter(path, rows).write()


class TableWriter:
    """A table that grows one row at a time, rewritten atomically (:func:`save_rows`) after each row is added.

    Each row is turned into JSON once, when it is added: a sweep of ``n`` runs serialises ``n`` rows,
    not ``n²/2`` (the process collecting the rows shares the cores with the workers).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "runs.jsonl"
    >>> writer = TableWriter(path, [{"seed": 1}])
    >>> writer.add({"seed": 2})
    >>> path.read_text().splitlines()
    ['{"seed": 1}', '{"seed": 2}']
    """

    def __init__(self, path, rows=()):
        self.path = path
        self._lines = [json.dumps(row) + "\n" for row in rows]

    def add(self, row: dict) -> None:
        """Append ``row`` and rewrite the file."""
        self._lines.append(json.dumps(row) + "\n")
        self.write()

    def write(self) -> None:
        """Replace the file with the rows so far, atomically."""
        with atomic_write(self.path) as stream:
            stream.write("".join(self._lines).encode("utf-8"))


def column(rows: list[dict], metric: str, **params) -> list:
    """The ``metric`` of every successful row whose parameters include ``params``, in the rows' (seed) order.

    A failed run gives NaN, so that paired columns keep their seeds aligned.

    >>> rows = [{"params": {"act": "relu"}, "status": "ok", "metrics": {"acc": 0.9}},
    ...         {"params": {"act": "tanh"}, "status": "ok", "metrics": {"acc": 0.8}},
    ...         {"params": {"act": "relu"}, "status": "failed", "metrics": {}}]
    >>> column(rows, "acc", act="relu")
    [0.9, nan]
    """
    return [row["metrics"].get(metric, float("nan")) if row["status"] == "ok" else float("nan")
            for row in rows if all(row["params"].get(k) == v for k, v in params.items())]
