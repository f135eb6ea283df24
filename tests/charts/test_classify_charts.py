"""Heart-finder figures: bar labels stay inside their panel, one-line titles, theme-proof marks."""
import numpy as np

from explorer.charts import classify as charts
from explorer.charts.classify import OUTLINE, RIGHT, WRONG, samples


def make(K=5, n=10):
    rng = np.random.default_rng(0)
    P = rng.dirichlet(np.ones(K) * 0.3, size=n).T
    P[:, 0] = [0.999] + [0.001 / (K - 1)] * (K - 1)       # a bar right at 1
    true = np.arange(n) % K
    pred = P.argmax(axis=0)
    images = [rng.random((24, 24)) for _ in range(n)]
    names = ["CH3", "CH2", "CH4", "SAX", "Other"][:K] if K == 5 else ["no heart", "heart"]
    return samples(images, P, true, pred, names, "t"), P, true, pred


def bars(fig):
    return [t for t in fig.data if t.type == "bar"]


def test_long_bars_carry_their_label_inside_and_short_ones_just_after():
    fig, P, _, _ = make()
    for bar, p in zip(bars(fig), P.T):
        for v, pos, text in zip(p, bar.textposition, bar.text):
            assert pos == ("inside" if v >= 0.55 else "outside")
            # an outside label starts before 0.55 of a 0..1.02 axis: it ends well inside the panel
            assert text == "" or pos == "inside" or v < 0.55
        assert tuple(bar.xaxis and fig.layout[bar.xaxis.replace("x", "xaxis")].range) == (0, 1.02)


def test_class_names_label_only_the_first_column():
    fig, *_ = make()
    shown = []
    for bar in bars(fig):
        axis = fig.layout[bar.yaxis.replace("y", "yaxis")]
        shown.append(axis.showticklabels)
    per_row = 5
    assert shown == [i % per_row == 0 for i in range(len(shown))]


def test_titles_are_one_line_and_mark_right_and_wrong():
    fig, _, true, pred = make()
    titles = [a.text for a in fig.layout.annotations if a.text]
    assert len(titles) == 10 and not any("<br>" in t for t in titles)
    for t, ti, pi in zip(titles, true, pred):
        assert t.startswith(RIGHT if ti == pi else WRONG)
        assert ("→" in t) == (ti != pi)


def test_true_class_stands_out_without_black():
    fig, _, true, _ = make(K=2, n=4)
    for bar, t in zip(bars(fig), true):
        op = list(bar.marker.opacity)
        assert op[t] == 1.0 and all(o < 1 for k, o in enumerate(op) if k != t)
        assert bar.marker.line.color == OUTLINE


def test_heat_map_legend_sits_below_the_axis_titles():
    from explorer.charts.classify import heat_map
    image = np.zeros((64, 64))
    P = np.random.default_rng(0).random((10, 10))
    fig = heat_map(image, P, np.arange(10) * 4 + 8, np.arange(10) * 4 + 8, (20, 20, 16, 16), (18, 22, 16, 16), "t")
    legend = fig.layout.legend
    assert (legend.yref, legend.yanchor, legend.y) == ("container", "bottom", 0.0)
    assert fig.layout.margin.b >= 90


def test_picture_is_the_image_in_grey_with_square_pixels():
    image = np.arange(40 * 80, dtype=float).reshape(40, 80)
    fig = charts.picture(image, "An image", hover="line strength", clip=50)
    (trace,) = fig.data
    assert trace.type == "heatmap" and not trace.showscale
    np.testing.assert_array_equal(trace.z, image.astype(np.float32))
    assert trace.zmin == 0 and trace.zmax == np.percentile(image, 50)
    assert "line strength %{z:.3g}" in trace.hovertemplate
    assert fig.layout.yaxis.autorange == "reversed" and fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.xaxis.title.text == "column j" and fig.layout.yaxis.title.text == "row i"
    assert fig.layout.height == 310 and fig.layout.margin.l == 55       # 110 + 400 * 40 / 80
    assert fig.layout.title.text == "An image"
    flat = charts.picture(np.full((5, 5), 3.0), "flat")
    assert flat.data[0].zmin == 3.0 and flat.data[0].zmax == 4.0     # a flat image still has a grey scale
