"""BatchNorm2d and GroupNorm, forward and backward in training: ourdl against PyTorch.

One step is the forward of the layer on a float32 ``(N, C, H, W)`` batch (the shapes a LeNet or a small ResNet
on 28x28 images normalises), then the backward of a fixed upstream gradient (gradients of the input, weight and
bias), on 2 threads on each side (``--threads 1`` for one). Each contender runs in its own process, alternating,
and the ratio of the best times is reported (see ``harness.py``).

    python benchmarks/bench_normalization.py [--quick] [--threads N]
"""

from __future__ import annotations

import importlib
import sys

from harness import Contender, compare_pair, print_table

THREADS = 2
SHAPES = ((128, 6, 24, 24), (128, 16, 8, 8), (128, 32, 14, 14), (64, 64, 14, 14))


def norm_step(framework: str = "ourdl", layer: str = "BatchNorm2d", shape=(128, 16, 8, 8)):
    """One forward and backward of ``layer`` (``BatchNorm2d`` or ``GroupNorm`` with 2 groups) in ``framework``."""
    lib = importlib.import_module(framework)
    lib.manual_seed(0)
    module = lib.nn.BatchNorm2d(shape[1]) if layer == "BatchNorm2d" else lib.nn.GroupNorm(2, shape[1])
    x = lib.randn(*shape, requires_grad=True)
    upstream = lib.randn(*shape)

    def step():
        x.grad = None
        module.zero_grad()
        module(x).backward(upstream)

    if framework == "ourdl":
        step()
        lib.kernels.wait()  # time the compiled kernels, not the NumPy forms that run while numba compiles them
    return step


def main(quick: bool = False, threads: int = THREADS) -> None:
    options = dict(rounds=2 if quick else 5, warmup=2, repeats=5 if quick else 15, threads=threads)
    rows = []
    for layer in ("BatchNorm2d",) if quick else ("BatchNorm2d", "GroupNorm"):
        for shape in SHAPES[:1] if quick else SHAPES:
            kwargs = {"layer": layer, "shape": shape}
            rows.append(compare_pair(
                f"{layer} {'x'.join(map(str, shape))}",
                ourdl=Contender("bench_normalization:norm_step", {"framework": "ourdl", **kwargs}),
                reference=Contender("bench_normalization:norm_step", {"framework": "torch", **kwargs}), **options))
    print_table(rows, title=f"normalisation layers, forward + backward in training, float32, {threads} thread(s)")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv,
         threads=int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else THREADS)
