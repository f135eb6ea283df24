"""AppTest for the sigmoid, softmax and logits page (explorer/pages/softmax.py)."""
import math

import numpy as np
import pytest
from scipy import special

from tests.pages.conftest import assert_clean, figures, metric, run_page, texts, title, tables

DEFAULT_Z = [2.0, 1.0, 0.1, -1.0, 0.5]
MULTI, TRICK, NEURON = "Multi-class: softmax", "The softmax trick", "A neuron on the plane"


def open_tab(tab: str, query: dict | None = None):
    return run_page("softmax", {"sm_tab": tab, **(query or {})})


def table(at):
    return tables(at)[0]


# ------------------------------------------------------------------ binary
def test_binary_defaults_round_trip():
    at = run_page("softmax")
    assert_clean(at)
    z = 1.5
    a = float(metric(at, "a = σ(z)"))
    assert a == pytest.approx(special.expit(z), abs=1e-6)
    assert float(metric(at, "logit(a)")) == pytest.approx(z, abs=1e-6)
    assert metric(at, "Predicted class").startswith("1")
    # the round trip printed in full: logit(σ(z)) == z
    latex = "\n".join(x.value for x in at.latex)
    assert f"= {float(special.expit(z))!r}" in latex and r"\text{logit}(a) &= 1.5" in latex
    assert [title(f) for f in figures(at)] == ["Sigmoid and logit: z = 1.5 → a = 0.8176 → predicted class 1 (“Yes”)"]


@pytest.mark.parametrize("z", [-9.7, -2.0, 0.0, 0.3, 6.1, 10.0])
def test_sigmoid_and_logit_follow_the_slider(z):
    at = run_page("softmax")
    at.slider(key="sm_z").set_value(z).run()
    assert_clean(at)
    assert float(metric(at, "a = σ(z)")) == pytest.approx(special.expit(z), abs=1e-6)
    assert float(metric(at, "logit(a)")) == pytest.approx(z, abs=1e-6)
    diff = next(c.value for c in at.caption if c.value.startswith("logit(σ(z)) − z"))
    assert abs(float(diff.split("= ")[1].split(":")[0])) < 1e-9


def test_threshold_decides_the_class():
    at = run_page("softmax")
    at.slider(key="sm_z").set_value(-2.0).run()
    assert metric(at, "Predicted class").startswith("0")           # σ(−2) = 0.119 < 0.5
    at.slider(key="sm_thr").set_value(0.1).run()
    assert_clean(at)
    assert metric(at, "Predicted class").startswith("1")           # 0.119 ≥ 0.1
    assert f"logit(0.1) = {special.logit(0.1):.4f}" in texts(at)


# ------------------------------------------------------------------ multi-class
def test_multiclass_defaults_equal_scipy_softmax():
    at = open_tab(MULTI)
    assert_clean(at)
    t = table(at)
    assert list(t["class k"]) == ["0: CH3", "1: CH2", "2: CH4", "3: SAX", "4: Other"]
    np.testing.assert_allclose([float(v) for v in t["a_k"]], special.softmax(DEFAULT_Z), atol=1e-6)
    assert list(t["y_k (one-hot)"]) == [1, 0, 0, 0, 0]
    loss = -math.log(special.softmax(DEFAULT_Z)[0])
    assert float(metric(at, "Cross-entropy loss L")) == pytest.approx(loss, abs=1e-4)
    assert any(r"\sum_{j=0}^{K-1}" in x.value for x in at.latex)       # the slide's typo, corrected
    assert "ends at j = K−1" in texts(at)


