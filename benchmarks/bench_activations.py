"""Every PyTorch activation, ourdl against PyTorch: forward plus backward on 4,000,000 float32 values.

Each measurement runs in a fresh process (see ``harness.py``); per round the
processes alternate ourdl and PyTorch each limited to one thread, and ourdl and
PyTorch each with their default threads (the usable cores). Reported: the
ratio of the best times per activation at one thread and at the default
threads, their geometric means, and the memory bandwidth floor (a NumPy copy
of the same array) beside them.

    python benchmarks/bench_activations.py [--rounds 3] [--only relu,gelu]
"""

from __future__ import annotations

import argparse
import importlib
import sys

from harness import Contender, Result, Row, format_table, geometric_mean, run_process

SIZE = 4_000_000
# Steps before the timed ones: the same pass over 16 MB arrays gets faster over its first ~10 runs in a fresh
# process, for NumPy and PyTorch alike (NumPy's tanh: 2.3 ms, then 1.2 ms from the 10th; PyTorch's tanh forward
# and backward: 6-9 ms, then 2.0 ms), so a short warm-up times each framework at a different point of that curve.
WARMUP = 10
CASES = {  # label -> (functional name, keyword arguments); softmax family along rows of 1000
    "relu": ("relu", {}), "relu6": ("relu6", {}), "leaky_relu": ("leaky_relu", {}), "rrelu (eval)": ("rrelu", {}),
    "elu": ("elu", {}), "selu": ("selu", {}), "celu": ("celu", {}), "gelu": ("gelu", {}),
    "gelu (tanh)": ("gelu", {"approximate": "tanh"}), "silu": ("silu", {}), "mish": ("mish", {}),
    "softplus": ("softplus", {}), "softsign": ("softsign", {}), "softshrink": ("softshrink", {}),
    "hardshrink": ("hardshrink", {}), "tanhshrink": ("tanhshrink", {}), "hardtanh": ("hardtanh", {}),
    "hardsigmoid": ("hardsigmoid", {}), "hardswish": ("hardswish", {}), "logsigmoid": ("logsigmoid", {}),
    "threshold": ("threshold", {"threshold": 0.1, "value": 0.0}), "sigmoid": ("sigmoid", {}), "tanh": ("tanh", {}),
    "glu": ("glu", {"dim": -1}), "softmax": ("softmax", {"dim": -1}), "log_softmax": ("log_softmax", {"dim": -1}),
    "softmin": ("softmin", {"dim": -1}), "prelu": ("prelu", {}),
}


def activation(framework: str = "ourdl", name: str = "relu", kwargs: dict | None = None):
    """One forward and backward of ``F.<name>`` on 4M float32 values (4000 x 1000), the gradient dropped each time."""
    lib = importlib.import_module(framework)
    functional = importlib.import_module(f"{framework}.nn.functional")
    lib.manual_seed(0)
    x = (lib.randn(4000, SIZE // 4000) * 3).requires_grad_()
    g = lib.randn(4000, SIZE // 4000 // (2 if name == "glu" else 1))
    args = (lib.tensor([0.25]),) if name == "prelu" else ()
    fn = getattr(functional, name)
    kwargs = kwargs or {}

    def step():
        fn(x, *args, **kwargs).backward(g)
        x.grad = None

    if framework == "ourdl":
        step()
        lib.kernels.wait()  # time the compiled kernels, not the NumPy forms that run while numba compiles them
    return step


def numpy_copy():
    """The memory-bandwidth floor: one NumPy copy of the same array."""
    import numpy as np

    x = np.random.default_rng(0).standard_normal(SIZE).astype(np.float32)
    out = np.empty_like(x)
    return lambda: np.copyto(out, x)


def main(argv=None, quick: bool = False) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of fresh processes per activation")
    parser.add_argument("--repeats", type=int, default=10, help="timed repeats inside each process (best kept)")
    parser.add_argument("--warmup", type=int, default=WARMUP, help="untimed steps before them (see WARMUP)")
    parser.add_argument("--only", default="", help="comma-separated labels to run (default: all)")
    options = parser.parse_args([] if argv is None else argv)  # run_all calls main(quick=...) with no argv
    if quick:
        options.rounds, options.repeats, options.warmup = 1, 3, 5
    labels = [s.strip() for s in options.only.split(",") if s.strip()] or list(CASES)
    one, default, copies = [], [], Result("copy")
    runs = (("ourdl", "ourdl", 1), ("torch", "torch", 1), ("ourdl default", "ourdl", None),
            ("torch default", "torch", None))
    for label in labels:
        name, kwargs = CASES[label]
        contenders = {f: Contender("bench_activations:activation", {"framework": f, "name": name, "kwargs": kwargs})
                      for f in ("ourdl", "torch")}
        results = {key: Result(key) for key, _, _ in runs}
        for _ in range(options.rounds):
            for key, framework, threads in runs:
                measured = run_process(contenders[framework], threads=threads, warmup=options.warmup,
                                       repeats=options.repeats)
                results[key].bests.append(measured["best"])
        one.append(Row(label, {"ourdl": results["ourdl"], "torch": results["torch"]}))
        default.append(Row(label, {"ourdl": results["ourdl default"], "torch": results["torch default"]}))
        print(f"  {label}: {one[-1].ratio()[0]:.2f}x torch at one thread, {default[-1].ratio()[0]:.2f}x at default threads",
              file=sys.stderr, flush=True)
    for _ in range(options.rounds):
        copies.bests.append(run_process(Contender("bench_activations:numpy_copy", number=10), threads=1)["best"])
    print(format_table(one, title=f"forward + backward, {SIZE:,} float32 values, torch on 1 thread"))
    print()
    print(format_table(default, title="the same, ourdl and torch each with their default threads"))
    print()
    for rows, threads in ((one, "one thread"), (default, "default threads")):
        worst = max(rows, key=lambda r: r.ratio()[0])
        print(f"geometric mean at {threads}: {geometric_mean(r.ratio()[0] for r in rows):.2f}; "
              f"worst: {worst.label} {worst.ratio()[0]:.2f}")
    print(f"memory-bandwidth floor: a NumPy copy of the array takes {copies.best * 1e3:.3f} ms "
          "(forward + backward reads and writes at least three such arrays)")


if __name__ == "__main__":
    main(sys.argv[1:])
