"""``ourdl info``: versions, the BLAS NumPy uses, and thread counts."""

from __future__ import annotations

import os
import platform
from importlib import metadata

import numpy as np

from .. import __version__


def describe() -> dict:
    """What ourdl runs on, as a dict of strings."""
    config = np.show_config(mode="dicts")
    blas = config.get("Build Dependencies", {}).get("blas", {})
    details = {
        "ourdl": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": f"{blas.get('name', 'unknown')} {blas.get('version', '')}".strip(),
        "cpu cores": str(os.cpu_count()),
    }
    try:  # threadpoolctl is optional (it comes with scikit-learn)
        from threadpoolctl import threadpool_info

        details["blas threads"] = ", ".join(f"{p['internal_api']}={p['num_threads']}" for p in threadpool_info())
    except ImportError:
        details["blas threads"] = os.environ.get("OMP_NUM_THREADS", "library default")
    for name, distribution in (("scipy", "scipy"), ("numba", "numba"), ("matplotlib", "matplotlib"), ("torch", "torch"),
                               ("sklearn", "scikit-learn")):
        try:  # the installed version, read without importing the library
            details[name] = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            details[name] = "not installed"
    return details


def run(args) -> int:
    for key, value in describe().items():
        print(f"{key:>13}: {value}")
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("info", help="print versions, BLAS and thread counts")
    parser.set_defaults(run=run)
