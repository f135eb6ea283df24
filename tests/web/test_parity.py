"""Parity of the browser twin (explorer/web/nn.js) with explorer.core: same first weights, data and
seed give the same weights, losses, metrics and forward pass after N steps (about 1e-9 relative).

Python makes every case (seeded random architectures over every activation, head, optimiser,
L1/L2 and batch setting, B not dividing n included), runs it in :class:`explorer.core.train.Trainer`,
and one Node.js process runs all of them in nn.js (tests/web/parity_runner.mjs).
"""
import json
import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from explorer.core.activations import NAMES
from explorer.core.mlp import HEADS, MLP, twin_json, weights_from_twin
from explorer.core.train import Trainer

pytestmark = [pytest.mark.web,
              pytest.mark.skipif(shutil.which("node") is None,
                                 reason="Node.js is not installed (CI installs Debian's nodejs)")]
ROOT = Path(__file__).resolve().parents[2]
RTOL, ATOL = 1e-9, 1e-12
OPTIMISERS = ("sgd", "momentum", "adam")
LR = {"sgd": 0.1, "momentum": 0.03, "adam": 0.01}


def make_data(rng, n_in, K, n, head):
    X = rng.normal(size=(n_in, n)) * 1.5
    if head == "binary":
        Y = (rng.random((1, n)) < 0.5).astype(float)
    elif head == "multiclass":
        Y = np.eye(K)[rng.integers(0, K, n)].T
    else:
        Y = rng.normal(size=(K, n))
    return X, Y


def build_cases():
    """(python trainer factory args, ops) for every activation x head, with settings rotated over them."""
    rng = np.random.default_rng(2024)
    cases = []
    batch_settings = [None, 7, 1, 10, 32]      # n = 23 or 30: 7 and 10 do not divide 23
    i = 0
    for act in NAMES:
        for head in HEADS:
            n_in = int(rng.integers(1, 4))
            K = {"binary": 1, "multiclass": int(rng.integers(2, 5)), "regression": int(rng.integers(1, 3))}[head]
            hidden = [int(w) for w in rng.integers(1, 6, size=int(rng.integers(1, 3)))]
            pieces = 2 + i % 3 if act == "maxout" else int(rng.integers(2, 5))
            slope, alpha = float(rng.uniform(0.01, 0.5)), float(rng.uniform(0.2, 2.0))
            n = 23 if i % 2 else 30
            opt = OPTIMISERS[i % 3]
            reg = [(0.0, 0.0), (0.01, 0.0), (0.0, 0.05), (0.003, 0.02)][i % 4]
            cases.append(dict(n_in=n_in, widths=hidden + [K], acts=[act] * len(hidden) + [HEADS[head]],
                              seed=i, pieces=pieces, slope=slope, alpha=alpha, head=head, n=n, K=K,
                              optimiser=opt, lr=LR[opt], batch=batch_settings[i % len(batch_settings)],
                              l1=reg[0], l2=reg[1], tseed=1000 + i,
                              ops=[{"steps": 5}, {"evaluate": True}, {"steps": 17}, {"epochs": 2},
                                   {"evaluate": True}]))
            i += 1
    # mid-run changes: batch size (mid-epoch), learning rate, optimiser kind, regularisation
    for j, act in enumerate(("tanh", "relu", "maxout", "elu")):
        cases.append(dict(n_in=2, widths=[5, 3, 1], acts=[act, "sigmoid", "sigmoid"], seed=50 + j, pieces=3,
                          slope=0.1, alpha=1.0, head="binary", n=23, K=1, optimiser="adam", lr=0.02, batch=6,
                          l1=0.0, l2=0.0, tseed=77 + j,
                          ops=[{"steps": 3}, {"retune": {"batch_size": 4}}, {"steps": 9},
                               {"retune": {"lr": 0.05, "optimiser": "momentum", "l2": 0.01}}, {"epochs": 1},
                               {"retune": {"batch_size": None, "l1": 0.002}}, {"steps": 4},
                               {"retune": {"optimiser": "adam", "batch_size": 5}}, {"steps": 11},
                               {"evaluate": True}]))
    # a diverging run: the same step, the same message
    cases.append(dict(n_in=2, widths=[8, 1], acts=["relu", "identity"], seed=0, pieces=2, slope=0.1, alpha=1.0,
                      head="regression", n=50, K=1, optimiser="sgd", lr=10.0, batch=None, l1=0.0, l2=0.0,
                      tseed=0, scale=(10.0, 100.0), ops=[{"steps": 200}, {"steps": 3}]))
    return cases


