"""Playground: train a small network on 2-D data and watch every unit and the boundary change."""
import math
import time

import numpy as np
import streamlit as st

from explorer.charts import playground as charts
from explorer.charts.network import shown_units
from explorer.core import datasets
from explorer.core import features as feats
from explorer.core.activations import LABELS
from explorer.core.architecture import Architecture
from explorer.core.mlp import HEADS, MLP
from explorer.core.train import Trainer
from explorer.ui import layout, shapes
from explorer.ui.exercises import Exercise
from explorer.ui.network_files import network_downloads, network_upload_into
from explorer.ui.url_state import Param, number, select, sanitize, show_notes, slider, toggle

PAGE = "playground"
MAX_HIDDEN, MAX_WIDTH = 6, 32
DEFAULT_WIDTHS = [4, 2, 4, 4, 4, 4]
EXTENT = 6.0            # the plane shown: [-6, 6]², data within about ±5 (TensorFlow Playground's)
GRID_STEPS = 50         # the output and every unit are evaluated on GRID_STEPS² points
TICK = 0.1              # seconds between updates while playing: 10 updates per second
TRAIN_BUDGET = 0.03     # seconds of training per update at most (whole epochs when they fit)
MAX_EPOCHS_PER_TICK = 5
CURVE_POINTS = 1500     # the loss history is thinned beyond this
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
}
for _name in feats.NAMES:
    P[f"pg_{_name}"] = Param(f"pg_{_name}", _name in feats.DEFAULT, "bool")
for _i in range(1, MAX_HIDDEN + 1):
    P[f"pg_w{_i}"] = Param(f"pg_w{_i}", DEFAULT_WIDTHS[_i - 1], "int", 1, MAX_WIDTH)

# Per-session state (never module level): the run, whether it plays, a pending button action.
RUN, RUNNING, NOTE, TIMING = "_pg_run", "_pg_running", "_pg_note", "_pg_timing"
PENDING, APP_RERUN = "_pg_pending", "_pg_app_rerun"


# -- controls ------------------------------------------------------------------------------
def read_controls() -> dict:
    """The data, features and network widgets (in the sidebar, beside the figures); their settings."""
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
        st.markdown("**Features** (the network's inputs X)")
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
        st.markdown("**Network**")
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
    return cfg


def read_training() -> dict:
    """The training widgets (sidebar, under the network)."""
    cfg = {}
    with st.sidebar:
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
    return cfg


# -- the run: a Trainer kept in the session, keyed by the configuration -----------------------
@st.cache_data(max_entries=32, show_spinner=False)
def load_split(name: str, n: int, noise: float, train_share: float, seed: int, K: int) -> datasets.Split:
    return datasets.make(name, n=n, noise=noise, train_share=train_share, seed=seed, classes=K)


def network_key(cfg: dict) -> tuple:
    """Settings that make a new network (a reset): data, features, layers, activation, seed."""
    return (cfg["data"], cfg["K"], cfg["noise"], cfg["points"], cfg["train"], cfg["seed"],
            cfg["features"], cfg["widths"], cfg["act"])


def training_key(cfg: dict) -> tuple:
    """Settings a running network takes over without losing its weights."""
    return (cfg["lr"], cfg["opt"], cfg["batch"], cfg["reg"], cfg["rate"])


def make_trainer(cfg: dict, net: MLP, split: datasets.Split, Phi_train, Phi_test) -> Trainer:
    reg = {"l1": 0.0, "l2": 0.0}
    if cfg["reg"] != "none":
        reg[cfg["reg"]] = cfg["rate"]
    return Trainer(net, Phi_train, split.Y_train, split.kind, optimiser=cfg["opt"], lr=cfg["lr"],
                   batch_size=cfg["batch"], seed=cfg["seed"] + 2, X_test=Phi_test, Y_test=split.Y_test, **reg)


