"""Saving weights and checkpoints in the safetensors format: PyTorch-compatible, atomic, never unpickled.

>>> import os, tempfile, ourdl
>>> path = os.path.join(tempfile.mkdtemp(), "w.safetensors")
>>> ourdl.io.save({"weight": ourdl.ones(2)}, path)
>>> ourdl.io.load(path)
{'weight': tensor([1., 1.])}
"""

from .checkpoint import load_checkpoint, save_checkpoint
from .weights import CheckpointError, load, save
