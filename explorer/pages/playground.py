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

import streamlit as st

from explorer.charts import playground as pg
from explorer.charts.playground import Live, Metrics, Points, Run, Trained
from explorer.core import datasets, export_code
from explorer.core import features as feats
from explorer.core.activations import LABELS, PARAM_RANGES
from explorer.core.mlp import HEADS, MLP
from explorer.core.serialize import NetworkFileError
from explorer.settings.declare import params_of
from explorer.settings.playground import LR, MAX_HIDDEN, MAX_WIDTH, Settings
from explorer.ui import layout, shapes
from explorer.ui.components import web_component
from explorer.ui.exercises import Exercise
from explorer.ui.network_files import network_downloads, network_upload
from explorer.ui.url_state import number, open_settings, read, select, slider, toggle
from explorer.ui.tables import show_table

PAGE = "playground"
PARAMS = params_of(Settings)   # P.noise is the Param of the URL key pg_noise; PARAMS["pg_noise"] too
EXTENT = 6.0            # the plane shown: [-6, 6]², data within about ±5 (TensorFlow Playground's)
GRID_STEPS = 50         # the output and every unit are evaluated on GRID_STEPS² points (in the browser)
MAX_OWN_POINTS = 1200   # points a student may have (generated + clicked)
LOSS_NAMES = {"binary": "binary cross-entropy", "multiclass": "cross-entropy", "regression": "mean squared error"}
HEAD_TEXT = {"binary": "1 unit, sigmoid: ŷ = P(y = 1 | x)",
             "multiclass": "K units, softmax over the classes (axis 0)",
             "regression": "1 unit, identity: ŷ is a number"}
FILE_SETTINGS = ("K", "noise", "points", "train", "seed", "lr", "opt", "batch", "reg", "rate")   # kept in a file

LIMITS = pg.Limits(max_hidden=MAX_HIDDEN, max_width=MAX_WIDTH, max_points=MAX_OWN_POINTS, extent=EXTENT,
                   features=feats.NAMES, activations=tuple(LABELS), data_sets=tuple(datasets.PROBLEMS),
                   learning_rates=tuple(LR))

# Per-session state (never module level): the Run, the student's own Points, this run's Settings and
# Metrics, and the browser's bookkeeping.
RUN, OWN, SETTINGS, METRICS = "_pg_run", "_pg_own", "_pg_settings", "_pg_metrics"
ACK, SID, PENDING, LOADED = "_pg_ack", "_pg_sid", "_pg_pending", "_pg_loaded"
APP_RERUN, REPORT_ERROR, RESETS, SHOW_CODE = "_pg_app_rerun", "_pg_report_error", "_pg_resets", "_pg_show_code"
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


def data_controls(P) -> str:
    """The data set and its points; returns the data set's kind (its head)."""
    st.markdown("**Data**")
    kind = datasets.PROBLEMS[select(P.data, "Data set")].kind
    if kind == "multiclass":
        slider(P.K, "K classes")
    slider(P.noise, "Noise", step=0.05)
    c1, c2 = st.columns(2)
    with c1:
        number(P.points, "Points", step=20)
    with c2:
        number(P.train, "Train %", step=10)
    c1, c2 = st.columns(2, vertical_alignment="bottom")
    with c1:
        number(P.seed, "Seed", step=1, help="Draws the data, the first weights and the order of the batches.")
    with c2:
        toggle(P.test, "Test points")
    return kind


def feature_controls(P) -> None:
    st.markdown("**Features** (the network's inputs X; or click an input in the diagram)")
    cols = st.columns(2)
    chosen = []
    for i, name in enumerate(feats.NAMES):
        with cols[i % 2]:
            if toggle(getattr(P, name), feats.FEATURES[name].label):
                chosen.append(name)
    if not chosen:
        st.warning("Choose at least one feature; x₁ and x₂ are used meanwhile.", icon=":material/warning:")


def network_controls(P, kind: str) -> None:
    st.markdown("**Network** (or + and − beside the diagram)")
    hidden = int(slider(P.L, "Hidden layers"))
    if hidden:
        cols = st.columns(3)
        for i in range(1, hidden + 1):
            with cols[(i - 1) % 3]:
                number(getattr(P, f"w{i}"), f"layer {i}", step=1)
    select(P.act, "Activation of the hidden layers", disabled=not hidden)
    st.caption(f"Output layer (from the data set): {HEAD_TEXT[kind]}.")


