"""Module hooks side by side with PyTorch: forward (pre-)hooks with kwargs and ``always_call``, and full backward
(pre-)hooks: call order, ``grad_input``/``grad_output`` values, replacements and their effect on ``.grad``."""

import warnings

import numpy as np
import pytest

import ourdl
from ourdl import nn
from tests.oracle import assert_same, both, to_numpy, torch

DTYPES = [np.float32, np.float64]
LIBS = {"ours": ourdl, "torch": torch}


def _dtype(lib, dtype):
    return getattr(lib, np.dtype(dtype).name)


def _mlp(lib, dtype):
    return lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.Tanh(), lib.nn.Linear(4, 2)).to(_dtype(lib, dtype))


def _twins(build, dtype):
    """The same model in ourdl and PyTorch, with PyTorch's weights copied into ours."""
    theirs = build(torch, dtype)
    ours = build(ourdl, dtype)
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


def _arrays(grads):
    return tuple(None if g is None else to_numpy(g).copy() for g in grads)


def _record(model, log):
    """A backward pre-hook and a full backward hook on every module, logging what they see."""
    handles = []
    for name, module in model.named_modules():
        handles.append(module.register_full_backward_pre_hook(
            lambda m, grad_output, name=name: log.append((name, "pre", _arrays(grad_output)))))
        handles.append(module.register_full_backward_hook(
            lambda m, grad_input, grad_output, name=name: log.append(
                (name, "full", _arrays(grad_input), _arrays(grad_output)))))
    return handles


def _assert_same_log(ours, theirs):
    assert [entry[:2] for entry in ours] == [entry[:2] for entry in theirs]
    for mine, other in zip(ours, theirs):
        for what, a, b in zip(("grad_input", "grad_output") if mine[1] == "full" else ("grad_output",), mine[2:], other[2:]):
            assert [x is None for x in a] == [x is None for x in b], f"{mine[:2]} {what}: None entries differ"
            for i, (x, y) in enumerate(zip(a, b)):
                if y is not None:
                    assert_same(ourdl.tensor(x), torch.from_numpy(y), what=f"{mine[:2]} {what}[{i}]")


def _recorded_twins(build, dtype, where=lambda model: model, first=lambda model: None):
    """:func:`_twins`, with ``first(model)`` registering hooks and then :func:`_record` on ``where(model)``."""
    ours, theirs = _twins(build, dtype)
    logs = [], []
    for model, log in zip((ours, theirs), logs):
        first(model)
        _record(where(model), log)
    return ours, theirs, logs


def _backward_side_by_side(ours, theirs, logs, x_array):
    """Backward of ``sum(model(x) ** 2)`` in both: the same hook calls, parameter gradients and ``x.grad``."""
    x = both(x_array)
    for model, xi in zip((ours, theirs), x):
        model(xi).pow(2).sum().backward()
    _assert_same_log(*logs)
    _assert_same_grads(ours, theirs)
    assert_same(x[0].grad, x[1].grad, what="x.grad")


def _assert_same_grads(ours, theirs):
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters()):
        assert_same(p.grad, q.grad, what=f"{name}.grad")


# -- forward hooks -----------------------------------------------------------------------------
class _Scale:
    """forward(x, factor=1.0) -> x * factor, in either library."""

    @staticmethod
    def build(lib):
        class Scale(lib.nn.Module):
            def forward(self, x, factor=1.0):
                return x * factor

        return Scale()


@pytest.mark.parametrize("lib", LIBS)
def test_forward_pre_hook_with_kwargs_replaces_args_and_kwargs(lib):
    lib = LIBS[lib]
    m = _Scale.build(lib)
    seen = []

    def hook(module, args, kwargs):
        seen.append((module, len(args), dict(kwargs)))
        return (args[0] + 1,), {"factor": kwargs.get("factor", 1.0) * 10}

    m.register_forward_pre_hook(hook, with_kwargs=True)
    out = m(lib.tensor([1.0, 2.0]), factor=2.0)
    assert out.tolist() == [40.0, 60.0]
    assert seen == [(m, 1, {"factor": 2.0})]


