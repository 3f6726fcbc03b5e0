"""The Tensor's attributes, conversions and Python protocols, against PyTorch."""

import math

import numpy as np
import pytest

import ourdl
from tests.oracle import assert_same, both, torch


def test_attributes():
    x = ourdl.ones(2, 3, requires_grad=True)
    t = torch.ones(2, 3, requires_grad=True)
    assert tuple(x.shape) == tuple(t.shape) and x.size() == (2, 3) and x.size(1) == 3 and x.size(-1) == 3
    assert x.dim() == x.ndim == 2 and x.numel() == 6 and len(x) == 2
    assert x.is_leaf and x.grad is None and x.grad_fn is None and x.requires_grad
    assert x.dtype == ourdl.float32 and x.dtype.is_floating_point and x.T.shape == (3, 2)
    assert repr(x.shape) == "ourdl.Size([2, 3])" and x.shape.numel() == 6


def test_data_shares_memory_and_is_untracked():
    x = ourdl.tensor([1.0, 2.0], requires_grad=True)
    d = x.data
    assert not d.requires_grad and d.grad_fn is None
    d[0] = 10.0
    assert x[0].item() == 10.0
    x.data = ourdl.tensor([5.0, 6.0])
    assert x.tolist() == [5.0, 6.0] and x.requires_grad


def test_numpy_refuses_when_requires_grad_like_torch():
    x = ourdl.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad.*detach\(\)\.numpy\(\)"):
        x.numpy()
    a = x.detach().numpy()
    a[0] = 3
    assert x[0].item() == 3.0


def test_array_protocol_lets_numpy_and_matplotlib_accept_tensors():
    x = ourdl.arange(3.0, requires_grad=True)
    assert np.asarray(x).tolist() == [0.0, 1.0, 2.0]
    assert np.array(x, dtype=np.float64).dtype == np.float64
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    (line,) = ax.plot(x, x.sigmoid())
    assert np.allclose(line.get_ydata(), 1 / (1 + np.exp(-np.arange(3.0))))
    plt.close(fig)


def test_item_tolist_float_int_bool():
    assert ourdl.tensor(2.5).item() == 2.5 and isinstance(ourdl.tensor(3).item(), int)
    assert float(ourdl.tensor([1.5])) == 1.5 and int(ourdl.tensor(7)) == 7
    assert ourdl.tensor([[1, 2]]).tolist() == [[1, 2]]
    assert bool(ourdl.tensor(1.0)) and not bool(ourdl.tensor([0]))
    with pytest.raises(RuntimeError, match="3 elements cannot be converted to Scalar"):
        ourdl.ones(3).item()
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(ourdl.ones(2))


def test_iteration_and_len():
    rows = list(ourdl.arange(6).reshape(3, 2))
    assert [r.tolist() for r in rows] == [[0, 1], [2, 3], [4, 5]]
    with pytest.raises(TypeError):
        len(ourdl.tensor(1.0))
    with pytest.raises(TypeError):
        iter(ourdl.tensor(1.0))


def test_index_protocol():
    assert [10, 20, 30][ourdl.tensor(1)] == 20
    assert math.isclose(math.exp(ourdl.tensor(1.0)), math.e)


@pytest.mark.parametrize("method,dtype", [("float", "float32"), ("double", "float64"), ("long", "int64"),
                                          ("int", "int32"), ("bool", "bool"), ("half", "float16")])
def test_dtype_conversions(method, dtype):
    ours, theirs = both(np.array([0.0, 1.5, -2.7]), requires_grad=False)
    o, t = getattr(ours, method)(), getattr(theirs, method)()
    assert o.dtype.name == dtype
    assert_same(o, t)


def test_to_dtype_and_gradient_through_cast():
    x = ourdl.tensor([1.5, 2.5], requires_grad=True)
    y = x.to(ourdl.float64)
    assert y.dtype == ourdl.float64 and y.requires_grad
    (y * y).sum().backward()
    assert x.grad.dtype == ourdl.float32 and x.grad.tolist() == [3.0, 5.0]
    assert x.to(ourdl.float32) is x
    assert x.to("cpu") is x and x.to(dtype=ourdl.float64).dtype == ourdl.float64