def training_controls(P) -> None:
    st.markdown("**Training**")
    c1, c2 = st.columns(2)
    with c1:
        select(P.lr, "Learning rate")
    with c2:
        select(P.opt, "Optimiser")
    slider(P.batch, "Batch size B")
    c1, c2 = st.columns(2)
    with c1:
        reg = select(P.reg, "Regularisation")
    with c2:
        select(P.rate, "Reg. rate", disabled=reg == "none")
    number(P.patience, "Early stopping after (epochs)", step=10,
           help="Pause when the test loss has not improved for this many epochs; 0: never.")


def sidebar(P) -> None:
    """The sidebar's widgets: the data, the features, the network and the training."""
    with st.sidebar:
        kind = data_controls(P)
        feature_controls(P)
        network_controls(P, kind)
        training_controls(P)


# -- the run: data and the first network, made in Python ----------------------------------------
@st.cache_data(max_entries=32, show_spinner=False)
def load_split(name: str, n: int, noise: float, train_share: float, seed: int, K: int) -> datasets.Split:
    return datasets.make(name, n=n, noise=noise, train_share=train_share, seed=seed, classes=K)


def network_key(s: Settings) -> tuple:
    """Settings that make a new network (a reset): data, features, layers, activation, seed."""
    return s.data_key() + (s.features, s.widths, s.act, st.session_state.get(RESETS, 0))


def arch_of(s: Settings):
    return pg.architecture(len(s.features), s.widths, s.act, s.kind, s.classes)


def _digest(key) -> str:
    return hashlib.sha1(repr(key).encode()).hexdigest()[:16]


def session_points(s: Settings) -> Points:
    """The points: the generated split, or the student's own (kept while the data settings stay)."""
    own = st.session_state.get(OWN)
    if own is not None and own.key == s.data_key():
        return own
    split = load_split(s.data, s.points, s.noise, s.train / 100, s.seed, s.classes)
    return Points(s.data_key(), "gen-" + _digest(s.data_key()), split.X_train, split.Y_train, split.X_test,
                  split.Y_test)


def session_run(s: Settings) -> Run:
    """This session's first network for ``s`` (seeded, or loaded from a file), kept across reruns."""
    run = st.session_state.get(RUN)
    key = network_key(s)
    if run is None or run.key != key:
        arch = arch_of(s)
        start = st.session_state.pop(LOADED, None)
        if start is None or start.net.arch.layers != arch.layers:
            start = Trained("seed-" + _digest(key), MLP(arch.n_in, arch.widths, arch.activations, seed=s.seed + 1))
        run = st.session_state[RUN] = Run.begin(key, start)
    return run


# -- the browser's reports ----------------------------------------------------------------------
def settings_to_widgets(b: dict) -> dict:
    """Widget values (URL parameters) for the settings the browser sent (``pg.parse_settings``)."""
    out = {"pg_data": b["data"], "pg_lr": b["lr"], "pg_L": len(b["widths"]), "pg_test": b["show_test"],
           "pg_patience": b["patience"]}
    if b["widths"]:
        out["pg_act"] = b["act"]
    for i, w in enumerate(b["widths"], start=1):
        out[f"pg_w{i}"] = w
    for name in feats.NAMES:
        out[f"pg_{name}"] = name in b["features"]
    return out


def on_report() -> None:
    """The component sent a report: check it, keep it, and move changed settings into the widgets."""
    state = st.session_state.get(COMPONENT_KEY) or {}
    raw = state.get("report") if hasattr(state, "get") else None
    s, run = st.session_state.get(SETTINGS), st.session_state.get(RUN)
    if raw is None or s is None or run is None:
        return
    try:
        report = accept_report(raw, s, run)
    except pg.ReportError as exc:
        st.session_state[REPORT_ERROR] = f"The browser sent a report this page cannot use: {exc} It was ignored."
        return
    st.session_state.pop(REPORT_ERROR, None)
    if report is None:
        return
    st.session_state[ACK] = max(st.session_state.get(ACK, 0), report.seq)
    if report.reason not in ("tick", "play"):
        st.session_state[APP_RERUN] = True   # the exercises, files and code follow (not while playing)


