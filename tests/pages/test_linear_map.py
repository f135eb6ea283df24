"""AppTest for the linear map page (explorer/pages/linear_map.py)."""
import numpy as np
import pytest

from explorer.core.linear_map import example
from tests.pages.conftest import assert_clean, figures, metric, run_page, texts, values, tables

PAGE = "linear_map"


def heatmaps(spec) -> list[np.ndarray]:
    return [values(t["z"]) for t in spec["data"] if t["type"] == "heatmap"]


def block_labels(spec) -> str:
    return " | ".join(a["text"] for a in spec["layout"]["annotations"])


def shape_table(at) -> dict:
    t = tables(at)[0]
    return {row[""]: (row["one image"], row.iloc[2]) for _, row in t.iterrows()}


def test_defaults_show_shapes_and_every_number():
    at = run_page(PAGE)
    assert_clean(at)
    assert metric(at, "Z (scores)", exact=True) == "1 × 8"
    assert metric(at, "Parameters", exact=True) == "7"
    assert metric(at, "Multiplications", exact=True) == "48"
    t = shape_table(at)
    assert t["X (images)"] == ("6 × 1", "6 × 8")
    assert t["Z (scores)"] == ("1 × 1", "1 × 8")
    assert t["W, b (parameters)"] == ("7", "7")
    specs = figures(at)
    assert len(specs) == 3                              # shapes, inputs, W X + b = Z
    labels = block_labels(specs[0])
    for text in ("N = 6", "K = 1", "B = 8", "1 × 6", "6 × 8", "1 × 8"):
        assert text in labels
    # the numbers are the core's seeded example: W X, b repeated, Z = W X + b
    W, X, b = example(6, 1, 8, seed=0)
    inputs = heatmaps(specs[1])
    np.testing.assert_array_equal(inputs[0], W)
    np.testing.assert_array_equal(inputs[1], X)
    np.testing.assert_array_equal(inputs[2], b)
    wx, b_first, b_copies, z = heatmaps(specs[2])
    np.testing.assert_array_equal(wx, W @ X)
    np.testing.assert_array_equal(np.hstack([b_first, b_copies]), np.repeat(b, 8, axis=1))
    np.testing.assert_array_equal(z, W @ X + b)
    assert b_copies.shape == (1, 7)                     # b and B - 1 faded copies
    assert "Broadcasting" in texts(at) and "B = 8" in texts(at)
    assert any(f"= {int((W @ X + b)[0, 0])}" in x.value for x in at.latex)


def test_every_chart_has_a_title():
    at = run_page(PAGE)
    for spec in figures(at):
        assert spec["layout"]["title"]["text"]
    assert "sides proportional to the sizes" in figures(at)[0]["layout"]["title"]["text"]


def test_presets_one_image_batch_and_cardiac_views():
    at = run_page(PAGE)
    at.button(key="lm_preset_one").click().run()
    assert_clean(at)
    assert metric(at, "Z (scores)", exact=True) == "1 × 1"
    at.button(key="lm_preset_views").click().run()
    assert_clean(at)
    assert metric(at, "Z (scores)", exact=True) == "5 × 8"
    assert metric(at, "Parameters", exact=True) == str(5 * 6 + 5)
    spec = figures(at)[1]
    rows = spec["layout"]["yaxis"]["ticktext"]
    assert rows == ["CH3", "CH2", "CH4", "SAX", "Other"]
    at.button(key="lm_preset_batch").click().run()
    assert metric(at, "Z (scores)", exact=True) == "1 × 8"


def test_widgets_change_the_shapes():
    at = run_page(PAGE)
    at.slider(key="lm_K").set_value(3).run()
    at.number_input(key="lm_B").set_value(4).run()
    at.number_input(key="lm_N").set_value(5).run()
    assert_clean(at)
    assert metric(at, "Z (scores)", exact=True) == "3 × 4"
    assert shape_table(at)["X (images)"] == ("5 × 1", "5 × 4")
    W, X, b = example(5, 3, 4, seed=0)
    np.testing.assert_array_equal(heatmaps(figures(at)[2])[-1], W @ X + b)
    at.number_input(key="lm_seed").set_value(9).run()
    W9, X9, b9 = example(5, 3, 4, seed=9)
    np.testing.assert_array_equal(heatmaps(figures(at)[2])[-1], W9 @ X9 + b9)


