"""AppTest for the playground page (explorer/pages/playground.py).

The training runs in the browser (explorer/web/playground.js), which AppTest cannot run. So
these tests check what Python sends to the component (the payload), and they play the
browser's part by sending the component's report themselves (:func:`send`): the state a
real browser would set with ``setStateValue("report", ...)``. A hostile client can send
anything: bad reports must be refused with a clear message and change nothing.
"""
import ast
import copy
import json
import subprocess
import sys

import numpy as np

from explorer.core.mlp import twin_json
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates

from explorer.charts import playground as pg
from explorer.core import datasets, export_code
from explorer.core import features as feats
from explorer.core.mlp import MLP, head_loss
from explorer.core.serialize import load_network, save_network
from explorer.settings.declare import params_of
from explorer.settings.playground import Settings
from tests.pages.conftest import assert_clean, copied_link, live_component, metric, run_page, texts, tables


def table(at):
    return tables(at)[0]


def payload(at) -> dict:
    component = live_component(at, "playground.js")
    return json.loads(json.loads(component.proto.json))   # the page sends one JSON text


def send(at, report: dict):
    """Play the browser: the component's state becomes {"report": report}, and the page reruns."""
    component = live_component(at, "playground.js")
    states = at._tree.get_widget_states()
    out = WidgetStates()
    for w in states.widgets:
        if w.id != component.proto.id:
            out.widgets.append(w)
    out.widgets.add(id=component.proto.id, json_value=json.dumps({"report": report}))
    at._run(out)
    return at


SEQ = iter(range(1, 10**6))


def report_from(p: dict, **change) -> dict:
    """A report as the browser makes it, from the payload it was sent."""
    r = {"seq": next(SEQ), "sid": p["sid"], "reason": "pause", "net_id": p["net"]["id"], "provisional": False,
         "data_id": p["data"]["id"], "playing": False, "epoch": 0, "steps": 0, "status": "running", "message": "",
         "stopped": "", "network": copy.deepcopy(p["net"]["network"]), "metrics": {}, "settings": copy.deepcopy(p["settings"]),
         "history": [[0, 0.7, 0.7], [1, 0.6, None]]}
    r.update(change)
    return r


def net_of(network: dict) -> MLP:
    widths = [len(L["b"]) for L in network["layers"]]
    net = MLP(network["n_in"], widths, [L["activation"] for L in network["layers"]], seed=0)
    for layer, L in zip(net.layers, network["layers"]):
        layer.W[...] = np.array(L["W"])
        layer.b[...] = np.array(L["b"]).reshape(-1, 1)
    return net


# -- what Python sends --------------------------------------------------------------------------------
def test_renders_with_defaults_and_sends_the_data_and_the_seeded_network_once():
    at = run_page("playground")
    assert_clean(at)
    assert metric(at, "Epoch") == "0"
    assert metric(at, "Parameters") == "25"           # 2 -> 4 -> 2 -> 1: 12 + 10 + 3
    assert metric(at, "As a formula in N") == "4N + 17"
    t = table(at)
    assert list(t["W [out, in]"][1:4]) == ["4 × 2", "2 × 4", "1 × 2"]
    assert t["a [out, B]"][0] == "2 × 10"
    p = payload(at)
    assert [len(L["W"]) for L in p["net"]["network"]["layers"]] == [4, 2, 1]
    assert [L["activation"] for L in p["net"]["network"]["layers"]] == ["tanh", "tanh", "sigmoid"]
    assert len(p["data"]["train"]["x1"]) == 200 and len(p["data"]["test"]["x1"]) == 200
    assert set(p["data"]["train"]["t"]) == {0.0, 1.0} and p["data"]["kind"] == "binary"
    assert p["settings"]["widths"] == [4, 2] and p["settings"]["features"] == ["x1", "x2"]
    # the seeded network is explorer.core's: MLP(seed + 1)
    seeded = MLP(2, [4, 2, 1], ["tanh", "tanh", "sigmoid"], seed=1)
    np.testing.assert_array_equal(np.array(p["net"]["network"]["layers"][0]["W"]), seeded.layers[0].W)
    # the component's files are real files, served by Streamlit (no JavaScript in a Python string)
    component = live_component(at, "playground.js")
    assert component.proto.js_source_path == "playground.js" and not component.proto.js_content
    assert component.proto.css_source_path == "playground.css"
    assert "Server time" not in texts(at)
    # a rerun sends the same network and data (the browser keeps training)
    before = payload(at)
    at.run()
    assert payload(at)["net"] == before["net"] and payload(at)["data"] == before["data"]


