"""draw_graph: one box per tensor, one ellipse per op, gradients shown equal autograd's, DOT that Graphviz accepts."""

import re
import shutil
import subprocess

import numpy as np
import pytest

import ourdl
from ourdl.viz import GraphvizMissing, draw_graph
from ourdl.viz import graph as graph_module


def small_network():
    x = ourdl.tensor([[1.0, -2.0], [0.5, 3.0]])
    w = ourdl.tensor([[0.3, -0.7], [0.2, 0.4]], requires_grad=True)
    b = ourdl.tensor([0.1, -0.1], requires_grad=True)
    return ourdl.relu(x @ w + b).sum(), {"w": w, "b": b}


def labels(source):
    return dict(re.findall(r'^\s+(\w+) \[[^\]]*label="([^"]*)"\];$', source, flags=re.M))


def test_boxes_ops_and_edges():
    loss, names = small_network()
    drawing = draw_graph(loss, names=names)
    found = labels(drawing.source)
    ops = sorted(v for k, v in found.items() if k.startswith("f"))
    assert ops == ["Add", "MatMul", "Relu", "Sum"]
    tensors = [v for k, v in found.items() if k.startswith("t")]
    assert len(tensors) == 6  # w, b, x@w, +b, relu, sum
    assert sum(1 for k in found if k.startswith("c")) == 1  # x needs no grad: a grey input box
    assert drawing.nodes == 10
    edges = re.findall(r"^\s+(\w+) -> (\w+);$", drawing.source, flags=re.M)
    assert len(edges) == 10  # 4 ops x (inputs + output): Sum 1+1, Relu 1+1, Add 2+1, MatMul 2+1
    assert any(v.startswith("w\\n[2, 2] float32") for v in tensors)


class SinCos(ourdl.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.sin(), x.cos()

    @staticmethod
    def backward(ctx, grad_sin, grad_cos):
        return grad_sin - grad_cos


def test_a_user_function_with_two_outputs_is_one_op_with_two_output_boxes():
    s, c = SinCos.apply(ourdl.ones(2, requires_grad=True))
    found = labels(draw_graph((s * c).sum()).source)
    assert sorted(v for k, v in found.items() if k.startswith("f")) == ["Mul", "SinCos", "Sum"]
    assert sum(1 for k in found if k.startswith("t")) == 5  # x, sin, cos, product, sum: no stand-ins


def test_gradients_shown_are_autograds():
    loss, names = small_network()
    drawing = draw_graph(loss, names=names)
    loss.backward()
    w_label = next(v for v in labels(drawing.source).values() if v.startswith("w\\n"))
    shown = re.search(r"grad (.*)$", w_label).group(1)
    expected = np.array2string(names["w"].grad.numpy(), precision=4, suppress_small=True, separator=", ")
    assert shown == expected.replace("\n", "")
    assert names["w"].grad is not None and names["b"].grad.tolist() != [0.0, 0.0]


def test_drawing_touches_no_grad_and_falls_back_after_backward():
    loss, names = small_network()
    draw_graph(loss, names=names)
    assert names["w"].grad is None
    loss.backward()  # frees the graph: the drawing then shows the leaves' .grad
    drawing = draw_graph(loss, names=names)
    assert "grad [" in labels(drawing.source)[f"t{id(names['b'])}"]


def test_a_value_changed_in_place_after_use_is_drawn_as_the_op_saw_it():
    x = ourdl.tensor([1.0, 2.0], requires_grad=True)
    b = x * 1
    out = (b * 3).sum() + (b * 4).sum()  # two ops used b before it changed
    b.mul_(2)
    found = labels(draw_graph(out, names={"x": x}).source)
    assert sorted(v for k, v in found.items() if k.startswith("f")) == ["Add", "Mul", "Mul", "Mul", "Sum", "Sum"]
    assert sum("(since changed in place)" in v for v in found.values()) == 1  # one box for the old value
    assert found[f"t{id(x)}"].endswith("grad [7., 7.]")  # the gradient backward gives: 3 + 4, not doubled


def test_large_tensors_show_shape_only():
    w = ourdl.randn(10, 10, requires_grad=True)
    drawing = draw_graph((w * w).sum(), names={"w": w})
    assert "data" not in labels(drawing.source)[f"t{id(w)}"]


def test_deep_chain_has_no_recursion_limit():
    x = ourdl.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(3000):
        y = y * 1.0
    assert draw_graph(y, grads=False).nodes == 6001


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_renders_with_dot(tmp_path, suffix):
    loss, names = small_network()
    written = draw_graph(loss, names=names).save(tmp_path / f"g{suffix}")
    assert [p.suffix for p in written] == [".dot", suffix]
    subprocess.run(["dot", "-Tsvg", str(written[0]), "-o", str(tmp_path / "check.svg")], check=True)
    if suffix == ".png":
        from PIL import Image

        assert Image.open(written[1]).size[0] > 100


def test_missing_dot_writes_dot_and_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(graph_module.shutil, "which", lambda name: None)
    loss, _ = small_network()
    with pytest.raises(GraphvizMissing, match="apt-get install graphviz"):
        draw_graph(loss, tmp_path / "g.svg")
    assert (tmp_path / "g.dot").read_text().startswith("digraph")
    assert not (tmp_path / "g.svg").exists()


def test_unknown_format(tmp_path):
    loss, _ = small_network()
    with pytest.raises(ValueError, match=r"\.dot, \.svg, \.png or \.pdf"):
        draw_graph(loss, tmp_path / "g.jpg")


def test_direction():
    loss, _ = small_network()
    assert "rankdir=TB;" in draw_graph(loss, direction="TB").source
    with pytest.raises(ValueError, match="direction must be LR, TB, RL or BT"):
        draw_graph(loss, direction="up")
