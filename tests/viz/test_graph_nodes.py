"""draw_graph on ourdl.graph nodes: one shape per scalar node with its name, value and gradient, edges parent → child."""

import re
import shutil
import subprocess

import pytest

from ourdl.graph import TinyNetwork, Variable
from ourdl.viz import draw_graph


def labels(source):
    return re.findall(r'^\s+n\d+ \[([^\]]*)label="([^"]*)"\];$', source, flags=re.M)


def test_every_node_with_value_and_gradient():
    w, x = Variable(-0.5, name="w"), Variable(2.0, trainable=False, name="x")
    y = w * x + 1.0
    y.forward()
    y.backward()
    drawing = draw_graph(y)
    found = {text.split("\\n")[0]: (style, text) for style, text in labels(drawing.source)}
    assert drawing.nodes == 5 and sorted(found) == ["1.0", "add" + y.name[3:], "mul" + y.parents[0].name[3:], "w", "x"]
    assert found["w"][1] == "w\\nvalue -0.5\\ngrad 2" and "#dbeafe" in found["w"][0]       # trainable: blue box
    assert found["x"][1] == "x\\nvalue 2\\ngrad -0.5" and "dashed" in found["x"][0]        # data: grey, dashed
    assert found[y.name][1] == f"{y.name}\\nAdd\\nvalue 0\\ngrad 1" and "ellipse" in found[y.name][0]
    assert len(re.findall(r"-> n\d+;", drawing.source)) == 4


def test_before_forward_values_show_as_dashes_and_names_can_be_replaced():
    x = Variable(1.0, name="x")
    y = x * x
    drawing = draw_graph(y, names={"input": x})
    texts = [text for _, text in labels(drawing.source)]
    assert "input\\nvalue 1\\ngrad 0" in texts and f"{y.name}\\nMul\\nvalue —\\ngrad 0" in texts
    assert drawing.source.count(f"n{id(x)} -> n{id(y)};") == 2                          # x enters twice


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_the_1_2_1_network_renders(tmp_path):
    net = TinyNetwork(negative_slope=0.1)
    net.x.value, net.y.value = 1.5, 2.25
    net.loss.forward()
    net.loss.backward()
    written = draw_graph(net.loss, tmp_path / "net.svg", direction="TB")
    assert [p.name for p in written.save(tmp_path / "net.svg")] == ["net.dot", "net.svg"]
    assert written.nodes == 20 and "LeakyRelu" in written.source and "rankdir=TB" in written.source
    subprocess.run(["dot", "-Tsvg", str(tmp_path / "net.dot"), "-o", str(tmp_path / "check.svg")], check=True)
