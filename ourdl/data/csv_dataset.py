"""``CSVDataset``: a user's own table, one sample per row, feature columns and a target column.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "flowers.csv")
>>> _ = open(path, "w").write("length,width,kind\\n5.1,3.5,setosa\\n6.3,2.9,virginica\\n")
>>> ds = CSVDataset(path, target="kind")
>>> ds.classes, ds[1]
(['setosa', 'virginica'], (tensor([6.3000, 2.9000]), tensor(1)))
"""

from __future__ import annotations

import csv

import numpy as np

from ..tensor import Tensor
from .dataset import TensorDataset


class CSVDataset(TensorDataset):
    """Rows of a CSV file with a header line: ``(features, target)`` per row.

    Args:
        path: the CSV file (first line: column names).
        target: the name of the target column.
        features: the names of the feature columns (default: every column but ``target``).
        delimiter: the field separator.

    Features become ``float32``. A numeric target whose values are all whole numbers becomes
    ``int64`` class indices, another numeric target ``float32`` (pass ``target_dtype="float32"``
    to force a regression target); a non-numeric target is encoded as indices into the sorted
    ``classes`` list.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "houses.csv")
    >>> _ = open(path, "w").write("rooms,area,price\\n3,70,2.5\\n5,120,4.25\\n")
    >>> CSVDataset(path, target="price", features=["area"])[1]
    (tensor([120.]), tensor(4.2500))
    """

    def __init__(self, path, target: str, features=None, delimiter: str = ",", target_dtype: str | None = None):
        with open(path, newline="") as stream:
            rows = list(csv.reader(stream, delimiter=delimiter))
        if not rows:
            raise ValueError(f"CSVDataset: {path} is empty; expected a header line of column names")
        header = [name.strip() for name in rows[0]]
        repeated = sorted({name for name in header if header.count(name) > 1})
        if repeated:  # a name would pick one of its columns and silently ignore the other
            raise ValueError(f"CSVDataset: {path} names column(s) {', '.join(map(repr, repeated))} more than once in "
                             "its header; give every column its own name")
        body = [row for row in rows[1:] if any(field.strip() for field in row)]
        features = [name for name in header if name != target] if features is None else list(features)
        if not features:
            raise ValueError(f"CSVDataset: {path} has no feature column besides the target {target!r} "
                             f"(columns: {header})")
        missing = [name for name in [target, *features] if name not in header]
        if missing:
            raise KeyError(f"CSVDataset: {path} has no column {', '.join(map(repr, missing))}; its columns are {header}")
        for number, row in enumerate(body, start=2):
            if len(row) != len(header):
                raise ValueError(f"CSVDataset: {path} line {number} has {len(row)} fields, the header has {len(header)}")
        columns = {name: [row[i].strip() for row in body] for i, name in enumerate(header)}
        x = np.stack([_numbers(columns[name], name, path) for name in features], axis=1).astype(np.float32)
        self.feature_names, self.target_name, self.classes = features, target, None
        super().__init__(Tensor._make(x.reshape(len(body), len(features))), Tensor._make(self._target(columns[target], path, target_dtype)))

    def _target(self, values, path, target_dtype) -> np.ndarray:
        try:
            numbers = np.array(values, dtype=np.float64)
        except ValueError:
            self.classes = sorted(set(values))
            return np.array([self.classes.index(v) for v in values], dtype=np.int64)
        if target_dtype is None:
            target_dtype = "int64" if np.all(numbers == np.round(numbers)) else "float32"
        return numbers.astype(target_dtype)


def _numbers(values, name, path) -> np.ndarray:
    try:
        return np.array(values, dtype=np.float64)
    except ValueError:
        for line, value in enumerate(values, start=2):
            try:
                float(value)
            except ValueError:
                raise ValueError(f"CSVDataset: {path} line {line}, column {name!r}: {value!r} is not a number "
                                 "(feature columns must be numeric)") from None
        raise
