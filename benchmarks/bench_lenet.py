"""One epoch of LeNet-5 training: ourdl against PyTorch, at 1 and 2 threads, and its peak memory.

LeNet-5 as ``ourdl.models.LeNet5`` builds it (conv 5x5 pad 2 → ReLU → max-pool 2 → conv 5x5 → ReLU → max-pool 2 →
400-120-84-10 with ReLU), cross-entropy, SGD (lr 0.01, momentum 0.9), float32, on 60,000 random images of
Fashion-MNIST's shape (1x28x28), shuffled, batch 128. Both sides build the network from the same ``nn`` layers
in the same code. Each contender runs in its own process, alternating, and the ratio of the best times is
reported (see ``harness.py``).

    python benchmarks/bench_lenet.py [--quick]        # --quick: one round of a 12,800-image epoch
    python benchmarks/bench_lenet.py --profile        # where an ourdl epoch spends its time
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

from harness import Contender, compare_pair, print_table, thread_env

SAMPLES, BATCH = 60_000, 128


def lenet(lib):
    """LeNet-5 for 28x28 inputs from ``lib.nn``'s layers (``lib`` is ourdl or torch)."""
    nn = lib.nn
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def epoch(framework: str = "ourdl", samples: int = SAMPLES, batch: int = BATCH):
    """One training epoch of LeNet-5 over ``samples`` random images, as its user would write it."""
    lib = importlib.import_module(framework)
    lib.manual_seed(0)
    x, y = lib.rand(samples, 1, 28, 28), lib.randint(0, 10, (samples,))
    model = lenet(lib)
    loss_fn = lib.nn.CrossEntropyLoss()
    optimizer = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    data = lib.data if framework == "ourdl" else lib.utils.data
    loader = data.DataLoader(data.TensorDataset(x, y), batch_size=batch, shuffle=True)

    def step():
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()

    loss_fn(model(x[:batch]), y[:batch]).backward()
    if framework == "ourdl":
        lib.kernels.wait()  # time the compiled kernels, not the NumPy forms that run while numba compiles them
    return step


def memory(samples: int = SAMPLES) -> dict:
    """Peak resident memory of creating the data and training one ourdl epoch, above the imports (MB)."""
    import resource

    import numba  # noqa: F401  (ourdl imports it on a background thread when a kernel is first called)

    import ourdl  # noqa: F401  (imported first: the baseline is the process after its imports)

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    epoch("ourdl", samples)()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    data = (samples * 28 * 28 * 4 + samples * 8) / 2 ** 20
    return {"data_mb": data, "rss_above_imports_mb": peak - baseline}


def profile(top: int = 25) -> None:
    """Print where one ourdl epoch (of 12,800 images) spends its time (cProfile, sorted by own time)."""
    import cProfile
    import pstats

    step = epoch("ourdl", 12_800)
    step()
    profiler = cProfile.Profile()
    profiler.runcall(step)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main(quick: bool = False) -> None:
    samples = 12_800 if quick else SAMPLES
    options = dict(rounds=1 if quick else 3, warmup=1, repeats=1)
    rows = [compare_pair(f"one epoch, {threads} thread(s)",
                         ourdl=Contender("bench_lenet:epoch", {"framework": "ourdl", "samples": samples}),
                         reference=Contender("bench_lenet:epoch", {"framework": "torch", "samples": samples}),
                         threads=threads, **options)
            for threads in (1, 2)]
    print_table(rows, title=f"LeNet-5, SGD, batch {BATCH}, one epoch of {samples} 1x28x28 images, float32")
    completed = subprocess.run([sys.executable, str(Path(__file__)), "--memory", str(samples)], env=thread_env(2),
                               capture_output=True, text=True, check=True)
    measured = json.loads(completed.stdout)
    limit = 1.5 * measured["data_mb"] + 200
    print(f"\npeak memory of an ourdl epoch with its data: {measured['rss_above_imports_mb']:.0f} MB resident above "
          f"the imports, for {measured['data_mb']:.0f} MB of data (goal: under 1.5x data + 200 MB = {limit:.0f} MB)")


if __name__ == "__main__":
    if "--memory" in sys.argv:
        print(json.dumps(memory(int(sys.argv[sys.argv.index("--memory") + 1]))))
    elif "--profile" in sys.argv:
        profile()
    else:
        main(quick="--quick" in sys.argv)
