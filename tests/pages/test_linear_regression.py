"""AppTest for the linear regression page (explorer/pages/linear_regression.py)."""
import base64
import io
import json
import re

import numpy as np
import pytest

from PIL import Image

from explorer.core.regression import gradient_descent, least_squares, make_line_data, max_stable_lr, sse_loss
from tests.pages.conftest import assert_clean, figure, figures, metric, run_page, texts, values

PAGE = "linear_regression"
DEFAULT_DATA = dict(n=30, w=2.0, b=1.0, noise=0.5, seed=0)
DEFAULT_START = (-3.0, 5.0)


def shown_loss(at) -> float:
    """The value at the end of the slide's formula, ℓ(w, b) = Σ ... = value."""
    latex = next(x.value for x in at.latex if r"\ell(w, b)" in x.value)
    value = latex.rsplit("=", 1)[1].split(r"\end{aligned}")[0]
    return float(value.replace("{,}", ""))


def data(**changes):
    args = {**DEFAULT_DATA, **changes}
    return make_line_data(args["n"], args["w"], args["b"], args["noise"], args["seed"])


def test_defaults_show_the_slides_loss_and_the_least_squares_optimum():
    at = run_page(PAGE)
    assert_clean(at)
    x, y = data()
    w0, b0 = DEFAULT_START
    assert shown_loss(at) == pytest.approx(sse_loss(w0, b0, x, y), rel=1e-5)
    # the loss, literally the slide's sum
    assert shown_loss(at) == pytest.approx(sum((yi - (w0 * xi + b0)) ** 2 for xi, yi in zip(x, y)), rel=1e-5)
    w_ref, b_ref = np.polyfit(x, y, 1)
    assert f"w* = {w_ref:.3f}, b* = {b_ref:.3f}" in texts(at)
    loss_ref = float(np.sum((y - np.polyval([w_ref, b_ref], x)) ** 2))
    assert metric(at, "Minimum loss ℓ(w*, b*)", exact=True) == f"{loss_ref:,.4g}"
    assert "Minimise the empirical risk" in texts(at)
    assert metric(at, "Stable limit 2/λ_max", exact=True) == f"{max_stable_lr(x):.4g}"
    assert metric(at, "lr / (2/λ_max)", exact=True) == f"{0.01 / max_stable_lr(x):.3g}"


def test_every_chart_has_a_title_and_labelled_axes():
    at = run_page(PAGE)
    specs = figures(at)
    assert len(specs) == 3
    for spec in specs:
        assert spec["layout"]["title"]["text"]
        assert spec["layout"]["xaxis"]["title"]["text"] and spec["layout"]["yaxis"]["title"]["text"]
    contour = specs[1]
    assert contour["layout"]["images"][0]["source"].startswith("data:image/png;base64,")   # the bowl's heat image
    assert contour["data"][0]["name"].startswith("levels of ℓ")                             # and its level lines
    names = [t.get("name") for t in contour["data"]]
    assert "your (w, b)" in names and "least squares (w*, b*)" in names and "descent path" in names
    symbols = {t["name"]: t["marker"]["symbol"] for t in contour["data"][1:] if t.get("mode") == "markers"}
    assert symbols["your (w, b)"] != symbols["least squares (w*, b*)"]
    assert specs[2]["layout"]["yaxis"]["type"] == "log"


def test_moving_w_and_b_changes_the_loss():
    at = run_page(PAGE)
    at.slider(key="lr_w").set_value(1.5).run()
    at.slider(key="lr_b").set_value(-0.25).run()
    assert_clean(at)
    x, y = data()
    assert shown_loss(at) == pytest.approx(sse_loss(1.5, -0.25, x, y), rel=1e-5)


def test_changing_the_data_changes_the_optimum():
    at = run_page(PAGE)
    at.slider(key="lr_n").set_value(200).run()
    at.number_input(key="lr_true_w").set_value(-1.5).run()
    at.slider(key="lr_noise").set_value(0.0).run()
    assert_clean(at)
    assert "w* = -1.500, b* = 1.000" in texts(at)   # no noise: the true line
    assert float(metric(at, "Minimum loss ℓ(w*, b*)", exact=True)) < 1e-20


def test_stable_learning_rate_converges():
    at = run_page(PAGE, {"lr_steps": "500"})
    at.button(key="lr_quick_0.5").click().run()
    assert_clean(at)
    x, y = data()
    lr = float(f"{0.5 * max_stable_lr(x):.3g}")
    assert at.number_input(key="lr_rate").value == pytest.approx(lr)
    path = gradient_descent(x, y, *DEFAULT_START, lr, 500)
    assert path.converged
    assert at.success and at.success[0].value.startswith(f"Converged after {path.steps_run} steps")
    assert not at.warning


def test_diverging_learning_rate_is_named_with_its_reason():
    at = run_page(PAGE, {"lr_rate": "0.03", "lr_steps": "200"})
    assert_clean(at)
    warning = at.warning[0].value
    assert "Diverged" in warning and "above the stable limit" in warning
    assert metric(at, "lr / (2/λ_max)", exact=True).startswith("1.1")
    path = figures(at)[1]["data"][1]
    assert path["name"] == "descent path"
    x, y = data()
    expected = gradient_descent(x, y, *DEFAULT_START, 0.03, 200)
    assert expected.diverged and expected.steps_run > 2
    np.testing.assert_allclose(values(path["x"]), expected.w)     # the part that exists is drawn
    assert "the path leaves the plot" in json.dumps(figures(at)[1]["layout"].get("annotations", []))


