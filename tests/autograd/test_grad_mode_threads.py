"""Grad mode belongs to a thread, as in PyTorch: no_grad in one thread leaves the others recording."""

import threading

import torch

import ourdl


def recording_in_other_thread(lib, inside) -> list:
    """Whether a thread records the graph while the main thread is inside ``inside``, and after."""
    seen, ready, done = [], threading.Event(), threading.Event()

    def worker():
        ready.wait()
        seen.append((ourdl_ones(lib) * 2).requires_grad)
        seen.append(lib.is_grad_enabled())
        done.set()

    thread = threading.Thread(target=worker)
    thread.start()
    with inside():
        ready.set()
        done.wait()
    thread.join()
    return seen


def ourdl_ones(lib):
    return lib.ones(2, requires_grad=True)


def test_no_grad_and_inference_mode_stay_in_their_thread_as_in_pytorch():
    for inside in ("no_grad", "inference_mode"):
        ours = recording_in_other_thread(ourdl, getattr(ourdl, inside))
        theirs = recording_in_other_thread(torch, getattr(torch, inside))
        assert ours == theirs == [True, True]


def test_a_thread_switching_recording_off_does_not_change_the_main_thread():
    def worker():
        ourdl.set_grad_enabled(False)
        assert not ourdl.is_grad_enabled()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert ourdl.is_grad_enabled()
    assert (ourdl.ones(2, requires_grad=True) * 2).requires_grad
