"""Figure builders of the linear regression page: titles, axes, log levels and ticks."""
import math

import numpy as np
import pytest

from explorer.charts import regression as charts
from explorer.core.regression import gradient_descent, least_squares, loss_surface, make_line_data


@pytest.fixture
def problem():
    x, y = make_line_data(30, 2.0, 1.0, 0.5, seed=0)
    g = np.linspace(-8, 8, 41)
    return x, y, g, loss_surface(x, y, g, g), least_squares(x, y)


def test_data_fit_draws_one_residual_per_sample(problem):
    x, y, *_ = problem
    fig = charts.data_fit(x, y, 0.5, 0.2, 2.0, 1.0, "title")
    residuals = fig.data[0]
    assert residuals.name.startswith("residual")
    seg_y = np.asarray(residuals.y, dtype=float).reshape(-1, 3)
    np.testing.assert_allclose(seg_y[:, 0], y)                 # from the sample ...
    np.testing.assert_allclose(seg_y[:, 1], 0.5 * x + 0.2)     # ... to the line
    assert fig.layout.title.text == "title"
    assert fig.layout.xaxis.title.text == "x" and fig.layout.yaxis.title.text == "y"


def test_contour_levels_are_log_and_markers_differ(problem):
    x, y, g, L, (w_star, b_star) = problem
    path = gradient_descent(x, y, -3.0, 5.0, 0.01, 30)
    pic = charts.surface_picture(g, g, L, line_every=1)
    fig = charts.loss_contour(pic, (-3.0, 5.0), (w_star, b_star), (path.w, path.b), "surface")
    lines = fig.data[0]
    lw, lb = np.asarray(lines.x, dtype=float), np.asarray(lines.y, dtype=float)
    keep = np.isfinite(lw)
    quarters = 4 * np.log10(loss_surface(x, y, lw[keep], lb[keep]).diagonal())   # ℓ at each vertex
    np.testing.assert_allclose(quarters, np.round(quarters), atol=0.25)   # on quarter decades (a coarse 41-grid)
    key = next(t for t in fig.data if t.type == "heatmap")
    assert key.colorscale[0][1] == "#440154" and (key.zmin, key.zmax) == (pic.start, pic.end)   # viridis
    np.testing.assert_allclose(np.diff(np.asarray(key.y)), 0.25)
    assert fig.layout.xaxis.title.text == "w (slope)" and fig.layout.yaxis.title.text == "b (intercept)"
    markers = {t.name: t.marker.symbol for t in fig.data[1:] if getattr(t, "mode", None) == "markers"}
    assert markers == {"least squares (w*, b*)": "star", "your (w, b)": "circle"}
    assert "leaves the plot" not in str(fig.layout.annotations)   # the path stays in view
    assert fig.layout.images[0].source.startswith("data:image/png;base64,")


def test_the_heat_image_bands_follow_log_loss(problem):
    """Pixel (row i, column j) shows ℓ(g[j], g[last - i]) (rows run downwards): its band's colour."""
    import base64
    import io

    from PIL import Image
    x, y, g, L, _ = problem
    pic = charts.surface_picture(g, g, L)
    rgb = np.asarray(Image.open(io.BytesIO(base64.b64decode(pic.png.split(",", 1)[1]))).convert("RGB"))
    assert rgb.shape == (41, 41, 3)
    Z, start, _ = charts.log_levels(L)
    band = np.floor((Z - start) * 4).astype(int)[::-1]
    for k in np.unique(band):                     # one colour per band, and another for every other band
        colours = {tuple(c) for c in rgb[band == k]}
        assert len(colours) == 1
    assert len({tuple(c) for c in rgb.reshape(-1, 3)}) == len(np.unique(band))


def test_a_path_that_leaves_the_picture_is_announced(problem):
    x, y, g, L, opt = problem
    path = gradient_descent(x, y, -3.0, 5.0, 0.03, 200)
    assert path.diverged
    fig = charts.loss_contour(charts.surface_picture(g, g, L), (-3.0, 5.0), opt, (path.w, path.b))
    assert "leaves the plot" in fig.layout.annotations[0].text


def test_zero_loss_is_clipped_not_log_of_zero():
    x, y = make_line_data(20, 1.0, 0.0, 0.0, seed=1)
    g = np.linspace(-2, 2, 21)
    L = loss_surface(x, y, g, g)
    Z, start, end = charts.log_levels(L)
    assert np.all(np.isfinite(Z)) and start < end


@pytest.mark.parametrize("lo, hi", [(6.6, 164.0), (1.0, 1e40), (2.5e-5, 3.0), (6.6, 6.61), (5.0, 5.0)])
def test_log_ticks_stay_few_and_in_range(lo, hi):
    ticks = charts.log_ticks(lo, hi)
    assert 1 <= len(ticks) <= 8
    assert all(lo * 0.999 <= t <= hi * 1.001 for t in ticks)
    labels = [charts._tick_label(t) for t in ticks]
    assert all(len(label) <= 8 for label in labels)


def test_loss_per_step_is_on_a_log_axis_with_the_minimum():
    loss = np.geomspace(100.0, 7.0, 20)
    fig = charts.loss_per_step(loss, 6.5, "per step")
    assert fig.layout.yaxis.type == "log"
    assert [t.name for t in fig.data] == ["ℓ(w, b) at step t", "minimum ℓ(w*, b*)"]
    assert fig.layout.xaxis.title.text == "step t"
    assert min(fig.layout.yaxis.tickvals) <= 10 <= max(fig.layout.yaxis.tickvals)
    no_min = charts.loss_per_step(loss, 0.0, "per step")          # ℓ* = 0: nothing to draw on a log axis
    assert len(no_min.data) == 1
    assert not math.isnan(float(no_min.layout.yaxis.tickvals[0]))


def test_log_ticks_survive_a_perfect_fit():
    from explorer.charts.regression import log_ticks
    ticks = log_ticks(0.0, 0.0)
    assert ticks and all(t > 0 for t in ticks)
