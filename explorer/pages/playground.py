"""Playground: train a small network on 2-D data and watch every unit and the boundary change.

The training and the drawing run in the browser (explorer/web/playground.js with the engine
explorer/web/nn.js, pinned to explorer.core by the parity tests), at animation speed and
with no rerun per frame. This page makes the data, the features and the seeded first
network (explorer.core), sends them once, and takes back what the browser reports (the
weights, epoch and settings: on pause, step, reset, each change, and about once a second
while playing), checked field by field, for the table of shapes, the files, the code, the
exercises and the link.
"""
import hashlib
import json
import math
import secrets

import numpy as np
import streamlit as st

from explorer.charts import playground as pg
from explorer.core import datasets, export_code
from explorer.core import features as feats
from explorer.core.activations import LABELS, PARAM_RANGES
from explorer.core.mlp import HEADS, MLP, head_loss, twin_json
from explorer.core.serialize import NetworkFileError
from explorer.core.train import accuracy
from explorer.ui import layout, shapes
from explorer.ui.components import web_component
from explorer.ui.exercises import Exercise
from explorer.ui.network_files import network_downloads, network_upload
from explorer.ui.url_state import Param, number, select, sanitize, show_notes, slider, toggle

PAGE = "playground"
MAX_HIDDEN, MAX_WIDTH = 6, 32
DEFAULT_WIDTHS = [4, 2, 4, 4, 4, 4]
EXTENT = 6.0            # the plane shown: [-6, 6]², data within about ±5 (TensorFlow Playground's)
GRID_STEPS = 50         # the output and every unit are evaluated on GRID_STEPS² points (in the browser)
MAX_OWN_POINTS = 1200   # points a student may have (generated + clicked)
LR = {v: f"{v:g}" for v in (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)}
RATES = {v: f"{v:g}" for v in (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)}
LOSS_NAMES = {"binary": "binary cross-entropy", "multiclass": "cross-entropy", "regression": "mean squared error"}
HEAD_TEXT = {"binary": "1 unit, sigmoid: ŷ = P(y = 1 | x)",
             "multiclass": "K units, softmax over the classes (axis 0)",
             "regression": "1 unit, identity: ŷ is a number"}

P = {
    "pg_data": Param.choice("pg_data", "circle", {n: p.label for n, p in datasets.PROBLEMS.items()}),
    "pg_K": Param("pg_K", 3, "int", 3, 5),
    "pg_noise": Param("pg_noise", 0.05, "float", 0.0, 0.5),
    "pg_points": Param("pg_points", 400, "int", 40, 1000),
    "pg_train": Param("pg_train", 50, "int", 10, 90),
    "pg_seed": Param("pg_seed", 0, "int", 0, 999_999),
    "pg_test": Param("pg_test", True, "bool"),
    "pg_L": Param("pg_L", 2, "int", 0, MAX_HIDDEN),
    "pg_act": Param.choice("pg_act", "tanh", LABELS),
    "pg_lr": Param.choice("pg_lr", 0.03, LR),
    "pg_opt": Param.choice("pg_opt", "adam", {"sgd": "SGD", "momentum": "momentum", "adam": "Adam"}),
    "pg_batch": Param("pg_batch", 10, "int", 1, 100),
    "pg_reg": Param.choice("pg_reg", "none", {"none": "none", "l1": "L1", "l2": "L2"}),
    "pg_rate": Param.choice("pg_rate", 0.001, RATES),
    "pg_patience": Param("pg_patience", 0, "int", 0, 1000),
}
for _name in feats.NAMES:
    P[f"pg_{_name}"] = Param(f"pg_{_name}", _name in feats.DEFAULT, "bool")
for _i in range(1, MAX_HIDDEN + 1):
    P[f"pg_w{_i}"] = Param(f"pg_w{_i}", DEFAULT_WIDTHS[_i - 1], "int", 1, MAX_WIDTH)

LIMITS = pg.Limits(max_hidden=MAX_HIDDEN, max_width=MAX_WIDTH, max_points=MAX_OWN_POINTS, extent=EXTENT,
                   features=feats.NAMES, activations=tuple(LABELS), data_sets=tuple(datasets.PROBLEMS),
                   learning_rates=tuple(LR))

