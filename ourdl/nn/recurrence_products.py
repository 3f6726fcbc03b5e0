"""The large matrix products around a recurrent layer's steps, by chunks of steps on a second thread.

A layer's recurrence is a chain of small products, one per step, each waiting for the one before: one core's work.
The products over all steps, the input's share of the gates :math:`x_t W_{ih}^T + b` before the steps and, once
backpropagation through time has the gates' gradients :math:`\\partial a_t`, the gradients

.. math::
    \\partial x_t = \\partial a_t W_{ih},\\quad \\partial W_{ih} = \\sum_t \\partial a_t^T x_t,\\quad
    \\partial W_{hh} = \\sum_t \\partial a_t^T h_{t-1},\\quad \\partial b = \\sum_t \\partial a_t

wait for no step after their own. So they are cut into chunks of :data:`CHUNK` steps and computed on a second
thread while the steps run: the projection of the next chunk while the steps of this one run, and a chunk's
gradients as soon as backpropagation has passed it. Each thread runs its products on one BLAS thread (a two-thread
BLAS on products this small spins more than it computes, many times slower on a busy machine). With
``ourdl.set_num_threads(1)`` the chunks run in turn on the calling thread.

>>> import numpy as np
>>> with one_blas_thread():
...     xw = Projection(np.ones((25, 2, 3)), np.ones((4, 3)), np.zeros(4), reverse=False)
...     row = xw[24]
...     xw.finish()
>>> row
array([[3., 3., 3., 3.],
       [3., 3., 3., 3.]])
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..ops import array_or_tensor as dual
from ..threads import get_num_threads

CHUNK = 10  # steps per chunk: a chunk's products are long enough to pay for a hand-over, and the first comes soon

_POOL: list = []
_CONTROLLER: list = []


def one_blas_thread():
    """A context in which NumPy's BLAS, and SciPy's that compiled kernels call (``np.dot`` under numba), use one
    thread (on every thread of the process).

    >>> with one_blas_thread():
    ...     pass
    """
    if not _CONTROLLER:
        import scipy.linalg.cython_blas  # noqa: F401  (loaded before the controller looks, so that it is limited too)
        from threadpoolctl import ThreadpoolController  # deferred: it inspects the loaded libraries when created

        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0].limit(limits=1, user_api="blas")


def _pool():
    """The second thread, made on first use; None with one thread allowed (``ourdl.set_num_threads(1)``). A
    process forked after it was made (a data loader's worker) makes its own: it inherits the pool, not its thread."""
    if get_num_threads() < 2:
        return None
    if not _POOL or _POOL[0][0] != os.getpid():
        _POOL[:] = [(os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="ourdl-recurrence"))]
    return _POOL[0][1]


def spans(length: int, reverse: bool) -> list:
    """The chunks of ``range(length)`` in the order the steps run (backwards in time when ``reverse``).

    >>> spans(25, True)
    [slice(20, 25, None), slice(10, 20, None), slice(0, 10, None)]
    """
    chunks = [slice(s, min(s + CHUNK, length)) for s in range(0, length, CHUNK)]
    return chunks[::-1] if reverse else chunks


class _Chunks:
    """Work per chunk, run on the second thread (or at once on this one); ``finish`` waits for all of it."""

    def __init__(self):
        self.pool, self.futures = _pool(), {}

    def submit(self, key, work, *args) -> None:
        if self.pool is None:
            work(*args)
        else:
            self.futures[key] = (self.pool.submit(work, *args), work, args)

    def wait(self, key) -> None:
        entry = self.futures.pop(key, None)
        if entry is not None:
            entry[0].result()

    def finish(self, share: bool = False) -> None:
        """Wait for every chunk (also after an error: no work may still write into the arrays), re-raising the
        first error. With ``share``, this thread runs the chunks the second thread has not started yet, from the
        last one back, until the two meet."""
        entries, self.futures = list(self.futures.values()), {}
        error = None
        if share:
            for future, work, args in reversed(entries):
                if not future.cancel():  # the second thread has started it: it runs the ones before too
                    break
                try:
                    work(*args)
                except BaseException as raised:  # noqa: BLE001  (re-raised below, once the second thread is done)
                    error = error or raised
        for future, _, _ in entries:
            if not future.cancelled() and future.exception() is not None:
                error = error or future.exception()
        if error is not None:
            raise error