def new_run(cfg: dict) -> dict:
    """A fresh seeded network and trainer for ``cfg``, at epoch 0."""
    split = load_split(cfg["data"], cfg["points"], cfg["noise"], cfg["train"] / 100, cfg["seed"], cfg["K"])
    Phi_train = feats.feature_map(split.X_train, cfg["features"])
    Phi_test = feats.feature_map(split.X_test, cfg["features"])
    hidden = list(cfg["widths"])
    net = MLP(len(cfg["features"]), hidden + [split.n_out], [cfg["act"]] * len(hidden) + [HEADS[split.kind]],
              seed=cfg["seed"] + 1)
    trainer = make_trainer(cfg, net, split, Phi_train, Phi_test)
    g, _, G = datasets.grid(EXTENT * (1 - 1 / GRID_STEPS), GRID_STEPS)   # pixel centres of [-6, 6]²
    run = {"key": network_key(cfg), "tkey": training_key(cfg), "trainer": trainer, "split": split,
           "Phi_train": Phi_train, "Phi_test": Phi_test, "g": g, "Phi_grid": feats.feature_map(G, cfg["features"]),
           "epoch": 0.0, "curve": []}
    record(run)
    return run


def retune(run: dict, cfg: dict) -> None:
    """New training settings for the same network: the weights, step and epoch counts (and Adam's state) stay."""
    reg = {"l1": 0.0, "l2": 0.0}
    if cfg["reg"] != "none":
        reg[cfg["reg"]] = cfg["rate"]
    run["trainer"].retune(lr=cfg["lr"], optimiser=cfg["opt"], batch_size=cfg["batch"], **reg)
    run["tkey"] = training_key(cfg)


def steps_per_epoch(run: dict) -> int:
    t = run["trainer"]
    n = t.X.shape[1]
    return math.ceil(n / max(1, min(t.batch_size or n, n)))


def record(run: dict) -> dict:
    """Evaluate on train and test, append to the loss curve (thinned when long)."""
    metrics = run["trainer"].evaluate()
    run["metrics"] = metrics
    run["curve"].append((run["epoch"], metrics.get("train_loss", np.nan), metrics.get("test_loss", np.nan)))
    if len(run["curve"]) > CURVE_POINTS:
        run["curve"] = run["curve"][:1] + run["curve"][1:-1:2] + run["curve"][-1:]
    return metrics


def advance(run: dict, epochs: float = 1.0, budget: float | None = None) -> int:
    """Train ``epochs`` epochs (stopping early once ``budget`` seconds have passed); return the steps."""
    trainer, per_epoch = run["trainer"], steps_per_epoch(run)
    todo, done = max(1, round(epochs * per_epoch)), 0
    start = time.perf_counter()
    while done < todo and trainer.status != "diverged":
        n = min(todo - done, per_epoch, 10)
        before = trainer.steps
        trainer.train_steps(n)
        done += trainer.steps - before
        run["epoch"] += (trainer.steps - before) / per_epoch
        if budget is not None and time.perf_counter() - start > budget:
            break
    record(run)
    return done


def session_run(cfg: dict) -> dict:
    """This session's run for ``cfg``: kept across reruns, pauses and plays; reset when the network changes."""
    run = st.session_state.get(RUN)
    if run is None or run["key"] != network_key(cfg):
        if run is not None:
            st.session_state[NOTE] = "The data, features or network changed: a new network starts at epoch 0."
            st.session_state[RUNNING] = False
        run = st.session_state[RUN] = new_run(cfg)
    elif run["tkey"] != training_key(cfg):
        if run["trainer"].status == "diverged":
            run = st.session_state[RUN] = new_run(cfg)
            st.session_state[NOTE] = "New training settings after a divergence: the network starts again at epoch 0."
        else:
            retune(run, cfg)
            st.session_state[NOTE] = "New training settings: training goes on from the current weights."
    return run


# -- buttons -------------------------------------------------------------------------------
def on_play() -> None:
    st.session_state[RUNNING] = not st.session_state.get(RUNNING, False)
    st.session_state[APP_RERUN] = True   # the fragment's timer starts or stops with a rerun of the page


def on_step() -> None:
    pause()
    st.session_state[PENDING] = "step"


def on_reset() -> None:
    pause()
    st.session_state.pop(RUN, None)
    st.session_state[NOTE] = "Reset: the same seeded first weights, epoch 0."


