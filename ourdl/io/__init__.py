"""Saving weights and checkpoints in the safetensors format: PyTorch-compatible, atomic, never unpickled.

``ourdl.io.save``/``load`` write and read a state dict of tensors (the file ``safetensors.torch`` reads);
``ourdl.save``/``ourdl.load`` (:mod:`~ourdl.io.serialization`) store anything ``torch.save`` users save:
tensors, and nested dicts and lists of tensors, numbers and strings.

>>> import os, tempfile, ourdl
>>> path = os.path.join(tempfile.mkdtemp(), "w.safetensors")
>>> ourdl.io.save({"weight": ourdl.ones(2)}, path)
>>> ourdl.io.load(path)
{'weight': tensor([1., 1.])}
"""

from .checkpoint import load_checkpoint, save_checkpoint
from .weights import CheckpointError, load, save
from . import serialization
