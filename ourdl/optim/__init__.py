"""``ourdl.optim``: optimisers that update parameters in place, and learning-rate schedules."""
