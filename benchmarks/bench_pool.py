"""Pooling and upsampling, forward and backward: ourdl against PyTorch.

One step is the forward of one pooling (or interpolation) call on a float32 batch that requires grad, then the
backward of an all-ones gradient. The configurations are those of LeNet-5 (2x2 max-pooling of its two conv
outputs), of a ResNet stem (3x3, stride 2, padding 1) and head (global average), average pooling, adaptive max
pooling and 2x upsampling. Each contender runs in its own process, alternating, and the ratio of the best times is
reported (see ``harness.py``); the threads are those given on both sides.

    python benchmarks/bench_pool.py [--quick] [--threads N]
"""

from __future__ import annotations

import importlib
import sys

from harness import Contender, compare_pair, print_table

THREADS = 2

CASES = {
    "max 2x2, (128, 6, 28, 28)": ((128, 6, 28, 28), "max_pool2d", dict(kernel_size=2)),
    "max 2x2, (128, 16, 10, 10)": ((128, 16, 10, 10), "max_pool2d", dict(kernel_size=2)),
    "max 3x3/2 pad 1, (64, 16, 28, 28)": ((64, 16, 28, 28), "max_pool2d", dict(kernel_size=3, stride=2, padding=1)),
    "avg 2x2, (128, 6, 28, 28)": ((128, 6, 28, 28), "avg_pool2d", dict(kernel_size=2)),
    "adaptive avg to 1, (128, 64, 7, 7)": ((128, 64, 7, 7), "adaptive_avg_pool2d", dict(output_size=1)),
    "adaptive max to 3, (64, 16, 14, 14)": ((64, 16, 14, 14), "adaptive_max_pool2d", dict(output_size=3)),
    "nearest x2, (16, 16, 28, 28)": ((16, 16, 28, 28), "interpolate", dict(scale_factor=2)),
    "bilinear x2, (16, 16, 28, 28)": ((16, 16, 28, 28), "interpolate", dict(scale_factor=2, mode="bilinear")),
}
QUICK = ("max 2x2, (128, 6, 28, 28)", "avg 2x2, (128, 6, 28, 28)")


def pool_step(framework: str = "ourdl", case: str = "max 2x2, (128, 6, 28, 28)", threads: int = THREADS):
    """One forward and backward of ``case`` (a key of :data:`CASES`) in ``framework``."""
    lib = importlib.import_module(framework)
    lib.set_num_threads(threads)
    lib.manual_seed(0)
    shape, name, arguments = CASES[case]
    function = getattr(lib.nn.functional, name)
    x = lib.randn(*shape, requires_grad=True)
    ones = lib.ones_like(function(x, **arguments))

    def step():
        x.grad = None
        function(x, **arguments).backward(ones)

    if framework == "ourdl":
        from ourdl import kernels

        step()
        kernels.wait()  # time compiled kernels, should any be used
    return step


def main(quick: bool = False, threads: int = THREADS) -> None:
    options = dict(rounds=2 if quick else 5, warmup=2, repeats=5 if quick else 15, threads=threads)
    rows = []
    for case in QUICK if quick else CASES:
        rows.append(compare_pair(
            case, ourdl=Contender("bench_pool:pool_step", {"framework": "ourdl", "case": case, "threads": threads}),
            reference=Contender("bench_pool:pool_step", {"framework": "torch", "case": case, "threads": threads}),
            **options))
    print_table(rows, title=f"pooling and upsampling, forward + backward, float32, {threads} thread(s)")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv,
         threads=int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else THREADS)
