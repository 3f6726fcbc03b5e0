"""What checking arguments costs on the hot path: the operators' layer that turns a refused operand into
NotImplemented (``a * b`` against the op function it wraps), the check of a later tensor argument (``mm``'s of
``mat2``, against doing nothing), and an optimiser's look at each gradient for sparsity (once per parameter and
step). In one process, ourdl only (no second framework's threads to fight), CPU time at one thread, the two
sides of each pair alternating, best of the rounds; the difference of the bests is the cost.

    python benchmarks/bench_argument_checks.py [--quick]
"""

from __future__ import annotations

import argparse
import time

import ourdl
from ourdl.ops import arithmetic
from ourdl.ops.tensor_argument import require_tensor
from ourdl.sparse_rows import rows_of


def best(step, number: int, rounds: int) -> float:
    """The best per-call CPU time of ``step``, in microseconds."""
    for _ in range(number // 10):
        step()
    times = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(number):
            step()
        times.append((time.process_time() - start) / number)
    return min(times) * 1e6


def pairs():
    a, b = ourdl.randn(3, requires_grad=True), ourdl.randn(3, requires_grad=True)
    m = ourdl.randn(2, 2)
    mul = arithmetic.mul.without_out
    p = ourdl.nn.Parameter(ourdl.randn(3))
    p.grad = ourdl.randn(3)
    optimiser = ourdl.optim.SGD([p], lr=0.0)
    group = optimiser.param_groups[0]

    def nothing():
        return None
    return [("a * b (operator layer)", lambda: a * b, lambda: mul(a, b)),
            ("mm's check of mat2", lambda: require_tensor(m, "mm", "mat2", 2), nothing),
            ("an optimiser's look at a gradient", lambda: optimiser._gradient_refusal(group, rows_of(p.grad._data)
                                                                                        is not None), nothing)]


def main(argv=None, quick: bool = False) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    options = parser.parse_args([] if argv is None else argv)
    rounds, number = (5, 5_000) if quick else (options.rounds, 20_000)
    ourdl.set_num_threads(1)
    print(f"{'what':<46} {'checked':>9} {'without':>9} {'cost':>8}  (us, best of {rounds})")
    for label, checked, without in pairs():
        ours, bare = [], []
        for _ in range(3):  # alternate the two sides
            ours.append(best(checked, number, rounds))
            bare.append(best(without, number, rounds))
        print(f"{label:<46} {min(ours):9.3f} {min(bare):9.3f} {min(ours) - min(bare):8.3f}")


if __name__ == "__main__":
    main()