@pytest.mark.parametrize("lib", LIBS)
def test_forward_pre_hook_with_kwargs_must_return_a_pair(lib):
    lib = LIBS[lib]
    m = _Scale.build(lib)
    m.register_forward_pre_hook(lambda module, args, kwargs: args, with_kwargs=True)
    with pytest.raises(RuntimeError, match=r"forward pre-hook must return None or a tuple of \(new_args, new_kwargs\)"):
        m(lib.tensor([1.0]), factor=3.0)


@pytest.mark.parametrize("lib", LIBS)
def test_forward_hooks_order_kwargs_and_prepend(lib):
    lib = LIBS[lib]
    m = _Scale.build(lib)
    order = []
    m.register_forward_hook(lambda mod, args, out: order.append(("plain", out.tolist())))
    m.register_forward_hook(lambda mod, args, kwargs, out: order.append(("kwargs", dict(kwargs))) or out * 2,
                            with_kwargs=True)
    m.register_forward_hook(lambda mod, args, out: order.append(("first", out.tolist())), prepend=True)
    m.register_forward_pre_hook(lambda mod, args: order.append("pre-last"))
    m.register_forward_pre_hook(lambda mod, args: order.append("pre-first"), prepend=True)
    out = m(lib.tensor([1.0]), factor=3.0)
    assert out.tolist() == [6.0]
    assert order == ["pre-first", "pre-last", ("first", [3.0]), ("plain", [3.0]), ("kwargs", {"factor": 3.0})]


@pytest.mark.parametrize("lib", LIBS)
def test_forward_hook_always_call_runs_when_forward_raises(lib):
    lib = LIBS[lib]
    layer = lib.nn.Linear(2, 3)
    calls = []
    layer.register_forward_hook(lambda m, args, out: calls.append(("plain", out)))
    layer.register_forward_hook(lambda m, args, out: calls.append(("always", args[0].shape, out)), always_call=True)
    layer.register_forward_hook(lambda m, args, kwargs, out: calls.append(("kwargs", kwargs, out)), with_kwargs=True,
                                always_call=True)
    with pytest.raises(RuntimeError):
        layer(lib.ones(4, 5))
    assert calls == [("always", (4, 5), None), ("kwargs", {}, None)]
    calls.clear()
    layer(lib.ones(4, 2))
    assert [c[0] for c in calls] == ["plain", "always", "kwargs"]


@pytest.mark.parametrize("lib", LIBS)
def test_always_call_hook_runs_once_when_a_later_hook_raises_and_its_own_error_is_a_warning(lib):
    lib = LIBS[lib]
    layer = lib.nn.Linear(2, 2)
    calls = []
    layer.register_forward_hook(lambda m, args, out: calls.append("early"), always_call=True)

    def failing(m, args, out):
        raise ValueError("late hook failed")

    def also_failing(m, args, out):
        calls.append("after")
        raise KeyError("ignored")

    layer.register_forward_hook(failing)
    layer.register_forward_hook(also_failing, always_call=True)
    with pytest.warns(UserWarning, match="always_call=True.*silenced.*'ignored'"):
        with pytest.raises(ValueError, match="late hook failed"):
            layer(lib.ones(1, 2))
    assert calls == ["early", "after"]


@pytest.mark.parametrize("lib", LIBS)
def test_always_call_hook_sees_the_output_when_a_later_hook_raises(lib):
    lib = LIBS[lib]
    layer = lib.nn.Identity()
    seen = []
    layer.register_forward_hook(lambda m, args, out: out * 2)

    def failing(m, args, out):
        raise ValueError("no")

    layer.register_forward_hook(failing)
    layer.register_forward_hook(lambda m, args, out: seen.append(out.tolist()), always_call=True)
    with pytest.raises(ValueError):
        layer(lib.tensor([1.0]))
    assert seen == [[2.0]]


def test_removing_a_hook_forgets_its_flags():
    layer = nn.Linear(2, 2)
    handles = [layer.register_forward_hook(lambda m, a, k, o: None, with_kwargs=True, always_call=True),
               layer.register_forward_pre_hook(lambda m, a, k: None, with_kwargs=True)]
    for h in handles:
        h.remove()
    assert not (layer._forward_hooks or layer._forward_hooks_with_kwargs or layer._forward_hooks_always_called
                or layer._forward_pre_hooks or layer._forward_pre_hooks_with_kwargs)


