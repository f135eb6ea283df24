"""AppTest for the playground page (explorer/pages/playground.py).

The training fragment ticks by itself only in a browser (``run_every``); here it is
driven by the one-step button, or by setting the page's "running" flag and rerunning,
which runs the fragment once as a tick would.
"""
import json

import pytest

from explorer.core import datasets
from tests.pages.conftest import assert_clean, run_page, texts

RUNNING = "_pg_running"


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def table(at):
    return at.dataframe[0].value


def step(at, times=1):
    for _ in range(times):
        at.button(key="pg_step").click().run()
    return at


def figures(at) -> dict:
    """The figure specs the canvas component draws, by kind: output, network, loss."""
    specs = [json.loads(c.proto.json) for c in at.get("bidi_component")]
    return {s["kind"]: s for s in specs}


def figure_specs(at) -> str:
    return " ".join(json.dumps(s, ensure_ascii=False) for s in figures(at).values())


def test_renders_with_defaults():
    at = run_page("playground")
    assert_clean(at)
    assert metric(at, "Epoch") == "0"
    assert metric(at, "Parameters") == "25"           # 2 -> 4 -> 2 -> 1: 12 + 10 + 3
    assert metric(at, "As a formula in N") == "4N + 17"
    t = table(at)
    assert list(t["W [out, in]"][1:4]) == ["4 × 2", "2 × 4", "1 × 2"]
    assert list(t["f"][1:4]) == ["tanh", "tanh", "sigmoid"]
    assert t["a [out, B]"][0] == "2 × 10"              # X : [N, B] with B the batch size
    specs = figure_specs(at)
    assert "P(y = 1 | x)" in specs and "Loss over time" in specs
    net = figures(at)["network"]
    assert [c["n"] for c in net["columns"]] == [2, 4, 2, 1] and len(net["edges"]) == 2 * 4 + 4 * 2 + 2
    out = figures(at)["output"]
    assert out["image"]["w"] == out["image"]["h"] == 50 and out["contours"] in ([], out["contours"])
    assert "Server time of this update" in texts(at)


def test_one_step_advances_the_epoch_and_changes_the_loss():
    at = run_page("playground")
    before = metric(at, "Train loss")
    step(at)
    assert_clean(at)
    assert metric(at, "Epoch") == "1"
    assert metric(at, "Train loss") != before
    step(at, 2)
    assert metric(at, "Epoch") == "3"


def test_training_learns_the_circle():
    at = run_page("playground")
    step(at, 15)
    assert float(metric(at, "Test accuracy").rstrip("%")) > 90


def test_a_tick_while_playing_trains_and_the_weights_survive_a_pause():
    at = run_page("playground")
    at.session_state[RUNNING] = True
    at.run()                                            # what one fragment tick does
    assert_clean(at)
    epoch = int(metric(at, "Epoch"))
    assert epoch >= 1
    at.button(key="pg_play").click().run()              # pause
    assert at.session_state[RUNNING] is False
    paused = metric(at, "Train loss")
    at.run()
    assert int(metric(at, "Epoch")) == epoch and metric(at, "Train loss") == paused


def test_same_settings_and_steps_give_the_same_weights():
    losses = []
    for _ in range(2):
        at = step(run_page("playground", {"pg_seed": "5", "pg_data": "spiral"}), 3)
        losses.append((metric(at, "Train loss"), metric(at, "Test loss")))
    assert losses[0] == losses[1]
    other = step(run_page("playground", {"pg_seed": "6", "pg_data": "spiral"}), 3)
    assert (metric(other, "Train loss"), metric(other, "Test loss")) != losses[0]


def test_training_settings_keep_the_weights_and_network_settings_reset():
    at = step(run_page("playground"), 2)
    at.selectbox(key="pg_lr").set_value(0.01).run()
    assert metric(at, "Epoch") == "2"
    assert any("goes on from the current weights" in t.value for t in at.toast)
    at.toggle(key="pg_x1sq").set_value(True).run()
    assert_clean(at)
    assert metric(at, "Epoch") == "0"
    assert any("new network starts at epoch 0" in t.value for t in at.toast)
    assert metric(at, "Parameters") == "29"             # N = 3 now: 4N + 17
    assert table(at)["a [out, B]"][0] == "3 × 10"


