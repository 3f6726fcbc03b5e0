"""The autograd engine against PyTorch: (a) one tiny op forward + backward, (b) an MLP from raw tensors.

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
    print_table(rows, title=f"ourdl engine vs PyTorch, {threads} thread(s)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, batch 128 only")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads for both frameworks (default 2)")
    arguments = parser.parse_args()
    main(quick=arguments.quick, threads=arguments.threads)
