"""Every public op that PyTorch also has, given a list, a tuple, a number, None or a NumPy array where its first
tensor goes: PyTorch's exception type, PyTorch's words where they are its standard ``NAME(): argument 'input'
(position 1) must be Tensor, not list``, or PyTorch's result where it accepts the value."""

import functools
import inspect
import re
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ourdl
from tests.oracle import torch

# creation, random-state, device and file functions: their first argument is meant not to be a tensor
NOT_ON_TENSORS = {
    "tensor", "as_tensor", "from_numpy", "zeros", "ones", "empty", "full", "eye", "arange", "linspace", "is_tensor",
    "manual_seed", "initial_seed", "seed", "get_rng_state", "set_rng_state", "rand", "randn", "randint", "randperm",
    "get_num_threads", "set_num_threads", "get_default_device", "set_default_device", "is_inference_mode_enabled",
    "save", "load", "set_printoptions"}
OPS = sorted(name for name in ourdl.__all__
             if inspect.isfunction(getattr(ourdl, name, None)) or inspect.isbuiltin(getattr(ourdl, name, None))
             or (callable(getattr(ourdl, name)) and not inspect.isclass(getattr(ourdl, name))))
OPS = [name for name in OPS if name not in NOT_ON_TENSORS and callable(getattr(torch, name, None))
       and not inspect.isclass(getattr(torch, name))]

M = np.array([[1.0, 0.5], [0.25, 2.0]])  # a float matrix: the first argument replaced, and the other tensors
INDEX = np.array([[1, 0], [0, 1]])
LU, PIVOTS = (t.numpy() for t in torch.linalg.lu_factor(torch.tensor(M)))  # M's packed LU factors

# A call that works, for the ops no argument list in CANDIDATES fits after M: (the first tensor, the other
# arguments); "M", "I", "v", ... name tensors made per library (see ``tensors``).
CALLS = {
    **{name: (INDEX, ("I",)) for name in ("bitwise_and", "bitwise_or", "bitwise_xor")},
    "bitwise_not": (INDEX, ()), "bincount": (np.array([0, 1, 1]), ()), "bucketize": (M, ("v",)),
    "polygamma": (M, ()), "index_select": (M, (0, "i")), "masked_select": (M, ("B",)),
    "index_add": (M, (0, "i", "M")), "bmm": (M[None], ("M3",)), "mv": (M, ("v",)), "dot": (M[0], ("v",)),
    "outer": (M[0], ("v",)), "vdot": (M[0], ("v",)), "cross": (np.ones(3), ("v3",)), "unflatten": (M, (1, (2, 1))),
    "narrow": (M, (0, 0, 1)), "lu_solve": (np.ones((2, 1)), ("LU", "pivots")), "lu_unpack": (LU, ("pivots",)),
    **{name: (np.ones((1, 1, 3)), ("W1",)) for name in ("conv1d", "conv_transpose1d")},
    **{name: (np.ones((1, 1, 3, 3)), ("W2",)) for name in ("conv2d", "conv_transpose2d")},
    **{name: (np.ones((1, 1, 3, 3, 3)), ("W3",)) for name in ("conv3d", "conv_transpose3d")},
}
# ops on a list of tensors: the list's first element is what is replaced
LISTS = {"cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack", "column_stack", "meshgrid"}
CANDIDATES = [(), ("M",), (0,), (1,), ("M", "M"), ((2, 2),), ((1, 0),), (0, "I"), ("I",), (0, "I", "M"), (0, 0),
              ("M", 0.5), ("I", "M"), (0, 1)]


