"""AppTest for the universal-approximation page (explorer/pages/universal_approximation.py).

The live loop runs in the browser (explorer/web/approximation.js + nn.js); AppTest cannot run
JavaScript, so these tests read the data the page sends to the component, and play the browser's
part by writing the component's ``report`` state (what approximation.js sends back): trained weights
that Python then uses for its check, its metrics and the files.
"""
import json
import re

import numpy as np
import pytest

from explorer.core import approximation as ua
from explorer.core.activations import LABELS, NAMES
from explorer.core.mlp import twin_json
from explorer.core.serialize import load_network, save_network
from tests.pages.conftest import assert_clean, figure, figures, live_component, metric, run_page, texts, title, values

PAGE = "universal_approximation"
SPT = 50   # the default Adam steps per frame (ua_spt)


def steps(at) -> int:
    return int(metric(at, "Adam steps").replace(",", ""))


def mse(at) -> float:
    return float(metric(at, "MSE vs target"))


def sum_gap(at) -> float:
    """The page's check that the units plus b2 are the network's output: the largest difference."""
    line = next(m.value for m in at.markdown if "add up to the orange curve" in m.value)
    return float(re.search(r"differ by at most \*\*([^*]+)\*\*", line).group(1))


def sent(at) -> dict:
    """The data the page gave the live component."""
    element = live_component(at, "approximation.js")
    assert element.proto.component_name == "explorer.approximation"
    return json.loads(element.proto.json)


def report(at, data: dict, net, steps: int, status: str = "running", **extra):
    """Play the browser: send back ``net`` (an MLP or nn.js JSON) at ``steps``, as approximation.js does."""
    payload = {"id": data["id"], "steps": steps, "net": net if isinstance(net, dict) else twin_json(net),
               "mse": None, "loss": None, "status": status, "message": "", "playing": False, **extra}
    at.session_state["ua_live"] = {"report": payload}
    return at.run()


def trained(data: dict, n: int):
    """What the browser computes for ``n`` steps of the data sent: the same run in explorer.core."""
    target, width, activation = "sine", len(data["net"]["layers"][0]["b"]), data["net"]["layers"][0]["activation"]
    trainer = ua.make_trainer(target, width, activation, 0.0, data["lr"], data["seed"])
    np.testing.assert_array_equal(trainer.net.layers[0].W[:, 0], [row[0] for row in data["net"]["layers"][0]["W"]])
    trainer.train_steps(n)
    return trainer.net


def test_renders_with_defaults_and_sends_the_run_once():
    at = run_page(PAGE)
    assert_clean(at)
    assert at.title[0].value == "Universal approximation"
    assert steps(at) == 0 and metric(at, "MSE vs target") == "9.4e-01" == metric(at, "Training loss")
    assert sum_gap(at) < 1e-12      # the units plus b2 are the output
    words = texts(at)
    for phrase in ("Hornik (1991)", "Approximation Capabilities of Multilayer Feedforward Networks",
                   "Neural Networks 4(2), 251–257", "10.1016/0893-6080(91)90009-T", "one hidden layer",
                   "enough hidden units", "does not say how many units", "nor how to find the weights",
                   "Why nonlinearity", "Trained in your browser"):
        assert phrase in words, phrase
    data = sent(at)
    assert data["title"] == "sin(2x); 1 → 16 → 1, f = tanh"
    assert (data["steps"], data["lr"], data["seed"], data["spt"], data["samples"]) == (0, 0.01, 0, SPT, False)
    start = ua.make_network(16, "tanh", seed=0)
    assert data["net"] == twin_json(start)                        # the seeded first weights, exactly
    np.testing.assert_array_equal(data["yDraw"], np.sin(2 * ua.grid(len(data["yDraw"]))))
    np.testing.assert_array_equal(data["y"], np.sin(2 * ua.grid(ua.N_SAMPLES)))
    np.testing.assert_array_equal(data["yGrid"], np.sin(2 * ua.grid(ua.GRID_POINTS)))
    at.run()
    assert sent(at) == data                                       # a rerun sends the same run, same id


