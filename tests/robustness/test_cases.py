"""The bad and edge inputs once answered wrongly, side by side with PyTorch: the same exception type (and a
message naming the function), or the same result. Each case names its class."""

import numpy as np
import pytest

import ourdl
from tests.oracle import torch


def _linear_bias(lib):
    return lib.nn.functional.linear(lib.ones(2, 3), lib.ones(4, 3), lib.ones(5))


def _float64_grad(lib):
    p = lib.nn.Parameter(lib.ones(2))
    p.grad = lib.ones(2, dtype=lib.float64)


def _buffer_over_parameter(lib):
    lib.nn.Linear(2, 2).register_buffer("weight", lib.ones(2))


def _state_dict_of_lists(lib):
    lib.nn.Linear(2, 2).load_state_dict({"weight": [[1.0, 2.0], [3.0, 4.0]], "bias": [0.0, 0.0]})


def _loader(lib, batch_size):
    data = lib.utils.data
    return list(data.DataLoader(data.TensorDataset(lib.ones(4)), batch_size=batch_size))


# label -> (class of the problem, the call on either library)
REFUSED = {
    "Linear(2.5, 2)": ("argument PyTorch refuses", lambda lib: lib.nn.Linear(2.5, 2)),
    "randn(2.5)": ("argument PyTorch refuses", lambda lib: lib.randn(2.5)),
    "zeros(2, 2.5)": ("argument PyTorch refuses", lambda lib: lib.zeros(2, 2.5)),
    "zeros(True)": ("argument PyTorch refuses", lambda lib: lib.zeros(True)),
    "reshape(2.0)": ("argument PyTorch refuses", lambda lib: lib.ones(2).reshape(2.0)),
    "batch_size=2.0": ("argument PyTorch refuses", lambda lib: _loader(lib, 2.0)),
    "batch_size=True": ("argument PyTorch refuses", lambda lib: _loader(lib, True)),
    "batch_size=0": ("argument PyTorch refuses", lambda lib: _loader(lib, 0)),
    "cat of lists": ("argument PyTorch refuses", lambda lib: lib.cat([[1.0], [2.0]])),
    "cat of a list among tensors": ("argument PyTorch refuses", lambda lib: lib.cat([lib.ones(1), [2.0]])),
    "stack of lists": ("argument PyTorch refuses", lambda lib: lib.stack([[1.0], [2.0]])),
    "cat([])": ("wrong exception type", lambda lib: lib.cat([])),
    "integer // 0": ("argument PyTorch refuses", lambda lib: lib.tensor([1, 2]) // 0),
    "integer % 0": ("argument PyTorch refuses", lambda lib: lib.tensor([1, 2]) % 0),
    "integer // tensor with 0": ("argument PyTorch refuses", lambda lib: lib.tensor([1, 2]) // lib.tensor([0, 1])),
    "float64 .grad on float32": ("argument PyTorch refuses", _float64_grad),
    "register_buffer over a parameter": ("argument PyTorch refuses", _buffer_over_parameter),
    "load_state_dict of lists": ("argument PyTorch refuses", _state_dict_of_lists),
    "~float": ("wrong exception type", lambda lib: ~lib.ones(2)),
    "float & float": ("wrong exception type", lambda lib: lib.ones(2) & lib.ones(2)),
    "index_select out of range, dim 0": ("wrong exception type",
                                         lambda lib: lib.ones(3).index_select(0, lib.tensor([5]))),
    "index_select out of range, dim 1": ("wrong exception type",
                                         lambda lib: lib.ones(2, 3).index_select(1, lib.tensor([5]))),
    "F.linear with a wrong bias": ("NumPy's words", _linear_bias),
    "amax over an empty dim": ("NumPy's words", lambda lib: lib.ones(0, 3).amax(0)),
    "argmax of an empty tensor": ("NumPy's words", lambda lib: lib.ones(0, 3).argmax()),
    "argmax over an empty dim": ("NumPy's words", lambda lib: lib.ones(3, 0).argmax(1)),
    "max of an empty tensor": ("NumPy's words", lambda lib: lib.ones(0, 3).max()),
}


@pytest.mark.parametrize("label", REFUSED)
def test_refused_as_pytorch_refuses(label):
    kind, call = REFUSED[label]
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(Exception) as ours:
        call(ourdl)
    assert type(ours.value) is type(theirs.value) or isinstance(ours.value, type(theirs.value)), \
        f"{label} ({kind}): ourdl raised {type(ours.value).__name__}: {ours.value}; PyTorch {type(theirs.value).__name__}"
    assert "numpy" not in str(ours.value).lower() and "operands could not" not in str(ours.value)


# label -> a call on either library whose result must agree (empty tensors flow through as in PyTorch)
EMPTY = {
    "sum over an empty dim": lambda lib: lib.ones(0, 3).sum(0),
    "mean over an empty dim": lambda lib: lib.ones(0, 3).mean(0),
    "prod over an empty dim": lambda lib: lib.ones(0, 3).prod(0),
    "max along a non-empty dim of an empty tensor": lambda lib: lib.ones(0, 3).max(1).values,
    "min along a non-empty dim of an empty tensor": lambda lib: lib.ones(2, 0).amin(0),
    "argmax along a non-empty dim": lambda lib: lib.ones(0, 3).argmax(1),
    "softmax over an empty dim": lambda lib: lib.ones(3, 0).softmax(1),
    "log_softmax over an empty dim": lambda lib: lib.ones(3, 0).log_softmax(1),
    "softmax of no rows": lambda lib: lib.ones(0, 3).softmax(1),
    "logsumexp over an empty dim": lambda lib: lib.ones(3, 0).logsumexp(1),
    "Linear of no rows": lambda lib: lib.nn.Linear(3, 2)(lib.ones(0, 3)),
    "Linear with no inputs": lambda lib: lib.nn.Linear(0, 2)(lib.ones(4, 0)),
    "cumsum of no rows": lambda lib: lib.ones(0, 3).cumsum(0),
    "cross_entropy of no samples": lambda lib: lib.nn.functional.cross_entropy(
        lib.ones(0, 3), lib.zeros(0, dtype=lib.int64)),
    "mse_loss of nothing": lambda lib: lib.nn.functional.mse_loss(lib.ones(0), lib.ones(0)),
    "float // 0": lambda lib: lib.tensor([1.0, -2.0, 0.0]) // 0,
    "float % 0": lambda lib: lib.tensor([1.0, -2.0, 0.0]) % 0,
}


@pytest.mark.parametrize("label", EMPTY)
@pytest.mark.filterwarnings("ignore::UserWarning")  # PyTorch's "Initializing zero-element tensors is a no-op"
def test_empty_and_degenerate_inputs_give_pytorchs_result(label):
    ours, theirs = EMPTY[label](ourdl), EMPTY[label](torch)
    assert tuple(ours.shape) == tuple(theirs.shape), label
    ours = ours.detach().numpy()
    theirs = theirs.detach().numpy()
    if ours.size:
        np.testing.assert_allclose(ours.astype(np.float64), theirs.astype(np.float64), equal_nan=True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_std_at_the_extremes_and_at_a_constant_input(dtype):
    for values in ([1e20, -1e20], [3.0, 3.0, 3.0], [1e-30, -1e-30]):
        results = []
        for lib in (ourdl, torch):
            x = lib.tensor(values, dtype=getattr(lib, dtype), requires_grad=True)
            y = x.std()
            y.backward()
            results.append((y.item(), x.grad.tolist()))
        assert results[0][0] == pytest.approx(results[1][0], rel=1e-6), values
        assert results[0][1] == pytest.approx(results[1][1], rel=1e-6, abs=1e-30), values


def test_prelu_scalar_form():
    assert ourdl.activations.get("prelu").scalar(-2.0) == -0.5
    assert ourdl.activations.get("prelu").scalar(2.0) == 2.0
    x = ourdl.tensor(-2.0)
    assert ourdl.nn.functional.prelu(x, ourdl.tensor([0.25])).shape == torch.nn.functional.prelu(
        torch.tensor(-2.0), torch.tensor([0.25])).shape


def test_another_optimizers_state_is_refused():
    """PyTorch loads SGD's state into Adam and fails at step(); ourdl refuses at load, naming what is missing."""
    p = ourdl.nn.Parameter(ourdl.ones(2))
    sgd = ourdl.optim.SGD([p], lr=0.5)
    adam = ourdl.optim.Adam([p], lr=1e-3)
    with pytest.raises(ValueError, match="betas"):
        adam.load_state_dict(sgd.state_dict())
    assert adam.param_groups[0]["lr"] == 1e-3


def test_numpys_floating_point_warnings_do_not_reach_the_user(recwarn):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        ourdl.quiet_numpy.silence()  # what import ourdl does; pytest's own filters replaced it for this test
        x = ourdl.tensor([1e38, 0.0])
        (x * 10, x / 0, x.log(), ourdl.ones(0).mean(), x.sum() * x)
        assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


@pytest.mark.parametrize("name, args", [("sum", (2,)), ("mean", (2,)), ("max", (2,)), ("argmax", (2,)),
                                        ("cumsum", (2, 0)), ("reshape", (2, (1,))),
                                        ("transpose", (2, 0, 1)), ("sum", ([1.0, 2.0],))])
def test_a_non_tensor_input_is_pytorchs_type_error_naming_the_op(name, args):
    with pytest.raises(TypeError) as theirs:
        getattr(torch, name)(*args)
    with pytest.raises(TypeError) as ours:
        getattr(ourdl, name)(*args)
    assert str(ours.value) == str(theirs.value)