@pytest.mark.parametrize("label", [p.label for p in datasets.PROBLEMS.values()])
def test_every_data_set_sends_its_head_and_targets(label):
    at = run_page("playground", {"pg_data": label})
    assert_clean(at)
    p = payload(at)
    kind = p["data"]["kind"]
    head = {"binary": "sigmoid", "multiclass": "softmax", "regression": "identity"}[kind]
    assert p["net"]["network"]["layers"][-1]["activation"] == head
    if kind == "multiclass":
        assert len(p["net"]["network"]["layers"][-1]["W"]) == 3 and set(p["data"]["train"]["t"]) == {0.0, 1.0, 2.0}


# -- what the browser sends back ----------------------------------------------------------------
def test_a_report_with_trained_weights_is_used_for_the_metrics_the_files_and_the_code():
    at = run_page("playground")
    p = payload(at)
    trained = copy.deepcopy(p["net"]["network"])
    for L in trained["layers"]:
        L["W"] = (3 * np.array(L["W"])).tolist()
    at = send(at, report_from(p, network=trained, epoch=7, steps=140, reason="pause"))
    assert_clean(at)
    assert metric(at, "Epoch") == "7"
    # the page's loss is explorer.core's, computed from the weights the browser sent
    net = net_of(trained)
    split = datasets.make("circle", n=400, noise=0.05, train_share=0.5, seed=0)
    expected = head_loss(net.logits(split.X_train), split.Y_train, "binary")
    assert metric(at, "Train loss") == f"{expected:.3f}"
    live = at.session_state["_pg_run"].live
    np.testing.assert_array_equal(live.net.layers[1].W, np.array(trained["layers"][1]["W"]))
    assert live.epoch == 7 and live.steps == 140
    at.toggle(key="_pg_show_code").set_value(True).run()      # the code is shown on demand
    code = at.code[0].value
    assert "W1 = np.array(" in code
    # a component mounted again (back on the page) resumes from these weights; reset still has the first
    q = payload(at)
    assert q["net"]["current"]["epoch"] == 7 and q["net"]["current"]["network"]["layers"][1]["W"] == trained["layers"][1]["W"]
    assert q["net"]["network"] == p["net"]["network"]


def test_a_settings_change_in_the_browser_reaches_the_widgets_the_table_and_the_link():
    at = run_page("playground")
    p = payload(at)
    settings = dict(p["settings"], widths=[4, 2, 3], features=["x1", "x2", "x1sq"], lr=0.1)
    at = send(at, report_from(p, settings=settings, reason="settings", provisional=True))
    assert_clean(at)
    assert at.session_state["pg_L"] == 3 and at.session_state["pg_w3"] == 3
    assert at.session_state["pg_x1sq"] is True and at.session_state["pg_lr"] == 0.1
    assert list(table(at)["W [out, in]"][1:5]) == ["4 × 3", "2 × 4", "3 × 2", "1 × 3"]
    link = copied_link(at)
    assert "pg_L=3" in link and "pg_x1sq=true" in link and "pg_lr=0.1" in link
    # and Python answers with the seeded network of the new layout, confirming the change
    q = payload(at)
    assert [len(L["W"]) for L in q["net"]["network"]["layers"]] == [4, 2, 3, 1] and q["net"]["id"] != p["net"]["id"]
    assert q["ack"] >= 1 and q["settings"]["widths"] == [4, 2, 3]


def test_the_students_own_points_travel_in_the_session_and_in_the_file():
    at = run_page("playground")
    p = payload(at)
    points = {"train": {"x1": [1.0, -2.0], "x2": [0.5, 3.0], "t": [1, 0]}, "test": {"x1": [], "x2": [], "t": []}}
    at = send(at, report_from(p, points=points, data_id="own-x-3", reason="points"))
    assert_clean(at)
    q = payload(at)
    assert q["data"]["id"] == "own-x-3" and q["data"]["train"]["x1"] == [1.0, -2.0]
    own = at.session_state["_pg_own"]
    np.testing.assert_array_equal(own.Y_train, [[1.0, 0.0]])
    assert own.own and q["data"]["train"]["t"] == [1.0, 0.0]
    assert metric(at, "Test loss") == "nan"            # no test points left
    at.toggle(key="_pg_show_code").set_value(True).run()
    code = at.code[0].value
    assert "[[1.0, -2.0], [0.5, 3.0]]" in code        # the script carries the points


