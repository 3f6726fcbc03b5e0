"""no_grad, enable_grad, set_grad_enabled: as context managers, decorators and calls; nesting; exceptions."""

import pytest

import ourdl


def _records() -> bool:
    return (ourdl.ones(1, requires_grad=True) * 2).requires_grad


def test_no_grad_context():
    assert _records()
    with ourdl.no_grad():
        assert not _records() and not ourdl.is_grad_enabled()
    assert _records() and ourdl.is_grad_enabled()


def test_enable_grad_inside_no_grad():
    with ourdl.no_grad():
        with ourdl.enable_grad():
            assert _records()
        assert not _records()


def test_set_grad_enabled_context_and_call():
    with ourdl.set_grad_enabled(False):
        assert not _records()
        with ourdl.set_grad_enabled(True):
            assert _records()
    assert _records()
    ourdl.set_grad_enabled(False)
    try:
        assert not _records()
    finally:
        ourdl.set_grad_enabled(True)
    assert _records()


@pytest.mark.parametrize("make", [ourdl.no_grad, lambda: ourdl.set_grad_enabled(False)], ids=["no_grad", "set_false"])
def test_decorators(make):
    @make()
    def inside():
        return _records()

    assert _records()  # decorating did not change the mode
    assert inside() is False
    assert _records()


def test_enable_grad_decorator():
    @ourdl.enable_grad()
    def inside():
        return _records()

    with ourdl.no_grad():
        assert inside() is True
        assert not _records()


def test_no_grad_bare_class_decorator_keeps_function_metadata():
    @ourdl.no_grad()
    def evaluate(x):
        """Docstring kept."""
        return x * 2

    assert evaluate.__name__ == "evaluate" and evaluate.__doc__ == "Docstring kept."
    assert not evaluate(ourdl.ones(1, requires_grad=True)).requires_grad


def test_mode_restored_after_exception():
    with pytest.raises(ValueError):
        with ourdl.no_grad():
            raise ValueError
    assert ourdl.is_grad_enabled()


def test_tutorial_sgd_step_under_no_grad():
    w = ourdl.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    lr = 0.1
    with ourdl.no_grad():
        w -= w.grad * lr
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    assert w.tolist() == pytest.approx([0.8, 1.6])


def test_backward_works_inside_no_grad_for_graph_built_outside():
    x = ourdl.ones(2, requires_grad=True)
    y = (x * 3).sum()
    with ourdl.no_grad():
        y.backward()
    assert x.grad.tolist() == [3.0, 3.0]
