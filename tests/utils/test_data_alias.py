"""``ourdl.utils.data`` is ``torch.utils.data``'s name for :mod:`ourdl.data`'s loading part: the same objects."""

import ourdl
import ourdl.utils.data as data
from tests.oracle import torch


def test_same_objects_as_ourdl_data():
    for name in data.__all__:
        assert getattr(data, name) is getattr(ourdl.data, name)
        assert hasattr(torch.utils.data, name)


def test_a_torch_style_loop_runs():
    from ourdl.utils.data import DataLoader, TensorDataset, random_split
    train, test = random_split(TensorDataset(ourdl.arange(10.0), ourdl.arange(10)), [8, 2],
                               generator=ourdl.Generator().manual_seed(0))
    batches = list(DataLoader(train, batch_size=4, shuffle=True))
    assert len(batches) == 2 and len(test) == 2


def test_functional_holds_torch_functional_names():
    for name in ourdl.functional.__all__:
        assert getattr(ourdl.functional, name) is getattr(ourdl, name)
        assert name in torch.functional.__all__