def test_multiclass_reacts_to_logits_true_class_and_K():
    at = open_tab(MULTI)
    at.slider(key="sm_z2").set_value(4.5).run()
    z = [2.0, 1.0, 4.5, -1.0, 0.5]
    np.testing.assert_allclose([float(v) for v in table(at)["a_k"]], special.softmax(z), atol=1e-6)
    assert metric(at, "Predicted class") == "CH4"
    at.selectbox(key="sm_true").set_value(3).run()
    assert list(table(at)["y_k (one-hot)"]) == [0, 0, 0, 1, 0]
    assert float(metric(at, "Cross-entropy loss L")) == pytest.approx(-math.log(special.softmax(z)[3]), abs=1e-4)
    assert any(r"\mathbf{y}_{\text{SAX}}" in x.value for x in at.latex)
    at.slider(key="sm_K").set_value(7).run()
    assert_clean(at)
    t = table(at)
    assert list(t["class k"])[-2:] == ["5: class 5", "6: class 6"]
    np.testing.assert_allclose([float(v) for v in t["a_k"]], special.softmax(z + [0.0, 0.0]), atol=1e-6)
    # fewer classes than the chosen true class: back to the first class, no error
    at.slider(key="sm_K").set_value(3).run()
    assert_clean(at)
    assert list(table(at)["y_k (one-hot)"]) == [1, 0, 0]


def test_temperature():
    at = open_tab(MULTI)
    at.slider(key="sm_T").set_value(2.0).run()
    assert_clean(at)
    t = table(at)
    np.testing.assert_allclose([float(v) for v in t["a_k at T = 2"]], special.softmax(np.array(DEFAULT_Z) / 2),
                               atol=1e-6)
    np.testing.assert_allclose([float(v) for v in t["a_k"]], special.softmax(DEFAULT_Z), atol=1e-6)


# ------------------------------------------------------------------ the softmax trick
def test_naive_softmax_overflows_while_the_stable_one_is_exact():
    at = open_tab(TRICK)
    assert_clean(at)
    t = table(at)
    assert list(t["exp(z_i)"][:3]) == ["inf", "inf", "inf"]
    assert list(t["naive exp(z_i) / Σ exp(z_j)"]) == ["nan"] * 4
    stable = [float(v) for v in t["stable softmax(z − max z)"][:3]]
    np.testing.assert_allclose(stable, special.softmax([1000.0, 999.0, 998.0]), rtol=1e-5)
    assert float(t["stable softmax(z − max z)"][3]) == pytest.approx(1.0)
    assert "overflows to inf" in at.error[0].value


def test_trick_presets_and_the_constant_c():
    at = open_tab(TRICK)
    at.button(key="sm_preset_neg").click().run()
    assert_clean(at)
    assert list(table(at)["naive exp(z_i) / Σ exp(z_j)"]) == ["nan"] * 4
    assert "underflows to 0" in at.error[0].value
    at.button(key="sm_preset_small").click().run()
    t = table(at)
    np.testing.assert_allclose([float(v) for v in t["naive exp(z_i) / Σ exp(z_j)"][:3]],
                               special.softmax([1.0, 2.0, 3.0]), rtol=1e-5)
    assert at.success and "Both columns agree" in at.success[0].value
    # softmax(z − c) = softmax(z) for any c that does not overflow
    at.slider(key="sm_c").set_value(-5.0).run()
    diff = next(m for m in at.markdown if "max |naive softmax(z − c)" in m.value).value
    assert float(diff.split("= **")[-1].rstrip("*")) < 1e-12
    at.button(key="sm_preset_big").click().run()
    at.button(key="sm_c_max").click().run()
    assert_clean(at)
    assert at.slider(key="sm_c").value == 1000.0
    diff = next(m for m in at.markdown if "max |naive softmax(z − c)" in m.value).value
    assert float(diff.split("= **")[-1].rstrip("*")) < 1e-12


# ------------------------------------------------------------------ a neuron on the plane
def test_neuron_map_and_band_width():
    at = open_tab(NEURON)
    assert_clean(at)
    norm = math.hypot(2.0, 1.0)
    assert float(metric(at, "‖w‖")) == pytest.approx(norm, abs=1e-3)
    assert float(metric(at, "Width of the band")) == pytest.approx(2 * math.log(9) / norm, abs=1e-3)
    assert "2 x₁ + 1 x₂ − 1 = 0" in texts(at)
    at.slider(key="sm_w1").set_value(4.0).run()
    at.slider(key="sm_w2").set_value(2.0).run()
    assert float(metric(at, "Width of the band")) == pytest.approx(2 * math.log(9) / (2 * norm), abs=1e-3)
    at.slider(key="sm_w1").set_value(0.0).run()
    at.slider(key="sm_w2").set_value(0.0).run()
    assert_clean(at)
    assert f"σ(b) = {special.expit(-1.0):.4f} everywhere" in texts(at)