# Per-session state (never module level).
RUN, LIVE, OWN, ACK, SID = "_pg_run", "_pg_live", "_pg_own", "_pg_ack", "_pg_sid"
PENDING, LOADED, APP_RERUN, REPORT_ERROR, RESETS = "_pg_pending", "_pg_loaded", "_pg_app_rerun", "_pg_report_error", "_pg_resets"
COMPONENT_KEY = "pg_live"
COMPONENT = "explorer.playground"


# -- the component: JS and CSS from explorer/web, served by Streamlit ----------------------------
def mount_component():
    """The playground component (explorer/web/playground.js and .css, which import ./nn.js)."""
    return web_component("playground", js="playground.js", css="playground.css")


# -- controls ------------------------------------------------------------------------------------
def apply_pending() -> None:
    """Settings changed in the browser or by a loaded file: into the widgets (before they exist)."""
    pending = st.session_state.pop(PENDING, None)
    if pending:
        for key, value in pending.items():
            st.session_state[key] = value


def read_controls() -> dict:
    """The sidebar's widgets: the data, the features, the network and the training."""
    cfg = {}
    with st.sidebar:
        st.markdown("**Data**")
        cfg["data"] = select(P["pg_data"], "Data set")
        cfg["kind"] = datasets.PROBLEMS[cfg["data"]].kind
        cfg["K"] = int(slider(P["pg_K"], "K classes")) if cfg["kind"] == "multiclass" else 2
        cfg["noise"] = float(slider(P["pg_noise"], "Noise", step=0.05))
        c1, c2 = st.columns(2)
        with c1:
            cfg["points"] = int(number(P["pg_points"], "Points", step=20))
        with c2:
            cfg["train"] = int(number(P["pg_train"], "Train %", step=10))
        c1, c2 = st.columns(2, vertical_alignment="bottom")
        with c1:
            cfg["seed"] = int(number(P["pg_seed"], "Seed", step=1,
                                     help="Draws the data, the first weights and the order of the batches."))
        with c2:
            cfg["show_test"] = toggle(P["pg_test"], "Test points")
        st.markdown("**Features** (the network's inputs X; or click an input in the diagram)")
        cols = st.columns(2)
        chosen = []
        for i, name in enumerate(feats.NAMES):
            with cols[i % 2]:
                if toggle(P[f"pg_{name}"], feats.FEATURES[name].label):
                    chosen.append(name)
        if not chosen:
            st.warning("Choose at least one feature; x₁ and x₂ are used meanwhile.", icon=":material/warning:")
            chosen = list(feats.DEFAULT)
        cfg["features"] = tuple(chosen)
        st.markdown("**Network** (or + and − beside the diagram)")
        hidden = int(slider(P["pg_L"], "Hidden layers"))
        widths = []
        if hidden:
            cols = st.columns(3)
            for i in range(1, hidden + 1):
                with cols[(i - 1) % 3]:
                    widths.append(int(number(P[f"pg_w{i}"], f"layer {i}", step=1)))
        cfg["widths"] = tuple(widths)
        cfg["act"] = select(P["pg_act"], "Activation of the hidden layers", disabled=not hidden)
        st.caption(f"Output layer (from the data set): {HEAD_TEXT[cfg['kind']]}.")
        st.markdown("**Training**")
        c1, c2 = st.columns(2)
        with c1:
            cfg["lr"] = float(select(P["pg_lr"], "Learning rate"))
        with c2:
            cfg["opt"] = select(P["pg_opt"], "Optimiser")
        cfg["batch"] = int(slider(P["pg_batch"], "Batch size B"))
        c1, c2 = st.columns(2)
        with c1:
            cfg["reg"] = select(P["pg_reg"], "Regularisation")
        with c2:
            cfg["rate"] = float(select(P["pg_rate"], "Reg. rate", disabled=cfg["reg"] == "none"))
        cfg["patience"] = int(number(P["pg_patience"], "Early stopping after (epochs)", step=10,
                                     help="Pause when the test loss has not improved for this many epochs; 0: never."))
    return cfg


