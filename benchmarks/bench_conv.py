"""Convolutions: ourdl against PyTorch, forward + backward per layer configuration, and one LeNet-5 epoch.

Each configuration times one forward and one backward (weight, bias and, where the layer is not the first,
input gradients) of a float32 layer at batch 128 (conv1d: 64); the LeNet-5 epoch is 60,000 random 28x28
images at batch 128 (conv 1->6 5x5 pad 2, ReLU, max-pool 2; conv 6->16 5x5, ReLU, max-pool 2; linear
400-120-84-10; cross-entropy; SGD), the batches cut from the tensors by one shuffled index each on both sides.
While ourdl has no ``nn.MaxPool2d`` the ourdl side pools with the maximum of four strided slices (ourdl ops,
with gradients), and the table says so. Every side runs on the same number of threads.

    python benchmarks/bench_conv.py [--quick] [--threads N]   # N threads on every side (default: 1 and 2)
    python benchmarks/bench_conv.py --profile                 # where an ourdl LeNet-5 epoch spends its time
"""

from __future__ import annotations

import importlib
import sys

from harness import Contender, compare_pair, print_table

SAMPLES, BATCH = 60_000, 128
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


def _pool(lib):
    """``nn.MaxPool2d(2)`` where the framework has it, else the maximum of the four strided 2x2 slices."""
    if hasattr(lib.nn, "MaxPool2d"):
        return lib.nn.MaxPool2d(2)

    class StridedMax(lib.nn.Module):
        def forward(self, x):
            return lib.maximum(lib.maximum(x[:, :, 0::2, 0::2], x[:, :, 1::2, 0::2]),
                               lib.maximum(x[:, :, 0::2, 1::2], x[:, :, 1::2, 1::2]))

    return StridedMax()


def lenet(lib):
    nn = lib.nn
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), _pool(lib), nn.Conv2d(6, 16, 5), nn.ReLU(),
                         _pool(lib), nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                         nn.Linear(84, 10))


def lenet_epoch(framework: str = "ourdl", samples: int = SAMPLES, batch: int = BATCH):
    """One LeNet-5 training epoch over ``samples`` random images in ``framework``."""
    lib = importlib.import_module(framework)
    lib.manual_seed(0)
    x, y = lib.randn(samples, 1, 28, 28), lib.randint(0, 10, (samples,))
    model = lenet(lib)
    loss_fn = lib.nn.CrossEntropyLoss()
    optimizer = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        for index in lib.randperm(samples).split(batch):
            optimizer.zero_grad()
            loss_fn(model(x[index]), y[index]).backward()
            optimizer.step()

    if framework == "ourdl":
        loss_fn(model(x[:batch]), y[:batch]).backward()
        lib.kernels.wait()  # time the compiled kernels, not the NumPy forms that run while numba compiles them
    return step


def pooling_note() -> str:
    import ourdl

    if hasattr(ourdl.nn, "MaxPool2d"):
        return "nn.MaxPool2d on both sides"
    return "ourdl pools with the maximum of four strided slices (no nn.MaxPool2d yet)"


def profile(samples: int = 12_800, top: int = 25) -> None:
    """Print where an ourdl LeNet-5 epoch over ``samples`` images spends its time (cProfile, own time)."""
    import cProfile
    import pstats

    step = lenet_epoch("ourdl", samples)
    step()
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
        samples = 6_400 if quick else SAMPLES
        epoch = dict(rounds=1 if quick else 3, warmup=1, repeats=1 if quick else 2, threads=count)
        row = compare_pair(f"LeNet-5 epoch, {samples} images, batch {BATCH}",
                           ourdl=Contender("bench_conv:lenet_epoch", {"framework": "ourdl", "samples": samples}),
                           reference=Contender("bench_conv:lenet_epoch", {"framework": "torch", "samples": samples}),
                           **epoch)
        print_table([row], title=f"LeNet-5 training, {count} thread(s); {pooling_note()}")
        print()


if __name__ == "__main__":
    if "--profile" in sys.argv:
        profile()
    else:
        main(quick="--quick" in sys.argv,
             threads=int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else (1, 2))