def test_switching_tabs_keeps_every_setting():
    at = run_page("softmax")
    at.slider(key="sm_z").set_value(3.0).run()
    at.session_state["sm_tab"] = NEURON
    at.run()
    assert_clean(at)
    assert at.slider(key="sm_z").value == 3.0          # the binary tab's widget still exists
    assert any(m.label.startswith("Width of the band") for m in at.metric)


# ------------------------------------------------------------------ hostile links
@pytest.mark.parametrize("query", [{"sm_z0": "nan"}, {"sm_z0": "1e400"}, {"sm_z": "-inf"}, {"sm_K": "11"},
                                   {"sm_K": "2.5"}, {"sm_true": "CH9"}, {"sm_T": "0"}, {"sm_thr": "1"},
                                   {"sm_t0": "1e400"}, {"sm_c": "nan"}, {"sm_w1": "1" * 100},
                                   {"sm_tab": "bogus"}])
def test_bad_url_values(query):
    at = run_page("softmax", {"sm_tab": MULTI, **query} if "sm_tab" not in query else query)
    assert_clean(at)
    assert f"`{next(iter(query))}`" in texts(at)


def test_a_true_class_beyond_K_in_the_link_is_ignored():
    at = open_tab(MULTI, {"sm_K": "3", "sm_true": "Other"})
    assert_clean(at)
    assert list(table(at)["y_k (one-hot)"]) == [1, 0, 0]


# ------------------------------------------------------------------ issue 11: captions claim only what holds
@pytest.mark.parametrize("T", [0.1, 0.5, 2.0, 10.0])
def test_temperature_says_it_keeps_the_predicted_class(T):
    at = open_tab(MULTI, {"sm_T": str(T)})
    assert_clean(at)
    caption = next(c.value for c in at.caption if "predicted class" in c.value)
    best = int(np.argmax(DEFAULT_Z))
    assert int(np.argmax(special.softmax(np.array(DEFAULT_Z) / T))) == best
    assert "is still" in caption and "keeps their order" in caption
    a_T = special.softmax(np.array(DEFAULT_Z) / T)[best]
    assert f"a = {a_T:.4f}" in caption and ("less sure" if T > 1 else "more sure") in caption
    # and at T = 1 the page still says what T would do
    at = open_tab(MULTI)
    assert any("never changes their order" in c.value for c in at.caption)


def trick_caption(at) -> str:
    return next(c.value for c in at.caption if "rounding" in c.value or "underflow" in c.value.lower())


@pytest.mark.parametrize("c", [1000.0, 998.0, 300.0, 1200.0, 0.0, -1200.0])
def test_shifted_softmax_is_called_equal_only_when_it_is(c):
    """Every value of c the page shows: "equal up to rounding" only where every probability matches
    to a few ulps; where exp(z − c) underflows, the caption says so."""
    at = open_tab(TRICK, {"sm_c": str(c)})
    assert_clean(at)
    z = np.array([1000.0, 999.0, 998.0])
    with np.errstate(all="ignore"):
        e = np.exp(z - c)
        naive = e / e.sum()
    ref = special.softmax(z)
    caption = trick_caption(at)
    if np.all(np.isfinite(naive)) and np.all(e >= np.finfo(float).tiny):   # every c here but 0 and −1200
        assert np.max(np.abs(naive - ref) / ref) <= 1e-13
        assert caption.startswith("Equal up to rounding")
    else:
        assert "underflow" in caption.lower() and not caption.startswith("Equal")


def test_partial_underflow_is_not_called_equal():
    # z − c = (−720, −1100, −1101): exp(−720) is subnormal, the others 0, while the true
    # probabilities of classes 1 and 2 are e^−380 ≈ 1e-165, normal numbers
    at = open_tab(TRICK, {"sm_t0": "480", "sm_t1": "100", "sm_t2": "99", "sm_c": "1200"})
    assert_clean(at)
    caption = trick_caption(at)
    assert "Not equal here: underflow" in caption and "exp(-1100)" in caption and "exp(-1101)" in caption