# -- the run: data and the first network, made in Python ----------------------------------------
@st.cache_data(max_entries=32, show_spinner=False)
def load_split(name: str, n: int, noise: float, train_share: float, seed: int, K: int) -> datasets.Split:
    return datasets.make(name, n=n, noise=noise, train_share=train_share, seed=seed, classes=K)


def data_key(cfg: dict) -> tuple:
    return (cfg["data"], cfg["K"], cfg["noise"], cfg["points"], cfg["train"], cfg["seed"])


def network_key(cfg: dict) -> tuple:
    """Settings that make a new network (a reset): data, features, layers, activation, seed."""
    return data_key(cfg) + (cfg["features"], cfg["widths"], cfg["act"], st.session_state.get(RESETS, 0))


def arch_of(cfg: dict):
    return pg.architecture(len(cfg["features"]), cfg["widths"], cfg["act"], cfg["kind"], cfg["K"])


def _digest(key) -> str:
    return hashlib.sha1(repr(key).encode()).hexdigest()[:16]


def session_data(cfg: dict) -> dict:
    """The points: the generated split, or the student's own (kept while the data settings stay)."""
    own = st.session_state.get(OWN)
    if own is not None and own["key"] == data_key(cfg):
        return own
    split = load_split(cfg["data"], cfg["points"], cfg["noise"], cfg["train"] / 100, cfg["seed"], cfg["K"])
    return {"key": data_key(cfg), "id": "gen-" + _digest(data_key(cfg)),
            "X_train": split.X_train, "Y_train": split.Y_train, "X_test": split.X_test, "Y_test": split.Y_test}


def session_run(cfg: dict) -> dict:
    """This session's first network for ``cfg`` (seeded, or loaded from a file), kept across reruns."""
    run = st.session_state.get(RUN)
    key = network_key(cfg)
    if run is None or run["key"] != key:
        arch = arch_of(cfg)
        loaded = st.session_state.pop(LOADED, None)
        if loaded is not None and loaded["net"].arch.layers == arch.layers:
            net, epoch, steps, history, net_id = loaded["net"], loaded["epoch"], loaded["steps"], loaded["history"], loaded["id"]
        else:
            net = MLP(arch.n_in, arch.widths, arch.activations, seed=cfg["seed"] + 1)
            epoch, steps, history = 0, 0, []
            net_id = "seed-" + _digest(key)
        run = st.session_state[RUN] = {"key": key, "id": net_id, "net": net, "json": twin_json(net),
                                       "epoch": epoch, "steps": steps, "history": history}
        st.session_state[LIVE] = {"id": net_id, "net": net, "epoch": epoch, "steps": steps, "status": "ready",
                                  "message": "", "history": history, "playing": False}
    return run


def evaluate(net: MLP, data: dict, kind: str) -> dict:
    """Loss and accuracy (or R²) on the training and test points, computed here with explorer.core."""
    out = {}
    for part in ("train", "test"):
        X, Y = data[f"X_{part}"], data[f"Y_{part}"]
        if X.shape[1] == 0 or X.shape[0] != 2:
            continue
        Phi = feats.feature_map(X, net_features(net, data))
        with np.errstate(all="ignore"):
            Z = net.logits(Phi)
            out[f"{part}_loss"] = head_loss(Z, Y, kind)
            A = net.layers[-1].activate(Z)
        if kind == "regression":
            tot = float(np.sum((Y - Y.mean()) ** 2))
            out[f"{part}_r2"] = 1 - float(np.sum((A - Y) ** 2)) / tot if tot > 0 else float("nan")
        else:
            out[f"{part}_accuracy"] = accuracy(A, Y, kind)
    return out


def net_features(net: MLP, data: dict) -> tuple:
    return data["features"]


# -- the browser's reports ----------------------------------------------------------------------
def settings_to_widgets(s: dict, cfg: dict) -> dict:
    """Widget values (URL parameters) for settings the browser changed."""
    out = {"pg_data": s["data"], "pg_lr": s["lr"], "pg_L": len(s["widths"]), "pg_test": s["show_test"],
           "pg_patience": s["patience"]}
    if s["widths"]:
        out["pg_act"] = s["act"]
    for i, w in enumerate(s["widths"], start=1):
        out[f"pg_w{i}"] = w
    for name in feats.NAMES:
        out[f"pg_{name}"] = name in s["features"]
    return out


