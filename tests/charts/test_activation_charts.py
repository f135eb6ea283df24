"""The activation chart: legible y-range, derivative jumps as gaps, theme-proof colours."""
import numpy as np
import pytest

from explorer.charts.activations import BOUNDED_Y_RANGE, IDENTITY_MARKER, break_jumps, curves
from explorer.core.activations import ACTIVATIONS, PARAM_RANGES


def series_for(names, x):
    out = []
    for n in names:
        a = ACTIVATIONS[n]
        kw = {k: PARAM_RANGES[k][2] for k in a.params}
        out.append({"label": a.label, "f": a.f(x, **kw), "df": a.df(x, **kw),
                    "bounded": "∞" not in a.output_range})
    return out


@pytest.mark.parametrize("name, jumps", [("relu", 1), ("leaky_relu", 1), ("sigmoid", 0), ("tanh", 0),
                                         ("elu", 0), ("gelu", 0), ("silu", 0), ("softplus", 0)])
def test_derivative_jumps_become_gaps_and_smooth_curves_stay_whole(name, jumps):
    x = np.linspace(-8, 8, 801)
    s = series_for([name], x)[0]
    bx, by = break_jumps(x, s["df"])
    assert int(np.isnan(by).sum()) == jumps
    assert bx.size == x.size + jumps and np.all(np.diff(bx) > 0)


def test_maxout_has_a_gap_at_every_kink():
    x = np.linspace(-8, 8, 801)
    a = ACTIVATIONS["maxout"]
    _, by = break_jumps(x, a.df(x, pieces=4))
    assert int(np.isnan(by).sum()) == 3


def test_no_vertical_segment_is_drawn_in_the_derivative_panel():
    x = np.linspace(-8, 8, 801)
    fig = curves(x, series_for(["relu"], x))
    d = next(t for t in fig.data if t.yaxis == "y2")
    y, xs = np.asarray(d.y, dtype=float), np.asarray(d.x, dtype=float)
    ok = np.isfinite(y[:-1]) & np.isfinite(y[1:])
    # every drawn segment is flat or gently sloped: none rises by 1 over one sample step
    assert np.max(np.abs(np.diff(y))[ok]) < 0.5
    assert np.isnan(y).any() and xs[np.isnan(y)][0] == pytest.approx(0.0, abs=0.02)


def test_default_range_shows_sigmoid_and_tanh_beside_relu():
    x = np.linspace(-8, 8, 801)
    fig = curves(x, series_for(["sigmoid", "tanh", "relu"], x))
    lo, hi = fig.layout.yaxis.range
    assert lo >= BOUNDED_Y_RANGE[0] - 0.5 and hi <= BOUNDED_Y_RANGE[1] + 0.5
    # tanh's whole swing (-1 to 1) takes almost half of the panel's height
    assert 2.0 / (hi - lo) >= 0.45


def test_unbounded_only_keeps_autorange():
    x = np.linspace(-8, 8, 801)
    fig = curves(x, series_for(["relu", "identity"], x))
    assert fig.layout.yaxis.range is None


def test_identity_markers_and_guides_are_neither_black_nor_white():
    x = np.linspace(-8, 8, 801)
    s = 1 / (1 + np.exp(-x))
    fig = curves(x, series_for(["sigmoid"], x), sigmoid_identity=s * (1 - s), probe=1.0)
    markers = next(t for t in fig.data if t.mode == "markers")
    assert markers.marker.color == IDENTITY_MARKER
    for colour in [markers.marker.color] + [sh.line.color for sh in fig.layout.shapes if sh.type == "line"]:
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
        assert 0.2 < luminance < 0.8, colour


def test_legend_sits_below_the_x_axis_titles():
    x = np.linspace(-8, 8, 801)
    fig = curves(x, series_for(["sigmoid"], x))
    legend = fig.layout.legend
    assert (legend.yref, legend.yanchor, legend.y) == ("container", "bottom", 0.0)
    assert fig.layout.margin.b >= 100        # room for the x titles (about 45 px) and the legend rows


def test_histograms_of_a_deep_network_wrap_onto_rows():
    from explorer.charts.forward import HIST_PER_ROW, activation_histograms
    layers = [{"name": f"a[{i}] (sigmoid)", "counts": np.ones(10), "edges": np.linspace(0, 1, 11)}
              for i in range(1, 8)]
    fig = activation_histograms(layers)
    lay = fig.layout
    # panels in one row never overlap and are at most HIST_PER_ROW wide; a second row sits below the first
    xs = [lay[f"xaxis{'' if i == 0 else i + 1}"].domain for i in range(7)]
    ys = [lay[f"yaxis{'' if i == 0 else i + 1}"].domain for i in range(7)]
    assert xs[HIST_PER_ROW][0] == xs[0][0] and ys[HIST_PER_ROW][1] < ys[0][0]
    for a, b in zip(xs[:HIST_PER_ROW - 1], xs[1:HIST_PER_ROW]):
        assert a[1] < b[0]
    assert lay.height > 500
