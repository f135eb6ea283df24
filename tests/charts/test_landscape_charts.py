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


def test_class_regions_are_a_see_through_image_of_the_predicted_classes():
    import base64
    import io

    from PIL import Image

    from explorer.charts.landscape import REGION_OPACITY, REGION_UPSCALE, region_image
    from explorer.charts.style import PALETTE
    g1, g2 = np.linspace(-1.0, 1.0, 3), np.linspace(-2.0, 2.0, 2)
    regions = np.array([[0, 1, 2], [2, 2, 0]])          # row 0 is the bottom row (x₂ = -2)
    image = region_image(g1, g2, regions, 3)
    assert (image["x"], image["y"], image["sizex"], image["sizey"]) == (-1.0, 2.0, 2.0, 4.0)
    png = Image.open(io.BytesIO(base64.b64decode(image["source"].split(",", 1)[1])))
    pixels = np.asarray(png.convert("RGBA"))          # a palette image with transparency: these colours
    assert pixels.shape == (2 * REGION_UPSCALE, 3 * REGION_UPSCALE, 4)
    top_left, bottom_right = pixels[0, 0], pixels[-1, -1]          # class 2 (top row), class 2 (bottom row)
    assert list(top_left) == [int(PALETTE[2][i:i + 2], 16) for i in (1, 3, 5)] + [round(255 * REGION_OPACITY)]
    assert list(bottom_right[:3]) == [int(PALETTE[2][i:i + 2], 16) for i in (1, 3, 5)]
    assert list(pixels[-1, 0][:3]) == [int(PALETTE[0][i:i + 2], 16) for i in (1, 3, 5)]   # bottom-left: class 0


def test_class_regions_draw_every_point_once_with_a_legend_entry_per_class_and_part():
    rng = np.random.default_rng(0)
    X_train, X_test = rng.normal(size=(2, 12)), rng.normal(size=(2, 9))
    y_train, y_test = np.arange(12) % 3, np.arange(9) % 3
    g = np.linspace(-3, 3, 4)
    fig = charts.class_regions(g, g, np.zeros((4, 4), dtype=int), X_train, y_train, X_test, y_test,
                               ["class A", "class B", "class C"], "t")
    points = [t for t in fig.data if t.showlegend is False]
    assert [len(t.x) for t in points] == [12, 9]
    train, test = points
    # plotly's symbol numbers: circle 0, square 1, diamond 2; + 100 the open one
    assert list(train.marker.symbol[:3]) == [0, 1, 2] and list(test.marker.symbol[:3]) == [100, 101, 102]
    # class k's colour sits exactly at k on the colour scale
    assert list(train.marker.color[:3]) == [0, 1, 2] and (train.marker.cmin, train.marker.cmax) == (0, 2)
    assert [c for _, c in train.marker.colorscale] == list(charts.PALETTE[:3])
    assert [v for v, _ in train.marker.colorscale] == [0.0, 0.5, 1.0] and train.marker.line.color == "#ffffff"
    assert list(test.marker.line.color[:3]) == [0, 1, 2] and test.marker.line.colorscale == test.marker.colorscale
    assert list(train.customdata[:3]) == ["class A", "class B", "class C"]
    keys = [t.name for t in fig.data if t.showlegend is not False]
    assert keys == [f"class {c} ({p})" for c in "ABC" for p in ("train", "test")]
