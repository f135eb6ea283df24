"""Universal approximation: one hidden layer, enough units, any continuous curve (Hornik, 1991)."""
import numpy as np
import streamlit as st

from explorer.charts import approximation as charts
from explorer.charts.style import FONT_SIZE, PRESENTER_SCALE
from explorer.core import approximation as ua
from explorer.core.activations import ACTIVATIONS, LABELS
from explorer.ui import layout
from explorer.ui.exercises import Exercise
from explorer.ui.network_files import network_downloads, network_upload_into
from explorer.ui.url_state import Param, current, number, sanitize, select, show_notes, slider

PAGE = "ua"
TICK_SECONDS = 0.5           # how often the live panel advances while playing (server and browser friendly)
MAX_STEPS = 20_000           # training pauses here (server time is shared)
DRAW_POINTS = 151            # points per drawn curve (what is sent to the browser on every update)
RUN_KEY, PLAYING_KEY, SWEEPS_KEY = "ua_run", "ua_playing", "ua_sweeps"   # session state, not URL
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
TARGET_LABELS = {name: "|x|" if name == "abs" else name for name in ua.TARGETS}   # shown, and in the URL

P = {
    "target": Param.choice("ua_target", "sine", TARGET_LABELS),
    "noise": Param("ua_noise", 0.0, "float", 0.0, 0.5),
    "width": Param("ua_width", 16, "int", 1, ua.MAX_WIDTH),
    "act": Param.choice("ua_act", "tanh", LABELS),
    "lr": Param.choice("ua_lr", ua.DEFAULT_LR, {lr: f"{lr:g}" for lr in LEARNING_RATES}),
    "spt": Param("ua_spt", 50, "int", 5, 500),
    "seed": Param("ua_seed", 0, "int", 0, 999_999),
}


# -- training state: one run per session, keyed by its configuration ----------------
def run_for(cfg: tuple) -> dict:
    """This session's run for ``cfg`` = (target, width, activation, noise, lr, seed); a new one if it changed."""
    slot = st.session_state.get(RUN_KEY)
    if slot is None or slot["cfg"] != cfg:
        target, width, activation, noise, lr, seed = cfg
        trainer = ua.make_trainer(target, width, activation, noise, lr, seed)
        first = trainer.evaluate()
        slot = {"cfg": cfg, "trainer": trainer,
                "curve": {"step": [0], "mse": [ua.grid_mse(trainer.net, target)], "loss": [first["train_loss"]]}}
        st.session_state[RUN_KEY] = slot
    return slot


def advance(slot: dict, n: int) -> None:
    """``n`` more Adam steps (fewer at MAX_STEPS; none once diverged), and record the errors."""
    trainer = slot["trainer"]
    n = min(int(n), MAX_STEPS - trainer.steps)
    if n <= 0 or trainer.status == "diverged":
        return
    metrics = trainer.step(n)
    curve = slot["curve"]
    curve["step"].append(trainer.steps)
    curve["mse"].append(ua.grid_mse(trainer.net, slot["cfg"][0]) if trainer.status != "diverged" else float("nan"))
    curve["loss"].append(metrics.get("train_loss", float("nan")))


def finished(slot: dict) -> bool:
    trainer = slot["trainer"]
    return trainer.status == "diverged" or trainer.steps >= MAX_STEPS


def on_play() -> None:
    st.session_state[PLAYING_KEY] = not st.session_state.get(PLAYING_KEY, False)


def on_step() -> None:
    slot = st.session_state.get(RUN_KEY)
    if slot is not None:
        advance(slot, current(P["spt"]))


def on_reset() -> None:
    st.session_state.pop(RUN_KEY, None)
    st.session_state[PLAYING_KEY] = False


def on_sweep(key: tuple) -> None:
    st.session_state.setdefault(SWEEPS_KEY, set()).add(key)


