"""Convolutions: ourdl against PyTorch, forward + backward per layer configuration.

Each configuration times one forward and one backward (weight, bias and, where the layer is not the first,
input gradients) of a float32 layer at batch 128 (conv1d: 64). Every side runs on the same number of threads.
A whole LeNet-5 training epoch is ``bench_lenet.py``.

    python benchmarks/bench_conv.py [--quick] [--threads N]   # N threads on every side (default: 1 and 2)
    python benchmarks/bench_conv.py --profile [INDEX]         # where an ourdl layer's step spends its time
"""

from __future__ import annotations

import importlib
import sys

from harness import Contender, compare_pair, print_table

# (label, input shape, out channels, kernel, keyword arguments, whether the input needs a gradient)
LAYERS = [
    ("LeNet conv1 1->6 5x5 pad 2, 28x28", (128, 1, 28, 28), 6, 5, dict(padding=2), False),
    ("LeNet conv2 6->16 5x5, 14x14", (128, 6, 14, 14), 16, 5, {}, True),
    ("3x3 16->16 pad 1, 28x28", (128, 16, 28, 28), 16, 3, dict(padding=1), True),
    ("3x3 16->32 stride 2 pad 1, 28x28", (128, 16, 28, 28), 32, 3, dict(stride=2, padding=1), True),
    ("depthwise 3x3 32 pad 1, 14x14", (128, 32, 14, 14), 32, 3, dict(padding=1, groups=32), True),
    ("1x1 32->64, 14x14", (128, 32, 14, 14), 64, 1, {}, True),
    ("conv1d 16->32 k5 pad 2, length 256", (64, 16, 256), 32, 5, dict(padding=2), True),
]


def layer(framework: str = "ourdl", index: int = 0):
    """Forward and backward of ``LAYERS[index]`` in ``framework``."""
    lib = importlib.import_module(framework)
    _, shape, out_channels, kernel, kwargs, input_grad = LAYERS[index]
    lib.manual_seed(0)
    conv = (lib.nn.Conv1d if len(shape) == 3 else lib.nn.Conv2d)(shape[1], out_channels, kernel, **kwargs)
    x = lib.randn(*shape, requires_grad=input_grad)
    upstream = lib.ones_like(conv(x))

    def step():
        conv(x).backward(upstream)

    return step


def profile(index: int = 0, top: int = 25) -> None:
    """Print where 20 forward+backward steps of ``LAYERS[index]`` in ourdl spend their time (cProfile, own time)."""
    import cProfile
    import pstats

    one = layer("ourdl", index)
    one()

    def step():
        for _ in range(20):
            one()

    profiler = cProfile.Profile()
    profiler.runcall(step)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main(quick: bool = False, threads=(1, 2)) -> None:
    threads = (threads,) if isinstance(threads, int) else tuple(threads)
    for count in threads:
        options = dict(rounds=1 if quick else 5, warmup=1 if quick else 2, repeats=2 if quick else 5, threads=count)
        rows = [compare_pair(label, ourdl=Contender("bench_conv:layer", {"framework": "ourdl", "index": i}),
                             reference=Contender("bench_conv:layer", {"framework": "torch", "index": i}), **options)
                for i, (label, *_) in enumerate(LAYERS[:2] if quick else LAYERS)]
        print_table(rows, title=f"conv layers, float32, forward + backward, {count} thread(s)")
        print()


if __name__ == "__main__":
    if "--profile" in sys.argv:
        at = sys.argv.index("--profile") + 1
        profile(int(sys.argv[at]) if at < len(sys.argv) else 0)
    else:
        main(quick="--quick" in sys.argv,
             threads=int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else (1, 2))
