"""Where a sweep's runs go: this process, joblib's worker processes, or a Dask cluster through joblib's Dask backend.

The sweep's code is the same in every case: only joblib's backend changes. Dask is
imported only when a cluster is asked for.

>>> with backend(n_jobs=1, cluster=None) as (name, workers):
...     name, workers
('sequential', 1)
"""

from __future__ import annotations

import contextlib
import os


def _one_thread_environment() -> None:
    """Worker processes start with one BLAS/OpenMP thread each, so that ``n`` workers use ``n`` cores, not ``n²``."""
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        os.environ.setdefault(variable, "1")


@contextlib.contextmanager
def backend(n_jobs: int, cluster: str | None):
    """Yield joblib's ``(backend name, n_jobs)`` for ``n_jobs`` workers on ``cluster``.

    The name is ``None`` for Dask: its backend is set here, with ``joblib.parallel_config``.

    ``cluster=None``: ``"sequential"`` for one job, else ``"loky"`` processes. ``"local"``:
    a ``dask.distributed.LocalCluster`` of ``n_jobs`` one-thread worker processes, closed after
    the sweep. ``"tcp://host:port"``: the scheduler there (an unreachable one is a
    ``ConnectionError`` after 5 s); its workers set the parallelism.
    """
    if cluster is None:
        if n_jobs > 1:
            _one_thread_environment()
        yield ("sequential" if n_jobs == 1 else "loky"), n_jobs
        return
    _one_thread_environment()
    try:
        from dask.distributed import Client, LocalCluster
        import joblib
    except ImportError:
        raise ImportError("lab: a cluster needs Dask: pip install 'ourdl[lab]' (or dask distributed)") from None
    if cluster == "local":
        with LocalCluster(n_workers=n_jobs, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=40) as local, Client(local), joblib.parallel_config(backend="dask"):
            yield None, -1  # the backend set by parallel_config (naming it again in Parallel breaks joblib 1.6)
        return
    if not cluster.startswith(("tcp://", "tls://", "ws://", "wss://", "inproc://", "ucx://")):
        raise ValueError(f"lab: cluster must be 'local' or a scheduler address like tcp://HOST:PORT, got {cluster!r}")
    try:
        client = Client(cluster, timeout="5s")
    except (OSError, TimeoutError) as error:
        raise ConnectionError(f"lab: cannot reach the Dask scheduler at {cluster}: {error}") from None
    with client, joblib.parallel_config(backend="dask"):
        yield None, -1  # the backend set by parallel_config (naming it again in Parallel breaks joblib 1.6)