def tensors(lib, name):
    """The tensors the arguments name, for ``lib``."""
    return {"M": lib.tensor(M), "I": lib.tensor(INDEX), "v": lib.tensor(np.array([0.5, 1.0])), "i": lib.tensor([1, 0]),
            "B": lib.tensor(M > 0.4), "M3": lib.tensor(M[None]), "v3": lib.tensor(np.array([1.0, 2.0, 3.0])),
            "W1": lib.tensor(np.ones((1, 1, 2))), "W2": lib.tensor(np.ones((1, 1, 2, 2))),
            "W3": lib.tensor(np.ones((1, 1, 2, 2, 2))), "LU": lib.tensor(LU), "pivots": lib.tensor(PIVOTS)}


def call(lib, name, first, rest):
    named = tensors(lib, name)
    args = [named[a] if isinstance(a, str) else a for a in rest]
    if name in LISTS:
        return getattr(lib, name)([first, named["v" if name == "meshgrid" else "M"]], *args)
    if name == "polygamma":
        return lib.polygamma(1, first)
    return getattr(lib, name)(first, *args)


@functools.cache
def valid_call(name):
    """(the first tensor, the other arguments) of a call PyTorch accepts."""
    if name in CALLS:
        return CALLS[name]
    if name in LISTS:
        return (M[0] if name == "meshgrid" else M), ()
    for rest in CANDIDATES:
        try:
            call(torch, name, torch.tensor(M), rest)
        except Exception:  # noqa: BLE001  (the next candidate, then)
            continue
        return M, rest
    raise AssertionError(f"no call of torch.{name} in the table works: add one to CALLS")


# PyTorch's split and norm are Python functions that call a method of their argument: an AttributeError there,
# PyTorch's TypeError here
PYTHON_LEVEL = {"split", "norm"}
STANDARD = re.compile(r"^(\w+)\(\): argument '(\w+)' \(position (\d)\) must be Tensor, not ([\w.]+)$")

non_tensors = st.one_of(
    st.lists(st.floats(-10, 10), min_size=0, max_size=3),
    st.lists(st.lists(st.integers(-3, 3), min_size=2, max_size=2), min_size=1, max_size=2).map(tuple),
    st.floats(-10, 10), st.integers(-3, 3), st.booleans(), st.none(),
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=3), elements=st.floats(-10, 10)))


# one of each kind of non-tensor, tried on every op besides hypothesis's draws
KINDS = [[1.0, 2.0], ((1, 2), (3, 4)), 2.5, 3, True, None, np.array([[1.0, 0.5], [0.25, 2.0]]), np.float64(0.5)]


def each_kind_once(test):
    """``test`` given each of :data:`KINDS` as its ``value`` as explicit examples."""
    for value in reversed(KINDS):
        test = example(value=value).via("each kind once")(test)
    return test


