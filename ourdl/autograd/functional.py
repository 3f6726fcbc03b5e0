"""Derivatives of whole functions: ``vjp``, ``jvp``, ``jacobian``, ``hessian``, ``hvp``, ``vhp``, as
``torch.autograd.functional``.

Each is built on :func:`~ourdl.autograd.grad`. ``inputs`` is a tensor or a tuple of tensors, and so
is what ``func`` returns; results follow the same nesting as PyTorch's (a tensor for a tensor, a
tuple for a tuple). The inputs are detached copies, so ``func`` is differentiated at their values
without touching their graph; with ``create_graph=True`` the results stay differentiable with respect
to inputs that require grad (a Hessian is the Jacobian of a gradient made so). An input the output does
not depend on gets zeros (``strict=True`` makes that an error instead).

>>> import ourdl
>>> from ourdl.autograd.functional import hessian, jacobian
>>> jacobian(lambda x: x ** 2, ourdl.tensor([1.0, 2.0]))
tensor([[2., 0.],
        [0., 4.]])
>>> hessian(lambda x: (x ** 3).sum(), ourdl.tensor([1.0, 2.0]))
tensor([[ 6.,  0.],
        [ 0., 12.]])
"""

from __future__ import annotations

from ..grad_mode import enable_grad
from ..tensor import Tensor
from .engine import grad

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]


def vjp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), vᵀ·J)``: the vector-Jacobian product, one reverse pass.

    ``v`` has the output's shape; it may be omitted when the output has one element.

    >>> import ourdl
    >>> vjp(lambda x: x ** 2, ourdl.tensor([1.0, 3.0]), ourdl.ones(2))
    (tensor([1., 9.]), tensor([2., 6.]))
    """
    with enable_grad():
        is_tuple, inputs = _prepare(inputs, create_graph, "inputs", "vjp")
        outputs_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", "vjp")
        v = _vector(v, outputs, "the user-provided function returns", "outputs of the user-provided function", "vjp")
        grads = _grad(outputs, inputs, v, create_graph, strict, "vjp")
    return _finish(outputs, outputs_tuple, create_graph), _finish(grads, is_tuple, create_graph)


def jvp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), J·v)``: the Jacobian-vector product, by differentiating a vjp with respect to its vector.

    ``v`` has the inputs' shapes; it may be omitted when the input has one element.

    >>> import ourdl
    >>> jvp(lambda x: x ** 2, ourdl.tensor([1.0, 3.0]), ourdl.tensor([1.0, 0.0]))
    (tensor([1., 9.]), tensor([2., 0.]))
    """
    with enable_grad():
        is_tuple, inputs = _prepare(inputs, create_graph, "inputs", "jvp")
        v = _vector(v, inputs, "the input to the user-provided function is", "inputs", "jvp")
        outputs_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", "jvp")
        dummies = tuple(out.new_zeros(out.shape).requires_grad_(True) for out in outputs)
        # u ↦ uᵀJ is linear in u, with gradient J·v: the double-backward trick
        grads = _grad(outputs, inputs, dummies, True, strict, "jvp")
        products = _grad(grads, dummies, v, create_graph, strict, "jvp")
    return _finish(outputs, outputs_tuple, create_graph), _finish(products, outputs_tuple, create_graph)