def on_report() -> None:
    """The component sent a report: check it, keep it, and move changed settings into the widgets."""
    state = st.session_state.get(COMPONENT_KEY) or {}
    raw = state.get("report") if hasattr(state, "get") else None
    cfg = st.session_state.get("_pg_cfg")
    run = st.session_state.get(RUN)
    if raw is None or cfg is None or run is None:
        return
    try:
        report = accept_report(raw, cfg, run)
    except pg.ReportError as exc:
        st.session_state[REPORT_ERROR] = f"The browser sent a report this page cannot use: {exc} It was ignored."
        return
    st.session_state.pop(REPORT_ERROR, None)
    if report is None:
        return
    st.session_state[ACK] = max(st.session_state.get(ACK, 0), report.seq)
    if report.reason not in ("tick", "play"):
        st.session_state[APP_RERUN] = True   # the exercises, files and code follow (not while playing)


def accept_report(raw, cfg: dict, run: dict):
    """Apply a checked report to the session; None if it belongs to another page load or network."""
    report = pg.parse_report(raw, LIMITS)
    if report.sid != st.session_state.get(SID):
        return None
    s = report.settings
    changed = {k: v for k, v in settings_to_widgets(s, cfg).items() if st.session_state.get(k, P[k].default) != v}
    if report.points is not None:
        kind = datasets.PROBLEMS[cfg["data"]].kind
        Xtr, Ytr, Xte, Yte = pg.parse_points(report.points, kind, cfg["K"], LIMITS)
        if Xtr.shape[1] + Xte.shape[1] > MAX_OWN_POINTS:
            raise pg.ReportError(f"at most {MAX_OWN_POINTS} points in all.")
        st.session_state[OWN] = {"key": data_key(cfg), "id": report.data_id, "X_train": Xtr, "Y_train": Ytr,
                                 "X_test": Xte, "Y_test": Yte}
    if changed:
        st.session_state[PENDING] = changed
        return report
    if report.net_id != run["id"] or report.provisional or report.network is None:
        return report
    net = pg.network_from_json(report.network, arch_of(cfg))
    st.session_state[LIVE] = {"id": run["id"], "net": net, "epoch": report.epoch, "steps": report.steps,
                              "status": report.status, "message": report.message, "history": report.history,
                              "playing": report.playing, "stopped": report.stopped}
    return report


# -- the live part ------------------------------------------------------------------------------
def payload(cfg: dict, run: dict, data: dict) -> dict:
    kind = cfg["kind"]
    settings = {"data": cfg["data"], "lr": cfg["lr"], "act": cfg["act"], "widths": list(cfg["widths"]),
                "features": list(cfg["features"]), "show_test": bool(cfg["show_test"]), "patience": cfg["patience"],
                "opt": cfg["opt"], "batch": cfg["batch"], "reg": cfg["reg"], "rate": cfg["rate"], "seed": cfg["seed"]}
    if "json" not in data:
        data["json"] = {"train": pg.points_json(data["X_train"], data["Y_train"], kind),
                        "test": pg.points_json(data["X_test"], data["Y_test"], kind)}
    return {
        "sid": st.session_state[SID], "ack": st.session_state.get(ACK, 0), "extent": EXTENT, "grid": GRID_STEPS,
        "presenter": layout.presenter(), "loss_name": LOSS_NAMES[kind],
        "limits": {"max_hidden": MAX_HIDDEN, "max_width": MAX_WIDTH, "max_points": MAX_OWN_POINTS},
        "params": {"pieces": PARAM_RANGES["pieces"][2], "slope": PARAM_RANGES["slope"][2], "alpha": PARAM_RANGES["alpha"][2]},
        "choices": {"data": [[n, p.label] for n, p in datasets.PROBLEMS.items()],
                    "lr": [[v, t] for v, t in LR.items()], "act": [[n, t] for n, t in LABELS.items()]},
        "settings": settings,
        "data": {"id": data["id"], "kind": kind, "K": cfg["K"], **data["json"]},
        "net": {"id": run["id"], "network": run["json"], "epoch": run["epoch"], "steps": run["steps"],
                "history": run["history"], "current": current_json(run)},
    }