def test_reset_returns_to_the_seeded_start():
    at = run_page("playground")
    start = metric(at, "Train loss")
    step(at, 2)
    at.button(key="pg_reset").click().run()
    assert metric(at, "Epoch") == "0" and metric(at, "Train loss") == start


def test_switching_to_multiclass_changes_the_head_and_the_table():
    at = run_page("playground")
    at.selectbox(key="pg_data").set_value("spirals").run()
    assert_clean(at)
    t = table(at)
    assert t["f"][3] == "softmax" and t["W [out, in]"][3] == "3 × 2" and t["a [out, B]"][3] == "3 × 10"
    assert metric(at, "Parameters") == str(12 + 10 + 9)
    assert "softmax" in texts(at)
    at.slider(key="pg_K").set_value(5).run()
    assert table(at)["W [out, in]"][3] == "5 × 2"
    step(at)
    assert_clean(at)
    assert "argmax class" in figure_specs(at)


def test_regression_has_an_identity_head_and_no_accuracy():
    at = step(run_page("playground", {"pg_data": "gaussian bumps (regression)"}))
    assert_clean(at)
    assert table(at)["f"][3] == "identity"
    labels = [m.label for m in at.metric]
    assert "Train accuracy" not in labels and "Test loss" in labels
    assert "ŷ over the plane" in figure_specs(at)


@pytest.mark.parametrize("label", [p.label for p in datasets.PROBLEMS.values()])
def test_every_data_set_trains(label):
    at = step(run_page("playground", {"pg_data": label}))
    assert_clean(at)
    assert metric(at, "Epoch") == "1"


def test_a_huge_learning_rate_diverges_pauses_and_says_why():
    at = run_page("playground", {"pg_data": "plane (regression)", "pg_opt": "SGD", "pg_lr": "10"})
    at.session_state[RUNNING] = True
    for _ in range(10):
        at.run()
        if at.error:
            break
    assert_clean(at)
    assert at.error and "diverged" in at.error[0].value and "learning rate" in at.error[0].value
    assert at.session_state[RUNNING] is False
    # lowering the learning rate after a divergence starts a fresh network
    at.selectbox(key="pg_lr").set_value(0.01).run()
    assert not at.error and metric(at, "Epoch") == "0"


def test_diverged_by_steps():
    at = run_page("playground", {"pg_data": "plane (regression)", "pg_opt": "SGD", "pg_lr": "10"})
    for _ in range(8):
        step(at)
        if at.error:
            break
    assert "diverged" in at.error[0].value
    assert metric(at, "Train loss") in ("∞", "nan") or "e+" in metric(at, "Train loss")


def test_no_hidden_layer_and_a_wide_deep_network():
    at = run_page("playground", {"pg_L": "0"})
    assert_clean(at)
    assert metric(at, "Parameters") == "3" and metric(at, "As a formula in N") == "N + 1"
    at = step(run_page("playground", {"pg_L": "6", "pg_w1": "32", "pg_w2": "32", "pg_act": "maxout",
                                      "pg_x1sq": "true", "pg_sin1": "true"}))
    assert_clean(at)
    assert table(at)["W [out, in]"][1] == "64 × 4"      # maxout, k = 2 pieces
    assert at.get("html") and "Every hidden unit" in texts(at)   # the units the diagram leaves out


def test_no_feature_chosen_falls_back_with_a_warning():
    at = run_page("playground", {"pg_x1": "false", "pg_x2": "false"})
    assert_clean(at)
    assert "at least one feature" in texts(at)
    assert metric(at, "Parameters") == "25"


