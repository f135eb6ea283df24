"""Learning-landscape figures: legends clear of the axis titles, marks that read on either theme."""
import numpy as np

from explorer.charts import landscape as charts


def test_a_legend_below_the_plot_has_its_own_strip():
    J = np.array([5.0, 3.0, 2.5, 2.5])
    fig = charts.objective_curve(J, 1, 2, "t")
    legend = fig.layout.legend
    assert (legend.yref, legend.yanchor, legend.y) == ("container", "bottom", 0.0)
    assert fig.layout.margin.b >= charts.LEGEND_BELOW_MARGIN
    fig = charts.reward_curve(np.zeros(20), np.zeros(20), 5, 0.8, "t")
    assert fig.layout.legend.yref == "container" and fig.layout.margin.b >= 100


def test_kmeans_trails_and_outlines_are_not_black():
    X = np.random.default_rng(0).normal(size=(2, 30))
    path = np.random.default_rng(1).normal(size=(3, 2, 3))
    fig = charts.kmeans_map(X, np.arange(30) % 3, path, "t", (-3, 3, -3, 3))
    colours = []
    for t in fig.data:
        if t.name in ("centroid moves", "centroids"):
            colours += [t.line.color] if t.line and t.line.color else []
            colours += [t.marker.line.color] if t.marker.line.color else []
    assert colours and "#000000" not in colours


def test_image_row_has_no_white_background():
    fig = charts.image_row([np.zeros((8, 8)), np.ones((8, 8))], ["a", "b"], "t")
    assert fig.layout.plot_bgcolor in (None, "rgba(0,0,0,0)")
