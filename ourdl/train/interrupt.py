"""Ctrl-C during :func:`ourdl.train.fit` with checkpoints: the batch in progress ends, then a checkpoint is saved.

Stopping at once could leave an optimiser step half applied; ``deferred_interrupt``
turns the first SIGINT into a request that ``fit`` honours after the batch, saving
a checkpoint that ``resume=True`` continues exactly, then raising
:class:`TrainingInterrupted`. A second Ctrl-C stops at once, as usual.
"""

from __future__ import annotations

import contextlib
import signal
import threading


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped :func:`ourdl.train.fit` after a checkpoint at ``epoch``, ``step`` was saved at ``path``.

    ``step`` is the number of batches of ``epoch`` trained (``None`` when the epoch had finished).

    >>> print(TrainingInterrupted(3, 17, "run/last.safetensors"))
    fit: interrupted in epoch 3 after step 17; the checkpoint at run/last.safetensors continues it (resume=True)
    """

    def __init__(self, epoch: int, step: int | None, path):
        self.epoch, self.step, self.path = epoch, step, path
        where = f"in epoch {epoch} after step {step}" if step is not None else f"after epoch {epoch}"
        super().__init__(f"fit: interrupted {where}; the checkpoint at {path} continues it (resume=True)")


class StopRequest:
    """Whether Ctrl-C has asked training to stop at the end of the batch."""

    requested = False


@contextlib.contextmanager
def deferred_interrupt(enabled: bool = True):
    """Within the block, the first SIGINT sets ``stop.requested`` instead of raising ``KeyboardInterrupt``.

    Only on the main thread and only where SIGINT has Python's default handler (a host program's own handler is
    left alone); elsewhere ``stop.requested`` stays False and Ctrl-C behaves as usual.

    >>> with deferred_interrupt() as stop:
    ...     stop.requested
    False
    """
    stop = StopRequest()
    usable = enabled and threading.current_thread() is threading.main_thread() and \
        signal.getsignal(signal.SIGINT) is signal.default_int_handler
    if not usable:
        yield stop
        return

    def request(signum, frame):
        stop.requested = True
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C stops at once

    signal.signal(signal.SIGINT, request)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