def accept_report(raw, s: Settings, run: Run):
    """Apply a checked report to the session; None if it belongs to another page load or network."""
    report = pg.parse_report(raw, LIMITS)
    if report.sid != st.session_state.get(SID):
        return None
    changed = {k: v for k, v in settings_to_widgets(report.settings).items()
               if st.session_state.get(k, PARAMS[k].default) != v}
    if report.points is not None:
        Xtr, Ytr, Xte, Yte = pg.parse_points(report.points, s.kind, s.classes, LIMITS)
        if Xtr.shape[1] + Xte.shape[1] > MAX_OWN_POINTS:
            raise pg.ReportError(f"at most {MAX_OWN_POINTS} points in all.")
        st.session_state[OWN] = Points(s.data_key(), report.data_id, Xtr, Ytr, Xte, Yte)
    if changed:
        st.session_state[PENDING] = changed
        return report
    if report.net_id != run.id or report.provisional or report.network is None:
        return report
    run.report(report, pg.network_from_json(report.network, arch_of(s)))
    return report


# -- the live part ------------------------------------------------------------------------------
def payload(s: Settings, run: Run, points: Points) -> dict:
    browser = {"data": s.data, "lr": s.lr, "act": s.act, "widths": list(s.widths), "features": list(s.features),
               "show_test": s.test, "patience": s.patience, "opt": s.opt, "batch": s.batch, "reg": s.reg,
               "rate": s.rate, "seed": s.seed}
    return {
        "sid": st.session_state[SID], "ack": st.session_state.get(ACK, 0), "extent": EXTENT, "grid": GRID_STEPS,
        "presenter": layout.presenter(), "loss_name": LOSS_NAMES[s.kind],
        "limits": {"max_hidden": MAX_HIDDEN, "max_width": MAX_WIDTH, "max_points": MAX_OWN_POINTS},
        "params": {"pieces": PARAM_RANGES["pieces"][2], "slope": PARAM_RANGES["slope"][2],
                   "alpha": PARAM_RANGES["alpha"][2]},
        "choices": {"data": [[n, p.label] for n, p in datasets.PROBLEMS.items()],
                    "lr": [[v, t] for v, t in LR.items()], "act": [[n, t] for n, t in LABELS.items()]},
        "settings": browser,
        "data": {"id": points.id, "kind": s.kind, "K": s.classes, **points.json(s.kind)},
        "net": run.payload(),
    }


def fmt_loss(x: float) -> str:
    if not math.isfinite(x):
        return "∞" if x > 0 else "nan"
    return f"{x:.3f}" if abs(x) < 1e4 else f"{x:.3g}"


# The live area's elements rerun about once a second while playing: they must not fade meanwhile
# (Streamlit greys out a running fragment's elements after half a second).
LIVE_CSS = "<style>.st-key-pg_live_area [data-stale=true] { opacity: 1 !important; transition: none !important; }</style>"


def show_metrics(s: Settings, live: Live, m: Metrics) -> None:
    cols = st.columns(5)
    cols[0].metric("Epoch", f"{live.epoch:,}", help="As last reported by the browser. One epoch: every training "
                   "point once, in minibatches of B (the last one smaller when B does not divide their number).")
    cols[1].metric("Train loss", fmt_loss(m.train_loss), help=LOSS_NAMES[s.kind])
    cols[2].metric("Test loss", fmt_loss(m.test_loss), help=LOSS_NAMES[s.kind])
    if s.kind == "regression":
        cols[3].metric("Train R²", f"{m.train_score:.3f}")
        cols[4].metric("Test R²", f"{m.test_score:.3f}")
    else:
        cols[3].metric("Train accuracy", f"{100 * m.train_score:.1f}%")
        cols[4].metric("Test accuracy", f"{100 * m.test_score:.1f}%")
    st.caption("These figures are this page's copy of the network (computed again here with explorer.core from the "
               "weights the browser sent); the files, the code below and the exercises use it. While playing it "
               "follows about once a second; the files and the code follow on pause.")


@st.fragment
def live(s: Settings) -> None:
    """The component and what follows the browser's reports (a fragment: a report while playing
    reruns only this part; a change of setting reruns the page, so the sidebar and link follow)."""
    if st.session_state.pop(APP_RERUN, False):
        st.rerun(scope="app")
    run, points = st.session_state[RUN], session_points(s)
    # as one JSON text: Streamlit's own walk through a dict (looking for data frames) costs 15 ms
    mount_component()(key=COMPONENT_KEY, data=json.dumps(payload(s, run, points), separators=(",", ":")),
                      on_report_change=on_report)
    error = st.session_state.get(REPORT_ERROR)
    if error:
        st.warning(error, icon=":material/gpp_bad:")
    live_state = run.live
    if live_state.status == "diverged":
        st.error(live_state.message + " Training is paused.", icon=":material/error:")
    m = st.session_state[METRICS] = pg.evaluate(live_state.net, points, s.features, s.kind)
    show_metrics(s, live_state, m)


