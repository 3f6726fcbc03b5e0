"""``ourdl.utils``: where PyTorch scripts find ``torch.utils.data``.

>>> import ourdl.utils.data
>>> ourdl.utils.data.DataLoader is ourdl.data.DataLoader
True
"""

from . import data

__all__ = ["data"]
