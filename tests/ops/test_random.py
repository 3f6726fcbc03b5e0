"""rand draws float64 numbers in blocks: the same stream whatever the size, without a float64 copy of it all."""

import numpy as np

import ourdl


def test_a_large_rand_is_drawn_in_blocks_that_continue_one_stream():
    from ourdl.ops.random import _BLOCK

    generator = ourdl.Generator().manual_seed(5)
    drawn = ourdl.rand(_BLOCK * 2 + 3, generator=generator).numpy()
    expected = np.random.Generator(np.random.PCG64(5)).random(_BLOCK * 2 + 3).astype(np.float32)
    assert drawn.dtype == np.float32 and np.array_equal(drawn, expected)


def test_randint_refuses_a_negative_size_and_an_empty_range_as_pytorch():
    import pytest
    import torch

    for call in (lambda lib: lib.randint(0, 3, (-1,)), lambda lib: lib.randint(5, 2, (3,))):
        with pytest.raises(RuntimeError):
            call(torch)
        with pytest.raises(RuntimeError, match="randint"):
            call(ourdl)
    assert ourdl.randint(0, 3, (2, 0)).shape == (2, 0) and ourdl.randint(3, (4,)).shape == (4,)
