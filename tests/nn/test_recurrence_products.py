"""The products over all steps, by chunks beside the steps: the same numbers on one thread and on two, for every
cell and direction, over lengths that are and are not a multiple of the chunk; the chunked sums against one
product."""

import numpy as np
import pytest

import ourdl
from ourdl import nn
from ourdl.nn.recurrence_products import CHUNK, hidden_weight_grad, input_side_grads

KINDS = [("RNN", {}), ("LSTM", {}), ("GRU", {})]


def gradients(layer, x):
    layer.zero_grad()
    xt = ourdl.tensor(x, requires_grad=True)
    out, _ = layer(xt)
    (out * ourdl.tensor(np.linspace(-1, 1, out.numel()).reshape(out.shape).astype(x.dtype))).sum().backward()
    return [out.detach().numpy(), xt.grad.numpy()] + [p.grad.numpy().copy() for p in layer.parameters()]


@pytest.mark.parametrize("name, options", KINDS)
@pytest.mark.parametrize("length", [1, CHUNK, 2 * CHUNK + 3])
def test_one_thread_and_two_give_the_same_numbers(name, options, length):
    ourdl.manual_seed(0)
    layer = getattr(nn, name)(3, 5, bidirectional=True, **options)
    x = np.random.default_rng(0).standard_normal((length, 2, 3)).astype(np.float32)
    threads = ourdl.get_num_threads()
    try:
        ourdl.set_num_threads(2)
        two = gradients(layer, x)
        ourdl.set_num_threads(1)
        one = gradients(layer, x)
    finally:
        ourdl.set_num_threads(threads)
    for a, b in zip(one, two):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("reverse", [False, True])
def test_chunked_sums_equal_one_product_over_all_steps(reverse):
    rng = np.random.default_rng(1)
    length, batch, features, hidden = 23, 3, 4, 2
    d, x = rng.standard_normal((length, batch, 4 * hidden)), rng.standard_normal((length, batch, features))
    states, h0, w_ih = rng.standard_normal((length, batch, hidden)), rng.standard_normal((batch, hidden)), \
        rng.standard_normal((4 * hidden, features))
    h_prev = np.concatenate([states[1:], h0[None]]) if reverse else np.concatenate([h0[None], states[:-1]])
    expected = [d @ w_ih, np.einsum("tbg,tbf->gf", d, x), d.sum((0, 1)), np.einsum("tbg,tbh->gh", d, h_prev),
                d.sum((0, 1))]
    spans = [slice(s, min(s + CHUNK, length)) for s in range(0, length, CHUNK)]
    parts = [input_side_grads(d, d, x, w_ih, states, h0, reverse, span, [True] * 5) for span in spans]
    assert np.allclose(np.concatenate([p[0] for p in parts]), expected[0])
    for k in range(1, 5):
        assert np.allclose(sum(p[k] for p in parts), expected[k])
    assert np.allclose(hidden_weight_grad(d, states, h0, reverse, slice(0, length)), expected[3])


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_a_forked_process_runs_layers_after_its_parent_did():
    import os
    import signal
    import time

    layer = nn.LSTM(3, 4)
    x = ourdl.randn(2 * CHUNK + 1, 2, 3)
    expected = layer(x)[0].detach().numpy()  # the parent's second thread exists now
    pid = os.fork()
    if pid == 0:  # the child: exit 0 only if the same layer gives the same output
        try:
            os._exit(0 if np.array_equal(layer(x)[0].detach().numpy(), expected) else 1)
        finally:
            os._exit(2)
    deadline = time.monotonic() + 120  # a child whose second thread never runs would wait forever
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if done[0] == 0:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail("the forked process hung running the layer")
    assert os.WEXITSTATUS(done[1]) == 0
