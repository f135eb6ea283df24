"""Figures built without plotly's property checks (charts/style.py new_figure, VALIDATE off, as the
app runs) send exactly the JSON of the same figures built with them (as the tests run)."""
import base64
import json

import numpy as np
import plotly.io as pio
from plotly.colors import get_colorscale
import pytest

from explorer.charts import regression, style
from explorer.charts.wire import figure_json, typed_array
from explorer.core.regression import gradient_descent, least_squares, loss_surface, make_line_data


def regression_figures():
    x, y = make_line_data(30, 2.0, 1.0, 0.5, seed=0)
    g = np.linspace(-8, 8, 41)
    (w_star, b_star) = least_squares(x, y)
    path = gradient_descent(x, y, -3.0, 5.0, 0.01, 50)
    pic = regression.surface_picture(g, g, loss_surface(x, y, g, g))
    return [regression.data_fit(x, y, -3.0, 5.0, w_star, b_star, "fit"),
            regression.loss_contour(pic, (-3.0, 5.0), (w_star, b_star), (path.w, path.b), "bowl"),
            regression.loss_per_step(path.loss, 6.577, "steps")]


def named_scales_spelt_out(node):
    """The JSON with every colour scale given by name ("Viridis", which plotly.js knows by name too)
    written out as the list plotly's check turns it into (stops to 12 digits: the two spell 7/9
    differently in its last bit)."""
    if isinstance(node, dict):
        return {k: ([[round(p, 12), c] for p, c in (get_colorscale(v) if isinstance(v, str) else v)]
                    if k == "colorscale" and isinstance(v, (str, list)) else named_scales_spelt_out(v))
                for k, v in node.items()}
    if isinstance(node, list):
        return [named_scales_spelt_out(v) for v in node]
    return node


def typed_arrays_as_lists(node):
    """The JSON with plotly.js typed arrays ({"dtype", "bdata", "shape"}) decoded to lists of numbers."""
    if isinstance(node, dict):
        if set(node) >= {"dtype", "bdata"}:
            a = np.frombuffer(base64.b64decode(node["bdata"]), dtype=np.dtype(node["dtype"]).newbyteorder("<"))
            if "shape" in node:
                a = a.reshape([int(n) for n in node["shape"].split(",")])
            return np.where(np.isnan(a), None, a).tolist() if a.dtype.kind == "f" else a.tolist()
        return {k: typed_arrays_as_lists(v) for k, v in node.items()}
    if isinstance(node, list):
        return [typed_arrays_as_lists(v) for v in node]
    return node


def as_drawn(text: str) -> dict:
    return named_scales_spelt_out(typed_arrays_as_lists(json.loads(text)))


def sent(figs) -> list[dict]:
    """What the app sends (explorer.charts.wire), as plotly.js reads it."""
    return [as_drawn(figure_json(f)) for f in figs]


def plotly_sent(figs) -> list[dict]:
    """What plotly's own encoder sends for the same figures."""
    return [as_drawn(pio.to_json(f, validate=False)) for f in figs]


def test_the_unchecked_figures_are_the_checked_ones(monkeypatch):
    assert style.VALIDATE, "the suite checks every figure (tests/conftest.py)"
    checked_figs = regression_figures()
    checked = plotly_sent(checked_figs)
    assert sent(checked_figs) == checked
    monkeypatch.setattr(style, "VALIDATE", False)
    unchecked_figs = regression_figures()
    assert not unchecked_figs[0]._validate
    assert sent(unchecked_figs) == checked
    assert len(checked[0]["data"]) == 4 and checked[1]["layout"]["images"][0]["sizing"] == "stretch"


def test_a_misspelt_property_fails_under_the_tests():
    with pytest.raises(ValueError):
        style.new_figure([style.trace("scatter", x=[1], y=[2], mdoe="lines")])


@pytest.mark.parametrize("values, dtype, shape", [
    (np.array([1.5, np.nan, -2.0]), "f8", None),
    (np.arange(6, dtype=np.float32).reshape(2, 3), "f4", "2, 3"),
    (np.array([1, 2, 300]), "i2", None),            # int64 narrowed, as plotly does
    (np.array([0, 255], dtype=np.uint64), "u1", None),
])
def test_numeric_arrays_are_typed_arrays(values, dtype, shape):
    spec = typed_array(values)
    assert spec["dtype"] == dtype and spec.get("shape") == shape
    back = typed_arrays_as_lists(spec)
    assert np.allclose(np.array(back, dtype=float), values.astype(float), equal_nan=True)


def test_other_arrays_and_ranges_stay_lists():
    assert typed_array(np.array(["a", "b"])) == ["a", "b"]
    assert typed_array(np.array([], dtype=float)) == []
    assert typed_array(np.array([2**40, 1])) == [2**40, 1]          # too big for plotly.js's ints
    fig = style.new_figure([style.trace("scatter", x=np.array([0.0, 1.0]), y=[1, 2])],
                           {"xaxis": {"range": np.array([0.0, 1.0])}})
    out = json.loads(figure_json(fig))
    assert out["layout"]["xaxis"]["range"] == [0.0, 1.0] and out["data"][0]["x"]["dtype"] == "f8"


PAGES_WITH_FIGURES = ["linear_regression", "linear_map", "broadcasting", "softmax", "pixels", "features",
                      "landscape", "activations", "mlp_builder", "linear_collapse", "heart_finder",
                      "home"]   # universal approximation and the playground draw on canvases


@pytest.mark.parametrize("module", PAGES_WITH_FIGURES)
def test_every_page_sends_the_same_figures_with_and_without_the_checks(module, monkeypatch):
    """Whatever a page's charts build with new_figure()/trace(), unchecked (as the app runs) it sends
    what it sends checked (as the tests run)."""
    from tests.pages.conftest import figures, run_page
    checked = [named_scales_spelt_out(typed_arrays_as_lists(f)) for f in figures(run_page(module))]
    assert checked, f"{module} shows no figure"
    monkeypatch.setattr(style, "VALIDATE", False)
    unchecked = [named_scales_spelt_out(typed_arrays_as_lists(f)) for f in figures(run_page(module))]
    assert unchecked == checked
