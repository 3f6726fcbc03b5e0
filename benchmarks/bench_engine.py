"""The autograd engine against PyTorch: (a) one tiny op forward + backward, (b) an MLP from raw tensors, (c) a chain
of 100,000 ops on a 0-d tensor: its forward, and its double backward (``grad(create_graph=True)``, then backward).

(b) is a 784-256-128-10 ReLU MLP written with tensor ops only (``x @ W + b``, ``relu``,
log-softmax as ``z - z.logsumexp(1, keepdim=True)``, NLL as ``-logp[range(n), y].mean()``),
forward and backward, float32, at batch 32, 128 and 512, both sides on 2 threads.
The same code runs on both frameworks: ourdl's names are PyTorch's.

    python benchmarks/bench_engine.py [--quick] [--threads N]
"""

from __future__ import annotations

import argparse
import importlib

from harness import Contender, compare_pair, print_table

THREADS = 2


def tiny_op(framework: str = "ourdl"):
    """One multiplication of two 0-d tensors and its backward."""
    lib = importlib.import_module(framework)
    a = lib.tensor(1.5, requires_grad=True)
    b = lib.tensor(2.0)

    def step():
        (a * b).backward()

    return step


def mlp(framework: str = "ourdl", batch: int = 128):
    """Forward and backward of a 784-256-128-10 ReLU MLP with NLL loss, gradients zeroed each step."""
    lib = importlib.import_module(framework)
    lib.manual_seed(0)
    sizes = [784, 256, 128, 10]
    params = []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        params.append((lib.randn(fan_in, fan_out) * fan_in ** -0.5).requires_grad_())
        params.append(lib.zeros(fan_out, requires_grad=True))
    x = lib.rand(batch, 784)
    y = lib.randint(0, 10, (batch,))
    rows = range(batch)

    def step():
        h = x
        for i in range(0, len(params) - 2, 2):
            h = (h @ params[i] + params[i + 1]).relu()
        z = h @ params[-2] + params[-1]
        logp = z - z.logsumexp(1, keepdim=True)
        loss = -logp[rows, y].mean()
        for p in params:
            p.grad = None
        loss.backward()

    if framework == "ourdl":
        step()
        lib.kernels.wait()  # time the compiled kernels, not the NumPy forms that run while numba compiles them
    return step


CHAIN = 100_000


def chain_forward(framework: str = "ourdl", length: int = CHAIN):
    """``length`` recorded ops, alternately ``* 1.00001`` and ``sin``, from one 0-d leaf: per-op overhead."""
    lib = importlib.import_module(framework)
    x = lib.tensor(0.5, requires_grad=True)

    def step():
        y = x
        for _ in range(length // 2):
            y = (y * 1.00001).sin()
        return x, y

    return step


def chain_double_backward(framework: str = "ourdl", length: int = CHAIN):
    """The chain's forward, its gradient with ``create_graph=True`` (a second chain as long), and that one's backward."""
    lib = importlib.import_module(framework)
    forward = chain_forward(framework, length)

    def step():
        x, y = forward()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        g.backward()

    return step


def main(quick: bool = False, threads: int = THREADS) -> None:
    options = dict(rounds=3 if quick else 5, repeats=5 if quick else 10, threads=threads)
    rows = [compare_pair("tiny op (a * b).backward()",
                         ourdl=Contender("bench_engine:tiny_op", {"framework": "ourdl"}, number=2000),
                         reference=Contender("bench_engine:tiny_op", {"framework": "torch"}, number=2000),
                         **options)]
    for batch in (128,) if quick else (32, 128, 512):
        rows.append(compare_pair(f"MLP forward+backward, batch {batch}",
                                 ourdl=Contender("bench_engine:mlp", {"framework": "ourdl", "batch": batch}, number=5),
                                 reference=Contender("bench_engine:mlp", {"framework": "torch", "batch": batch},
                                                     number=5),
                                 **options))
    chain_options = dict(options, repeats=2 if quick else 3)
    for label, target in (("100,000-op chain, forward", "chain_forward"),
                          ("100,000-op chain, double backward", "chain_double_backward")):
        rows.append(compare_pair(label, ourdl=Contender(f"bench_engine:{target}", {"framework": "ourdl"}),
                                 reference=Contender(f"bench_engine:{target}", {"framework": "torch"}),
                                 **chain_options))
    print_table(rows, title=f"ourdl engine vs PyTorch, {threads} thread(s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, batch 128 only")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads for both frameworks (default 2)")
    arguments = parser.parse_args()
    main(quick=arguments.quick, threads=arguments.threads)