def test_a_diverged_report_pauses_and_says_why():
    at = run_page("playground", {"pg_data": "plane (regression)", "pg_opt": "SGD", "pg_lr": "10"})
    p = payload(at)
    msg = "Training diverged at step 9: the loss or the weights became nan/inf. The learning rate (10) is most likely too large."
    at = send(at, report_from(p, status="diverged", message=msg, reason="diverged", epoch=1, steps=9))
    assert_clean(at)
    assert at.error and "diverged" in at.error[0].value and "learning rate" in at.error[0].value


HOSTILE = [
    "not a dict", 17, None, [1, 2],
    {"reason": "pause"},                                         # nothing else
]


def _bad_reports(p):
    good = report_from(p)
    bad_w = copy.deepcopy(good)
    bad_w["network"]["layers"][0]["W"] = [[1.0, 2.0, 3.0]] * 4   # wrong shape
    inf_w = copy.deepcopy(good)
    inf_w["network"]["layers"][1]["W"][0][0] = 1e300
    str_w = copy.deepcopy(good)
    str_w["network"]["layers"][0]["W"][0][0] = "<script>alert(1)</script>"
    act = copy.deepcopy(good)
    act["network"]["layers"][0]["activation"] = "relu"
    return [
        ("should be an object", "not a dict"),
        ("reason is not a known one", dict(good, reason="format C:")),
        ("should be [4, 2]", bad_w | {"seq": 1001}),
        ("not finite or are too large", inf_w | {"seq": 1002}),
        ("numbers only", str_w | {"seq": 1003}),
        ("should use tanh", act | {"seq": 1004}),
        ("at most 6 widths", dict(good, seq=1005, settings=dict(good["settings"], widths=[4] * 9))),
        ("width", dict(good, seq=1006, settings=dict(good["settings"], widths=[10**9]))),
        ("learning rate", dict(good, seq=1007, settings=dict(good["settings"], lr=123))),
        ("known features", dict(good, seq=1008, settings=dict(good["settings"], features=["x1", "__proto__"]))),
        ("data set", dict(good, seq=1009, settings=dict(good["settings"], data="../../etc/passwd"))),
        ("epoch", dict(good, seq=1010, epoch=-5)),
        ("within ±6", dict(good, seq=1011, data_id="own-1", points={"train": {"x1": [1e9], "x2": [0], "t": [1]},
                                                                   "test": {"x1": [], "x2": [], "t": []}})),
        ("class should be 0 or 1", dict(good, seq=1012, data_id="own-2", points={
            "train": {"x1": [1], "x2": [0], "t": [7]}, "test": {"x1": [], "x2": [], "t": []}})),
        ("at most", dict(good, seq=1013, data_id="own-3", points={
            "train": {"x1": [0.0] * 5000, "x2": [0.0] * 5000, "t": [1] * 5000}, "test": {"x1": [], "x2": [], "t": []}})),
    ]


def test_bad_reports_are_refused_with_a_clear_message_and_change_nothing():
    at = run_page("playground")
    p = payload(at)
    for expected, bad in _bad_reports(p):
        at = send(at, bad)
        assert_clean(at)
        warning = " ".join(w.value for w in at.warning)
        assert "cannot use" in warning and expected in warning, (expected, warning)
        assert metric(at, "Epoch") == "0" and at.session_state["pg_L"] == 2
        assert payload(at)["net"]["id"] == p["net"]["id"]
    # a good report afterwards is taken again and the warning goes away
    at = send(at, report_from(p, epoch=3))
    assert metric(at, "Epoch") == "3" and not any("cannot use" in w.value for w in at.warning)


def test_a_report_from_another_page_load_is_ignored():
    at = run_page("playground")
    p = payload(at)
    at = send(at, report_from(p, sid="someone-else", epoch=50))
    assert_clean(at)
    assert metric(at, "Epoch") == "0"


