"""Special functions and elementwise math beyond the basic table: two-argument functions, gamma family, and friends.

Each public function here is in ``__all__`` (exported as ``ourdl.<name>``); those in ``METHODS``
are Tensor methods too.
"""

from __future__ import annotations

__all__: list[str] = []
METHODS: list[str] = []