def test_image_input_gives_N_as_H_times_W_and_hides_big_numbers():
    at = run_page(PAGE)
    at.radio(key="lm_input").set_value("image").run()
    assert_clean(at)
    assert "N = H × W = 34 × 10 = 340 pixels" in texts(at)
    assert metric(at, "Parameters", exact=True) == "341"
    assert shape_table(at)["X (images)"] == ("340 × 1", "340 × 8")
    assert len(figures(at)) == 1                                  # only the shapes
    assert "The numbers are hidden because N = 340 (more than 8)" in texts(at)
    assert "sides ∝ √size" in figures(at)[0]["layout"]["title"]["text"]


def test_huge_sizes_are_exact_and_refused_with_the_reason():
    at = run_page(PAGE, {"lm_N": "1000000000", "lm_K": "20", "lm_B": "1024"})
    assert_clean(at)
    t = shape_table(at)
    assert t["X (images)"] == ("1,000,000,000 × 1", "1,000,000,000 × 1,024")
    assert t["W, b (parameters)"][1] == f"{20 * 10**9 + 20:,}"
    assert t["multiplications in W X"][1] == f"{20 * 10**9 * 1024:,}"
    assert metric(at, "Parameters", exact=True) == "20,000,000,020"        # exact while it has at most 12 digits
    assert metric(at, "Multiplications", exact=True) == "2.05 × 10¹³"
    assert "would not even be built here" in texts(at)
    assert "TB" in texts(at)
    assert "not to scale" in figures(at)[0]["layout"]["title"]["text"]
    assert "N = 1,000,000,000" in block_labels(figures(at)[0])


def test_huge_image_is_symbolic():
    at = run_page(PAGE, {"lm_input": "image H x W", "lm_H": "100000", "lm_W": "100000", "lm_B": "1"})
    assert_clean(at)
    assert "N = H × W = 100,000 × 100,000 = 10,000,000,000 pixels" in texts(at)
    assert shape_table(at)["X (images)"][0] == "10,000,000,000 × 1"


@pytest.mark.parametrize("query", [
    {"lm_N": "abc"}, {"lm_N": "0"}, {"lm_N": "1e400"}, {"lm_N": "10000000000"}, {"lm_K": "21"},
    {"lm_K": "-1"}, {"lm_B": "1025"}, {"lm_B": "2.5"}, {"lm_H": "nan"}, {"lm_W": "-5"},
    {"lm_input": "video"}, {"lm_seed": "x" * 5000},
])
def test_bad_url_values_fall_back_with_a_note(query):
    at = run_page(PAGE, query)
    assert_clean(at)
    key = next(iter(query))
    assert f"`{key}`" in texts(at)
    assert metric(at, "Z (scores)", exact=True) == "1 × 8"
    assert metric(at, "Parameters", exact=True) == "7"


@pytest.mark.parametrize("N, shown", [(999_999_999, "999,999,999"), (10**8, "100,000,000")])
def test_large_counts_print_exactly(N, shown):
    """999,999,999 is not "10.00 × 10⁸" (issue 11)."""
    at = run_page(PAGE, {"lm_N": str(N), "lm_K": "1", "lm_B": "1"})
    assert_clean(at)
    assert metric(at, "Multiplications", exact=True) == shown
    assert metric(at, "Parameters", exact=True) == f"{N + 1:,}"


def test_changing_K_keeps_the_images_X():
    at = run_page(PAGE)
    before = figures(at)[1]
    at.slider(key="lm_K").set_value(5).run()
    assert_clean(at)
    after = figures(at)[1]
    x_before = [t for t in before["data"] if t.get("xaxis") == "x2"]
    x_after = [t for t in after["data"] if t.get("xaxis") == "x2"]
    assert x_before and x_before[0]["text"] == x_after[0]["text"]