@pytest.mark.parametrize("query", [
    {"pg_L": "7"}, {"pg_w1": "33"}, {"pg_w2": "0"}, {"pg_lr": "5"}, {"pg_data": "swirl"}, {"pg_noise": "2"},
    {"pg_noise": "nan"}, {"pg_K": "9"}, {"pg_x1": "maybe"}, {"pg_points": "abc"}, {"pg_batch": "0"},
    {"pg_seed": "-1"}, {"pg_opt": "rmsprop"}, {"pg_reg": "L3"}, {"pg_rate": "1e400"}, {"pg_act": "<script>"},
    {"pg_train": "95"}, {"pg_test": "x" * 5000},
])
def test_bad_url_values_fall_back_with_a_note(query):
    at = run_page("playground", query)
    assert_clean(at)
    key = next(iter(query))
    assert f"`{key}`" in texts(at)
    assert metric(at, "Epoch") == "0"


# -- the page's pictures (explorer/charts/playground.py) ------------------------------------------
def test_pictures_use_one_colour_code_and_put_high_x2_on_top():
    import numpy as np

    from explorer.charts import playground as charts
    v = np.array([[-1.0, -1.0], [1.0, 1.0]])            # row 0 is the lowest x2
    img = charts.to_rgb(v, -1, 1)
    assert img.shape == (2, 2, 3) and img.dtype == np.uint8
    blue, red = charts._lut()[-1], charts._lut()[0]
    np.testing.assert_array_equal(img[0, 0], blue)      # top row: x2 high, value +1: blue
    np.testing.assert_array_equal(img[1, 0], red)
    white = charts.unit_rgb(np.zeros((1, 3, 3)), "relu")[0, 1, 1]
    assert white.min() > 240
    P = np.zeros((3, 2, 2))
    P[2] = 1.0
    regions = charts.class_regions_rgb(P)
    assert regions.shape == (2, 2, 3) and not np.array_equal(regions[0, 0], [255, 255, 255])
    assert charts.class_regions_rgb(np.full((3, 2, 2), 1 / 3)).min() == 255   # unsure: white


def test_figure_specs():
    import numpy as np

    from explorer.charts import playground as charts
    g = np.linspace(-5.88, 5.88, 50)
    x1, x2 = np.meshgrid(g, g)
    P = 1 / (1 + np.exp(x1 ** 2 + x2 ** 2 - 9))        # a disc: its 0.5 line is a circle of radius 3
    X = np.array([[0.0, 4.0], [0.0, 4.0]])
    Y = np.array([[1.0, 0.0]])
    spec = charts.output_spec(g, P, "binary", (X, Y), (X, Y), "t")
    assert spec["extent"] == 6.0 and spec["image"]["w"] == 50 and len(spec["contours"]) == 1
    radius = np.hypot(*np.array(spec["contours"][0]).T)
    assert np.allclose(radius, 3, atol=0.15)
    assert [e["label"] for e in spec["legend"]] == ["y = 1", "y = 0", "test (black rim)", "P = 0.5"]
    W = np.array([[0.5, -2.0]])
    cols = [{"header": ("X", "N = 2"), "n": 2, "shown": [0, 1], "names": ["x₁", "x₂"], "pics": [np.zeros((3, 3, 3))] * 2},
            {"header": ("ŷ", "1 · σ"), "n": 1, "shown": [0], "names": None, "pics": [np.zeros((3, 3, 3))]}]
    net = charts.network_spec(cols, [W], "t")
    assert net["edges"] == [[0, 0, 0, 0.5], [0, 1, 0, -2.0]] and net["wmax"] == 2.0
    loss = charts.loss_spec(np.arange(3.0), np.array([1.0, np.inf, 0.5]), None, "mse")
    assert loss["lines"][0]["y"] == [1.0, None, 0.5] and len(loss["lines"]) == 1


def test_canvas_script_parses():
    import shutil
    import subprocess
    import tempfile

    from explorer.charts import playground as charts
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    with tempfile.NamedTemporaryFile("w", suffix=".mjs", delete=False) as f:
        f.write(charts.CANVAS_JS)
    assert subprocess.run([node, "--check", f.name], capture_output=True).returncode == 0
