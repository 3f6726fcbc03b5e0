"""Seeded random numbers: one default generator, ``manual_seed`` to make runs reproducible.

A :class:`Generator` wraps NumPy's PCG64; its state is a plain dict, so it
can be saved in a checkpoint and restored.

>>> import ourdl
>>> _ = ourdl.manual_seed(0); a = ourdl.rand(2)
>>> _ = ourdl.manual_seed(0); bool((a == ourdl.rand(2)).all())
True
"""

from __future__ import annotations

import numbers

import numpy as np

from ..devices import check_device
from ..dims import sizes
from ..dtypes import as_dtype, get_default_dtype
from ..tensor import Tensor
from .inplace import overwrite
from .tensor_argument import require_tensor

__all__: list[str] = ["Generator", "default_generator", "manual_seed", "initial_seed", "seed", "get_rng_state",
                      "set_rng_state", "rand", "randn", "randint", "randperm", "normal", "bernoulli", "rand_like",
                      "randn_like", "randint_like"]
METHODS: list = ["uniform_", "normal_", "bernoulli_", "exponential_", "random_"]


class Generator:
    """A source of random numbers with its own seed and state, on ``device`` (the CPU; any other device raises
    :class:`~ourdl.devices.BackendUnavailableError`). Seeded from the system's entropy until ``manual_seed``.

    >>> import ourdl
    >>> g = ourdl.Generator().manual_seed(0); ourdl.rand(2, generator=g).shape
    ourdl.Size([2])
    >>> ourdl.Generator(device="cpu").device
    device(type='cpu')
    """

    def __init__(self, device="cpu"):
        self.device = check_device(device, "Generator")
        self.manual_seed(np.random.SeedSequence().entropy % 2**63)

    def manual_seed(self, seed: int) -> "Generator":
        """Reset to the stream that ``seed`` starts."""
        self._seed = int(seed)
        self.numpy = np.random.Generator(np.random.PCG64(self._seed))
        return self

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> dict:
        """The generator's full state as a JSON-friendly dict."""
        return {"seed": self._seed, "bit_generator": self.numpy.bit_generator.state}

    def set_state(self, state: dict) -> None:
        self._seed = int(state["seed"])
        self.numpy.bit_generator.state = state["bit_generator"]


default_generator = Generator().manual_seed(0)


def manual_seed(seed: int) -> Generator:
    """Seed the default generator, so that ``rand``, ``randn``, initialisers, dropout and shuffling repeat.

    >>> g = manual_seed(42)
    """
    return default_generator.manual_seed(seed)


def initial_seed() -> int:
    """The seed the default generator was last seeded with.

    >>> import ourdl
    >>> _ = ourdl.manual_seed(7); ourdl.initial_seed()
    7
    """
    return default_generator.initial_seed()


def seed() -> int:
    """Seed the default generator from the operating system's entropy; returns the seed.

    >>> import ourdl
    >>> isinstance(ourdl.seed(), int)
    True
    """
    value = int(np.random.SeedSequence().entropy % 2**63)
    default_generator.manual_seed(value)
    return value


def get_rng_state() -> dict:
    """The default generator's state, for :func:`set_rng_state`.

    >>> import ourdl
    >>> state = ourdl.get_rng_state(); a = ourdl.rand(1); ourdl.set_rng_state(state); ourdl.equal(a, ourdl.rand(1))
    True
    """
    return default_generator.get_state()


def set_rng_state(state: dict) -> None:
    """Restore the default generator's state from :func:`get_rng_state`.

    >>> import ourdl
    >>> state = ourdl.get_rng_state(); a = ourdl.randn(2); ourdl.set_rng_state(state); ourdl.equal(a, ourdl.randn(2))
    True
    """
    default_generator.set_state(state)


def _numpy(generator) -> np.random.Generator:
    return (generator or default_generator).numpy


def _shape(size, op: str) -> tuple:
    shape = sizes(size, op)
    if any(s < 0 for s in shape):
        raise RuntimeError(f"{op}: Trying to create tensor with negative dimension: {list(shape)}")
    return shape


def _float(dtype):
    dtype = get_default_dtype() if dtype is None else as_dtype(dtype)
    if not dtype.is_floating_point:
        raise TypeError(f"expected a floating-point dtype for random floats, got {dtype}")
    return dtype.numpy