# -- files ------------------------------------------------------------------------------------------
def test_loading_a_saved_network_applies_its_settings_and_shows_its_true_epoch_and_loss():
    net = MLP(3, [5, 1], ["relu", "sigmoid"], seed=42)
    config = {"page": "playground", "data": "xor", "features": ["x1", "x2", "x1x2"], "epoch": 12, "steps": 240,
              "seed": 4, "lr": 0.1}
    at = run_page("playground")
    at.file_uploader[0].upload("mine.npz", save_network(net, config), "application/octet-stream").run()
    assert_clean(at)
    assert at.session_state["pg_data"] == "xor" and at.session_state["pg_x1x2"] is True
    assert at.session_state["pg_L"] == 1 and at.session_state["pg_w1"] == 5 and at.session_state["pg_act"] == "relu"
    assert metric(at, "Epoch") == "12"
    split = datasets.make("xor", n=400, noise=0.05, train_share=0.5, seed=4)
    loss = head_loss(net.logits(feats.feature_map(split.X_train, ("x1", "x2", "x1x2"))), split.Y_train, "binary")
    assert metric(at, "Train loss") == f"{loss:.3f}"
    p = payload(at)
    np.testing.assert_array_equal(np.array(p["net"]["network"]["layers"][0]["W"]), net.layers[0].W)
    assert p["net"]["epoch"] == 12 and p["net"]["steps"] == 240


def test_a_file_that_does_not_fit_is_refused():
    net = MLP(2, [3, 1], ["tanh", "identity"], seed=0)   # a regression head for a binary data set
    at = run_page("playground")
    at.file_uploader[0].upload("odd.npz", save_network(net, {"page": "playground", "data": "circle"}),
                               "application/octet-stream").run()
    assert_clean(at)
    assert at.error and "odd.npz" in at.error[0].value
    assert metric(at, "Epoch") == "0"


@pytest.mark.parametrize("query", [
    {"pg_L": "7"}, {"pg_w1": "33"}, {"pg_w2": "0"}, {"pg_lr": "5"}, {"pg_data": "swirl"}, {"pg_noise": "2"},
    {"pg_noise": "nan"}, {"pg_K": "9"}, {"pg_x1": "maybe"}, {"pg_points": "abc"}, {"pg_batch": "0"},
    {"pg_seed": "-1"}, {"pg_opt": "rmsprop"}, {"pg_reg": "L3"}, {"pg_rate": "1e400"}, {"pg_act": "<script>"},
    {"pg_train": "95"}, {"pg_test": "x" * 5000}, {"pg_patience": "-3"},
])
def test_bad_url_values_fall_back_with_a_note(query):
    at = run_page("playground", query)
    assert_clean(at)
    key = next(iter(query))
    assert f"`{key}`" in texts(at)
    assert metric(at, "Epoch") == "0"


def test_no_feature_chosen_falls_back_with_a_warning():
    at = run_page("playground", {"pg_x1": "false", "pg_x2": "false"})
    assert_clean(at)
    assert "at least one feature" in texts(at)
    assert metric(at, "Parameters") == "25"


def test_no_hidden_layer_and_a_wide_deep_maxout_network():
    at = run_page("playground", {"pg_L": "0"})
    assert_clean(at)
    assert metric(at, "Parameters") == "3" and metric(at, "As a formula in N") == "N + 1"
    at = run_page("playground", {"pg_L": "6", "pg_w1": "32", "pg_w2": "32", "pg_act": "maxout",
                                 "pg_x1sq": "true", "pg_sin1": "true"})
    assert_clean(at)
    assert table(at)["W [out, in]"][1] == "64 × 4"      # maxout, k = 2 pieces
    assert len(payload(at)["net"]["network"]["layers"][0]["W"]) == 64


# -- the pure parts: report checks and the exported code ----------------------------------------------
def test_network_from_json_rebuilds_exactly_and_refuses_a_wrong_layout():
    net = MLP(2, [3, 1], ["tanh", "sigmoid"], seed=3)
    arch = pg.architecture(2, [3], "tanh", "binary", 2)
    back = pg.network_from_json(twin_json(net), arch)
    for a, b in zip(net.layers, back.layers):
        np.testing.assert_array_equal(a.W, b.W)
        np.testing.assert_array_equal(a.b, b.b)
    with pytest.raises(pg.ReportError, match="2 inputs and 2 layers"):
        pg.network_from_json(twin_json(MLP(2, [3, 3, 1], ["tanh", "tanh", "sigmoid"])), arch)


