"""Loading batches in worker processes, as ``torch.utils.data``'s ``num_workers``.

Each worker holds the dataset (inherited with ``fork``, pickled with ``spawn``) and a fetcher; the loading
process sends it tasks (a batch's indices, or "the next batch" of an iterable dataset) and receives the
batches, which it hands out in the order of the tasks. A worker runs with one thread and with the global
generator (and Python's ``random``) seeded by ``base_seed + id``, so random transforms differ between
workers and repeat between runs. ``get_worker_info()`` tells code running in a worker which one it is.

>>> get_worker_info() is None   # in the loading process
True
"""

from __future__ import annotations

import itertools
import multiprocessing
import pickle
import queue
import random
import time
import traceback

from multiprocessing.reduction import ForkingPickler

from ..ops.random import manual_seed
from ..threads import set_num_threads

__all__ = ["WorkerInfo", "get_worker_info"]

_POLL_SECONDS = 1.0  # how often a wait for a batch checks that the workers are still alive


class WorkerInfo:
    """What a worker knows of itself: ``id`` (0 to ``num_workers - 1``), ``num_workers``, its ``seed`` and its
    copy of the ``dataset``.

    >>> WorkerInfo(id=1, num_workers=2, seed=7, dataset=range(4))
    WorkerInfo(id=1, num_workers=2, seed=7, dataset=range(0, 4))
    """

    __slots__ = ("id", "num_workers", "seed", "dataset")

    def __init__(self, id: int, num_workers: int, seed: int, dataset):
        self.id, self.num_workers, self.seed, self.dataset = id, num_workers, seed, dataset

    def __repr__(self) -> str:
        return f"WorkerInfo(id={self.id}, num_workers={self.num_workers}, seed={self.seed}, dataset={self.dataset!r})"


class _Current:
    info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """In a :class:`~ourdl.data.DataLoader` worker process, its :class:`WorkerInfo`; elsewhere ``None``.

    An :class:`~ourdl.data.IterableDataset` uses it to read only its share of a stream:

    >>> import ourdl
    >>> from ourdl.data import DataLoader, IterableDataset
    >>> class Shares(IterableDataset):
    ...     def __iter__(self):
    ...         info = get_worker_info()
    ...         start, step = (0, 1) if info is None else (info.id, info.num_workers)
    ...         return iter(range(start, 6, step))
    >>> [batch.tolist() for batch in DataLoader(Shares(), batch_size=2, num_workers=2)]
    [[0, 2], [1, 3], [4], [5]]
    """
    return _Current.info


class _End:
    """A worker's answer when its stream (an iterable dataset's copy) has ended."""


class _Failure:
    """An exception raised in a worker, carried to the loading process as its type and formatted traceback."""

    def __init__(self, error: BaseException, worker_id: int):
        self.type, self.worker_id = type(error), worker_id
        self.text = "".join(traceback.format_exception(error))

    def raise_again(self):
        message = f"Caught {self.type.__name__} in DataLoader worker process {self.worker_id}.\nOriginal {self.text}"
        try:
            error = self.type(message)
        except Exception:  # a type whose constructor takes other arguments: say what it was
            error = RuntimeError(message)
        raise error


_RESET = "reset"


def _worker_main(worker_id, num_workers, seed, fetcher, init_fn, tasks, results):
    _Current.info = WorkerInfo(worker_id, num_workers, seed, fetcher.dataset)
    manual_seed(seed)
    random.seed(seed)
    set_num_threads(1)
    try:
        if init_fn is not None:
            init_fn(worker_id)
    except Exception as error:
        _send(results, None, _Failure(error, worker_id))
        return
    while True:
        task = tasks.get()
        if task is None:
            return
        if task == _RESET:
            fetcher.reset()
            continue
        number, index = task
        try:
            answer = fetcher.fetch(index)
        except StopIteration:
            answer = _End()
        except Exception as error:
            answer = _Failure(error, worker_id)
        _send(results, number, answer, worker_id)