def rand(*size, generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Uniform samples on [0, 1).

    >>> rand(2, 3).shape
    ourdl.Size([2, 3])
    """
    check_device(device, "rand")
    shape, gen = _shape(size, "rand"), _numpy(generator)
    data = np.empty(shape, dtype=_float(dtype))
    flat = data.reshape(-1)
    # Drawn as float64 (the same numbers whatever the dtype) in blocks, so a large float32 tensor never has a
    # float64 copy twice its size beside it: a block continues the generator's stream exactly where the last ended.
    for start in range(0, flat.size, _BLOCK):
        flat[start:start + _BLOCK] = gen.random(min(_BLOCK, flat.size - start), dtype=np.float64)
    return Tensor._make(data).requires_grad_(requires_grad)


_BLOCK = 1 << 20  # values drawn at a time by rand: 8 MB of float64


def randn(*size, generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples :math:`\\mathcal{N}(0, 1)`.

    >>> randn(3).shape
    ourdl.Size([3])
    """
    check_device(device, "randn")
    numpy_dtype = _float(dtype)
    gen = _numpy(generator)
    data = gen.standard_normal(_shape(size, "randn"), dtype=numpy_dtype) if numpy_dtype in (np.float32, np.float64) else gen.standard_normal(_shape(size, "randn")).astype(numpy_dtype)
    return Tensor._make(data).requires_grad_(requires_grad)


def randint(low, high=None, size=(), generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Integers uniform on [low, high) (``randint(high, size)`` starts at 0).

    >>> randint(0, 10, (4,)).dtype
    ourdl.int64
    """
    check_device(device, "randint")
    if isinstance(high, (tuple, list)):  # randint(high, size), as PyTorch's second form
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    shape = _shape((tuple(size),), "randint")
    if low >= high:
        raise RuntimeError(f"randint: expects 'low' to be less than 'high', but got low={low} >= high={high}")
    numpy_dtype = np.int64 if dtype is None else as_dtype(dtype).numpy
    return Tensor._make(_numpy(generator).integers(low, high, size=shape).astype(numpy_dtype)).requires_grad_(requires_grad)


def randperm(n: int, generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A random permutation of ``0 .. n-1``.

    >>> sorted(randperm(4).tolist())
    [0, 1, 2, 3]
    """
    check_device(device, "randperm")
    numpy_dtype = np.int64 if dtype is None else as_dtype(dtype).numpy
    return Tensor._make(_numpy(generator).permutation(n).astype(numpy_dtype)).requires_grad_(requires_grad)


def normal(mean=0.0, std=1.0, size=None, generator=None, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Samples of :math:`\\mathcal{N}(\\mu, \\sigma^2)`; ``mean``/``std`` may be tensors.

    >>> normal(0.0, 1.0, size=(2,)).shape
    ourdl.Size([2])
    """
    check_device(device, "normal")
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor) and size is None:  # two numbers need a size
        require_tensor(mean, "normal", "mean")
    for value, name, position in ((mean, "mean", 1), (std, "std", 2)):
        if not isinstance(value, numbers.Number):
            require_tensor(value, "normal", name, position)
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    shape = tuple(size) if size is not None else np.broadcast(np.asarray(m), np.asarray(s)).shape
    numpy_dtype = next((t._data.dtype for t in (mean, std) if isinstance(t, Tensor)), None) or _float(dtype)
    return Tensor._make((_numpy(generator).standard_normal(shape) * s + m).astype(numpy_dtype)).requires_grad_(requires_grad)


def bernoulli(input, p=None, generator=None) -> Tensor:
    """1 with probability ``input`` (or ``p``), else 0, in ``input``'s dtype.

    >>> import ourdl
    >>> bernoulli(ourdl.ones(3)).tolist()
    [1.0, 1.0, 1.0]
    """
    require_tensor(input, "bernoulli")
    probs = input._data if p is None else np.full(input.shape, p)
    return Tensor._make((_numpy(generator).random(input.shape) < probs).astype(input._data.dtype))


def rand_like(input, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Uniform [0, 1) values with ``input``'s shape and dtype.

    >>> import ourdl
    >>> ourdl.rand_like(ourdl.ones(2, 3)).shape
    ourdl.Size([2, 3])
    """
    require_tensor(input, "rand_like")
    return rand(*input.shape, dtype=dtype or input.dtype, device=device or input.device, requires_grad=requires_grad)


def randn_like(input, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """Standard normal values with ``input``'s shape and dtype.

    >>> import ourdl
    >>> ourdl.randn_like(ourdl.ones(2, dtype=ourdl.float64)).dtype
    ourdl.float64
    """
    require_tensor(input, "randn_like")
    return randn(*input.shape, dtype=dtype or input.dtype, device=device or input.device, requires_grad=requires_grad)


def randint_like(input, low, high=None, dtype=None, device=None) -> Tensor:
    """Random integers in [low, high) with ``input``'s shape and dtype.

    >>> import ourdl
    >>> ourdl.randint_like(ourdl.ones(3), 10).dtype
    ourdl.float32
    """
    require_tensor(input, "randint_like")
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device)


# -- in-place fills: Tensor methods, as PyTorch's ------------------------------------------------------------------
def _fill_with(self: Tensor, draw, op: str, generator=None) -> Tensor:
    """Overwrite ``self`` with ``draw(numpy_generator, shape)`` (in float64, converted to ``self``'s dtype)."""
    return overwrite(self, draw(_numpy(generator), self.shape), op)


def uniform_(self: Tensor, from_: float = 0.0, to: float = 1.0, *, generator=None) -> Tensor:
    """Fill with samples of :math:`\\mathcal U(\\text{from}, \\text{to})`.

    >>> import ourdl
    >>> bool((ourdl.empty(100).uniform_(-1, 1).abs() <= 1).all())
    True
    """
    return _fill_with(self, lambda gen, shape: gen.uniform(from_, to, shape), "uniform_", generator)


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
    """Fill with samples of :math:`\\mathcal N(\\text{mean}, \\text{std}^2)`.

    >>> import ourdl
    >>> ourdl.empty(2, 3).normal_(0.0, 0.02).shape
    ourdl.Size([2, 3])
    """
    if std < 0:
        raise RuntimeError(f"normal_: expects std >= 0.0, but found std {std}")
    return _fill_with(self, lambda gen, shape: gen.normal(mean, std, shape), "normal_", generator)


def bernoulli_(self: Tensor, p=0.5, *, generator=None) -> Tensor:
    """Fill with 1 with probability ``p`` (a number or a tensor broadcast to this shape), else 0.

    >>> import ourdl
    >>> ourdl.empty(4).bernoulli_(1.0).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    probs = p._data if isinstance(p, Tensor) else np.asarray(p, dtype=np.float64)
    if np.any((probs < 0) | (probs > 1)):
        raise RuntimeError(f"bernoulli_: expected p in [0, 1], got {p}")
    return _fill_with(self, lambda gen, shape: gen.random(shape) < probs, "bernoulli_", generator)


def exponential_(self: Tensor, lambd: float = 1.0, *, generator=None) -> Tensor:
    """Fill with samples of the exponential distribution of rate ``lambd``: density :math:`\\lambda e^{-\\lambda x}`.

    >>> import ourdl
    >>> bool((ourdl.empty(50).exponential_(2.0) >= 0).all())
    True
    """
    if lambd <= 0:
        raise RuntimeError(f"exponential_: expects lambd > 0.0, but found lambd={lambd}")
    return _fill_with(self, lambda gen, shape: gen.exponential(1.0 / lambd, shape), "exponential_", generator)


def random_(self: Tensor, from_: int = 0, to: int | None = None, *, generator=None) -> Tensor:
    """Fill with integers uniform on ``[from, to)``; ``random_(to)`` draws from ``[0, to)``; with no bound, from 0
    to the largest integer the dtype holds exactly (:math:`2^{24}` for float32, :math:`2^{53}` for float64).

    >>> import ourdl
    >>> values = ourdl.empty(20).random_(3, 6)
    >>> sorted(set(values.tolist())) <= [3.0, 4.0, 5.0]
    True
    """
    if to is None:
        from_, to = (0, from_) if from_ else (0, _exact_integers(self._data.dtype) + 1)
    if from_ >= to:
        raise RuntimeError(f"random_: expects 'from' to be less than 'to', but got from={from_} >= to={to}")
    return _fill_with(self, lambda gen, shape: gen.integers(from_, to, shape), "random_", generator)


def _exact_integers(dtype: np.dtype) -> int:
    """The largest integer ``dtype`` holds with every integer below it."""
    if dtype.kind == "f":
        return 2 ** (np.finfo(dtype).nmant + 1)
    if dtype.kind == "b":
        return 1
    return int(np.iinfo(dtype).max)