def test_clone_is_differentiable_and_independent():
    x = ourdl.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    assert not c.is_leaf
    (c * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    d = x.detach().clone()
    d[0] = 9
    assert x[0].item() == 1.0


def test_requires_grad_rules():
    x = ourdl.ones(2)
    assert x.requires_grad_() is x and x.requires_grad
    y = x * 2
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf variables"):
        y.requires_grad = False
    with pytest.raises(RuntimeError, match="floating point.*int64"):
        ourdl.tensor([1, 2]).requires_grad_()
    with pytest.raises(RuntimeError, match="retain_grad.*requires_grad=False"):
        ourdl.ones(2).retain_grad()


def test_grad_setter_checks():
    x = ourdl.ones(2, requires_grad=True)
    x.grad = ourdl.zeros(2)
    with pytest.raises(RuntimeError, match=r"shape \(3,\)"):
        x.grad = ourdl.zeros(3)
    with pytest.raises(TypeError):
        x.grad = np.zeros(2)


def test_comparisons_give_bool_tensors_like_torch():
    ours, theirs = both(np.array([1.0, 2.0, 3.0]), requires_grad=False)
    for op in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"):
        assert_same(getattr(ours, op)(2.0), getattr(theirs, op)(2.0))
        assert_same(getattr(ours, op)(ours.flip(0)), getattr(theirs, op)(theirs.flip(0)))
    assert_same((ours > 1) & (ours < 3), (theirs > 1) & (theirs < 3))
    assert_same(~(ours > 1) | (ours == 3), ~(theirs > 1) | (theirs == 3))


def test_tensor_is_hashable_and_eq_is_elementwise():
    x = ourdl.ones(2)
    assert {x: 1}[x] == 1
    assert (x == x).tolist() == [True, True]


def test_legacy_constructor():
    assert ourdl.Tensor([1, 2]).dtype == ourdl.float32
    assert ourdl.Tensor([[1.0]]).shape == (1, 1)


def test_device_api_is_cpu():
    x = ourdl.ones(2)
    assert x.device == ourdl.device("cpu") and x.cpu() is x and not x.is_cuda and x.contiguous() is x


def test_reflected_operators_with_numpy_and_scalars():
    x = ourdl.tensor([1.0, 2.0], requires_grad=True)
    y = 2 - x
    z = 1 / x
    w = 3 ** x
    (y.sum() + z.sum() + w.sum()).backward()
    np.testing.assert_allclose(x.grad.numpy(), -1 - 1 / np.array([1.0, 4.0]) + np.log(3) * 3 ** np.array([1.0, 2.0]),
                               rtol=1e-6)


LAYOUTS = {
    "plain": lambda t: t, "transposed": lambda t: t.t(), "sliced": lambda t: t[1:, ::2], "row": lambda t: t[2],
    "expanded": lambda t: t[:1].expand(3, 4), "permuted view": lambda t: t.reshape(2, 6).t()[1:],
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_strides_offsets_and_contiguity_like_torch(layout):
    ours, theirs = (LAYOUTS[layout](lib.arange(12.0).reshape(3, 4)) for lib in (ourdl, torch))
    assert ours.stride() == theirs.stride() and ours.storage_offset() == theirs.storage_offset()
    assert ours.is_contiguous() == theirs.is_contiguous()
    made = ours.contiguous()
    assert made.is_contiguous() and (made is ours) == ours.is_contiguous()
    assert made.view(-1).tolist() == theirs.contiguous().view(-1).tolist()


def test_contiguous_copy_stays_in_the_graph_like_torch():
    grads = []
    for lib in (ourdl, torch):
        x = lib.arange(6.0, requires_grad=True)
        (x.reshape(2, 3).t().contiguous().view(-1) * lib.arange(6.0)).sum().backward()
        grads.append(x.grad.tolist())
    assert grads[0] == grads[1]


def test_size_predicates_like_torch():
    for lib in (ourdl, torch):
        x = lib.ones(2, 3)
        assert (x.ndimension(), x.itemsize, x.nbytes, x.is_signed(), x.is_complex()) == (2, 4, 24, True, False)
        assert x.is_same_size(lib.zeros(2, 3)) and not x.is_same_size(lib.zeros(3, 2))
        assert lib.tensor([0.0]).is_nonzero() is False and not lib.tensor([1], dtype=lib.uint8).is_signed()
        with pytest.raises(RuntimeError, match="more than one value is ambiguous"):
            x.is_nonzero()