def pause() -> None:
    if st.session_state.get(RUNNING):
        st.session_state[RUNNING] = False
        st.session_state[APP_RERUN] = True


# -- what the fragment draws ----------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def canvas_component():
    """The component that draws the figure specs of explorer.charts.playground (registered once)."""
    return st.components.v2.component("pg_canvas", js=charts.CANVAS_JS, css=charts.CANVAS_CSS)


def show_canvas(spec: dict, key: str) -> None:
    """Draw ``spec``; the same key every update, so the canvas is redrawn in place."""
    canvas_component()(data=spec, key=key)


# -- every unit over the plane --------------------------------------------------------------
def grid_forward(net: MLP, Phi: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """``net.forward_all(Phi)`` for the GRID_STEPS² grid points, layer by layer (Z = W a + b, a = f(Z)).

    The products run through einsum rather than BLAS: on a busy server, multi-threaded BLAS
    on these [32, 2500] products is ten times slower than one plain loop.
    """
    outs, a = [], Phi
    with np.errstate(all="ignore"):
        for layer in net.layers:
            Z = np.einsum("ij,jk->ik", layer.W, a) + layer.b
            a = layer.activate(Z)
            outs.append((Z, a))
    return outs


def unit_columns(run: dict, cfg: dict) -> tuple[list[dict], list[np.ndarray], list[tuple[bool, np.ndarray]]]:
    """Columns of unit pictures for the diagram, the shown weights, and per hidden layer
    (whether the diagram leaves units out, every unit's picture)."""
    net, kind = run["trainer"].net, run["split"].kind
    H = GRID_STEPS
    outs = grid_forward(net, run["Phi_grid"])
    run["grid_out"] = outs[-1][1]
    names = feats.labels(cfg["features"])
    F = len(names)
    shown = shown_units(F)
    inputs = charts.unit_rgb(run["Phi_grid"].reshape(F, H, H)[:, ::2, ::2])
    columns = [{"header": ("X", f"N = {F}"), "n": F, "shown": shown, "names": [names[i] for i in shown],
                "pics": [inputs[i] for i in shown]}]
    gallery = []
    last = len(outs)
    for l, ((Z, a), layer) in enumerate(zip(outs, net.layers), start=1):
        n = a.shape[0]
        shown = shown_units(n)
        act = layer.activation
        values = a.reshape(n, H, H)[:, ::2, ::2]
        if l < last:
            pics = charts.unit_rgb(values, act)
            gallery.append((n > len(shown), pics))
            header = (f"a[{l}]", f"{n} · {LABELS.get(act, act)}")
        else:
            pics = charts.to_rgb(values, -1.0 if kind == "regression" else 0.0, 1.0)
            header = ("ŷ", f"{n} · {'σ' if act == 'sigmoid' else act}")
        columns.append({"header": header, "n": n, "shown": shown, "names": None, "pics": [pics[i] for i in shown]})
    weights = []
    for l, layer in enumerate(net.layers):
        W = layer.W[:layer.spec.n_out]   # maxout: the first piece of each unit
        weights.append(W[np.ix_(columns[l + 1]["shown"], columns[l]["shown"])])
    return columns, weights, gallery


def output_values(run: dict) -> np.ndarray:
    """The network's output over the plane: [H, W] (binary P(y=1), regression ŷ) or [K, H, W].

    (From the grid pass of :func:`unit_columns`, which runs first.)"""
    H = GRID_STEPS
    out = run["grid_out"]
    return out.reshape(out.shape[0], H, H) if run["split"].kind == "multiclass" else out[0].reshape(H, H)


def fmt_loss(x: float) -> str:
    """A loss for a metric: 3 decimals, or scientific when huge, or ∞ / nan."""
    if not math.isfinite(x):
        return "∞" if x > 0 else "nan"
    return f"{x:.3f}" if abs(x) < 1e4 else f"{x:.3g}"


def show_metrics(run: dict, cols) -> None:
    m, kind = run["metrics"], run["split"].kind
    trainer = run["trainer"]
    cols[0].metric("Epoch", f"{int(run['epoch'] + 1e-9):,}", help=f"Step {trainer.steps:,}: one epoch is "
                   f"{steps_per_epoch(run)} minibatch steps of B = {min(trainer.batch_size or 1, trainer.X.shape[1])}.")
    cols[1].metric("Train loss", fmt_loss(m.get("train_loss", float("nan"))), help=LOSS_NAMES[kind])
    cols[2].metric("Test loss", fmt_loss(m.get("test_loss", float("nan"))), help=LOSS_NAMES[kind])
    if kind != "regression":
        cols[3].metric("Train accuracy", f"{100 * m.get('train_accuracy', float('nan')):.1f}%")
        cols[4].metric("Test accuracy", f"{100 * m.get('test_accuracy', float('nan')):.1f}%")


def live(cfg: dict) -> None:
    """The part that trains and redraws: a fragment, rerun every TICK seconds while playing.

    Its buttons rerun only the fragment; starting or stopping the timer reruns the page.
    """
    start = time.perf_counter()
    if st.session_state.pop(APP_RERUN, False):
        st.rerun()
    run = st.session_state.get(RUN)
    if run is None:  # after Reset
        run = st.session_state[RUN] = new_run(cfg)
    trainer = run["trainer"]
    note = st.session_state.pop(NOTE, None)
    if note:
        st.toast(note, icon=":material/info:")
    running = bool(st.session_state.get(RUNNING)) and trainer.status != "diverged"
    bar = st.columns([0.5, 0.5, 0.5, 0.9, 1, 1, 1, 1], vertical_alignment="center")
    bar[0].button("", icon=":material/pause:" if running else ":material/play_arrow:", key="pg_play",
                  on_click=on_play, type="primary", help="Pause" if running else "Play: train continuously",
                  width="stretch")
    bar[1].button("", icon=":material/skip_next:", key="pg_step", on_click=on_step, width="stretch",
                  help="One epoch: every training point once, in minibatches of B")
    bar[2].button("", icon=":material/restart_alt:", key="pg_reset", on_click=on_reset, width="stretch",
                  help="Back to the seeded first weights, epoch 0")
    steps = 0
    if st.session_state.pop(PENDING, None) == "step":
        steps = advance(run, 1.0)
    elif running:
        steps = advance(run, MAX_EPOCHS_PER_TICK, budget=TRAIN_BUDGET)
    trained = time.perf_counter()
    show_metrics(run, bar[3:])
    if trainer.status == "diverged":
        st.error(trainer.message + " Training is paused.", icon=":material/error:")
        if st.session_state.get(RUNNING):
            st.session_state[RUNNING] = False
            st.rerun()  # the whole page: the timer stops
    split, kind = run["split"], run["split"].kind
    columns, weights, gallery = unit_columns(run, cfg)
    scale = 1.3 if layout.presenter() else 1.0
    left, right = st.columns([1, 1.1], gap="small")
    with left:
        show_canvas(charts.network_spec(columns, weights, "The network: each unit over the plane",
                                        scale=scale), "pg_fig_network")
    with right:
        titles = {"binary": "Output: P(y = 1 | x)", "multiclass": "Output: argmax class (paler = less sure)",
                  "regression": "Output: ŷ over the plane"}
        test = (split.X_test, split.Y_test) if cfg["show_test"] else None
        show_canvas(charts.output_spec(run["g"], output_values(run), kind, (split.X_train, split.Y_train), test,
                                       titles[kind], scale=scale), "pg_fig_output")
    curve = np.array(run["curve"], dtype=float)
    c1, c2 = st.columns([1, 1.1], gap="small")
    with c1:
        show_canvas(charts.loss_spec(curve[:, 0], curve[:, 1], curve[:, 2], LOSS_NAMES[kind], scale=scale),
                    "pg_fig_loss")
    with c2:
        if any(cut for cut, _ in gallery):   # the diagram leaves units out: show them all here
            tiles = charts.tiles([list(pics[:, ::2, ::2]) for _, pics in gallery])
            st.html(f'<img src="{charts.png_uri(tiles)}" alt="every hidden unit" '
                    f'style="width:{3 * tiles.shape[1]}px; max-width:100%; image-rendering:pixelated">')
            st.caption("Every hidden unit, one row per layer (a[1] at the top): the diagram shows only "
                       "the first and last units of a wide layer.")
        st.caption("Each small picture is one unit's output a over the plane x₁, x₂ ∈ [−6, 6]: blue > 0, "
                   "red < 0, white 0 (tanh and σ on a fixed scale from −1 to 1, others scaled to their largest "
                   "value). Edges: blue w > 0, red w < 0, thicker = larger |w|. The first layer combines "
                   "the inputs into lines; later layers combine lines into curves.")
        done = time.perf_counter()
        ticks = (st.session_state.get(TIMING) or {}).get("ticks", [])[-19:] + [time.time()] if running else []
        st.session_state[TIMING] = {"steps": steps, "train_ms": 1000 * (trained - start),
                                    "total_ms": 1000 * (done - start), "ticks": ticks}
        rate = f", {(len(ticks) - 1) / (ticks[-1] - ticks[0]):.1f} updates/s" if len(ticks) > 5 else ""
        st.caption(f"Server time of this update: {1000 * (done - start):.0f} ms ({steps} training steps in "
                   f"{1000 * (trained - start):.0f} ms, drawing {1000 * (done - trained):.0f} ms{rate}).")


# -- shapes and parameters ------------------------------------------------------------------
def show_shapes(cfg: dict) -> None:
    kind = cfg["kind"]
    n_out = cfg["K"] if kind == "multiclass" else 1
    F = len(cfg["features"])
    arch = Architecture(F, list(cfg["widths"]) + [n_out], [cfg["act"]] * len(cfg["widths"]) + [HEADS[kind]])
    B = cfg["batch"]
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


# ---------------------------------------------------------------------------------------------
sanitize(list(P.values()), PAGE)
layout.page_header(
    "Playground",
    "Train a small network on points of the plane, as in TensorFlow Playground, in the lecture's notation: "
    "**X** is *[N, B]*, **a = f(W a + b)**.",
    "press ▶ on the circle; then pick *spiral*, add x₁², x₂² or sin features, or remove the hidden layers.",
    "first-layer units draw straight lines over the plane; later layers bend them into curves.",
)
show_notes(PAGE)

cfg = read_controls()
cfg.update(read_training())
run = session_run(cfg)
running = bool(st.session_state.get(RUNNING, False)) and run["trainer"].status != "diverged"
st.fragment(live, run_every=TICK if running else None)(cfg)
show_shapes(cfg)

st.subheader("Save this network")
network_downloads(run["trainer"].net, {"page": "playground", "data": cfg["data"], "features": list(cfg["features"]),
                                       "steps": run["trainer"].steps}, "playground-network")
st.caption("The .npz holds every W and b after the steps trained so far, with its configuration; the JSON is "
           "the configuration alone. In a notebook: `explorer.core.serialize.load_network(open(path, 'rb').read())`.")
if network_upload_into(run["trainer"].net, "playground"):
    pause()
    st.rerun()

layout.finish_page(PAGE, P.values(), [
    Exercise("Remove every hidden layer and train on the circle. Why can it not succeed with x₁ and x₂ alone?",
             "With no hidden layer the network is logistic regression: its boundary is one straight line, and "
             "no line separates a disc from a ring. Add the features x₁² and x₂² and it can (a circle is a "
             "line in those features): feature engineering against learning.",
             check=lambda: not cfg["widths"] and cfg["data"] == "circle"),
    Exercise("Make the training diverge, then bring it back.",
             "Plain SGD with a large learning rate (e.g. 3 or more) makes the loss explode to nan: the page "
             "pauses and says so. Lower the rate and press reset.",
             check=lambda: run["trainer"].status == "diverged"),
    Exercise("Train the spiral with as few parameters as you can while reaching 90% test accuracy.",
             "Hand-made features help most: with sin(x₁), sin(x₂) and x₁x₂ a single hidden layer of about 8 "
             "units can do it; with x₁, x₂ only, two or three layers are needed.",
             check=lambda: cfg["data"] == "spiral"
             and (run["trainer"].history[-1].get("test_accuracy", 0) if run["trainer"].history else 0) >= 0.9),
])