# -- files and code -------------------------------------------------------------------------------
def file_config(s: Settings, live: Live, points: Points) -> dict:
    """What a saved network carries besides its weights: the settings that rebuild its data and training."""
    config = {"page": "playground", "data": s.data, "K": s.classes, "noise": s.noise, "points": s.points,
              "train": s.train, "seed": s.seed, "features": list(s.features), "act": s.act, "lr": s.lr, "opt": s.opt,
              "batch": s.batch, "reg": s.reg, "rate": s.rate, "epoch": live.epoch, "steps": live.steps}
    if points.own:
        config["own_points"] = points.json(s.kind)
    return config


def save_section(s: Settings, live: Live, points: Points) -> None:
    st.subheader("Save this network, or take it as code")
    network_downloads(live.net, file_config(s, live, points), "playground-network")
    net, features, kind, X, Y = live.net, s.features, s.kind, points.X_train, points.Y_train

    def numpy_code() -> str:
        return export_code.numpy_script(net, features, kind, X, Y)

    def torch_code() -> str:
        return export_code.pytorch_script(net, features, kind, X, Y)

    c1, c2 = st.columns(2)   # the scripts are written when a button is pressed (deferred), not on every rerun
    c1.download_button("As a numpy script (.py)", lambda: numpy_code().encode(), "playground_numpy.py",
                       "text/x-python", icon=":material/code:", key="_pg_code_numpy", on_click="ignore")
    c2.download_button("As a PyTorch script (.py)", lambda: torch_code().encode(), "playground_torch.py",
                       "text/x-python", icon=":material/code:", key="_pg_code_torch", on_click="ignore")
    if st.toggle("Show the code", key=SHOW_CODE):
        t1, t2 = st.tabs(["numpy", "PyTorch"])
        t1.code(export_code.shorten(numpy_code()), language="python")
        t2.code(export_code.shorten(torch_code()), language="python")
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
    st.session_state[PENDING] = widgets
    st.session_state[LOADED] = Trained("file-" + uploaded.file_id, net, int(meta.get("epoch", 0) or 0),
                                       int(meta.get("steps", 0) or 0), [])
    st.session_state[RESETS] = st.session_state.get(RESETS, 0) + 1
    st.toast(f"Loaded {uploaded.name}: its settings, weights and epoch.", icon=":material/upload:")
    st.rerun()


def check_network(net: MLP, kind: str, features: list) -> None:
    """ValueError (with the reason) if a file's network does not fit this page's network for ``kind``."""
    widths, acts = list(net.arch.widths[:-1]), list(net.arch.activations)
    if net.n_in != len(features) or len(widths) > MAX_HIDDEN or any(w > MAX_WIDTH for w in widths):
        raise ValueError("its network does not fit this page (inputs, layers or widths).")
    if acts[-1] != HEADS[kind] or len(set(acts[:-1])) > 1:
        raise ValueError("its layers do not match this page's network (one hidden activation, the data set's head).")


def settings_from_file(net: MLP, meta: dict) -> dict:
    """Widget values for a file's settings; ValueError (with the reason) if they do not fit this page."""
    if meta.get("page") not in (None, "playground"):
        raise ValueError("this file was saved by another page.")
    data = meta.get("data", "circle")
    if data not in datasets.PROBLEMS:
        raise ValueError("its data set is not one this page offers.")
    kind = datasets.PROBLEMS[data].kind
    features = list(feats.check(meta.get("features") or list(feats.DEFAULT)))
    check_network(net, kind, features)
    widths = list(net.arch.widths[:-1])
    out = {"pg_data": data, "pg_L": len(widths)}
    for key in FILE_SETTINGS:
        if key in meta:
            p = PARAMS[f"pg_{key}"]
            try:
                p.parse(p.label_of(meta[key]) if p.kind == "choice" else str(meta[key]))
            except (ValueError, OverflowError):
                raise ValueError(f"its setting {key} = {meta[key]!r} is not {p.describe()}.") from None
            out[p.key] = meta[key]
    if widths:
        out["pg_act"] = net.arch.activations[0]
    for i, w in enumerate(widths, start=1):
        out[f"pg_w{i}"] = w
    for name in feats.NAMES:
        out[f"pg_{name}"] = name in features
    if meta.get("own_points") is not None:
        st.session_state[OWN] = own_points_from_file(meta, data, kind)
    return out