def _send(results, number, answer, worker_id=0) -> None:
    """Put ``(number, answer)`` on the queue already pickled: a batch that cannot be pickled (a lambda in a
    sample) becomes its error here, where a queue's own pickling would drop it in a background thread."""
    try:
        payload = ForkingPickler.dumps((number, answer))
    except Exception as error:
        payload = ForkingPickler.dumps((number, _Failure(error, worker_id)))
    results.put(bytes(payload))


class WorkerPool:
    """``num_workers`` processes fetching with ``fetcher``; :meth:`epoch` runs one pass over a stream of tasks.

    ``context`` is a ``multiprocessing`` context or a start method's name (default: the platform's);
    ``timeout`` (seconds, 0 for none) bounds each wait for a batch.
    """

    def __init__(self, fetcher, num_workers: int, base_seed: int, init_fn=None, context=None,
                 prefetch_factor: int = 2, timeout: float = 0, in_order: bool = True):
        if context is None or isinstance(context, str):
            context = multiprocessing.get_context(context)
        self.prefetch, self.timeout, self.in_order = prefetch_factor * num_workers, timeout, in_order
        self.results = context.Queue()
        self.tasks = [context.Queue() for _ in range(num_workers)]
        self.workers = [context.Process(target=_worker_main, daemon=True,
                                        args=(i, num_workers, base_seed + i, fetcher, init_fn, self.tasks[i],
                                              self.results))
                        for i in range(num_workers)]
        for worker in self.workers:
            worker.start()
        self._number = 0  # the next task's number

    def epoch(self, indices=None):
        """The batches of one pass, in order: one per item of ``indices``, or, for an iterable dataset
        (``indices=None``), each worker's batches in turn until every worker's stream has ended.

        Tasks are numbered across passes, so the answers to a pass left unfinished are recognised and dropped.
        """
        if self._number:
            for tasks in self.tasks:
                tasks.put(_RESET)
        stream = iter(indices) if indices is not None else None
        active = list(range(len(self.workers)))
        turn = itertools.cycle(range(len(self.workers)))
        pending, ready, wanted = {}, {}, self._number
        while True:
            while active and len(pending) < self.prefetch:
                try:
                    index = next(stream) if stream is not None else None
                except StopIteration:
                    active = []
                    break
                worker = next(w for w in turn if w in active)
                self.tasks[worker].put((self._number, index))
                pending[self._number] = worker
                self._number += 1
            if not pending and not ready:
                return
            while (wanted not in ready) if self.in_order else not ready:
                number, batch = self._receive()
                if number is None:  # the worker's init function failed
                    batch.raise_again()
                if number not in pending:  # from a pass left unfinished
                    continue
                worker = pending.pop(number)
                if isinstance(batch, _End):
                    if worker in active:
                        active.remove(worker)
                    batch = None  # keeps the ended stream's place in the order
                ready[number] = batch
            batch = ready.pop(wanted if self.in_order else next(iter(ready)))
            wanted += 1
            if isinstance(batch, _Failure):
                batch.raise_again()
            if batch is not None:
                yield batch

    def _receive(self):
        start = time.monotonic()
        while True:
            wait = _POLL_SECONDS if not self.timeout else min(_POLL_SECONDS, self.timeout)
            try:
                return pickle.loads(self.results.get(timeout=wait))
            except queue.Empty:
                dead = [w.pid for w in self.workers if not w.is_alive()]
                if dead:
                    raise RuntimeError(f"DataLoader worker (pid(s) {', '.join(map(str, dead))}) exited "
                                       "unexpectedly") from None
                if self.timeout and time.monotonic() - start >= self.timeout:
                    raise RuntimeError(f"DataLoader timed out after {self.timeout} seconds") from None

    def close(self) -> None:
        """Stop the workers (each finishes its task in hand) and release the queues."""
        for tasks, worker in zip(self.tasks, self.workers):
            if worker.is_alive():
                tasks.put(None)
        for worker in self.workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.terminate()
                worker.join()
        for q in self.tasks + [self.results]:
            q.cancel_join_thread()
            q.close()