class Projection(_Chunks):
    """``xw = x W^T + b`` ``(T, B, G)`` of ``x`` ``(T, B, F)``, computed chunk by chunk in the order the steps read
    it: ``xw[t]`` waits for the chunk of step ``t``. The first chunk is computed at once, the others on the second
    thread."""

    def __init__(self, x, w, b, reverse: bool):
        super().__init__()
        length, batch = x.shape[:2]
        self.out = np.empty((length, batch, w.shape[0]), x.dtype)
        self.shape, self.dtype = self.out.shape, self.out.dtype
        self.x, self.w_t, self.b = x, w.T, b
        order = spans(length, reverse)
        if order:
            self._project(order[0])
        for span in order[1:]:
            self.submit(span.start // CHUNK, self._project, span)

    def _project(self, span) -> None:
        rows = self.out[span].reshape(-1, self.out.shape[-1])  # a view: the chunk's steps are contiguous
        np.matmul(self.x[span].reshape(-1, self.x.shape[-1]), self.w_t, out=rows)
        if self.b is not None:
            rows += self.b

    def __getitem__(self, t: int):
        self.wait(t // CHUNK)
        return self.out[t]

    def ready(self, span: slice):
        """The whole ``(T, B, G)`` array, once the rows of the chunk ``span`` are in it."""
        self.wait(span.start // CHUNK)
        return self.out


def hidden_weight_grad(d_hw, states, h0, reverse: bool, span: slice):
    """:math:`\\sum_t \\partial hw_t^T h_{t-1}` over the steps of ``span``: the step that starts from ``h0`` apart,
    the others in one product with the states as they lie (no copy shifted by one step). Arrays or tensors.

    >>> import numpy as np
    >>> hidden_weight_grad(np.ones((2, 1, 1)), np.full((2, 1, 1), 3.0), np.ones((1, 1)), False, slice(0, 2))
    array([[4.]])
    """
    length, width, n = d_hw.shape[0], d_hw.shape[-1], h0.shape[-1]
    edge = length - 1 if reverse else 0
    lo, hi = span.start + (edge == span.start and not reverse), span.stop - (edge == span.stop - 1 and reverse)
    shift = 1 if reverse else -1
    d_w = d_hw[edge].mT @ h0 if span.start <= edge < span.stop else 0
    if hi > lo:
        d_w = d_w + d_hw[lo:hi].reshape((-1, width)).mT @ states[lo + shift:hi + shift].reshape((-1, n))
    return d_w


def input_side_grads(d_xw, d_hw, x, w_ih, states, h0, reverse: bool, span: slice, needs) -> list:
    """The gradients of ``x`` (the steps of ``span``), :math:`W_{ih}`, :math:`b_{ih}`, :math:`W_{hh}`,
    :math:`b_{hh}` from the gates' gradients of the input's share ``d_xw`` and of the hidden share ``d_hw`` (the
    same array but for a GRU), over the steps of ``span``; None where ``needs`` (five booleans) says no. Arrays or
    tensors: this is also the differentiable backward (``create_graph``).

    >>> import numpy as np
    >>> d = np.ones((1, 1, 2))
    >>> input_side_grads(d, d, np.ones((1, 1, 3)), np.ones((2, 3)), np.ones((2, 1, 1)), np.zeros((1, 1)), False,
    ...                  slice(0, 1), [True] * 5)[0]
    array([[[2., 2., 2.]]])
    """
    rows_x = d_xw[span].reshape((-1, d_xw.shape[-1]))
    grads = [None] * 5
    if needs[0]:
        grads[0] = (rows_x @ w_ih).reshape(tuple(d_xw[span].shape[:-1]) + (w_ih.shape[-1],))
    if needs[1]:
        grads[1] = rows_x.mT @ x[span].reshape((-1, x.shape[-1]))
    if needs[2]:
        grads[2] = dual.reduce_sum(rows_x, 0)
    if needs[3]:
        grads[3] = hidden_weight_grad(d_hw, states, h0, reverse, span)
    if needs[4]:
        same = d_hw is d_xw and isinstance(grads[2], np.ndarray)  # LSTM, RNN: b_ih's gradient, in its own array
        grads[4] = grads[2].copy() if same else dual.reduce_sum(d_hw[span].reshape((-1, d_hw.shape[-1])), 0)
    return grads


class InputSideGrads(_Chunks):
    """:func:`input_side_grads` on arrays, chunk by chunk as backpropagation through time completes the gates'
    gradients (``step_done(t)`` after each step); ``result()`` the five gradients. The chunks' parts are summed in
    the order backpropagation completes the chunks, whichever thread computed them, so that the sums are the same
    from run to run; each part is added as soon as the ones before it are, by the thread that finished it, so
    that little summing is left when the last chunk is done."""

    def __init__(self, x, w_ih, states, h0, reverse: bool, needs):
        super().__init__()
        self.x, self.w_ih, self.states, self.h0, self.reverse, self.needs = x, w_ih, states, h0, reverse, needs
        self.d_x = np.empty(x.shape, x.dtype) if needs[0] else None
        self.order = spans(x.shape[0], not reverse)  # the order backpropagation through time completes them in
        self.parts: dict = {}  # chunk start -> its parts of the gradients of W_ih, b_ih, W_hh, b_hh, until added
        self.sums: list = [None] * 4
        self.added = 0  # how many chunks of self.order are in self.sums
        self.lock = threading.Lock()
        self.closing = {(span.stop - 1 if reverse else span.start): span for span in self.order}

    def step_done(self, d_xw, d_hw, t: int) -> None:
        span = self.closing.get(t)
        if span is not None:
            self.submit(t, self._chunk, d_xw, d_hw, span)

    def all_done(self, d_xw, d_hw) -> None:
        """Every gate gradient known at once (cells whose backward has no chunks): all chunks now."""
        for span in self.order:
            self.submit(span.start, self._chunk, d_xw, d_hw, span)

    def _chunk(self, d_xw, d_hw, span) -> None:
        if self.d_x is not None:  # straight into its rows of the gradient of x (a view: the steps are contiguous)
            rows = self.d_x[span].reshape(-1, self.d_x.shape[-1])
            np.matmul(d_xw[span].reshape(-1, d_xw.shape[-1]), self.w_ih, out=rows)
        grads = input_side_grads(d_xw, d_hw, self.x, self.w_ih, self.states, self.h0, self.reverse, span,
                                 [False, *self.needs[1:]])
        with self.lock:
            self.parts[span.start] = grads[1:]
            while self.added < len(self.order) and self.order[self.added].start in self.parts:
                for k, part in enumerate(self.parts.pop(self.order[self.added].start)):
                    if part is None:
                        continue
                    if self.sums[k] is None:
                        self.sums[k] = part
                    else:  # in place: every part is an array of its own (or 0, for a chunk without a product)
                        self.sums[k] += part
                self.added += 1

    def result(self) -> tuple:
        self.finish(share=True)
        return (self.d_x, *self.sums)
