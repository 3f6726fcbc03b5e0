"""Binary arithmetic against PyTorch: broadcasting (hypothesis), scalars on either side, dtype promotion, kinks."""

import operator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ourdl
from tests.oracle import both, check, check_double, torch

BINARY = {  # name -> (ourdl/torch function name, low, high of the second operand's magnitude)
    "add": (operator.add, False), "sub": (operator.sub, False), "mul": (operator.mul, False),
    "div": (operator.truediv, True), "pow": (operator.pow, True), "maximum": (None, False), "minimum": (None, False),
}
DTYPES = [np.float32, np.float64]


def _fn(lib, name):
    op, _ = BINARY[name]
    return op if op is not None else getattr(lib, name)


def _operands(name, shape_a, shape_b, dtype, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.uniform(-2, 2, shape_a).astype(dtype)
    b = rng.uniform(-2, 2, shape_b).astype(dtype)
    if name == "pow":
        a = np.abs(a) + 0.1
    if BINARY[name][1]:
        b = np.where(np.abs(b) < 0.2, 0.5, b).astype(dtype)
    return a, b


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_matches_torch(name, dtype):
    a, b = _operands(name, (3, 4), (3, 4), dtype)
    check(_fn(ourdl, name), _fn(torch, name), a, b)


@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=25, deadline=None)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
       dtype=st.sampled_from(DTYPES))
def test_binary_broadcasting(name, shapes, dtype):
    a, b = _operands(name, *shapes.input_shapes, dtype)
    check(_fn(ourdl, name), _fn(torch, name), a, b)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_gradcheck_and_gradgradcheck(name):
    a, b = _operands(name, (2, 3), (3,), np.float64, seed=3)
    ta, tb = ourdl.tensor(a, requires_grad=True), ourdl.tensor(b, requires_grad=True)
    fn = _fn(ourdl, name)
    assert ourdl.autograd.gradcheck(fn, (ta, tb))
    assert ourdl.autograd.gradgradcheck(fn, (ta, tb))


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_second_derivative_matches_torch(name):
    check_double(_fn(ourdl, name), _fn(torch, name), *_operands(name, (2, 3), (2, 3), np.float64, seed=4))


@pytest.mark.parametrize("scalar", [2, 2.5, -1.5, True])
@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "pow"])
def test_python_scalar_on_either_side(name, scalar):
    a = np.array([0.5, 1.0, 2.0], dtype=np.float32)
    op = BINARY[name][0]
    if name == "pow" and scalar is True or name == "sub" and scalar is True:
        return
    check(lambda x: op(x, scalar), lambda x: op(x, scalar), a)
    check(lambda x: op(scalar, x), lambda x: op(scalar, x), a)


@pytest.mark.parametrize("dtype", DTYPES)
def test_ties_split_the_gradient(dtype):
    a = np.array([1.0, 2.0, 3.0], dtype=dtype)
    b = np.array([1.0, 1.0, 3.0], dtype=dtype)
    check(ourdl.maximum, torch.maximum, a, b)
    check(ourdl.minimum, torch.minimum, a, b)


@pytest.mark.parametrize("dtype", DTYPES)
def test_maximum_propagates_nan(dtype):
    a = np.array([np.nan, 1.0, np.inf], dtype=dtype)
    b = np.array([0.0, np.nan, -np.inf], dtype=dtype)
    check(ourdl.maximum, torch.maximum, a, b, grad=False)
    check(ourdl.minimum, torch.minimum, a, b, grad=False)


@pytest.mark.parametrize("dtype", DTYPES)
def test_pow_at_zero_base(dtype):
    """d/da 0**2 = 0, d/db 0**b = 0 for b >= 0 (PyTorch's choice), and x**0 has zero gradient."""
    a = np.array([0.0, 0.0, 2.0, 0.0], dtype=dtype)
    b = np.array([2.0, 0.0, 0.0, 3.0], dtype=dtype)
    check(operator.pow, operator.pow, a, b)