@st.cache_data(max_entries=512, show_spinner=False)
def sweep_point(target, width, activation, steps, lr, seed, noise):
    """One width of the sweep (cached: every session asking for the same point shares it)."""
    return ua.fit_width(target, width, activation, steps, lr, seed, noise)


# ---------------------------------------------------------------------------------------
sanitize(list(P.values()), PAGE)
layout.page_header(
    "Universal approximation",
    "Can an MLP approximate any function? **Yes: one hidden layer with enough units** gets as close as "
    "you like to any continuous function on a closed interval (Hornik, 1991). Here a 1 → width → 1 "
    "network learns a curve, and you see the sum it builds.",
    "press **Play** and watch the thin lines (one per hidden unit) add up to the orange fit; then drop "
    "the width to 2 or 4, switch f to ReLU, or pick the step or the sawtooth.",
    "the fit is exactly the sum of the units plus b^[2]: smooth bumps and steps for tanh and σ, kinks "
    "for ReLU. More units give more pieces and a smaller error; with the identity f it is a straight line.",
)
show_notes(PAGE)

playing = bool(st.session_state.get(PLAYING_KEY, False))
controls, main = st.columns([1.1, 2.6], gap="medium")
with controls, st.container(border=True):
    st.button("Pause" if playing else "Play", key="ua_play", on_click=on_play, width="stretch",
              icon=":material/pause:" if playing else ":material/play_arrow:", type="primary",
              help="Train continuously: one update (the steps per update below) every "
                   f"{TICK_SECONDS:g} s, until {MAX_STEPS:,} steps.")
    b1, b2 = st.columns(2)
    b1.button("Step", key="ua_step", on_click=on_step, width="stretch",
              help="One update: 'Adam steps per update' steps.")
    b2.button("Reset", key="ua_reset", on_click=on_reset, width="stretch",
              help="Back to step 0: the same seeded starting weights.")
    target = select(P["target"], "Target function y(x)")
    st.latex(ua.TARGETS[target].latex)
    noise = float(slider(P["noise"], "Noise on the samples, σ", step=0.05))
    width = int(slider(P["width"], "Hidden units (width)"))
    activation = select(P["act"], "Activation f of the hidden layer")
    lr = float(select(P["lr"], "Learning rate (Adam)"))
    spt = int(slider(P["spt"], "Adam steps per update", step=5))
    seed = int(number(P["seed"], "Seed (weights and noise)", step=1))

cfg = (target, width, activation, noise, lr, seed)
x_draw = ua.grid(DRAW_POINTS)
y_draw = ua.target_values(target, x_draw)
samples = ua.make_data(target, ua.N_SAMPLES, noise, seed) if noise > 0 else None
f_label = ACTIVATIONS[activation].label
font_size = round(FONT_SIZE * PRESENTER_SCALE) if layout.presenter() else FONT_SIZE