def jacobian(func, inputs, create_graph: bool = False, strict: bool = False, vectorize: bool = False,
             strategy: str = "reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``: entry ``[i..., j...]`` is ∂output[i...]/∂input[j...], so its shape is
    the output's shape followed by the input's. One reverse pass per output element.

    For tuples, ``result[i][j]`` is the Jacobian of output ``i`` with respect to input ``j`` (one level drops
    where that side is a single tensor). ``vectorize`` and ``strategy`` are accepted; ourdl always runs
    reverse mode, one element at a time.

    >>> import ourdl
    >>> jacobian(lambda a, b: a * b, (ourdl.tensor([1.0, 2.0]), ourdl.tensor([3.0, 4.0])))[1]
    tensor([[1., 0.],
            [0., 2.]])
    """
    if strategy not in ("reverse-mode", "forward-mode"):
        raise ValueError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
                         'function has more outputs than inputs, "forward-mode" tends to be more performant. '
                         'Otherwise, prefer to use "reverse-mode".')
    with enable_grad():
        is_tuple, inputs = _prepare(inputs, create_graph, "inputs", "jacobian")
        outputs_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function", "jacobian")
        blocks = []
        for out in outputs:
            flat = out.reshape(-1)
            rows = [_grad((flat[k],), inputs, None, create_graph, strict, "jacobian") for k in range(flat.numel())]
            blocks.append(tuple(_stack(rows, j, out.shape, inp) for j, inp in enumerate(inputs)))
    blocks = [_finish(block, is_tuple, create_graph) for block in blocks]
    return tuple(blocks) if outputs_tuple else blocks[0]


def hessian(func, inputs, create_graph: bool = False, strict: bool = False, vectorize: bool = False,
            outer_jacobian_strategy: str = "reverse-mode"):
    """The Hessian of the scalar function ``func`` at ``inputs``: the Jacobian of its gradient, shape
    ``input.shape + input.shape``; for a tuple of inputs, ``result[i][j]`` is ∂²f/∂input_i∂input_j.

    >>> import ourdl
    >>> hessian(lambda x: (x[0] * x[1]) ** 2, ourdl.tensor([1.0, 2.0]))
    tensor([[8., 8.],
            [8., 2.]])
    """
    is_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")

    def gradient(*args):
        outputs_tuple, out = _as_tuple(func(*args), "outputs of the user-provided function", "hessian")
        if outputs_tuple or out[0].numel() != 1:
            raise RuntimeError("The function given to hessian should return a single Tensor with a single element, "
                               f"got {'a tuple' if outputs_tuple else f'a Tensor of shape {tuple(out[0].shape)}'}")
        return _grad(out, args, None, True, strict, "hessian")

    result = jacobian(gradient, inputs, create_graph=create_graph, strict=strict)
    return result if is_tuple else result[0][0]


def hvp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), H·v)`` for the scalar function ``func`` and its Hessian ``H``, without forming ``H``.

    >>> import ourdl
    >>> hvp(lambda x: (x ** 3).sum(), ourdl.tensor([1.0, 2.0]), ourdl.ones(2))
    (tensor(9.), tensor([ 6., 12.]))
    """
    return _hessian_product(func, inputs, v, create_graph, strict, "hvp", transposed=False)


def vhp(func, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), vᵀ·H)``: the same numbers as :func:`hvp` for the symmetric Hessians of smooth functions,
    made with two reverse passes.

    >>> import ourdl
    >>> vhp(lambda x: (x ** 3).sum(), ourdl.tensor([1.0, 2.0]), ourdl.ones(2))
    (tensor(9.), tensor([ 6., 12.]))
    """
    return _hessian_product(func, inputs, v, create_graph, strict, "vhp", transposed=True)


def _hessian_product(func, inputs, v, create_graph, strict, name, transposed):
    with enable_grad():
        is_tuple, inputs = _prepare(inputs, create_graph, "inputs", name)
        v = _vector(v, inputs, "the input to the user-provided function is", "inputs", name)
        outputs_tuple, out = _as_tuple(func(*inputs), "outputs of the user-provided function", name)
        if outputs_tuple or out[0].numel() != 1:
            raise RuntimeError(f"The function given to {name} should return a single Tensor with a single element")
        grads = _grad(out, inputs, None, True, strict, name)
        if transposed:
            products = _grad(grads, inputs, v, create_graph, strict, name)
        else:
            # H·v = ∂(uᵀH)/∂u · v, with u a dummy: the double-backward trick on the gradient
            dummies = tuple(g.new_zeros(g.shape).requires_grad_(True) for g in grads)
            inner = _grad(grads, inputs, dummies, True, strict, name)
            products = _grad(inner, dummies, v, create_graph, strict, name)
    return _finish(out, False, create_graph), _finish(products, is_tuple, create_graph)


# -- helpers -------------------------------------------------------------------------------------------------------
def _as_tuple(value, what: str, fn: str) -> tuple[bool, tuple]:
    is_tuple = isinstance(value, (tuple, list))
    items = tuple(value) if is_tuple else (value,)
    for i, item in enumerate(items):
        if not isinstance(item, Tensor):
            where = f"element {i} of " if is_tuple else ""
            raise TypeError(f"The {where}{what} given to {fn} must be a Tensor but got {type(item).__name__}.")
    return is_tuple, items


def _prepare(inputs, create_graph: bool, what: str, fn: str) -> tuple[bool, tuple]:
    """Inputs to differentiate at: views that keep the graph (create_graph, input requiring grad) or detached copies."""
    is_tuple, items = _as_tuple(inputs, what, fn)
    return is_tuple, tuple(t.view_as(t) if create_graph and t.requires_grad else t.detach().requires_grad_(True)
                           for t in items)


def _vector(v, like: tuple, omitted_when: str, like_name: str, fn: str) -> tuple:
    """``v`` as a tuple shaped as ``like``; ones when omitted, which only a single one-element tensor allows."""
    if v is None:
        if len(like) != 1 or like[0].numel() != 1:
            raise RuntimeError(f"The vector v can only be None if {omitted_when} a single Tensor with a single element.")
        return (like[0].new_ones(like[0].shape),)
    v = _as_tuple(v, "v", fn)[1]
    if len(v) != len(like):
        raise RuntimeError(f"v is a tuple of invalid length: should be {len(like)} but got {len(v)}.")
    for i, (a, b) in enumerate(zip(v, like)):
        if a.shape != b.shape:
            raise RuntimeError(f"Mismatch in shape: v element {i} has shape {tuple(a.shape)} but the "
                               f"{like_name} element {i} has shape {tuple(b.shape)}")
    return v


def _grad(outputs: tuple, inputs: tuple, grad_outputs, create_graph: bool, strict: bool, fn: str) -> tuple:
    """∂outputs/∂inputs weighted by ``grad_outputs``, with zeros for inputs the outputs do not reach."""
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs or (None,) * len(outputs)) if o.requires_grad]
    found = (None,) * len(inputs)
    if pairs:
        grad_list = None if grad_outputs is None else [g for _, g in pairs]
        found = grad([o for o, _ in pairs], list(inputs), grad_list, retain_graph=True, create_graph=create_graph,
                     allow_unused=True)
    if strict and any(g is None for g in found):
        i = next(i for i, g in enumerate(found) if g is None)
        raise RuntimeError(f"{fn}: the output of the user-provided function is independent of input {i}. "
                           "This is not allowed in strict mode.")
    return tuple(inp.new_zeros(inp.shape) if g is None else g for g, inp in zip(found, inputs))


def _stack(rows: list, j: int, out_shape, inp: Tensor) -> Tensor:
    """The Jacobian block of one output and input ``j`` from its per-element gradient rows (kept differentiable)."""
    block = inp.new_zeros((len(rows), *inp.shape))
    for k, row in enumerate(rows):
        block[k] = row[j]
    return block.reshape(*out_shape, *inp.shape)


def _finish(values, is_tuple: bool, create_graph: bool):
    values = tuple(v if create_graph else v.detach() for v in values)
    return values if is_tuple else values[0]