@pytest.mark.parametrize("name", ["floor_divide", "remainder"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_floor_divide_and_remainder(name, dtype):
    a = np.array([7, -7, 7, -7, 5], dtype=dtype)
    b = np.array([2, 2, -2, -2, 5], dtype=dtype)
    check(getattr(ourdl, name), getattr(torch, name), a, b, grad=name == "remainder")


def test_subtracting_bools_is_refused_like_torch():
    for a, b in [(ourdl.tensor([True]), 1), (ourdl.ones(2), True), (ourdl.tensor([True]), ourdl.tensor([False]))]:
        with pytest.raises(RuntimeError, match="sub.*bool"):
            a - b


# -- dtype promotion, PyTorch's rules -----------------------------------------------
def _promoted(make_a, make_b, op=operator.add):
    ours = op(make_a(ourdl), make_b(ourdl))
    theirs = op(make_a(torch), make_b(torch))
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1], (ours.dtype, theirs.dtype)
    np.testing.assert_allclose(np.asarray(ours.tolist(), dtype=float), np.asarray(theirs.tolist(), dtype=float),
                               rtol=1e-6)


PROMOTION_CASES = {
    "int tensor + float scalar": (lambda m: m.tensor([1, 2]), lambda m: 2.5),
    "float scalar + int tensor": (lambda m: 2.5, lambda m: m.tensor([1, 2])),
    "int tensor + int scalar": (lambda m: m.tensor([1, 2]), lambda m: 3),
    "bool tensor + int scalar": (lambda m: m.tensor([True, False]), lambda m: 3),
    "bool tensor + float scalar": (lambda m: m.tensor([True, False]), lambda m: 0.5),
    "float32 + float64 0-d": (lambda m: m.ones(2), lambda m: m.tensor(1.0, dtype=m.float64)),
    "int64 + float64 0-d": (lambda m: m.tensor([1, 2]), lambda m: m.tensor(1.5, dtype=m.float64)),
    "float32 + float64": (lambda m: m.ones(2), lambda m: m.ones(2, dtype=m.float64)),
    "int32 + int64": (lambda m: m.tensor([1, 2], dtype=m.int32), lambda m: m.tensor([1, 2])),
    "int32 + int64 0-d": (lambda m: m.tensor([1, 2], dtype=m.int32), lambda m: m.tensor(3)),
    "float32 0-d + int64": (lambda m: m.tensor(1.5), lambda m: m.tensor([1, 2])),
    "float64 0-d + float32 0-d": (lambda m: m.tensor(1.5, dtype=m.float64), lambda m: m.tensor(2.0)),
}


@pytest.mark.parametrize("op", [operator.add, operator.mul, operator.sub], ids=["add", "mul", "sub"])
@pytest.mark.parametrize("case", sorted(PROMOTION_CASES))
def test_promotion(case, op):
    if op is operator.sub and case.startswith("bool"):
        return
    _promoted(*PROMOTION_CASES[case], op=op)


@pytest.mark.parametrize("case", ["int/int", "int/int scalar", "int scalar/int", "bool/int"])
def test_true_division_of_integers_gives_float(case):
    makers = {
        "int/int": (lambda m: m.tensor([1, 3]), lambda m: m.tensor([2, 2])),
        "int/int scalar": (lambda m: m.tensor([1, 3]), lambda m: 2),
        "int scalar/int": (lambda m: 3, lambda m: m.tensor([1, 2])),
        "bool/int": (lambda m: m.tensor([True, False]), lambda m: m.tensor([2, 2])),
    }
    _promoted(*makers[case], op=operator.truediv)


def test_default_dtype_float64_changes_scalar_promotion():
    ourdl.set_default_dtype(ourdl.float64)
    torch.set_default_dtype(torch.float64)
    try:
        _promoted(lambda m: m.tensor([1, 2]), lambda m: 2.5)
        assert ourdl.tensor([1.0]).dtype == ourdl.float64
    finally:
        torch.set_default_dtype(torch.float32)


def test_float_tensor_keeps_dtype_with_python_float():
    assert (ourdl.ones(2) * 1e-3).dtype == ourdl.float32
    assert (ourdl.ones(2, dtype=ourdl.float64) * 2).dtype == ourdl.float64


def test_mixed_dtype_gradients_come_back_in_each_inputs_dtype():
    a32, a_t = both(np.ones(3, dtype=np.float32))
    b64, b_t = both(np.full(3, 2.0))
    (a32 * b64).sum().backward()
    (a_t * b_t).sum().backward()
    assert a32.grad.dtype == ourdl.float32 and b64.grad.dtype == ourdl.float64
    np.testing.assert_allclose(a32.grad.numpy(), a_t.grad.numpy())


def test_broadcast_mismatch_error_names_op_and_shapes():
    with pytest.raises(RuntimeError, match=r"add.*\[2, 3\].*\[4\]"):
        ourdl.ones(2, 3) + ourdl.ones(4)
    with pytest.raises(RuntimeError, match=r"mul.*\[2\].*\[3\]"):
        ourdl.ones(2) * ourdl.ones(3)


def test_unsupported_operand_type_error():
    for lib in (ourdl, torch):  # the operator gives Python's own TypeError, as PyTorch's does
        with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+: 'Tensor' and 'str'"):
            lib.ones(2) + "a"
    with pytest.raises(TypeError, match=r"^add\(\): argument 'other' \(position 2\) must be Tensor, not str$"):
        ourdl.add(ourdl.ones(2), "a")


OPERAND_KINDS = ["bool", "int32", "int64", "float32", "float64"]


def _operand(lib, kind, form):
    """A dimensioned tensor, a 0-d tensor, or a Python scalar of ``kind``."""
    value = {"bool": True, "int32": 3, "int64": 3, "float32": 1.5, "float64": 1.5}[kind]
    if form == "python":
        return value if kind in ("bool", "int64", "float32") else None
    dtype = getattr(lib, kind)
    return lib.tensor([value, value], dtype=dtype) if form == "tensor" else lib.tensor(value, dtype=dtype)


@pytest.mark.parametrize("op", ["add", "mul", "div", "maximum", "where"])
@settings(max_examples=40, deadline=None)
@given(kinds=st.tuples(st.sampled_from(OPERAND_KINDS), st.sampled_from(OPERAND_KINDS)),
       forms=st.tuples(st.sampled_from(["tensor", "0-d", "python"]), st.sampled_from(["tensor", "0-d", "python"])))
def test_result_dtype_matches_torch_for_any_operand_pair(op, kinds, forms):
    if forms == ("python", "python") or op == "maximum" and "python" in forms:
        return
    ours = [_operand(ourdl, k, f) for k, f in zip(kinds, forms)]
    theirs = [_operand(torch, k, f) for k, f in zip(kinds, forms)]
    if None in ours:
        return

    def run(lib, a, b):
        if op == "where":
            return lib.where(lib.tensor([True, False]), a, b)
        return getattr(lib, op)(a, b)

    try:
        expected = run(torch, *theirs)
    except RuntimeError:
        return
    got = run(ourdl, *ours)
    assert got.dtype.name == str(expected.dtype).split(".")[-1], (op, kinds, forms)
    np.testing.assert_allclose(np.asarray(got.tolist(), dtype=float), np.asarray(expected.tolist(), dtype=float))


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=8), st.integers(-7, 7).filter(bool))
def test_div_trunc_keeps_integers_and_rounds_toward_zero_like_torch(values, divisor):
    got = ourdl.div(ourdl.tensor(values), divisor, rounding_mode="trunc")
    expected = torch.div(torch.tensor(values), divisor, rounding_mode="trunc")
    assert got.dtype == ourdl.int64
    assert got.tolist() == expected.tolist()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_div_trunc_on_floats_matches_torch_with_a_zero_gradient(dtype):
    data = np.array([7.0, -7.5, 0.0, -0.0, 1e30, np.inf, np.nan], dtype=dtype)
    x = ourdl.tensor(data, requires_grad=True)
    t = torch.tensor(data, requires_grad=True)
    y, expected = ourdl.div(x, 2.0, rounding_mode="trunc"), torch.div(t, 2.0, rounding_mode="trunc")
    np.testing.assert_array_equal(y.detach().numpy(), expected.detach().numpy())
    y.sum().backward(), expected.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())


def test_div_trunc_by_integer_zero_raises_like_torch():
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        torch.div(torch.tensor([7]), 0, rounding_mode="trunc")
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        ourdl.div(ourdl.tensor([7]), 0, rounding_mode="trunc")