@st.fragment(run_every=TICK_SECONDS if playing else None)
def live_panel() -> None:
    """Advance (while playing) and draw the fit, its units and the error so far."""
    slot = run_for(cfg)
    if st.session_state.get(PLAYING_KEY, False):
        if not finished(slot):
            advance(slot, spt)
        if finished(slot):
            st.session_state[PLAYING_KEY] = False
            st.rerun(scope="app")   # the Play button shows Play again, the timer stops
    trainer, curve = slot["trainer"], slot["curve"]
    net = trainer.net
    m1, m2, m3 = st.columns(3)
    m1.metric("Adam steps", f"{trainer.steps:,}")
    m2.metric("MSE vs target", f"{curve['mse'][-1]:.1e}",
              help=f"Mean of (ŷ(x) − y(x))² over {ua.GRID_POINTS:,} evenly spaced x in [−3, 3], "
                   "against the noise-free target.")
    m3.metric("Training loss", f"{curve['loss'][-1]:.1e}",
              help=f"Mean squared error on the {ua.N_SAMPLES} training samples (with their noise).")
    if trainer.status == "diverged":
        st.error(trainer.message, icon=":material/error:")
        return
    C, b2 = ua.contributions(net, x_draw)
    y_hat = ua.predict(net, x_draw)
    gap = float(np.max(np.abs(C.sum(axis=0) + b2 - y_hat)))
    title = f"{ua.TARGETS[target].label}; 1 → {width} → 1, f = {f_label}; step {trainer.steps:,}"
    layout.show_figure(charts.fit_and_units(x_draw, y_draw, y_hat, C, b2, net.layers[1].W[0], samples, title,
                                            font_size),
                       "universal-approximation-fit", key="ua_fit_chart")
    st.latex(rf"\hat{{y}}(x) = \sum_{{j=1}}^{{{width}}} \underbrace{{w^{{[2]}}_j\, f\!\left(w^{{[1]}}_j u + "
             rf"b^{{[1]}}_j\right)}}_{{c_j(x)}} \;+\; b^{{[2]}}, \qquad u = x / 3")
    st.markdown(f":material/check_circle: **The thin lines plus b^[2] add up to the orange curve**: at every "
                f"drawn x, Σ c_j(x) + b^[2] and the network's forward pass ŷ(x) differ by at most "
                f"**{gap:.0e}** (rounding).")
    if activation == "identity":
        st.info("With the identity f every c_j(x) is a straight line, so their sum is one too: the fit is "
                "the best straight line, whatever the width. Nonlinearity is what lets the units bend "
                "(see [Why nonlinearity](collapse)).", icon=":material/linear_scale:")
    if trainer.steps >= MAX_STEPS:
        st.info(f"Paused at {MAX_STEPS:,} steps, this page's limit. Reset to start again.",
                icon=":material/pause_circle:")
    if len(curve["step"]) > 1:
        layout.show_figure(charts.error_curve(curve["step"], curve["mse"], curve["loss"], font_size=font_size),
                           "universal-approximation-error", key="ua_error_chart")


with main:
    live_panel()
    net = run_for(cfg)["trainer"].net
    (W1, b1), (W2, _) = [(layer.W.shape, layer.b.shape) for layer in net.layers]
    st.caption(f"{net.n_params:,} parameters: W^[1] {W1[0]}×{W1[1]}, b^[1] {b1[0]}×1, W^[2] {W2[0]}×{W2[1]}, "
               "b^[2] 1×1" + (f" (maxout: {net.arch.pieces} pieces per unit)" if activation == "maxout" else "")
               + f". Trained on {ua.N_SAMPLES} evenly spaced samples in [−3, 3] with full-batch Adam on "
               "the mean squared error. The hidden units start spread over the range (each bends at a "
               "random point in [−3, 3]); the seed fixes them, so a link reproduces the run.")

st.subheader("What the theorem says, and what it does not")
t1, t2 = st.columns(2)
with t1:
    st.markdown(
        "**Hornik (1991)**, *Approximation Capabilities of Multilayer Feedforward Networks*, "
        "Neural Networks 4(2), 251–257, "
        "[doi:10.1016/0893-6080(91)90009-T](https://doi.org/10.1016/0893-6080(91)90009-T).\n\n"
        "A network with **one hidden layer** and a **nonlinear, bounded, nonconstant** activation "
        "(σ, tanh) can approximate any continuous function on a closed, bounded input range as closely "
        "as you like, **provided it has enough hidden units**. The depth stays one; the width is what "
        "grows (the slide's *arbitrary width*).")
with t2:
    st.markdown(
        "**It does not say how many units** a given accuracy needs, **nor how to find the weights**: "
        "it proves that good weights exist, not that gradient descent reaches them. A run can stall "
        "with units to spare; and nothing is promised outside the interval it was fitted on.\n\n"
        "ReLU is unbounded, so the 1991 statement does not cover it; Leshno, Lin, Pinkus and Schocken "
        "(1993) showed that any activation that is not a polynomial will do. The identity *is* a "
        "polynomial: with it the fit is a straight line at any width "
        "([Why nonlinearity](collapse)). The step and the sawtooth jump, so no network of continuous "
        "units matches them everywhere; the error *on average* (Hornik's L^p result) still shrinks.")