def current_json(run: dict) -> dict | None:
    """The weights the browser last reported for this network: a component mounted again (the
    student comes back to the page) resumes from them instead of the first weights."""
    live = st.session_state.get(LIVE) or {}
    if live.get("id") != run["id"] or live.get("net") is run["net"]:
        return None
    return {"network": twin_json(live["net"]), "epoch": live["epoch"], "steps": live["steps"]}


def fmt_loss(x: float) -> str:
    if not math.isfinite(x):
        return "∞" if x > 0 else "nan"
    return f"{x:.3f}" if abs(x) < 1e4 else f"{x:.3g}"


# The live area's elements rerun about once a second while playing: they must not fade meanwhile
# (Streamlit greys out a running fragment's elements after half a second).
LIVE_CSS = "<style>.st-key-pg_live_area [data-stale=true] { opacity: 1 !important; transition: none !important; }</style>"


@st.fragment
def live(cfg: dict) -> None:
    """The component and what follows the browser's reports (a fragment: a report while playing
    reruns only this part; a change of setting reruns the page, so the sidebar and link follow)."""
    if st.session_state.pop(APP_RERUN, False):
        st.rerun(scope="app")
    run = st.session_state[RUN]
    data = session_data(cfg)
    data["features"] = cfg["features"]
    # as one JSON text: Streamlit's own walk through a dict (looking for data frames) costs 15 ms
    mount_component()(key=COMPONENT_KEY, data=json.dumps(payload(cfg, run, data), separators=(",", ":")),
                      on_report_change=on_report)
    error = st.session_state.get(REPORT_ERROR)
    if error:
        st.warning(error, icon=":material/gpp_bad:")
    state = st.session_state[LIVE]
    if state["status"] == "diverged":
        st.error(state["message"] + " Training is paused.", icon=":material/error:")
    net = state["net"]
    m = evaluate(net, data, cfg["kind"])
    st.session_state["_pg_metrics"] = m
    cols = st.columns(5)
    cols[0].metric("Epoch", f"{state['epoch']:,}", help="As last reported by the browser. One epoch: every training "
                   "point once, in minibatches of B (the last one smaller when B does not divide their number).")
    cols[1].metric("Train loss", fmt_loss(m.get("train_loss", float("nan"))), help=LOSS_NAMES[cfg["kind"]])
    cols[2].metric("Test loss", fmt_loss(m.get("test_loss", float("nan"))), help=LOSS_NAMES[cfg["kind"]])
    if cfg["kind"] == "regression":
        cols[3].metric("Train R²", f"{m.get('train_r2', float('nan')):.3f}")
        cols[4].metric("Test R²", f"{m.get('test_r2', float('nan')):.3f}")
    else:
        cols[3].metric("Train accuracy", f"{100 * m.get('train_accuracy', float('nan')):.1f}%")
        cols[4].metric("Test accuracy", f"{100 * m.get('test_accuracy', float('nan')):.1f}%")
    st.caption("These figures are this page's copy of the network (computed again here with explorer.core from the "
               "weights the browser sent); the files, the code below and the exercises use it. While playing it "
               "follows about once a second; the files and the code follow on pause.")