def test_the_weights_the_browser_sends_back_are_used():
    at = run_page(PAGE)
    data = sent(at)
    net = trained(data, 3 * SPT)
    report(at, data, net, 3 * SPT)
    assert_clean(at)
    assert steps(at) == 3 * SPT
    assert metric(at, "MSE vs target") == f"{ua.grid_mse(net, 'sine'):.1e}"
    assert mse(at) < 0.5 * ua.grid_mse(ua.make_network(16, "tanh", 0), "sine")
    assert sum_gap(at) < 1e-12
    assert "for the weights at step 150" in texts(at)
    kept = at.session_state["_ua_run"].net
    for mine, theirs in zip(kept.layers, net.layers):
        np.testing.assert_array_equal(mine.W, theirs.W)
        np.testing.assert_array_equal(mine.b, theirs.b)
    assert sent(at)["id"] == data["id"] and sent(at)["net"] == data["net"]   # the browser is not restarted


def test_the_download_holds_the_weights_sent_back():
    at = run_page(PAGE)
    data = sent(at)
    net = trained(data, SPT)
    report(at, data, net, SPT)
    run = at.session_state["_ua_run"]
    saved, config = load_network(save_network(run.net, {"steps": run.steps}))
    np.testing.assert_array_equal(saved.layers[1].W, net.layers[1].W)
    assert config["steps"] == SPT


def test_reports_of_an_older_run_are_ignored():
    at = run_page(PAGE)
    old = sent(at)
    at.selectbox(key="ua_act").set_value("ReLU").run()
    assert sent(at)["id"] != old["id"]
    report(at, old, trained(old, SPT), SPT)
    assert_clean(at)
    assert steps(at) == 0 and not at.warning


@pytest.mark.parametrize("change, why", [
    ({"steps": -1}, "step count"),
    ({"steps": "12"}, "step count"),
    ({"status": "exploded"}, "status"),
    ({"net": {"n_in": 1, "layers": []}}, "2 layers"),
    ({"net": "W = 1"}, "n_in = 1"),
])
def test_a_malformed_report_is_refused_with_the_reason(change, why):
    at = run_page(PAGE)
    data = sent(at)
    payload = {"id": data["id"], "steps": 10, "net": data["net"], "status": "running", **change}
    at.session_state["ua_live"] = {"report": payload}
    at.run()
    assert_clean(at)
    assert steps(at) == 0
    assert any(why in w.value and "cannot use" in w.value for w in at.warning)


def test_non_finite_or_misshapen_weights_are_refused():
    at = run_page(PAGE)
    data = sent(at)
    net = json.loads(json.dumps(data["net"]))
    net["layers"][1]["b"] = [float("inf")]
    report(at, data, net, 5)
    assert any("not finite" in w.value for w in at.warning) and steps(at) == 0
    net["layers"][1]["b"] = [0.0, 1.0]
    report(at, data, net, 5)
    assert any("b^[2]" in w.value for w in at.warning) and steps(at) == 0
    before = at.session_state["_ua_run"].net.layers[1].b.copy()
    np.testing.assert_array_equal(before, ua.make_network(16, "tanh", 0).layers[1].b)


def test_a_diverged_run_says_why():
    at = run_page(PAGE, {"ua_lr": "1"})
    data = sent(at)
    report(at, data, data["net"], 37, status="diverged")
    assert_clean(at)
    assert steps(at) == 37
    assert any("diverged at step 37" in e.value and "learning rate (1)" in e.value for e in at.error)


def test_steps_per_frame_and_width_come_from_the_url():
    at = run_page(PAGE, {"ua_spt": "200", "ua_width": "4"})
    assert_clean(at)
    data = sent(at)
    assert data["spt"] == 200 and len(data["net"]["layers"][0]["W"]) == 4
    assert "13 parameters" in texts(at)                            # 3 * 4 + 1


def test_changing_the_target_restarts_with_the_new_target():
    at = run_page(PAGE)
    first = sent(at)
    report(at, first, trained(first, SPT), SPT)
    assert steps(at) == SPT
    at.selectbox(key="ua_target").set_value("sawtooth").run()
    assert_clean(at)
    data = sent(at)
    assert steps(at) == 0 and data["id"] != first["id"] and data["title"].startswith("sawtooth; 1 → 16 → 1")
    np.testing.assert_array_equal(data["yDraw"], ua.target_values("sawtooth", ua.grid(len(data["yDraw"]))))


