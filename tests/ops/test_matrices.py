"""Matrix-structure ops against PyTorch: triangles, diagonals, roll, einsum, addmm, lerp, nan_to_num, kron, cross.

Values and gradients in float32 and float64, second derivatives, gradcheck/gradgradcheck, random shapes,
integer inputs, the diagonal view under in-place changes, and the errors.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ourdl
from tests.oracle import assert_same, both, check, check_double, torch

pytestmark = pytest.mark.filterwarnings("ignore:Using torch.cross without specifying the dim")

DTYPES = [np.float32, np.float64]


def _random(shape, dtype=np.float64, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def _gradchecks(fn, *arrays):
    inputs = tuple(ourdl.tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in arrays)
    assert ourdl.autograd.gradcheck(fn, inputs)
    assert ourdl.autograd.gradgradcheck(fn, inputs)


# Each case: (ourdl function, torch function, input shapes); both called on tensors, as functions and as methods.
CASES = {
    "tril": (lambda x: ourdl.tril(x), lambda x: torch.tril(x), [(3, 4)]),
    "tril k=1 batched": (lambda x: x.tril(1), lambda x: x.tril(1), [(2, 3, 4)]),
    "tril k=-2": (lambda x: ourdl.tril(x, -2), lambda x: torch.tril(x, -2), [(4, 3)]),
    "triu": (lambda x: ourdl.triu(x), lambda x: torch.triu(x), [(3, 4)]),
    "triu k=-1 batched": (lambda x: x.triu(diagonal=-1), lambda x: x.triu(diagonal=-1), [(2, 2, 4, 3)]),
    "triu k past the edge": (lambda x: ourdl.triu(x, 5), lambda x: torch.triu(x, 5), [(3, 4)]),
    "diag of vector": (lambda x: ourdl.diag(x), lambda x: torch.diag(x), [(4,)]),
    "diag of vector k=2": (lambda x: x.diag(2), lambda x: x.diag(2), [(3,)]),
    "diag of vector k=-1": (lambda x: ourdl.diag(x, -1), lambda x: torch.diag(x, -1), [(3,)]),
    "diag of matrix": (lambda x: ourdl.diag(x), lambda x: torch.diag(x), [(3, 4)]),
    "diag of matrix k=-2": (lambda x: x.diag(-2), lambda x: x.diag(-2), [(4, 3)]),
    "diagonal": (lambda x: ourdl.diagonal(x), lambda x: torch.diagonal(x), [(3, 4)]),
    "diagonal offset dims": (lambda x: x.diagonal(1, 2, 0), lambda x: x.diagonal(1, 2, 0), [(3, 2, 4)]),
    "diagonal negative": (lambda x: x.diagonal(offset=-1, dim1=-1, dim2=1), lambda x: x.diagonal(offset=-1, dim1=-1, dim2=1), [(2, 3, 4)]),
    "diagonal empty": (lambda x: x.diagonal(5), lambda x: x.diagonal(5), [(3, 4)]),
    "diag_embed": (lambda x: ourdl.diag_embed(x), lambda x: torch.diag_embed(x), [(2, 3)]),
    "diag_embed dims": (lambda x: x.diag_embed(1, 0, 2), lambda x: x.diag_embed(1, 0, 2), [(2, 3)]),
    "diag_embed reversed dims": (lambda x: x.diag_embed(-1, 1, 0), lambda x: x.diag_embed(-1, 1, 0), [(2, 3)]),
    "trace": (lambda x: ourdl.trace(x), lambda x: torch.trace(x), [(3, 4)]),
    "trace method": (lambda x: x.trace(), lambda x: x.trace(), [(4, 2)]),
    "roll flat": (lambda x: ourdl.roll(x, 2), lambda x: torch.roll(x, 2), [(3, 4)]),
    "roll dims": (lambda x: x.roll((1, -3), (0, -1)), lambda x: x.roll((1, -3), (0, -1)), [(3, 4, 2)]),
    "roll one dim": (lambda x: x.roll(5, 1), lambda x: x.roll(5, 1), [(3, 4)]),
    "addmm": (lambda a, b, c: ourdl.addmm(a, b, c), lambda a, b, c: torch.addmm(a, b, c), [(2, 4), (2, 3), (3, 4)]),
    "addmm broadcast": (lambda a, b, c: a.addmm(b, c, beta=0.5, alpha=-2), lambda a, b, c: a.addmm(b, c, beta=0.5, alpha=-2), [(4,), (2, 3), (3, 4)]),
    "addmm beta 0": (lambda a, b, c: ourdl.addmm(a, b, c, beta=0), lambda a, b, c: torch.addmm(a, b, c, beta=0), [(2, 1), (2, 3), (3, 4)]),
    "lerp scalar": (lambda a, b: ourdl.lerp(a, b, 0.3), lambda a, b: torch.lerp(a, b, 0.3), [(3, 4), (3, 4)]),
    "lerp high scalar": (lambda a, b: a.lerp(b, 0.8), lambda a, b: a.lerp(b, 0.8), [(3, 4), (4,)]),
    "lerp tensor": (lambda a, b, w: ourdl.lerp(a, b, w), lambda a, b, w: torch.lerp(a, b, w), [(3, 1), (4,), (2, 3, 4)]),
    "nan_to_num": (lambda x: ourdl.nan_to_num(x), lambda x: torch.nan_to_num(x), [(3, 4)]),
    "kron": (lambda a, b: ourdl.kron(a, b), lambda a, b: torch.kron(a, b), [(2, 3), (3, 2)]),
    "kron ranks": (lambda a, b: a.kron(b), lambda a, b: a.kron(b), [(2,), (2, 3, 2)]),
    "cross": (lambda a, b: ourdl.cross(a, b), lambda a, b: torch.cross(a, b), [(4, 3), (4, 3)]),
    "cross dim broadcast": (lambda a, b: a.cross(b, dim=0), lambda a, b: a.cross(b, dim=0), [(3, 1, 2), (3, 4, 1)]),
    "cross dim -1": (lambda a, b: ourdl.cross(a, b, -1), lambda a, b: torch.cross(a, b, -1), [(3, 3), (3, 3)]),
    "einsum matmul": (lambda a, b: ourdl.einsum("ij,jk->ik", a, b), lambda a, b: torch.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)]),
    "einsum implicit": (lambda a, b: ourdl.einsum("ba,b", a, b), lambda a, b: torch.einsum("ba,b", a, b), [(2, 3), (2,)]),
    "einsum trace": (lambda a: ourdl.einsum("ii", a), lambda a: torch.einsum("ii", a), [(3, 3)]),
    "einsum diagonal": (lambda a: ourdl.einsum("ii->i", a), lambda a: torch.einsum("ii->i", a), [(3, 3)]),
    "einsum batched diag": (lambda a, b: ourdl.einsum("bii,bj->bij", a, b), lambda a, b: torch.einsum("bii,bj->bij", a, b), [(2, 3, 3), (2, 4)]),
    "einsum ellipsis": (lambda a, b: ourdl.einsum("...ij,...jk", a, b), lambda a, b: torch.einsum("...ij,...jk", a, b), [(2, 1, 2, 3), (4, 3, 2)]),
    "einsum ellipsis middle": (lambda a: ourdl.einsum("i...j->j...i", a), lambda a: torch.einsum("i...j->j...i", a), [(2, 3, 4, 5)]),
    "einsum summed ellipsis": (lambda a, b: ourdl.einsum("...i,i->i", a, b), lambda a, b: torch.einsum("...i,i->i", a, b), [(2, 3, 4), (4,)]),
    "einsum broadcast label": (lambda a, b: ourdl.einsum("ij,ij->ij", a, b), lambda a, b: torch.einsum("ij,ij->ij", a, b), [(1, 3), (2, 3)]),
    "einsum three": (lambda a, b, c: ourdl.einsum("ij,jk,kl->il", [a, b, c]), lambda a, b, c: torch.einsum("ij,jk,kl->il", [a, b, c]), [(2, 3), (3, 4), (4, 2)]),
    "einsum sum only": (lambda a, b: ourdl.einsum("ij,k->k", a, b), lambda a, b: torch.einsum("ij,k->k", a, b), [(2, 3), (4,)]),
    "einsum outer uppercase": (lambda a, b: ourdl.einsum("A,b", a, b), lambda a, b: torch.einsum("A,b", a, b), [(2,), (3,)]),
    "einsum spaces": (lambda a: ourdl.einsum(" i j -> j ", a), lambda a: torch.einsum(" i j -> j ", a), [(2, 3)]),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_torch(case, dtype):
    ours, theirs, shapes = CASES[case]
    arrays = [_random(s, dtype, seed=i) for i, s in enumerate(shapes)]
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == np.float32 else {}
    check(ours, theirs, *arrays, **tol)


@pytest.mark.parametrize("case", sorted(CASES))
def test_second_derivatives(case):
    ours, theirs, shapes = CASES[case]
    arrays = [_random(s, seed=i + 5) for i, s in enumerate(shapes)]
    # Squared so that every op's second derivative is exercised, not only its (linear) structure.
    check_double(lambda *x: ours(*x) ** 2, lambda *x: theirs(*x) ** 2, *arrays)


@pytest.mark.parametrize("case", sorted(CASES))
def test_gradcheck(case):
    ours, _, shapes = CASES[case]
    _gradchecks(ours, *[_random(s, seed=i + 9) for i, s in enumerate(shapes)])


INTEGER_CASES = {
    "tril": (lambda x: x.tril(-1), lambda x: x.tril(-1), (3, 4)),
    "triu": (lambda x: x.triu(1), lambda x: x.triu(1), (2, 3, 4)),
    "diag": (lambda x: x.diag(1), lambda x: x.diag(1), (3,)),
    "diag matrix": (lambda x: x.diag(), lambda x: x.diag(), (3, 4)),
    "diagonal": (lambda x: x.diagonal(0, 1, 2), lambda x: x.diagonal(0, 1, 2), (2, 3, 3)),
    "diag_embed": (lambda x: x.diag_embed(-1, 1, 0), lambda x: x.diag_embed(-1, 1, 0), (3,)),
    "trace": (lambda x: x.trace(), lambda x: x.trace(), (3, 3)),
    "roll": (lambda x: x.roll(-1, 0), lambda x: x.roll(-1, 0), (3, 2)),
    "einsum": (lambda x: ourdl.einsum("ij,jk", x, x), lambda x: torch.einsum("ij,jk", x, x), (3, 3)),
    "addmm": (lambda x: x.addmm(x, x, alpha=2), lambda x: x.addmm(x, x, alpha=2), (3, 3)),
    "nan_to_num": (lambda x: x.nan_to_num(), lambda x: x.nan_to_num(), (3,)),
    "kron": (lambda x: ourdl.kron(x, x), lambda x: torch.kron(x, x), (2, 3)),
    "cross": (lambda x: x.cross(x.roll(1, 1), dim=1), lambda x: x.cross(x.roll(1, 1), dim=1), (2, 3)),
}


@pytest.mark.parametrize("dtype", [np.int64, np.int32])
@pytest.mark.parametrize("case", sorted(INTEGER_CASES))
def test_integer_inputs(case, dtype):
    ours, theirs, shape = INTEGER_CASES[case]
    array = np.random.default_rng(2).integers(-5, 5, shape).astype(dtype)
    check(ours, theirs, array)


def test_bool_triangles_and_diagonals():
    array = np.random.default_rng(3).random((3, 4)) > 0.5
    for name in ["tril", "triu", "diag", "diagonal", "roll", "nan_to_num"]:
        args = (1,) if name == "roll" else ()
        check(lambda x: getattr(ourdl, name)(x, *args), lambda x: getattr(torch, name)(x, *args), array)


def test_kron_promotes_like_torch():
    check(ourdl.kron, torch.kron, np.arange(2), _random((2, 3), np.float32))
    check(ourdl.kron, torch.kron, np.array(2.0), _random((2, 3)))


# -- diagonal is a view ------------------------------------------------------------------------------------------


def test_diagonal_shares_memory_and_writes_through():
    x = ourdl.zeros(3, 4)
    d = x.diagonal(1)
    d.add_(ourdl.tensor([1.0, 2.0, 3.0]))
    assert x.tolist() == [[0, 1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 3]]
    x[1, 2] = 7.0
    assert d.tolist() == [1.0, 7.0, 3.0]


@pytest.mark.parametrize("args", [(), (1,), (-1, 1, 0), (0, 0, 2)])
def test_in_place_change_of_a_diagonal_view_gives_torch_gradient(args):
    shape = (3, 4, 3) if len(args) == 3 else (3, 4)
    (x, tx) = both(_random(shape))
    y, ty = x * 1.5, tx * 1.5
    y.diagonal(*args).mul_(2)
    ty.diagonal(*args).mul_(2)
    assert_same(y, ty)
    weights = _random(shape, seed=4)
    (y * ourdl.tensor(weights)).sin().sum().backward()
    (ty * torch.tensor(weights)).sin().sum().backward()
    assert_same(x.grad, tx.grad)


def test_diagonal_view_follows_base_change():
    x, tx = both(_random((3, 3)))
    y, ty = x * 2, tx * 2
    d, td = y.diagonal(), ty.diagonal()
    y.mul_(3)
    ty.mul_(3)
    (d ** 2).sum().backward()
    (td ** 2).sum().backward()
    assert_same(x.grad, tx.grad)


def test_diag_of_matrix_is_a_copy():
    x = ourdl.ones(2, 2)
    d = x.diag()
    d.add_(1)
    assert x.tolist() == [[1, 1], [1, 1]]


# -- nan_to_num --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kwargs", [{}, dict(nan=1.5), dict(posinf=2.0, neginf=-3.0), dict(nan=-1, posinf=1e300)])
def test_nan_to_num_values_and_gradient(dtype, kwargs):
    array = np.array([[np.nan, 1.0, np.inf], [-np.inf, -2.0, 0.5]], dtype=dtype)
    check(lambda x: x.nan_to_num(**kwargs), lambda x: x.nan_to_num(**kwargs), array)


def test_nan_to_num_second_derivative_is_masked():
    array = np.array([np.nan, 1.0, np.inf, -2.0])
    x, tx = both(array)
    (g,) = ourdl.autograd.grad((x.nan_to_num(posinf=2.0) ** 3).sum(), [x], create_graph=True)
    (tg,) = torch.autograd.grad((tx.nan_to_num(posinf=2.0) ** 3).sum(), [tx], create_graph=True)
    assert_same(g, tg)
    (gg,) = ourdl.autograd.grad(g.sum(), [x])
    (tgg,) = torch.autograd.grad(tg.sum(), [tx])
    assert_same(gg, tgg)


# -- lerp ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("weight", [0.0, 0.49, 0.5, 1.0, -0.7, 2.0, "tensor"])
def test_lerp_float32_is_bitwise_torch(weight):
    rng = np.random.default_rng(7)
    a, b = ((rng.standard_normal(1000) * 10 ** rng.uniform(-3, 3, 1000)).astype(np.float32) for _ in range(2))
    if weight == "tensor":
        w = rng.uniform(-1, 2, 1000).astype(np.float32)
        check(ourdl.lerp, torch.lerp, a, b, w, rtol=0, atol=0)
    else:
        check(lambda x, y: x.lerp(y, weight), lambda x, y: x.lerp(y, weight), a, b, rtol=0, atol=0)


def test_lerp_zero_dim_weight_of_another_dtype():
    a, b = _random((3,), np.float32), _random((3,), np.float32, seed=1)
    w = np.array(0.7)
    check(lambda x, y, z: x.lerp(y, z), lambda x, y, z: x.lerp(y, z), a, b, w)


# -- einsum ----------------------------------------------------------------------------------------------------------


def test_einsum_result_does_not_share_memory():
    x = ourdl.ones(2, 3)
    y = ourdl.einsum("ij->ji", x)
    y.add_(1)
    assert x.tolist() == [[1, 1, 1], [1, 1, 1]]


def test_einsum_third_derivative():
    a = ourdl.tensor(_random((3, 3)), requires_grad=True)
    ta = torch.tensor(_random((3, 3)), requires_grad=True)
    out = [ourdl.einsum("ij,jk,ki->", a, a, a), torch.einsum("ij,jk,ki->", ta, ta, ta)]
    grads = []
    for y, x, grad in [(out[0], a, ourdl.autograd.grad), (out[1], ta, torch.autograd.grad)]:
        (g1,) = grad(y, [x], create_graph=True)
        (g2,) = grad((g1 * g1).sum(), [x], create_graph=True)
        (g3,) = grad((g2 ** 2).sum(), [x])
        grads.append(g3)
    assert_same(*grads, rtol=1e-9)


LETTERS = "abcde"


@st.composite
def einsum_problems(draw):
    """A random equation over a few letters (repeats, implicit or explicit output) and matching shapes."""
    sizes = {c: draw(st.integers(1, 3)) for c in LETTERS}
    count = draw(st.integers(1, 3))
    terms = [draw(st.text(LETTERS, min_size=0, max_size=3)) for _ in range(count)]
    used = sorted(set("".join(terms)))
    if draw(st.booleans()):
        output = "".join(draw(st.permutations(used))[: draw(st.integers(0, len(used)))])
        equation = ",".join(terms) + "->" + output
    else:
        equation = ",".join(terms)
    shapes = [tuple(sizes[c] for c in t) for t in terms]
    return equation, shapes, draw(st.integers(0, 2 ** 16))


@settings(max_examples=60, deadline=None)
@given(einsum_problems())
def test_einsum_random_equations(problem):
    equation, shapes, seed = problem
    arrays = [_random(s, seed=seed + i) for i, s in enumerate(shapes)]
    check(lambda *x: ourdl.einsum(equation, *x), lambda *x: torch.einsum(equation, *x), *arrays, seed=seed)
    check_double(lambda *x: ourdl.einsum(equation, *x) ** 2, lambda *x: torch.einsum(equation, *x) ** 2, *arrays)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2), st.integers(0, 2), st.lists(st.integers(1, 3), min_size=0, max_size=2), st.data())
def test_einsum_ellipsis_broadcasting(left_extra, right_extra, batch, data):
    a_batch = [data.draw(st.sampled_from([1, n])) for n in batch]
    equation = "...ij,...jk->...ik" if data.draw(st.booleans()) else "...ij,...jk"
    a = _random((*a_batch[len(a_batch) - min(left_extra, len(a_batch)):], 2, 3))
    b = _random((*batch[len(batch) - min(right_extra, len(batch)):], 3, 2), seed=1)
    check(lambda x, y: ourdl.einsum(equation, x, y), lambda x, y: torch.einsum(equation, x, y), a, b)


# -- random shapes, offsets and dims -------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=2, max_size=4), st.integers(-5, 5), st.data())
def test_structure_ops_on_random_shapes(shape, k, data):
    ndim = len(shape)
    dim1 = data.draw(st.integers(-ndim, ndim - 1))
    dim2 = data.draw(st.integers(-ndim, ndim - 1).filter(lambda d: d % ndim != dim1 % ndim))
    array = _random(shape, seed=abs(k))
    check(lambda x: x.tril(k), lambda x: x.tril(k), array)
    check(lambda x: x.triu(k), lambda x: x.triu(k), array)
    check(lambda x: x.diagonal(k, dim1, dim2), lambda x: x.diagonal(k, dim1, dim2), array)
    embed_dims = data.draw(st.permutations(range(-ndim - 1, 0)))[:2]
    check(lambda x: x.diag_embed(k, *embed_dims), lambda x: x.diag_embed(k, *embed_dims), array)
    dims = data.draw(st.lists(st.integers(-ndim, ndim - 1), max_size=3))
    shifts = [data.draw(st.integers(-6, 6)) for _ in dims] or k
    check(lambda x: x.roll(shifts, dims or None), lambda x: x.roll(shifts, dims or None), array)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=0, max_size=3), st.lists(st.integers(1, 3), min_size=0, max_size=3))
def test_kron_random_shapes(a_shape, b_shape):
    check(ourdl.kron, torch.kron, _random(a_shape), _random(b_shape, seed=1))


# -- errors ----------------------------------------------------------------------------------------------------------

ERRORS = {
    "tril of a vector": (lambda: ourdl.tril(ourdl.ones(3)), RuntimeError, r"tril.*at least 2 dimensions.*\[3\]"),
    "triu of a scalar": (lambda: ourdl.ones(()).triu(), RuntimeError, r"triu.*at least 2 dimensions"),
    "diag of 3-D": (lambda: ourdl.diag(ourdl.ones(2, 2, 2)), RuntimeError, r"diag\(\).*1D or 2D.*3D.*\[2, 2, 2\]"),
    "diagonal same dims": (lambda: ourdl.ones(2, 3).diagonal(0, 0, -2), RuntimeError, r"diagonal.*cannot be identical"),
    "diagonal dim range": (lambda: ourdl.ones(2, 3).diagonal(0, 0, 2), IndexError, r"diagonal.*\[-2, 1\].*got 2"),
    "diag_embed same dims": (lambda: ourdl.ones(3).diag_embed(0, 1, -1), RuntimeError, r"diag_embed.*identical"),
    "trace of 3-D": (lambda: ourdl.ones(2, 2, 2).trace(), RuntimeError, r"trace.*matrix.*dim 3"),
    "roll misaligned": (lambda: ourdl.ones(2, 3).roll((1, 2), 0), RuntimeError, r"roll.*shifts: 2, dims:1"),
    "roll bad dim": (lambda: ourdl.ones(2, 3).roll(1, 2), IndexError, r"roll.*\[-2, 1\].*got 2"),
    "roll 0-d dim": (lambda: ourdl.tensor(1.0).roll(1, 0), IndexError, r"roll.*no dimensions"),
    "einsum too few operands": (lambda: ourdl.einsum("i,j", ourdl.ones(2)), RuntimeError, r"einsum.*fewer operands.*1 operands, 2"),
    "einsum too many operands": (lambda: ourdl.einsum("i", ourdl.ones(2), ourdl.ones(2)), RuntimeError, r"einsum.*more operands"),
    "einsum subscripts vs dims": (lambda: ourdl.einsum("ij", ourdl.ones(2)), RuntimeError, r"einsum.*\(2\).*\(1\).*operand 0 of shape \[2\]"),
    "einsum size mismatch": (lambda: ourdl.einsum("i,i", ourdl.ones(2), ourdl.ones(3)), RuntimeError, r"einsum.*subscript i has size 3.*operand 1.*\[3\].*size 2"),
    "einsum repeated size": (lambda: ourdl.einsum("ii->i", ourdl.ones(2, 3)), RuntimeError, r"einsum.*i is repeated.*\[2, 3\].*3 != 2"),
    "einsum ellipsis size": (lambda: ourdl.einsum("...i,...i", ourdl.ones(2, 3), ourdl.ones(4, 3)), RuntimeError, r"einsum.*ellipsis has size 4"),
    "einsum bad char": (lambda: ourdl.einsum("i1", ourdl.ones(2, 3)), RuntimeError, r"einsum.*invalid subscript.*index 1"),
    "einsum stray dot": (lambda: ourdl.einsum("i.->", ourdl.ones(2)), RuntimeError, r"einsum.*'\.'.*ellipsis"),
    "einsum unknown output": (lambda: ourdl.einsum("i->j", ourdl.ones(2)), RuntimeError, r"einsum.*output subscript j"),
    "einsum repeated output": (lambda: ourdl.einsum("i->ii", ourdl.ones(2)), RuntimeError, r"einsum.*more than once"),
    "einsum dtypes": (lambda: ourdl.einsum("i,i", ourdl.ones(2), ourdl.ones(2, dtype=ourdl.float64)), RuntimeError, r"einsum.*same dtype.*float32 \[2\], float64 \[2\]"),
    "einsum no operands": (lambda: ourdl.einsum("i"), RuntimeError, r"einsum.*at least one operand"),
    "addmm vector": (lambda: ourdl.addmm(ourdl.ones(3), ourdl.ones(4), ourdl.ones(4, 3)), RuntimeError, r"addmm.*mat1 must be a matrix.*1-D"),
    "addmm sizes": (lambda: ourdl.addmm(ourdl.ones(3), ourdl.ones(2, 4), ourdl.ones(5, 3)), RuntimeError, r"addmm.*\(2x4 and 5x3\)"),
    "addmm input shape": (lambda: ourdl.addmm(ourdl.ones(2), ourdl.ones(2, 4), ourdl.ones(4, 3)), RuntimeError, r"addmm.*input of shape \[2\].*\[2, 3\]"),
    "addmm dtypes": (lambda: ourdl.addmm(ourdl.ones(3), ourdl.ones(2, 4), ourdl.ones(4, 3, dtype=ourdl.float64)), RuntimeError, r"addmm.*same dtype.*float32 and float64"),
    "lerp integers": (lambda: ourdl.lerp(ourdl.ones(2, dtype=ourdl.int64), ourdl.ones(2, dtype=ourdl.int64), 1), NotImplementedError, r"lerp.*int64"),
    "lerp end dtype": (lambda: ourdl.lerp(ourdl.ones(2), ourdl.ones(2, dtype=ourdl.float64), 0.5), RuntimeError, r"lerp.*`end`.*float64"),
    "lerp weight dtype": (lambda: ourdl.lerp(ourdl.ones(2), ourdl.ones(2), ourdl.ones(2, dtype=ourdl.float64)), RuntimeError, r"lerp.*`weight`"),
    "lerp shapes": (lambda: ourdl.lerp(ourdl.ones(3), ourdl.ones(2), 0.5), RuntimeError, r"lerp.*\[3\], \[2\].*broadcast"),
    "cross no 3": (lambda: ourdl.cross(ourdl.ones(2, 2), ourdl.ones(2, 2)), RuntimeError, r"cross.*no dimension of size 3.*\[2, 2\]"),
    "cross dim length": (lambda: ourdl.cross(ourdl.ones(2, 3), ourdl.ones(2, 3), dim=0), RuntimeError, r"cross.*dimension 0 must have length 3. Got 2 and 2"),
    "cross ndim": (lambda: ourdl.cross(ourdl.ones(2, 3), ourdl.ones(4, 1, 3)), RuntimeError, r"cross.*same number of dimensions"),
    "cross dtypes": (lambda: ourdl.cross(ourdl.ones(3), ourdl.ones(3, dtype=ourdl.float64)), RuntimeError, r"cross.*same dtype"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors(case):
    fn, error, pattern = ERRORS[case]
    with pytest.raises(error, match=pattern):
        fn()


TORCH_ALSO_REFUSES = {
    "tril of a vector": lambda: torch.tril(torch.ones(3)),
    "diag of 3-D": lambda: torch.diag(torch.ones(2, 2, 2)),
    "diagonal same dims": lambda: torch.ones(2, 3).diagonal(0, 0, -2),
    "trace of 3-D": lambda: torch.ones(2, 2, 2).trace(),
    "roll misaligned": lambda: torch.ones(2, 3).roll((1, 2), 0),
    "einsum size mismatch": lambda: torch.einsum("i,i", torch.ones(2), torch.ones(3)),
    "einsum repeated size": lambda: torch.einsum("ii->i", torch.ones(2, 3)),
    "addmm input shape": lambda: torch.addmm(torch.ones(2), torch.ones(2, 4), torch.ones(4, 3)),
    "lerp integers": lambda: torch.lerp(torch.ones(2, dtype=torch.int64), torch.ones(2, dtype=torch.int64), 1),
    "cross no 3": lambda: torch.cross(torch.ones(2, 2), torch.ones(2, 2)),
}


@pytest.mark.parametrize("case", sorted(TORCH_ALSO_REFUSES))
def test_torch_refuses_the_same(case):
    with pytest.raises(ERRORS[case][1]):
        TORCH_ALSO_REFUSES[case]()
