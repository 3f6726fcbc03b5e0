"""One epoch of MLP training: ourdl against PyTorch and scikit-learn.

A 784-256-128-10 ReLU MLP, cross-entropy, plain SGD (lr 0.01), float32, on 60,000 random
MNIST-shaped samples, shuffled, at batch 32, 128 and 512, everything on 2 threads:

- ``ourdl``: ``ourdl.data.DataLoader`` over a ``TensorDataset`` and ``ourdl.optim.SGD``;
- ``torch``: the same code on PyTorch (``torch.utils.data.DataLoader``, which collates
  sample by sample, as most PyTorch code is written);
- ``torch-sliced``: PyTorch with each batch cut from the tensors by one index per batch (its
  fastest plain loop, what ourdl's loader does for a ``TensorDataset``);
- ``sklearn``: ``MLPClassifier`` (same layers, ``solver="sgd"``), one epoch = one ``partial_fit``,
  on the same float32 data (scikit-learn then computes in float32);
- ``sklearn-float64``: the same on float64 data, what ``np.random`` and ``fetch_openml("mnist_784")``
  give and so what scikit-learn computes in as its users feed it MNIST. The reference figures in
  the benchmarking notes (scikit-learn 42.1k samples/s at batch 128) are of this configuration.

Also the peak memory of an ourdl epoch (data creation included) against the size of the
data, measured with ``tracemalloc`` (NumPy reports its allocations to it) and as resident
memory above the process's size after its imports.

    python benchmarks/bench_training.py [--quick] [--threads N]   # N threads on every side (default 2)
    python benchmarks/bench_training.py --profile 128     # where an ourdl epoch spends its time
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

from harness import Contender, compare, print_table, thread_env

THREADS = 2
SAMPLES, FEATURES, CLASSES = 60_000, 784, 10
HIDDEN = (256, 128)
LR = 0.01


def epoch(framework: str = "ourdl", batch: int = 128, sliced: bool = False):
    """One training epoch of the MLP, as its user would write it, in ``framework`` ("ourdl" or "torch")."""
    lib = importlib.import_module(framework)
    lib.manual_seed(0)
    x, y = lib.randn(SAMPLES, FEATURES), lib.randint(0, CLASSES, (SAMPLES,))
    sizes = [FEATURES, *HIDDEN, CLASSES]
    layers = []
    for fan_in, fan_out in zip(sizes, sizes[1:]):
        layers += [lib.nn.Linear(fan_in, fan_out), lib.nn.ReLU()]
    model = lib.nn.Sequential(*layers[:-1])
    loss_fn = lib.nn.CrossEntropyLoss()
    optimizer = lib.optim.SGD(model.parameters(), lr=LR)
    data = lib.data if framework == "ourdl" else lib.utils.data
    loader = data.DataLoader(data.TensorDataset(x, y), batch_size=batch, shuffle=True)
    if sliced:
        loader = _SlicedLoader(lib, x, y, batch)

    def step():
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimizer.step()

    if framework == "ourdl":
        loss_fn(model(x[:batch]), y[:batch]).backward()
        lib.kernels.wait()  # time the compiled kernels, not the NumPy forms that run while numba compiles them
    return step


class _SlicedLoader:
    """Shuffled batches cut from the tensors with one index each (PyTorch's fastest plain loop)."""

    def __init__(self, lib, x, y, batch):
        self.lib, self.x, self.y, self.batch = lib, x, y, batch

    def __iter__(self):
        for index in self.lib.randperm(len(self.x)).split(self.batch):
            yield self.x[index], self.y[index]


def sklearn_epoch(batch: int = 128, dtype: str = "float32"):
    """One epoch of scikit-learn's MLPClassifier: one ``partial_fit`` over ``dtype`` data, in its minibatches."""
    import numpy as np
    from sklearn.neural_network import MLPClassifier

    rng = np.random.default_rng(0)
    x = rng.standard_normal((SAMPLES, FEATURES)).astype(dtype)
    y = rng.integers(0, CLASSES, SAMPLES)
    model = MLPClassifier(hidden_layer_sizes=HIDDEN, activation="relu", solver="sgd", batch_size=batch,
                          learning_rate_init=LR, momentum=0.0, nesterovs_momentum=False, alpha=0.0, random_state=0)
    classes = np.arange(CLASSES)

    def step():
        model.partial_fit(x, y, classes=classes)

    return step


def memory(batch: int = 128) -> dict:
    """Peak memory of creating the data and training one ourdl epoch, against the data's size (MB).

    The resident baseline is the process after its imports and after loading the compiled kernels the epoch calls
    (ReLU's, from numba's disk cache), as the lab's benchmark counts a worker's: loading them starts LLVM, a fixed
    cost of each process whatever its data (reported beside the result)."""
    import resource
    import tracemalloc

    import numba  # noqa: F401  (ourdl imports it on a background thread when a kernel is first called: an import)

    import ourdl

    imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ourdl.nn.functional.relu(ourdl.ones(2, requires_grad=True)).sum().backward()
    ourdl.kernels.wait()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    step = epoch("ourdl", batch)
    step()
    traced = tracemalloc.get_traced_memory()[1] / 2 ** 20
    tracemalloc.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    data = (SAMPLES * FEATURES * 4 + SAMPLES * 8) / 2 ** 20
    return {"batch": batch, "data_mb": data, "traced_peak_mb": traced, "rss_above_imports_mb": peak - baseline,
            "kernels_mb": baseline - imported}


def profile(batch: int = 128, top: int = 25) -> None:
    """Print where one ourdl epoch spends its time (cProfile, sorted by own time)."""
    import cProfile
    import pstats

    step = epoch("ourdl", batch)
    step()
    profiler = cProfile.Profile()
    profiler.runcall(step)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def _in_fresh_process(*args: str, threads: int = THREADS) -> str:
    completed = subprocess.run([sys.executable, str(Path(__file__)), *args], env=thread_env(threads),
                               capture_output=True, text=True, check=True)
    return completed.stdout


def main(quick: bool = False, threads: int = THREADS) -> None:
    options = dict(rounds=1 if quick else 3, warmup=1, repeats=1 if quick else 2, threads=threads)
    rows = []
    for batch in (128,) if quick else (32, 128, 512):
        contenders = {
            "ourdl": Contender("bench_training:epoch", {"framework": "ourdl", "batch": batch}),
            "torch": Contender("bench_training:epoch", {"framework": "torch", "batch": batch}),
            "torch-sliced": Contender("bench_training:epoch", {"framework": "torch", "batch": batch, "sliced": True}),
            "sklearn": Contender("bench_training:sklearn_epoch", {"batch": batch}),
            "sklearn-float64": Contender("bench_training:sklearn_epoch", {"batch": batch, "dtype": "float64"}),
        }
        rows.append(compare(contenders, label=f"one epoch, batch {batch}", **options))
    title = f"784-256-128-10 MLP, SGD, one epoch of {SAMPLES} samples, {threads} thread(s)"
    for reference in ("torch", "torch-sliced", "sklearn", "sklearn-float64"):
        print_table(rows, title=f"{title}: ourdl vs {reference}", reference=reference)
        print()
    for row in rows:
        print(f"{row.label}: samples/s (best) " + ", ".join(
            f"{name} {SAMPLES / result.best / 1e3:.1f}k" for name, result in row.results.items()))
    measured = json.loads(_in_fresh_process("--memory", "128", threads=threads))
    print(f"\npeak memory of an ourdl epoch (batch 128) with its data: {measured['traced_peak_mb']:.0f} MB traced, "
          f"{measured['rss_above_imports_mb']:.0f} MB resident above the imports and the loaded kernels, for "
          f"{measured['data_mb']:.0f} MB of data: {measured['traced_peak_mb'] / measured['data_mb']:.2f}x (traced), "
          f"{measured['rss_above_imports_mb'] / measured['data_mb']:.2f}x (resident); loading the kernels took "
          f"{measured['kernels_mb']:.0f} MB (once per process)")


if __name__ == "__main__":
    if "--memory" in sys.argv:
        print(json.dumps(memory(int(sys.argv[sys.argv.index("--memory") + 1]))))
    elif "--profile" in sys.argv:
        profile(int(sys.argv[sys.argv.index("--profile") + 1]))
    else:
        main(quick="--quick" in sys.argv,
             threads=int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else THREADS)