def test_no_hooks_leave_the_graph_untouched():
    layer = nn.Linear(2, 2)
    x = ourdl.ones(1, 2, requires_grad=True)
    handle = layer.register_full_backward_hook(lambda m, gi, go: None)
    assert type(layer(x).grad_fn).__name__ == "BackwardHookFunction"
    handle.remove()
    assert type(layer(x).grad_fn).__name__ == "LinearFunction"


# -- backward hooks: order and values -------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_nested_modules_hook_order_and_gradients_match_torch(dtype):
    ours, theirs, logs = _recorded_twins(_mlp, dtype)
    _backward_side_by_side(ours, theirs, logs, np.random.default_rng(0).standard_normal((5, 3)).astype(dtype))
    assert [entry[:2] for entry in logs[0]] == [
        ("", "pre"), ("2", "pre"), ("2", "full"), ("1", "pre"), ("1", "full"), ("0", "pre"), ("0", "full"), ("", "full")]


class _Several:
    """forward(a, b, n, k, scale=1.0): several positional inputs (a tensor that requires grad, one that does not,
    an integer tensor, a number) and several outputs (used, unused, not requiring grad, not a tensor)."""

    @staticmethod
    def build(lib, dtype):
        class Several(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.w = lib.nn.Parameter(lib.tensor([0.5, -1.5, 2.0], dtype=_dtype(lib, dtype)))

            def forward(self, a, b, n, k, scale=1.0):
                return a * b * self.w * k * scale, a.exp(), b * 2, n + 1, "label"

        return Several()


@pytest.mark.parametrize("dtype", DTYPES)
def test_several_inputs_and_outputs_match_torch(dtype):
    ours, theirs, logs = _recorded_twins(_Several.build, dtype)
    rng = np.random.default_rng(1)
    a = both(rng.standard_normal(3).astype(dtype))
    b = both(rng.standard_normal(3).astype(dtype), requires_grad=False)
    outputs = []
    for i, (model, lib) in enumerate(((ours, ourdl), (theirs, torch))):
        out = model(a[i], b[i], lib.arange(3), 3.0, scale=0.5)
        outputs.append(out)
        out[0].sum().backward()
    _assert_same_log(*logs)
    (_, _, grad_input, grad_output), = [e for e in logs[0] if e[1] == "full"]
    assert [g is None for g in grad_input] == [False, False, False, True]
    assert not np.any(grad_input[1]) and grad_input[2].dtype == np.int64   # zeros where no gradient arrived
    assert [g is None for g in grad_output] == [False, True, True, True, True]
    assert_same(a[0].grad, a[1].grad, what="a.grad")
    assert_same(ours.w.grad, theirs.w.grad, what="w.grad")
    assert outputs[0][2].grad_fn is None and outputs[0][3].grad_fn is None and outputs[0][4] == "label"


@pytest.mark.parametrize("dtype", DTYPES)
def test_unused_input_gets_zeros_in_grad_input_and_in_grad(dtype):
    def build(lib, d):
        class FirstOnly(lib.nn.Module):
            def forward(self, a, b):
                return a.sin()

        return FirstOnly()

    ours, theirs, logs = _recorded_twins(build, dtype)
    a, b = both(np.array([0.3, 1.2], dtype)), both(np.array([1.0, 2.0], dtype))
    ours(a[0], b[0]).sum().backward()
    theirs(a[1], b[1]).sum().backward()
    _assert_same_log(*logs)
    assert_same(b[0].grad, b[1].grad, what="b.grad")
    assert not np.any(to_numpy(b[0].grad))


@pytest.mark.parametrize("dtype", DTYPES)
def test_one_tensor_as_two_inputs_after_an_identity_module(dtype):
    def build(lib, d):
        class Product(lib.nn.Module):
            def forward(self, a, b):
                return a * b

        return lib.nn.Sequential(lib.nn.Identity(), lib.nn.ModuleList([Product()]))

    ours, theirs, logs = _recorded_twins(build, dtype)
    x = both(np.array([1.0, -2.0, 0.5], dtype))
    for i, (model, lib) in enumerate(((ours, ourdl), (theirs, torch))):
        y = model[0](x[i])
        (model[1][0](y, y) * lib.tensor(np.array([3.0, 5.0, 7.0], dtype))).sum().backward()
    assert [entry[:2] for entry in logs[0]] == [("1.0", "pre"), ("1.0", "full"), ("0", "pre"), ("0", "full")]
    _assert_same_log(*logs)
    assert_same(x[0].grad, x[1].grad, what="x.grad")


@pytest.mark.parametrize("lib", LIBS)
def test_named_tuple_output_keeps_its_type(lib):
    lib = LIBS[lib]
    from collections import namedtuple

    Pair = namedtuple("Pair", "low high")

    class Split(lib.nn.Module):
        def forward(self, x):
            return Pair(x.clamp(max=0), x.clamp(min=0))

    m = Split()
    seen = []
    m.register_full_backward_pre_hook(lambda mod, grad_output: seen.append([g is None for g in grad_output]))
    out = m(lib.tensor([-1.0, 2.0], requires_grad=True))
    assert type(out) is Pair
    out.high.sum().backward()
    assert seen == [[True, False]]


@pytest.mark.parametrize("dtype", DTYPES)
def test_module_called_twice_hooks_fire_per_call(dtype):
    ours, theirs, logs = _recorded_twins(lambda lib, d: lib.nn.Linear(3, 3).to(_dtype(lib, d)), dtype)
    x = both(np.random.default_rng(2).standard_normal((2, 3)).astype(dtype))
    for i, model in enumerate((ours, theirs)):
        model(model(x[i]).tanh()).sum().backward()
    assert len(logs[0]) == 4
    _assert_same_log(*logs)
    _assert_same_grads(ours, theirs)


@pytest.mark.parametrize("dtype", DTYPES)
def test_retained_graph_fires_hooks_again(dtype):
    ours, theirs, logs = _recorded_twins(_mlp, dtype, where=lambda model: model[0])
    x = both(np.ones((1, 3), dtype))
    for i, model in enumerate((ours, theirs)):
        y = model(x[i]).sum()
        y.backward(retain_graph=True)
        (y * 2).backward()
    assert [entry[1] for entry in logs[0]] == ["pre", "full", "pre", "full"]
    _assert_same_log(*logs)


# -- replacements ------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_pre_hook_replacement_flows_into_the_module(dtype):
    def replace(model):
        model[2].register_full_backward_pre_hook(lambda m, grad_output: (grad_output[0] * 3 - 1,))

    ours, theirs, logs = _recorded_twins(_mlp, dtype, first=replace)
    _backward_side_by_side(ours, theirs, logs, np.random.default_rng(3).standard_normal((4, 3)).astype(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_full_hook_replacement_flows_on_to_the_inputs(dtype):
    def replace(model):
        model[1].register_full_backward_hook(lambda m, grad_input, grad_output: (grad_input[0].clamp(-0.1, 0.1),))
        model[2].register_full_backward_hook(lambda m, grad_input, grad_output: (grad_input[0] + 1,))
        model[2].register_full_backward_hook(lambda m, grad_input, grad_output: (grad_output[0] @ m.weight * 2,),
                                             prepend=True)

    ours, theirs, logs = _recorded_twins(_mlp, dtype, first=replace)
    _backward_side_by_side(ours, theirs, logs, np.random.default_rng(4).standard_normal((4, 3)).astype(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_none_replacement_stops_the_gradient(dtype):
    ours, theirs = _twins(_mlp, dtype)
    x = both(np.ones((2, 3), dtype))
    for i, model in enumerate((ours, theirs)):
        model[2].register_full_backward_hook(lambda m, grad_input, grad_output: (None,))
        model(x[i]).sum().backward()
        assert x[i].grad is None and model[0].weight.grad is None
    assert_same(ours[2].weight.grad, theirs[2].weight.grad, what="weight.grad above the hook")


@pytest.mark.parametrize("dtype", DTYPES)
def test_replacement_of_a_leaf_input_gradient(dtype):
    ours, theirs = _twins(lambda lib, d: lib.nn.Linear(3, 2).to(_dtype(lib, d)), dtype)
    x = both(np.ones((2, 3), dtype))
    replacement = np.full((2, 3), 7.0, dtype)
    for i, (model, lib) in enumerate(((ours, ourdl), (theirs, torch))):
        fixed = lib.tensor(replacement)
        model.register_full_backward_hook(lambda m, grad_input, grad_output, fixed=fixed: (fixed,))
        model(x[i]).sum().backward()
        model(x[i]).sum().backward()
        assert fixed.tolist() == replacement.tolist()   # accumulating into .grad never writes into the hook's tensor
    assert_same(x[0].grad, x[1].grad, what="x.grad")


@pytest.mark.parametrize("lib", LIBS)
def test_replacements_of_the_wrong_length_are_errors(lib):
    lib = LIBS[lib]
    layer = lib.nn.Linear(3, 2)
    x = lib.ones(1, 3, requires_grad=True)
    handle = layer.register_full_backward_hook(lambda m, gi, go: (gi[0], None))
    with pytest.raises(RuntimeError, match="Backward hook returned an invalid number of grad_input, got 2, but expected 1"):
        layer(x).sum().backward()
    handle.remove()
    layer.register_full_backward_pre_hook(lambda m, go: ())
    with pytest.raises(RuntimeError,
                       match="Backward pre hook returned an invalid number of grad_output, got 0, but expected 1"):
        layer(x).sum().backward()


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("change", ["size", "type"])
def test_replacements_of_the_wrong_shape_or_dtype_are_errors(lib, change):
    lib = LIBS[lib]
    layer = lib.nn.Linear(3, 2)
    x = lib.ones(1, 3, requires_grad=True)
    bad = lib.ones(1, 5) if change == "size" else lib.ones(1, 3, dtype=lib.float64)
    layer.register_full_backward_hook(lambda m, gi, go: (bad,))
    with pytest.raises(RuntimeError, match=f"hook '.*' has changed the {change} of value"):
        layer(x).sum().backward()


# -- removal ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lib", LIBS)
def test_removed_hooks_stop_firing_from_the_next_forward(lib):
    lib = LIBS[lib]
    layer = lib.nn.Linear(2, 2)
    calls = []
    pre = layer.register_full_backward_pre_hook(lambda m, go: calls.append("pre"))
    full = layer.register_full_backward_hook(lambda m, gi, go: calls.append("full"))
    x = lib.ones(1, 2, requires_grad=True)
    y = layer(x)
    pre.remove()
    full.remove()
    y.sum().backward()
    assert calls == ["pre", "full"]   # the hooks of a call are those registered when it ran
    layer(x).sum().backward()
    assert calls == ["pre", "full"]
    with layer.register_full_backward_hook(lambda m, gi, go: calls.append("with")):
        layer(x).sum().backward()
    layer(x).sum().backward()
    assert calls == ["pre", "full", "with"]


# -- special cases ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_no_input_requires_grad_fires_at_the_outputs(dtype):
    ours, theirs, logs = _recorded_twins(_mlp, dtype, where=lambda model: model[0])
    x = both(np.ones((2, 3), dtype), requires_grad=False)
    for i, model in enumerate((ours, theirs)):
        with pytest.warns(UserWarning, match="Full backward hook is firing when gradients are computed with respect "
                                             "to module outputs since no inputs require gradients"):
            model(x[i]).sum().backward()
    _assert_same_log(*logs)
    assert logs[0][1][2] == (None,)
    _assert_same_grads(ours, theirs)


@pytest.mark.parametrize("lib", LIBS)
def test_no_input_requires_grad_hook_must_return_none(lib):
    lib = LIBS[lib]
    layer = lib.nn.Linear(2, 2)
    layer.register_full_backward_hook(lambda m, gi, go: (lib.ones(1, 2),))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(RuntimeError, match="Backward hook for Modules where no input requires gradient should "
                                               "always return None or None for all gradients"):
            layer(lib.ones(1, 2)).sum().backward()


@pytest.mark.parametrize("lib", LIBS)
def test_no_hook_fires_without_grad(lib):
    lib = LIBS[lib]
    layer = lib.nn.Linear(2, 2)
    calls = []
    layer.register_full_backward_hook(lambda m, gi, go: calls.append(1))
    with lib.no_grad():
        y = layer(lib.ones(1, 2, requires_grad=True))
    assert y.grad_fn is None and calls == []


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("kind", [dict, list])
def test_outputs_that_are_not_a_tensor_or_tuple_warn_and_hooks_do_not_fire(lib, kind):
    lib = LIBS[lib]

    class Wrapped(lib.nn.Module):
        def forward(self, x):
            return kind(y=x * 2) if kind is dict else [x * 2]

    m = Wrapped()
    calls = []
    m.register_full_backward_hook(lambda mod, gi, go: calls.append("full"))
    m.register_full_backward_pre_hook(lambda mod, go: calls.append("pre"))
    x = lib.ones(2, requires_grad=True)
    with pytest.warns(UserWarning, match="For backward hooks to be called, module output should be a Tensor or a tuple "
                                         f"of Tensors but received {kind}"):
        out = m(x)
    (out["y"] if kind is dict else out[0]).sum().backward()
    assert calls == [] and x.grad.tolist() == [2.0, 2.0]


@pytest.mark.parametrize("lib", LIBS)
def test_forward_changing_its_input_in_place_is_an_error(lib):
    lib = LIBS[lib]

    class AddOne(lib.nn.Module):
        def forward(self, x):
            x.add_(1)
            return x * 2

    m = AddOne()
    m.register_full_backward_hook(lambda mod, gi, go: None)
    relu = lib.nn.ReLU(inplace=True)
    relu.register_full_backward_pre_hook(lambda mod, go: None)
    for module, x in ((m, lib.ones(2, requires_grad=True)), (m, lib.ones(2, requires_grad=True) * 1),
                      (relu, lib.ones(2, requires_grad=True) * 1)):
        with pytest.raises(RuntimeError, match="in.?place"):
            module(x)


@pytest.mark.parametrize("lib", LIBS)
@pytest.mark.parametrize("hook", ["full", "pre"])
def test_changing_a_hooked_output_in_place_is_an_error_cloning_is_the_way(lib, hook):
    lib = LIBS[lib]
    layer = lib.nn.Linear(3, 2)
    if hook == "full":
        layer.register_full_backward_hook(lambda mod, gi, go: None)
    else:
        layer.register_full_backward_pre_hook(lambda mod, go: None)
    y = layer(lib.ones(4, 3, requires_grad=True))
    with pytest.raises(RuntimeError, match="is a view and is being modified in.?place"):
        y.add_(1)
    z = layer(lib.ones(4, 3, requires_grad=True)).clone()
    z.add_(1)
    z.sum().backward()
    assert layer.weight.grad.tolist() == [[4.0] * 3] * 2


@pytest.mark.parametrize("lib", LIBS)
def test_forward_may_change_an_input_that_does_not_require_grad(lib):
    lib = LIBS[lib]

    class Mul(lib.nn.Module):
        def forward(self, a, b):
            b.mul_(3)
            return a * b

    m = Mul()
    m.register_full_backward_hook(lambda mod, gi, go: None)
    a, b = lib.ones(2, requires_grad=True), lib.ones(2)
    m(a, b).sum().backward()
    assert b.tolist() == [3.0, 3.0] and a.grad.tolist() == [3.0, 3.0]


def test_create_graph_hooks_see_differentiable_gradients_and_second_derivatives_match_torch():
    flags = []

    def first(model):
        model[1].register_full_backward_hook(
            lambda m, gi, go: flags.append((gi[0].requires_grad, go[0].requires_grad)))
        model[1].register_full_backward_hook(lambda m, gi, go: (gi[0] * go[0],))

    ours, theirs, logs = _recorded_twins(_mlp, np.float64, first=first)
    x = both(np.random.default_rng(5).standard_normal((3, 3)))
    grads = []
    for i, (model, lib) in enumerate(((ours, ourdl), (theirs, torch))):
        (g,) = lib.autograd.grad(model(x[i]).pow(3).sum(), x[i], create_graph=True)
        grads.append(g)
    assert flags == [(True, True), (True, True)]
    _assert_same_log(*logs)
    assert_same(grads[0], grads[1], what="first derivative")
    for g in grads:
        g.pow(2).sum().backward()
    assert len(logs[0]) == 16   # the second backward passes through the saved outputs: every hook fires again
    _assert_same_log(*logs)
    assert_same(x[0].grad, x[1].grad, what="second derivative")
    _assert_same_grads(ours, theirs)


@pytest.mark.parametrize("dtype", DTYPES)
def test_grad_with_respect_to_parameters_only_fires_what_torch_fires(dtype):
    ours, theirs, logs = _recorded_twins(_mlp, dtype)
    x = both(np.ones((2, 3), dtype))
    results = []
    for i, (model, lib) in enumerate(((ours, ourdl), (theirs, torch))):
        results.append(lib.autograd.grad(model(x[i]).sum(), [model[2].weight]))
    _assert_same_log(*logs)
    assert_same(results[0][0], results[1][0], what="weight gradient")
