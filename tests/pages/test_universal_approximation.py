"""AppTest for the universal-approximation page (explorer/pages/universal_approximation.py).

The live panel is an ``st.fragment(run_every=...)``; AppTest does not tick it, so training is
driven with the Step and Play buttons.
"""
import base64
import json
import re

import numpy as np
import pytest

from explorer.core import approximation as ua
from explorer.core.activations import LABELS, NAMES
from tests.pages.conftest import assert_clean, run_page, texts

PAGE = "universal_approximation"
SPT = 50   # the default Adam steps per update (ua_spt)


def metric(at, label) -> str:
    return next(m.value for m in at.metric if m.label == label)


def steps(at) -> int:
    return int(metric(at, "Adam steps").replace(",", ""))


def mse(at) -> float:
    return float(metric(at, "MSE vs target"))


def sum_gap(at) -> float:
    """The page's check that the units plus b2 are the network's output: the largest difference."""
    line = next(m.value for m in at.markdown if "add up to the orange curve" in m.value)
    return float(re.search(r"differ by at most \*\*([^*]+)\*\*", line).group(1))


def fit_figure(at) -> dict:
    return next(f for f in figures(at) if " → 1, f = " in f["layout"]["title"]["text"])


def figures(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def figure(at, title_start: str) -> dict:
    return next(f for f in figures(at) if f["layout"]["title"]["text"].startswith(title_start))


def values(array) -> np.ndarray:
    """A trace's x or y: a plain list, or Plotly's base64 typed array."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
    return np.asarray(array, dtype=float)


def trace(fig: dict, name: str) -> dict:
    return next(t for t in fig["data"] if t.get("name") == name)


def test_renders_with_defaults():
    at = run_page(PAGE)
    assert_clean(at)
    assert at.title[0].value == "Universal approximation"
    assert steps(at) == 0 and mse(at) > 0.05
    assert sum_gap(at) < 1e-12      # the units plus b2 are the output
    words = texts(at)
    for phrase in ("Hornik (1991)", "Approximation Capabilities of Multilayer Feedforward Networks",
                   "Neural Networks 4(2), 251–257", "10.1016/0893-6080(91)90009-T", "one hidden layer",
                   "enough hidden units", "does not say how many units", "nor how to find the weights",
                   "Why nonlinearity"):
        assert phrase in words, phrase
    fit = figure(at, "sin(2x); 1 → 16 → 1, f = tanh; step 0")
    target = trace(fit, "target y(x)")
    x = target["x0"] + target["dx"] * np.arange(len(values(target["y"])))
    np.testing.assert_allclose(values(target["y"]), np.sin(2 * x), atol=1e-6)
    units = [t for t in fit["data"] if t.get("yaxis") == "y2" and t["name"].startswith("unit")]
    assert len(units) == 16                                       # one thin line per hidden unit
    assert any("steps per update" in (b.help or "") or "Train continuously" in (b.help or "") for b in at.button)
    assert at.button(key="ua_play").label == "Play"


def test_step_advances_training_and_lowers_the_error():
    at = run_page(PAGE)
    before = mse(at)
    at.button(key="ua_step").click().run()
    assert_clean(at)
    assert steps(at) == SPT
    after_one = mse(at)
    assert after_one < before
    for _ in range(3):
        at.button(key="ua_step").click().run()
    assert steps(at) == 4 * SPT and mse(at) < after_one
    assert sum_gap(at) < 1e-12
    assert figure(at, "Error while training")                      # the error curve appears once trained
    assert f"step {4 * SPT}" in fit_figure(at)["layout"]["title"]["text"]


def test_steps_per_update_comes_from_the_url():
    at = run_page(PAGE, {"ua_spt": "200", "ua_width": "4"})
    at.button(key="ua_step").click().run()
    assert_clean(at)
    assert steps(at) == 200
    assert "13 parameters" in texts(at)                            # 3 * 4 + 1


def test_play_and_pause():
    at = run_page(PAGE)
    at.button(key="ua_play").click().run()
    assert_clean(at)
    assert at.button(key="ua_play").label == "Pause"
    assert steps(at) == SPT                                         # the run Play starts trains one update
    at.button(key="ua_play").click().run()
    assert at.button(key="ua_play").label == "Play"
    frozen = steps(at)
    at.run()
    assert steps(at) == frozen


def test_reset_goes_back_to_the_same_start():
    at = run_page(PAGE)
    start = mse(at)
    at.button(key="ua_step").click().run()
    at.button(key="ua_reset").click().run()
    assert_clean(at)
    assert steps(at) == 0 and mse(at) == start


def test_changing_the_target_resets_with_the_new_target():
    at = run_page(PAGE)
    at.button(key="ua_step").click().run()
    assert steps(at) == SPT
    at.selectbox(key="ua_target").set_value("sawtooth").run()
    assert_clean(at)
    assert steps(at) == 0
    fit = figure(at, "sawtooth; 1 → 16 → 1")
    target = trace(fit, "target y(x)")
    x = target["x0"] + target["dx"] * np.arange(len(values(target["y"])))
    np.testing.assert_allclose(values(target["y"]), ua.target_values("sawtooth", x), atol=1e-5)
    at.button(key="ua_step").click().run()
    assert steps(at) == SPT


def test_changing_the_activation_resets():
    at = run_page(PAGE)
    at.button(key="ua_step").click().run()
    at.selectbox(key="ua_act").set_value("relu").run()
    assert_clean(at)
    assert steps(at) == 0
    assert "f = ReLU" in fit_figure(at)["layout"]["title"]["text"]


def test_identity_says_the_fit_is_a_straight_line():
    at = run_page(PAGE, {"ua_act": "identity"})
    assert_clean(at)
    assert any("straight line" in i.value and "Why nonlinearity" in i.value for i in at.info)


@pytest.mark.parametrize("activation", NAMES)
def test_every_activation_renders_and_sums_exactly(activation):
    at = run_page(PAGE, {"ua_act": LABELS[activation], "ua_width": "5"})
    at.button(key="ua_step").click().run()
    assert_clean(at)
    assert steps(at) == SPT
    assert sum_gap(at) < 1e-12


def test_noise_shows_the_samples():
    at = run_page(PAGE, {"ua_noise": "0.2"})
    assert_clean(at)
    samples = trace(fit_figure(at), "training samples")
    assert len(values(samples["y"])) == ua.N_SAMPLES


def test_width_sweep_error_falls_from_width_one_to_sixty_four():
    at = run_page(PAGE)
    assert not [f for f in figures(at) if f["layout"]["title"]["text"].startswith("Final error")]
    at.button(key="ua_sweep").click().run()
    assert_clean(at)
    sweep = figure(at, "Final error against width")
    line = sweep["data"][0]
    widths, errors = values(line["x"]), values(line["y"])
    assert widths.tolist() == list(ua.WIDTHS)
    assert errors[-1] < errors[0] / 100
    assert sweep["layout"]["yaxis"]["type"] == "log"
    assert "smaller" in texts(at)
    at.button(key="ua_step").click().run()                        # the chart stays for these settings
    assert_clean(at)
    assert figure(at, "Final error against width")


@pytest.mark.parametrize("query", [{"ua_width": "0"}, {"ua_width": "65"}, {"ua_width": "abc"},
                                   {"ua_target": "cosine"}, {"ua_act": "softmax"}, {"ua_lr": "5"},
                                   {"ua_noise": "nan"}, {"ua_noise": "2"}, {"ua_spt": "1e400"},
                                   {"ua_seed": "-1"}])
def test_bad_url_values(query):
    at = run_page(PAGE, query)
    assert_clean(at)
    assert f"`{next(iter(query))}`" in texts(at)
    at.button(key="ua_step").click().run()
    assert_clean(at)
    assert steps(at) > 0


def test_play_stops_at_the_step_limit():
    at = run_page(PAGE)
    limit = 20_000
    at.session_state["ua_run"]["trainer"].steps = limit - 10     # as if it had trained that long
    at.button(key="ua_play").click().run()
    assert_clean(at)
    assert steps(at) == limit
    assert at.button(key="ua_play").label == "Play"
    assert any(f"Paused at {limit:,} steps" in i.value for i in at.info)


def test_identity_sweep_says_width_does_not_help():
    at = run_page(PAGE, {"ua_act": "identity"})
    at.button(key="ua_sweep").click().run()
    assert_clean(at)
    errors = values(figure(at, "Final error against width")["data"][0]["y"])
    assert np.ptp(errors) < 1e-3 * errors[0]                      # the same straight line at every width
    assert "no real gain" in texts(at) and "straight line" in texts(at)