def attempt(thunk):
    """``(result, None)`` of ``thunk()``, or ``(None, the exception it raised)``, its warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return thunk(), None
        except Exception as error:  # noqa: BLE001  (its type and words are what is compared)
            return None, error


def outcome(lib, name, value, rest):
    return attempt(lambda: call(lib, name, value, rest))


@pytest.mark.parametrize("name", OPS)
def test_each_op_has_a_call_both_libraries_accept(name):
    if name == "einsum":  # its first argument is the equation
        return
    first, rest = valid_call(name)
    for lib in (torch, ourdl):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call(lib, name, lib.tensor(first), rest)


@pytest.mark.parametrize("name", OPS)
@settings(max_examples=4, deadline=None, derandomize=True)
@given(value=non_tensors)
@each_kind_once
def test_a_non_tensor_first_argument_is_treated_as_pytorch_treats_it(name, value):
    rest = valid_call(name)[1]
    ours, our_error = outcome(ourdl, name, value, rest)
    theirs, their_error = outcome(torch, name, value, rest)
    if their_error is None:
        assert our_error is None, f"PyTorch accepts {value!r}, ourdl raised {our_error!r}"
        ours, theirs = (ours, theirs) if isinstance(ours, (tuple, list)) else ((ours,), (theirs,))
        for o, t in zip(ours, theirs):
            np.testing.assert_allclose(np.asarray(o.detach() if hasattr(o, "detach") else o, dtype=float),
                                       np.asarray(t.detach() if hasattr(t, "detach") else t, dtype=float), rtol=1e-6)
        return
    assert our_error is not None, f"PyTorch refuses {value!r} ({their_error}), ourdl accepts it"
    if name in PYTHON_LEVEL and isinstance(their_error, AttributeError):
        their_error = TypeError(str(their_error))
    assert isinstance(our_error, type(their_error)) or isinstance(their_error, type(our_error)), \
        (our_error, their_error)
    standard = STANDARD.match(str(their_error))
    # an alias (arccos is acos) speaks its op's name; so does an op that PyTorch's message names by its kernel
    if standard and standard.group(1) == name and getattr(ourdl, name).__name__ == name:
        assert str(our_error) == str(their_error)


LINALG = sorted(name for name in dir(ourdl.linalg) if not name.startswith("_")
                and inspect.isfunction(getattr(ourdl.linalg, name)) and callable(getattr(torch.linalg, name, None)))
LINALG_REST = {"matrix_power": (2,), "solve": (np.ones(2),), "lu_solve": (PIVOTS, np.ones((2, 1)))}


@pytest.mark.parametrize("name", LINALG)
@pytest.mark.parametrize("value", [[[2.0, 0.5], [0.5, 1.0]], np.eye(2), 2.0, None], ids=type)
def test_linalg_refuses_a_non_tensor_matrix_as_pytorch(name, value):
    errors = []
    for lib in (torch, ourdl):
        rest = [lib.tensor(a) if isinstance(a, np.ndarray) else a for a in LINALG_REST.get(name, ())]
        with pytest.raises(TypeError) as raised:
            getattr(lib.linalg, name)(value, *rest)
        errors.append(raised.value)
    assert "must be Tensor" in str(errors[1]) and "linalg." in str(errors[1])


OF, TF = ourdl.nn.functional, torch.nn.functional
FUNCTIONAL = sorted(name for name in dir(OF) if not name.startswith("_") and callable(getattr(OF, name))
                    and not inspect.isclass(getattr(OF, name)) and not inspect.ismodule(getattr(OF, name))
                    and callable(getattr(TF, name, None)) and not inspect.isclass(getattr(TF, name)))
IMAGES = np.ones((1, 2, 4, 4))
FUNCTIONAL_CANDIDATES = [(), ("X",), (2,), ((2, 2),), ("labels",), ("W",), (1,)]


def functional_rest(lib, rest):
    made = {"X": lambda: lib.tensor(IMAGES), "labels": lambda: lib.zeros(1, 4, 4, dtype=lib.int64),
            "W": lambda: lib.ones(2, 2, 1, 1, dtype=lib.float64)}
    return [made[a]() if isinstance(a, str) else a for a in rest]


@functools.cache
def functional_call(name):
    for rest in FUNCTIONAL_CANDIDATES:
        try:
            getattr(TF, name)(torch.tensor(IMAGES), *functional_rest(torch, rest))
        except Exception:  # noqa: BLE001  (the next candidate, then)
            continue
        return rest
    return None


@pytest.mark.parametrize("name", FUNCTIONAL)
def test_functional_forms_refuse_a_non_tensor_input(name):
    """PyTorch's functional forms written in Python fail on a method of the argument (AttributeError), the others
    raise its TypeError; ourdl raises the TypeError in both cases."""
    rest = functional_call(name)
    if rest is None:  # no call in the candidates fits: this op is checked elsewhere
        return
    for value in ([1.0, 2.0], IMAGES, 2.5, None):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                getattr(TF, name)(value, *functional_rest(torch, rest))
            except (TypeError, AttributeError):
                pass
            else:
                continue  # PyTorch accepts it: not this test's case
            with pytest.raises(TypeError):
                getattr(OF, name)(value, *functional_rest(ourdl, rest))
