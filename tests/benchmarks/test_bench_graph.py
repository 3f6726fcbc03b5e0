"""bench_graph's contenders do the same work: from the same weights, the same updates, sample after sample."""

import importlib.util
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_graph  # noqa: E402

ENGINES = ["closure"] + (["micrograd"] if importlib.util.find_spec("micrograd") else [])


@pytest.mark.parametrize("engine", ENGINES)
def test_scalar_engines_follow_the_node_graph_update_for_update(engine):
    ours, theirs = bench_graph.ourdl_graph_step(), bench_graph.scalar_engine_step(engine)
    assert [p.value for p in ours.parameters] == bench_graph.initial_weights()
    for _ in range(300):
        ours()
        theirs()
    assert [p.value for p in ours.parameters] == pytest.approx([p.data for p in theirs.parameters], rel=1e-12)