def save_section(cfg: dict, state: dict, data: dict) -> None:
    st.subheader("Save this network, or take it as code")
    config = {"page": "playground", "data": cfg["data"], "K": cfg["K"], "noise": cfg["noise"], "points": cfg["points"],
              "train": cfg["train"], "seed": cfg["seed"], "features": list(cfg["features"]), "act": cfg["act"],
              "lr": cfg["lr"], "opt": cfg["opt"], "batch": cfg["batch"], "reg": cfg["reg"], "rate": cfg["rate"],
              "epoch": state["epoch"], "steps": state["steps"]}
    if data["id"].startswith("own-"):
        config["own_points"] = data["json"]
    network_downloads(state["net"], config, "playground-network")
    numpy_code = export_code.numpy_script(state["net"], cfg["features"], cfg["kind"], data["X_train"], data["Y_train"])
    torch_code = export_code.pytorch_script(state["net"], cfg["features"], cfg["kind"], data["X_train"], data["Y_train"])
    c1, c2 = st.columns(2)
    c1.download_button("As a numpy script (.py)", numpy_code.encode(), "playground_numpy.py", "text/x-python",
                       icon=":material/code:", key="_pg_code_numpy")
    c2.download_button("As a PyTorch script (.py)", torch_code.encode(), "playground_torch.py", "text/x-python",
                       icon=":material/code:", key="_pg_code_torch")
    with st.expander("Show the code"):
        t1, t2 = st.tabs(["numpy", "PyTorch"])
        t1.code(export_code.shorten(numpy_code), language="python")
        t2.code(export_code.shorten(torch_code), language="python")
    st.caption("The .npz holds every W and b with the settings (and your own points, if you drew some); the scripts "
               "rebuild the same network and data and print its outputs. In a notebook: "
               "`explorer.core.serialize.load_network(open(path, 'rb').read())`.")


# -- loading a file -----------------------------------------------------------------------------
def load_file() -> None:
    """A saved network: its settings go into the widgets, its weights and epoch become the start."""
    loaded = network_upload(PAGE)
    uploaded = st.session_state.get(f"_upload_{PAGE}")
    if loaded is None or uploaded is None or st.session_state.get("_pg_applied") == uploaded.file_id:
        return
    net, meta = loaded
    st.session_state["_pg_applied"] = uploaded.file_id
    try:
        widgets = settings_from_file(net, meta)
    except (NetworkFileError, pg.ReportError, KeyError, TypeError, ValueError) as exc:
        st.error(f"{uploaded.name}: {exc}", icon=":material/error:")
        return
    history = []
    st.session_state[PENDING] = widgets
    st.session_state[LOADED] = {"net": net, "epoch": int(meta.get("epoch", 0) or 0),
                                "steps": int(meta.get("steps", 0) or 0), "history": history,
                                "id": "file-" + uploaded.file_id}
    st.session_state[RESETS] = st.session_state.get(RESETS, 0) + 1
    st.toast(f"Loaded {uploaded.name}: its settings, weights and epoch.", icon=":material/upload:")
    st.rerun()


def settings_from_file(net: MLP, meta: dict) -> dict:
    """Widget values for a file's settings; ValueError (with the reason) if they do not fit this page."""
    if meta.get("page") not in (None, "playground"):
        raise ValueError("this file was saved by another page.")
    data = meta.get("data", "circle")
    if data not in datasets.PROBLEMS:
        raise ValueError("its data set is not one this page offers.")
    kind = datasets.PROBLEMS[data].kind
    features = meta.get("features") or list(feats.DEFAULT)
    features = list(feats.check(features))
    widths = list(net.arch.widths[:-1])
    acts = list(net.arch.activations)
    if net.n_in != len(features) or len(widths) > MAX_HIDDEN or any(w > MAX_WIDTH for w in widths):
        raise ValueError("its network does not fit this page (inputs, layers or widths).")
    if acts[-1] != HEADS[kind] or len(set(acts[:-1])) > 1:
        raise ValueError("its layers do not match this page's network (one hidden activation, the data set's head).")
    out = {"pg_data": data, "pg_L": len(widths)}
    for key in ("K", "noise", "points", "train", "seed", "lr", "opt", "batch", "reg", "rate"):
        if key in meta:
            p = P[f"pg_{key}"]
            value = meta[key]
            try:
                p.parse(p.label_of(value) if p.kind == "choice" else str(value))
            except (ValueError, OverflowError):
                raise ValueError(f"its setting {key} = {value!r} is not {p.describe()}.") from None
            out[p.key] = value
    if widths:
        out["pg_act"] = acts[0]
    for i, w in enumerate(widths, start=1):
        out[f"pg_w{i}"] = w
    for name in feats.NAMES:
        out[f"pg_{name}"] = name in features
    own = meta.get("own_points")
    if own is not None:
        K = int(meta.get("K", 2)) if kind == "multiclass" else 2
        Xtr, Ytr, Xte, Yte = pg.parse_points(own, kind, K, LIMITS)
        cfg_key = (data, K if kind == "multiclass" else 2, meta.get("noise", P["pg_noise"].default),
                   meta.get("points", P["pg_points"].default), meta.get("train", P["pg_train"].default),
                   meta.get("seed", P["pg_seed"].default))
        st.session_state[OWN] = {"key": cfg_key, "id": "own-file", "X_train": Xtr, "Y_train": Ytr, "X_test": Xte,
                                 "Y_test": Yte}
    return out


