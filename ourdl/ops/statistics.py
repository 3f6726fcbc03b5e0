"""Statistics along dimensions: medians, quantiles, modes, cumulative and NaN-aware reductions, counts and histograms.

Each public function here is in ``__all__`` (exported as ``ourdl.<name>``); those in ``METHODS``
are Tensor methods too.
"""

from __future__ import annotations

__all__: list[str] = []
METHODS: list[str] = []