def own_points_from_file(meta: dict, data: str, kind: str) -> Points:
    """The student's points saved in a file, for the data settings the file names."""
    K = int(meta.get("K", 2)) if kind == "multiclass" else 2
    Xtr, Ytr, Xte, Yte = pg.parse_points(meta["own_points"], kind, K, LIMITS)
    key = (data, K, meta.get("noise", PARAMS.noise.default), meta.get("points", PARAMS.points.default),
           meta.get("train", PARAMS.train.default), meta.get("seed", PARAMS.seed.default))
    return Points(key, "own-file", Xtr, Ytr, Xte, Yte)


# -- shapes and parameters ------------------------------------------------------------------------
def show_shapes(s: Settings) -> None:
    arch = arch_of(s)
    st.subheader("Shapes and parameters of this network")
    t1, t2 = st.columns([1.5, 1], gap="medium")
    with t1:
        show_table(shapes.layer_table(arch, s.batch, with_Z=False))
    with t2:
        m1, m2 = st.columns(2)
        m1.metric("Parameters", f"{arch.n_params:,}", help="Exact: the sum of every W and b size.")
        m2.metric("As a formula in N", arch.formula().replace("+", " + "))
        st.caption(f"N = {len(s.features)} features ({', '.join(feats.labels(s.features))}), one minibatch of "
                   f"B = {s.batch} columns. The batch size changes the shapes of a, never the parameters.")
    st.markdown("**Number of parameters, line by line** (activations add none):")
    shapes.derivation(arch)


def header() -> None:
    layout.page_header(
        "Playground",
        "Train a small network on points of the plane, as in TensorFlow Playground, in the lecture's notation: "
        "**X** is *[N, B]*, **a = f(W a + b)**. It trains in your browser.",
        "press ▶ on the circle; then pick *spiral*, click x₁² or sin(x₁) in the diagram, or remove the hidden "
        "layers.",
        "first-layer units draw straight lines over the plane; later layers bend them into curves.",
    )


def exercises(s: Settings) -> list[Exercise]:
    def run() -> Run:
        return st.session_state[RUN]

    def metrics() -> Metrics:
        return st.session_state.get(METRICS) or Metrics()

    return [
        Exercise("Remove every hidden layer and train on the circle. Why can it not succeed with x₁ and x₂ alone?",
                 "With no hidden layer the network is logistic regression: its boundary is one straight line, and "
                 "no line separates a disc from a ring. Add the features x₁² and x₂² and it can (a circle is a "
                 "line in those features): feature engineering against learning.",
                 check=lambda: not s.widths and s.data == "circle"),
        Exercise("Make the training diverge, then bring it back.",
                 "On a regression data set (the plane or the bumps), plain SGD with a large learning rate (10) "
                 "makes the loss explode to nan within a few hundred steps: the page pauses and says so. Lower "
                 "the rate and press reset. (The classifiers' cross-entropy on the circle stays bounded.)",
                 check=lambda: run().live.status == "diverged"),
        Exercise("Train the spiral with as few parameters as you can while reaching 90% test accuracy.",
                 "Hand-made features help most: with x₁, x₂, sin(x₁) and sin(x₂), one hidden layer of 8 tanh "
                 "units gets past 90% with Adam in a few dozen epochs; with x₁ and x₂ alone, deeper networks "
                 "need far longer training to get there.",
                 check=lambda: s.data == "spiral" and metrics().test_score >= 0.9),
    ]


# ---------------------------------------------------------------------------------------------------
if SID not in st.session_state:
    st.session_state[SID] = secrets.token_hex(8)
P = open_settings(Settings)
st.session_state.pop(APP_RERUN, None)   # this is a full run already (a fragment run skips this line)
apply_pending()
header()
sidebar(P)
s = st.session_state[SETTINGS] = read(Settings)
run = session_run(s)
st.html(LIVE_CSS)
with st.container(key="pg_live_area"):
    live(s)
save_section(s, run.live, session_points(s))
show_shapes(s)
load_file()
layout.finish_page(PAGE, P.values(), exercises(s))