# -- shapes and parameters ------------------------------------------------------------------------
def show_shapes(cfg: dict) -> None:
    arch = arch_of(cfg)
    B = cfg["batch"]
    F = len(cfg["features"])
    st.subheader("Shapes and parameters of this network")
    t1, t2 = st.columns([1.5, 1], gap="medium")
    with t1:
        st.dataframe(shapes.layer_table(arch, B, with_Z=False), hide_index=True, width="stretch")
    with t2:
        m1, m2 = st.columns(2)
        m1.metric("Parameters", f"{arch.n_params:,}", help="Exact: the sum of every W and b size.")
        m2.metric("As a formula in N", arch.formula().replace("+", " + "))
        st.caption(f"N = {F} features ({', '.join(feats.labels(cfg['features']))}), one minibatch of B = {B} "
                   "columns. The batch size changes the shapes of a, never the parameters.")
    st.markdown("**Number of parameters, line by line** (activations add none):")
    shapes.derivation(arch)


# ---------------------------------------------------------------------------------------------------
if SID not in st.session_state:
    st.session_state[SID] = secrets.token_hex(8)
sanitize(list(P.values()), PAGE)
st.session_state.pop(APP_RERUN, None)   # this is a full run already (a fragment run skips this line)
apply_pending()
layout.page_header(
    "Playground",
    "Train a small network on points of the plane, as in TensorFlow Playground, in the lecture's notation: "
    "**X** is *[N, B]*, **a = f(W a + b)**. It trains in your browser.",
    "press ▶ on the circle; then pick *spiral*, click x₁² or sin(x₁) in the diagram, or remove the hidden layers.",
    "first-layer units draw straight lines over the plane; later layers bend them into curves.",
)
show_notes(PAGE)

cfg = read_controls()
st.session_state["_pg_cfg"] = cfg
run = session_run(cfg)
st.html(LIVE_CSS)
with st.container(key="pg_live_area"):
    live(cfg)
_data = session_data(cfg)
_data["features"] = cfg["features"]
save_section(cfg, st.session_state[LIVE], _data)
show_shapes(cfg)
load_file()


def _live():
    return st.session_state.get(LIVE) or {}


def _metric(name):
    return (st.session_state.get("_pg_metrics") or {}).get(name, 0.0)


layout.finish_page(PAGE, P.values(), [
    Exercise("Remove every hidden layer and train on the circle. Why can it not succeed with x₁ and x₂ alone?",
             "With no hidden layer the network is logistic regression: its boundary is one straight line, and "
             "no line separates a disc from a ring. Add the features x₁² and x₂² and it can (a circle is a "
             "line in those features): feature engineering against learning.",
             check=lambda: not cfg["widths"] and cfg["data"] == "circle"),
    Exercise("Make the training diverge, then bring it back.",
             "Plain SGD with a large learning rate (e.g. 3 or more) makes the loss explode to nan: the page "
             "pauses and says so. Lower the rate and press reset.",
             check=lambda: _live().get("status") == "diverged"),
    Exercise("Train the spiral with as few parameters as you can while reaching 90% test accuracy.",
             "Hand-made features help most: with sin(x₁), sin(x₂) and x₁x₂ a single hidden layer of about 8 "
             "units can do it; with x₁, x₂ only, two or three layers are needed.",
             check=lambda: cfg["data"] == "spiral" and _metric("test_accuracy") >= 0.9),
])