st.subheader("More units, smaller error")
st.markdown(
    f"Train a fresh network for each width **{', '.join(str(w) for w in ua.WIDTHS)}** with the settings "
    f"above (target, f, noise, learning rate, seed), each for **{ua.SWEEP_STEPS:,} full-batch Adam steps**, "
    f"and plot the final mean squared error against the target on {ua.GRID_POINTS:,} points.")
sweep_key = (target, activation, float(lr), seed, noise)
st.button(f"Train widths 1 to {ua.MAX_WIDTH}", key="ua_sweep", on_click=on_sweep, args=(sweep_key,),
          icon=":material/stacked_line_chart:", type="primary")
if sweep_key in st.session_state.get(SWEEPS_KEY, set()):
    bar = st.progress(0.0, text="Training one network per width…")
    errors = []
    for i, w in enumerate(ua.WIDTHS):
        errors.append(sweep_point(target, w, activation, ua.SWEEP_STEPS, float(lr), seed, noise)[0])
        bar.progress((i + 1) / len(ua.WIDTHS), text=f"Trained width {w}")
    bar.empty()
    layout.show_figure(charts.error_vs_width(ua.WIDTHS, errors, ua.SWEEP_STEPS,
                                             current=width if width in ua.WIDTHS else None,
                                             font_size=font_size),
                       "universal-approximation-error-vs-width", key="ua_sweep_chart")
    first, last = errors[0], errors[-1]
    if not (np.isfinite(first) and np.isfinite(last)):
        st.caption("Some widths diverged (shown as gaps): lower the learning rate.")
    elif last > 0 and first / last >= 2:
        st.caption(f"MSE with 1 unit: {first:.2e}; with {ua.WIDTHS[-1]} units: {last:.2e} "
                   f"({first / last:,.0f}× smaller). Any bumps in the curve come from the optimiser and the "
                   "fixed step budget, not from the theorem: it only promises that small errors exist.")
    else:
        st.caption(f"MSE with 1 unit: {first:.2e}; with {ua.WIDTHS[-1]} units: {last:.2e}: no real gain. "
                   + ("With the identity f more units still add up to one straight line." if activation == "identity"
                      else "These settings do not let the extra units help within the step budget; "
                           "try another learning rate or activation."))

st.subheader("Save this network")
_trainer = run_for(cfg)["trainer"]
network_downloads(_trainer.net, {"page": "universal-approximation", "target": target, "input_scale": "u = x / 3",
                                 "steps": _trainer.steps}, "universal-approximation-network")
if network_upload_into(_trainer.net, "universal-approximation"):
    _slot = run_for(cfg)   # the curve restarts from the loaded weights
    _slot["curve"] = {"step": [_trainer.steps], "mse": [ua.grid_mse(_trainer.net, target)],
                      "loss": [_trainer.evaluate()["train_loss"]]}
    st.session_state[PLAYING_KEY] = False
    st.rerun()

layout.finish_page(PAGE, P.values(), [
    Exercise("Switch f to the identity. What shape does the fit take, whatever the width?",
             "A straight line: a sum of linear units plus a bias is linear (see *Why nonlinearity*). "
             "The theorem needs a nonlinear f.",
             check=lambda: activation == "identity"),
    Exercise("Fit the step with tanh and with ReLU (width 16). Which gets the jump sharper, and why not exact?",
             "tanh units can steepen into near-steps; ReLU builds the jump from two kinks. Neither is exact: "
             "a continuous network only approaches a discontinuous target (in mean square, as Hornik's "
             "L^p result says).",
             check=lambda: target == "step"),
    Exercise("Press the width sweep: from which width on is the sine fitted to MSE below 1e-3?",
             "Typically 4 to 8 tanh units already follow two periods of sin(2x); the exact width depends on "
             "the seed and the step budget, which the theorem says nothing about."),
])