def python_run(c):
    rng = np.random.default_rng(c["seed"] + 7)
    net = MLP(c["n_in"], c["widths"], c["acts"], seed=c["seed"], slope=c["slope"], alpha=c["alpha"],
              pieces=c["pieces"])
    X, Y = make_data(rng, c["n_in"], c["K"], c["n"], c["head"])
    if "scale" in c:
        X, Y = X * c["scale"][0], Y * c["scale"][1]
    Xt, Yt = make_data(rng, c["n_in"], c["K"], 11, c["head"])
    grid = rng.uniform(-3, 3, size=(c["n_in"], 40))
    case = {"net": twin_json(net), "X": X.ravel().tolist(), "Y": Y.ravel().tolist(), "B": c["n"],
            "head": c["head"], "optimiser": c["optimiser"], "lr": c["lr"], "batchSize": c["batch"],
            "l1": c["l1"], "l2": c["l2"], "seed": c["tseed"], "Xtest": Xt.ravel().tolist(),
            "Ytest": Yt.ravel().tolist(), "Btest": 11, "grid": grid.ravel().tolist(), "Bgrid": 40,
            "ops": [{"retune": {("batchSize" if k == "batch_size" else k): v for k, v in op["retune"].items()}}
                    if "retune" in op else op for op in c["ops"]]}
    before = net.forward_all(grid)
    t = Trainer(net, X, Y, c["head"], optimiser=c["optimiser"], lr=c["lr"], batch_size=c["batch"],
                l1=c["l1"], l2=c["l2"], seed=c["tseed"], X_test=Xt, Y_test=Yt)
    ops = []
    for op in c["ops"]:
        if "steps" in op:
            ops.append(t.train_steps(op["steps"]))
        elif "epochs" in op:
            ops.append(t.train_epochs(op["epochs"]))
        elif "retune" in op:
            t.retune(**op["retune"])
            ops.append(None)
        else:
            ops.append(t.evaluate())
    return case, {"t": t, "ops": ops, "before": before, "after": net.forward_all(grid)}


@pytest.fixture(scope="module")
def runs():
    cases = build_cases()
    py = [python_run(c) for c in cases]
    proc = subprocess.run(["node", str(ROOT / "tests" / "web" / "parity_runner.mjs")],
                          input=json.dumps({"cases": [case for case, _ in py]}), capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-4000:]
    js = json.loads(proc.stdout)["results"]
    assert len(js) == len(cases)
    return [(c, p, j) for c, (_, p), j in zip(cases, py, js)]


def num(v):
    return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}.get(v, v) if isinstance(v, str) else v


def arr(values):
    return np.array([num(v) for v in values], dtype=float)


def close(a, b, what):
    np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL, err_msg=what)


def test_every_activation_head_and_optimiser_is_covered(runs):
    cases = [c for c, _, _ in runs]
    assert {a for c in cases for a in c["acts"][:-1]} == set(NAMES)
    assert {c["head"] for c in cases} == set(HEADS)
    assert {c["optimiser"] for c in cases} == set(OPTIMISERS)
    assert any(c["l1"] and c["l2"] for c in cases) and any(c["batch"] == 7 and c["n"] == 23 for c in cases)
    assert {c["pieces"] for c in cases if "maxout" in c["acts"]} == {2, 3, 4}


def test_weights_agree_after_training(runs):
    for c, p, j in runs:
        t = p["t"]
        label = f"{c['acts']} {c['head']} {c['optimiser']} B={c['batch']}"
        assert (j["steps"], j["epoch"], j["cursor"], j["status"]) == (t.steps, t.epoch, t.cursor, t.status), label
        assert j["message"] == t.message, label
        if t.status == "diverged":
            continue
        for l, (layer, (W, b)) in enumerate(zip(t.net.layers, weights_from_twin(t.net, j["net"]))):
            close(W, layer.W, f"{label}: W{l + 1}")      # nn.js's toJSON read back as Python reads a report
            close(b, layer.b, f"{label}: b{l + 1}")


def test_losses_and_evaluate_agree(runs):
    for c, p, j in runs:
        label = f"{c['acts']} {c['head']} {c['optimiser']} B={c['batch']}"
        for k, (mine, theirs) in enumerate(zip(p["ops"], j["ops"])):
            if isinstance(mine, dict):
                assert set(mine) == set(theirs), label
                assert (mine["step"], mine["epoch"]) == (theirs["step"], theirs["epoch"]), label
                for key in mine:
                    close(num(theirs[key]), mine[key], f"{label}: op {k} {key}")
            elif mine is not None:
                if math.isnan(mine):
                    assert math.isnan(num(theirs)), label
                else:
                    close(num(theirs), mine, f"{label}: loss of op {k}")


def test_forward_pass_on_a_grid_agrees_before_and_after(runs):
    for c, p, j in runs:
        if p["t"].status == "diverged":
            continue
        for when in ("before", "after"):
            for l, ((Z, a), jl) in enumerate(zip(p[when], j["grid" + when.capitalize()])):
                close(arr(jl["Z"]).reshape(Z.shape), Z, f"{c['acts']} {when}: Z{l + 1}")
                close(arr(jl["a"]).reshape(a.shape), a, f"{c['acts']} {when}: a{l + 1}")


def test_the_diverging_run_diverges_at_the_same_step(runs):
    c, p, j = runs[-1]
    assert p["t"].status == j["status"] == "diverged"
    assert 0 < j["steps"] < 200 and j["message"].startswith(f"Training diverged at step {j['steps']}:")
