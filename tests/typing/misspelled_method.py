"""A misspelled Tensor method: mypy must reject it (the stubs declare every method, so a typo is an error)."""

import ourdl

x = ourdl.ones(3)
y = x.relux()
