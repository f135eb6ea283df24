"""The MLP builder's figures: the network diagram, the outputs, the histograms and a layer's values."""
import numpy as np

from explorer.charts import forward, network
from explorer.charts.style import NEGATIVE, POSITIVE


def test_diagram_colours_edges_by_sign_and_draws_every_shown_unit():
    sizes = [4, 3, 1]
    weights = [np.array([[1.0, -1.0, 0.5, -0.5]] * 3), np.array([[2.0, -0.1, 0.3]])]
    fig = network.diagram(sizes, network.layer_headers(4, [3, 1], ["relu", "sigmoid"]), weights, title="net")
    edges = [t for t in fig.data if t.mode == "lines"]
    colours = {t.line.color for t in edges}
    assert colours == {POSITIVE, NEGATIVE}
    n_edges = sum(t.x.count(None) for t in edges)          # each edge ends with a None separator
    assert n_edges == 4 * 3 + 3 * 1
    (nodes,) = [t for t in fig.data if t.mode == "markers"]
    assert len(nodes.x) == 4 + 3 + 1
    assert fig.layout.title.text == "net" and fig.layout.xaxis.visible is False
    assert fig.layout.xaxis.automargin is False and fig.layout.margin.t == 50


def test_diagram_of_a_wide_layer_shows_head_tail_and_an_ellipsis():
    fig = network.diagram([100, 2], ["X", "ŷ"], None)
    (nodes,) = [t for t in fig.data if t.mode == "markers"]
    assert len(nodes.x) == 7 + 2
    (dots,) = [t for t in fig.data if t.mode == "text" and t.text[0] == "⋮"]
    assert list(dots.x) == [0]
    assert {t.line.color for t in fig.data if t.mode == "lines"} == {"#9a9a9a"}


def test_output_bars_per_head():
    Y = np.array([[0.2, 0.7, 0.9]])
    binary = forward.output_bars(Y, "binary")
    assert [t.type for t in binary.data] == ["bar", "scatter"]
    np.testing.assert_allclose(binary.data[0].y, Y[0])
    assert tuple(binary.layout.yaxis.range) == (0, 1) and list(binary.data[1].y) == [0.5, 0.5]
    P = np.array([[0.1, 0.6], [0.9, 0.4]])
    multi = forward.output_bars(P, "multiclass", ["a", "b"])
    assert multi.layout.barmode == "stack" and [t.name for t in multi.data] == ["a", "b"]
    many = forward.output_bars(np.zeros((1, 40)), "regression")
    assert len(many.data[0].x) == 32 and "first 32 of B = 40" in many.layout.title.text
    for fig in (binary, multi, many):
        assert fig.layout.margin.l == 80 and fig.layout.margin.b == 70
        assert fig.layout.xaxis.automargin is False and fig.layout.yaxis.automargin is False


def test_histograms_wrap_after_four_panels():
    layers = [{"name": f"a[{i}]", "counts": np.array([1, 2]), "edges": np.array([0.0, 0.5, 1.0])}
              for i in range(1, 7)]
    fig = forward.activation_histograms(layers)
    assert len(fig.data) == 6
    np.testing.assert_allclose(fig.data[0].x, [0.25, 0.75])
    assert fig.layout.height == 320 + 260            # two rows
    assert fig.layout.xaxis5.title.text == "a[5]" and fig.layout.yaxis5.title.text == "count"
    assert fig.layout.yaxis2.title.text == "" and fig.layout.xaxis6.automargin is False


def test_heatmap_shows_units_down_and_at_most_64_by_64():
    values = np.arange(70 * 3, dtype=float).reshape(70, 3)
    fig = forward.activation_heatmap(values, "a[2]")
    (trace,) = fig.data
    assert np.asarray(trace.z).shape == (64, 3) and trace.y[0] == "unit 1" and trace.x[-1] == "x(3)"
    assert fig.layout.yaxis.autorange == "reversed" and "first 64 × 3" in fig.layout.title.text
    assert trace.colorbar.title.text == "value"