def test_the_learning_rate_changes_without_a_restart():
    at = run_page(PAGE)
    first = sent(at)
    at.selectbox(key="ua_lr").set_value(0.03).run()
    assert_clean(at)
    assert sent(at)["id"] == first["id"] and sent(at)["lr"] == 0.03


def test_identity_says_the_fit_is_a_straight_line():
    at = run_page(PAGE, {"ua_act": "identity"})
    assert_clean(at)
    assert any("straight line" in i.value and "Why nonlinearity" in i.value for i in at.info)


@pytest.mark.parametrize("activation", NAMES)
def test_every_activation_is_sent_with_its_shape_and_sums_exactly(activation):
    at = run_page(PAGE, {"ua_act": LABELS[activation], "ua_width": "5"})
    assert_clean(at)
    hidden = sent(at)["net"]["layers"][0]
    assert hidden["activation"] == activation
    assert len(hidden["W"]) == (2 * 5 if activation == "maxout" else 5)    # maxout: k = 2 pieces per unit
    assert sum_gap(at) < 1e-12


def test_noise_sends_the_noisy_samples():
    at = run_page(PAGE, {"ua_noise": "0.2"})
    assert_clean(at)
    data = sent(at)
    x, y = ua.make_data("sine", ua.N_SAMPLES, 0.2, 0)
    assert data["samples"] is True
    np.testing.assert_array_equal(data["y"], y)
    assert np.std(np.asarray(data["y"]) - np.sin(2 * x)) > 0.1


def test_width_sweep_error_falls_from_width_one_to_sixty_four():
    at = run_page(PAGE)
    assert not [f for f in figures(at) if title(f).startswith("Final error")]
    at.button(key="ua_sweep").click().run()
    assert_clean(at)
    sweep = figure(at, "Final error against width")
    line = sweep["data"][0]
    widths, errors = values(line["x"]), values(line["y"])
    assert widths.tolist() == list(ua.WIDTHS)
    assert errors[-1] < errors[0] / 100
    assert sweep["layout"]["yaxis"]["type"] == "log"
    ticks = sweep["layout"]["yaxis"]["ticktext"]
    assert all(re.fullmatch(r"10⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+|1|10", t) for t in ticks) and len(ticks) >= 3
    assert "smaller" in texts(at)
    rises = [w for w, a, b in zip(ua.WIDTHS[1:], errors[:-1], errors[1:]) if b > a]
    if rises:
        assert "not monotone" in texts(at)
    at.selectbox(key="ua_lr").set_value(0.03).run()
    at.selectbox(key="ua_lr").set_value(0.01).run()                 # the chart comes back for these settings
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
    data = sent(at)
    assert data["spt"] == SPT and len(data["net"]["layers"][0]["b"]) == 16     # the defaults


def test_identity_sweep_says_width_does_not_help():
    at = run_page(PAGE, {"ua_act": "identity"})
    at.button(key="ua_sweep").click().run()
    assert_clean(at)
    errors = values(figure(at, "Final error against width")["data"][0]["y"])
    assert np.ptp(errors) < 1e-3 * errors[0]                      # the same straight line at every width
    assert "no real gain" in texts(at) and "straight line" in texts(at)


def test_the_settings_keys_carry_the_prefix_and_a_run_follows_what_it_depends_on():
    from explorer.settings.declare import params_of
    from explorer.settings.universal_approximation import Settings
    assert [p.key for p in params_of(Settings)] == ["ua_target", "ua_noise", "ua_width", "ua_act", "ua_lr",
                                                    "ua_spt", "ua_seed"]
    assert Settings().run_key() == ("sine", 16, "tanh", 0.0, 0)
    assert Settings(lr=0.1).run_key() == Settings().run_key() != Settings(width=4).run_key()


def test_the_identity_exercise_says_yes_for_the_identity_and_not_yet_for_tanh():
    done = "Yes: the page is in that state now."
    assert done not in [x.value for x in run_page(PAGE).success]
    assert done in [x.value for x in run_page(PAGE, {"ua_act": "identity"}).success]