@pytest.mark.parametrize("kind,data", [("binary", "circle"), ("multiclass", "blobs"), ("regression", "gaussian bumps (regression)")])
def test_the_numpy_script_runs_and_gives_explorer_cores_outputs(tmp_path, kind, data):
    name = next(n for n, p in datasets.PROBLEMS.items() if p.label == data or n == data)
    split = datasets.make(name, n=60, noise=0.1, train_share=0.5, seed=1, classes=3)
    features = ("x1", "x2", "x1sq", "sin2")
    n_out = split.Y_train.shape[0]
    acts = {"binary": "sigmoid", "multiclass": "softmax", "regression": "identity"}
    net = MLP(4, [5, 3, n_out], ["gelu", "leaky_relu", acts[kind]], seed=2)
    script = tmp_path / "net.py"
    script.write_text(export_code.numpy_script(net, features, kind, split.X_train, split.Y_train))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(": ", 1) for line in out.stdout.strip().splitlines())
    Phi = feats.feature_map(split.X_train, features)
    loss = head_loss(net.logits(Phi), split.Y_train, kind)
    assert float(next(v for k, v in lines.items() if k.startswith("training loss"))) == pytest.approx(loss, rel=1e-12)
    first = np.array(ast.literal_eval(lines["y_hat of the first points"]))
    np.testing.assert_allclose(first, net.forward(Phi)[:, :5], rtol=1e-12, atol=1e-15)


def test_the_pytorch_script_is_valid_python_with_the_same_shapes():
    net = MLP(3, [4, 2, 1], ["relu", "maxout", "sigmoid"], seed=0)
    X = np.array([[0.5, -1.0], [2.0, 0.0]])
    code = export_code.pytorch_script(net, ("x1", "x2", "x1x2"), "binary", X, np.array([[1.0, 0.0]]))
    tree = ast.parse(code)
    assigned = {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)}
    assert {"W1", "b1", "W2", "b2", "W3", "b3", "points", "Y"} <= assigned
    assert "W1: [4, 3], W2: [4, 4], W3: [1, 2]" in code      # maxout: 2 pieces of 2 units
    assert "import torch" in code and "numpy" not in code.split("import torch")[1].split("\n")[0]
    assert "binary_cross_entropy_with_logits" in code


def test_the_download_holds_the_browsers_weights(tmp_path):
    net = MLP(2, [4, 2, 1], ["tanh", "tanh", "sigmoid"], seed=9)
    data = save_network(net, {"page": "playground", "epoch": 5})
    back, meta = load_network(data)
    assert meta["epoch"] == 5
    np.testing.assert_array_equal(back.layers[0].W, net.layers[0].W)


@pytest.mark.web
def test_the_browsers_features_and_grid_are_explorer_cores(tmp_path):
    """explorer/web/pgdata.js computes the inputs X in the browser: the same numbers as explorer.core."""
    import shutil
    from pathlib import Path

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    web = Path(__file__).resolve().parents[2] / "explorer" / "web" / "pgdata.js"
    rng = np.random.default_rng(0)
    X = rng.uniform(-6, 6, size=(2, 25))
    script = tmp_path / "features.mjs"
    script.write_text(
        f"import {{ featureMatrix, gridPoints, FEATURE_NAMES }} from {json.dumps(web.as_uri())};\n"
        f"const x1 = {json.dumps(X[0].tolist())}, x2 = {json.dumps(X[1].tolist())};\n"
        "const g = gridPoints(6, 50);\n"
        "console.log(JSON.stringify({names: FEATURE_NAMES, phi: Array.from(featureMatrix(x1, x2, FEATURE_NAMES)),"
        " g1: Array.from(g.x1), g2: Array.from(g.x2)}));\n")
    out = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert tuple(got["names"]) == feats.NAMES
    np.testing.assert_allclose(np.array(got["phi"]).reshape(len(feats.NAMES), -1), feats.feature_map(X, feats.NAMES),
                               rtol=1e-15, atol=1e-15)
    g, _, G = datasets.grid(6.0 * (1 - 1 / 50), 50)          # the page's grid: pixel centres of [-6, 6]²
    np.testing.assert_allclose(np.array(got["g1"]), G[0], atol=1e-12)
    np.testing.assert_allclose(np.array(got["g2"]), G[1], atol=1e-12)


def test_the_settings_declare_one_switch_per_feature_and_one_width_per_layer():
    P = params_of(Settings)
    assert [p.key for p in P if p.kind == "bool" and p.key != "pg_test"] == [f"pg_{n}" for n in feats.NAMES]
    assert tuple(n for n in feats.NAMES if P[f"pg_{n}"].default) == tuple(feats.DEFAULT)
    assert [P[f"pg_w{i}"].default for i in range(1, 7)] == [4, 2, 4, 4, 4, 4]
    s = Settings(data="spiral", L=3, w3=7, x1=False, x2=False)
    assert s.widths == (4, 2, 7) and s.features == ("x1", "x2") and s.chosen == () and s.classes == 2
    assert Settings(data="blobs", K=4).classes == 4 and Settings(data="blobs").kind == "multiclass"