def test_just_above_the_limit_with_few_steps_is_already_called_diverging():
    at = run_page(PAGE, {"lr_steps": "20"})
    at.button(key="lr_quick_1.05").click().run()
    assert_clean(at)
    assert "Diverging" in at.warning[0].value
    assert at.button(key="lr_continue").disabled


def test_continue_moves_the_point_to_the_end_of_the_path():
    at = run_page(PAGE)
    at.button(key="lr_continue").click().run()
    assert_clean(at)
    x, y = data()
    path = gradient_descent(x, y, *DEFAULT_START, 0.01, 50)
    assert at.slider(key="lr_w").value == pytest.approx(round(path.w[-1], 2))
    assert at.slider(key="lr_b").value == pytest.approx(round(path.b[-1], 2))


def test_large_data_and_many_steps_stay_quick_to_compute():
    at = run_page(PAGE, {"lr_n": "500", "lr_steps": "500", "lr_noise": "3"})
    assert_clean(at)
    assert "w* = " in texts(at)


@pytest.mark.parametrize("query", [
    {"lr_n": "abc"}, {"lr_n": "1"}, {"lr_n": "100000"}, {"lr_noise": "-1"}, {"lr_noise": "nan"},
    {"lr_rate": "0"}, {"lr_rate": "inf"}, {"lr_w": "1e400"}, {"lr_b": "99"}, {"lr_steps": "0"},
    {"lr_steps": "2.5"}, {"lr_seed": "x" * 5000}, {"lr_true_w": "<script>"},
])
def test_bad_url_values_fall_back_with_a_note(query):
    at = run_page(PAGE, query)
    assert_clean(at)
    key = next(iter(query))
    assert f"`{key}`" in texts(at)
    x, y = data()
    assert shown_loss(at) == pytest.approx(sse_loss(*DEFAULT_START, x, y), rel=1e-5)


def test_good_url_values_set_the_page():
    at = run_page(PAGE, {"lr_w": "2", "lr_b": "1", "lr_seed": "7"})
    assert_clean(at)
    x, y = data(seed=7)
    assert shown_loss(at) == pytest.approx(sse_loss(2.0, 1.0, x, y), rel=1e-5)
    assert re.search(r"\(2\.00\\, x\^\{\(i\)\} \+ 1\.00\)", next(v.value for v in at.latex))


def test_descent_that_reached_the_minimum_to_the_digits_shown_says_converged():
    """Never "run more steps" at a loss that reads as the minimum (issue 11)."""
    x, _ = data()
    for steps in (200, 500):
        at = run_page(PAGE, {"lr_rate": f"{0.5 * max_stable_lr(x):.6g}", "lr_steps": str(steps)})
        assert_clean(at)
        assert at.success and "within 0.01 % of the minimum" in at.success[0].value
        assert not at.info or all("run more steps" not in i.value for i in at.info)
        run_steps = int(at.success[0].value.split("after ")[1].split()[0])
        shown = float(metric(at, f"ℓ after {run_steps} steps", exact=True).replace(",", ""))
        least = float(metric(at, "Minimum loss ℓ(w*, b*)", exact=True).replace(",", ""))
        assert abs(shown / least - 1) <= 2e-4      # equal to the 4 digits shown, up to the last one's rounding


def test_hessian_eigenvalues_live_behind_an_expander():
    at = run_page(PAGE)
    assert_clean(at)
    inside = [e for e in at.expander if "Hessian" in e.label]
    assert len(inside) == 1 and "λ_max" in inside[0].markdown[0].value
    outside = [c.value for c in at.caption] + [m.value for m in at.main.markdown if m not in inside[0].markdown]
    assert not any("Hessian" in t or "eigenvalue" in t for t in outside)


def test_the_loss_picture_is_log_loss_in_quarter_decade_bands_with_its_level_lines():
    """The heat image's darkest band holds the optimum, its brightest a far corner, and every point of
    the level lines lies on a quarter decade of ℓ (log scale)."""
    at = run_page(PAGE)
    assert_clean(at)
    fig = figure(at, "Loss surface")
    x, y = data()
    w_star, b_star = least_squares(x, y)
    image = fig["layout"]["images"][0]
    png = Image.open(io.BytesIO(base64.b64decode(image["source"].split(",", 1)[1]))).convert("RGB")
    rgb = np.asarray(png)
    assert rgb.shape[:2] == (241, 241)
    w_lo, b_hi = image["x"], image["y"]
    col = int(round((w_star - w_lo) / image["sizex"] * 240))
    row = int(round((b_hi - b_star) / image["sizey"] * 240))
    viridis_first, viridis_last = (68, 1, 84), (253, 231, 37)
    corners = {(r, c): sse_loss(w_lo + c / 240 * image["sizex"], b_hi - r / 240 * image["sizey"], x, y)
               for r in (0, 240) for c in (0, 240)}
    top = max(corners, key=corners.get)                  # the corner where ℓ is largest
    bottom, corner = rgb[row, col].astype(int), rgb[top].astype(int)
    assert np.abs(bottom - viridis_first).sum() < 80      # the optimum: the first band, dark violet
    assert np.abs(corner - viridis_last).sum() < 80       # the largest ℓ: the last band, yellow
    lines = fig["data"][0]
    lw, lb = values(lines["x"]), values(lines["y"])
    keep = np.isfinite(lw)
    assert keep.sum() > 50 and (~keep).sum() >= 5          # several lines, None between them
    levels = np.log10(sse_loss(lw[keep].astype(float), lb[keep].astype(float), x, y)) * 4
    np.testing.assert_allclose(levels, np.round(levels), atol=0.05)
