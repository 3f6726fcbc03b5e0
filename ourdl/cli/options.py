"""Numeric options checked when they are parsed: a bad value stops ``ourdl`` before any work starts.

Each function here makes an argparse ``type=``: a converter that returns the
number or raises :class:`argparse.ArgumentTypeError` with the allowed range,
so argparse prints one line (``ourdl train: error: argument --epochs: ...``)
and exits with status 2. The ranges are what the work below can use: zero
epochs train nothing, zero hidden units make a network without weights, a
learning rate must be positive and finite.
"""

from __future__ import annotations

import argparse
import math

# Sizes far past these are typing mistakes that would exhaust memory or time (one MLP layer of 100,000 x 100,000
# float32 weights is 40 GB), not experiments: refused at once rather than after minutes.
MAX_UNITS = 16_384
MAX_EPOCHS = 1_000_000
MAX_BATCH = 1_000_000


def integer(low: int, high: int | None = None):
    """A ``type=`` for an integer in ``[low, high]`` (no upper end when ``high`` is None).

    >>> integer(1, 10)("3")
    3
    >>> integer(1, 10)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be an integer from 1 to 10, got 0
    """
    allowed = f"an integer from {low} to {high}" if high is not None else f"an integer ≥ {low}"

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {allowed}, got {text!r}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be {allowed}, got {value}")
        return value

    convert.__name__ = "integer"  # argparse names the type in its own messages
    return convert


def real(low: float, high: float, low_open: bool = False, high_open: bool = False):
    """A ``type=`` for a finite number in the interval from ``low`` to ``high`` (ends open or closed).

    ``real(0, math.inf, low_open=True)`` is a positive number: ``x > 0``.

    >>> real(0, math.inf, low_open=True)("1e-3")
    0.001
    >>> real(0, math.inf, low_open=True)("-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a number > 0, got -1.0
    >>> real(0, 1)("nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a number in [0, 1], got nan
    """
    if math.isinf(high):
        allowed = f"a number {'>' if low_open else '≥'} {low:g}"
    elif math.isinf(low):
        allowed = f"a number {'<' if high_open else '≤'} {high:g}"
    else:
        allowed = f"a number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"

    def convert(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {allowed}, got {text!r}") from None
        inside = math.isfinite(value) and (low < value if low_open else low <= value) and (
            value < high if high_open else value <= high)
        if not inside:
            raise argparse.ArgumentTypeError(f"must be {allowed}, got {value}")
        return value

    convert.__name__ = "number"
    return convert


def sizes(low: int, high: int, count_low: int = 1):
    """A ``type=`` for comma-separated integers in ``[low, high]``, at least ``count_low`` of them: ``"128,64"``.

    >>> sizes(1, 100)("128,64")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be integers from 1 to 100 separated by commas, like 128,64; got 128
    >>> sizes(1, 1000)("128, 64")
    (128, 64)
    """
    allowed = f"integers from {low} to {high} separated by commas, like 128,64"

    def convert(text: str) -> tuple:
        parts = [part.strip() for part in text.split(",")]
        values = []
        for part in parts:
            try:
                value = int(part)
            except ValueError:
                raise argparse.ArgumentTypeError(f"must be {allowed}; got {text!r}") from None
            if not low <= value <= high:
                raise argparse.ArgumentTypeError(f"must be {allowed}; got {value}")
            values.append(value)
        if len(values) < count_low:
            raise argparse.ArgumentTypeError(f"must be at least {count_low} {allowed}; got {text!r}")
        return tuple(values)

    convert.__name__ = "sizes"
    return convert


SEED = integer(0, 2**32 - 1)
EPOCHS = integer(1, MAX_EPOCHS)
BATCH = integer(1, MAX_BATCH)
LEARNING_RATE = real(0, 100, low_open=True)
