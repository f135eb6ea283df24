"""Universal approximation: one hidden layer, enough units, any continuous curve (Hornik, 1991).

The live loop runs in the browser: ``explorer/web/approximation.js`` (a components-v2 component)
trains the 1 -> width -> 1 network with ``explorer/web/nn.js`` (the twin of explorer.core, pinned by
tests/web/test_parity.py) and draws the fit and every unit at animation speed. Python makes the
data and the seeded first weights and sends them once per run; the browser sends the weights and
the step count back on pause, step, reset and once a second while playing, and everything below
the live panel (the check that the units add up, the error figures, the files) uses what came back.
"""
import functools
import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from explorer.charts import approximation as charts
from explorer.charts.style import FONT_SIZE, PRESENTER_SCALE
from explorer.core import approximation as ua
from explorer.core.activations import ACTIVATIONS
from explorer.core.mlp import MLP, twin_json, weights_from_twin
from explorer.settings.universal_approximation import Settings
from explorer.ui import layout
from explorer.ui.components import web_component
from explorer.ui.exercises import Exercise
from explorer.ui.network_files import network_downloads, network_upload_into
from explorer.ui.url_state import number, open_settings, read, select, slider

PAGE = "ua"
DRAW_POINTS = 301            # points per drawn curve (sent once per run)
MAX_REPORTED_STEPS = 10**9
RUN, SWEEPS = "_ua_run", "_ua_sweeps"   # session state: the Run, the sweeps asked for
LIVE_KEY = "ua_live"                    # the component's state
COMPONENT = "explorer.approximation"


# -- the component: JS and CSS from explorer/web, served by Streamlit ------------------------------
def live_component():
    """The live component (explorer/web/approximation.js and .css, which import ./nn.js)."""
    return web_component("approximation", js="approximation.js", css="approximation.css")


# -- the run: what was sent to the browser, and what it sent back --------------------------------
@dataclass
class Run:
    """This session's run for one ``key`` (``Settings.run_key``): ``net`` holds the weights the browser last
    sent (at first the seeded ones), ``steps`` their Adam step count; ``start`` (nn.js's JSON, at
    ``start_steps``) is what the browser trains from, sent once under ``id``."""

    key: tuple
    net: MLP
    generation: int = 0
    steps: int = 0
    status: str = "ready"        # "ready", "running" or "diverged"
    start: dict | None = None
    start_steps: int = 0
    id: str = ""

    @classmethod
    def seeded(cls, s: Settings) -> "Run":
        run = cls(s.run_key(), ua.make_network(s.width, s.act, s.seed))
        run.restart(run.net, 0)
        return run

    def restart(self, net: MLP, steps: int) -> None:
        """Send ``net`` (at ``steps``) to the browser as a new run: a new id, so the browser starts from it."""
        self.generation += 1
        self.start, self.start_steps = twin_json(net), int(steps)
        self.net, self.steps, self.status = net, int(steps), "ready"
        digest = hashlib.sha1(repr((self.key, self.generation)).encode()).hexdigest()[:12]
        self.id = f"{self.generation}-{digest}"

    def apply_report(self, report) -> str | None:
        """Take the browser's report into the run if it is for this run and well formed.

        Returns None when it was used (or was for an older run), else why it was refused.
        """
        if not isinstance(report, dict) or report.get("id") != self.id:
            return None                                    # an older run's report, or none yet
        steps = report.get("steps")
        if not isinstance(steps, int) or isinstance(steps, bool) or not 0 <= steps <= MAX_REPORTED_STEPS:
            return "its step count is not a whole number in range"
        status = report.get("status")
        if status not in ("ready", "running", "diverged"):
            return "its training status is unknown"
        if status == "diverged":
            self.steps, self.status = steps, "diverged"
            return None
        try:
            weights = weights_from_twin(self.net, report.get("net"))
        except ValueError as err:
            return str(err)
        for layer, (W, b) in zip(self.net.layers, weights):
            layer.W[...] = W
            layer.b[...] = b
        self.steps, self.status = steps, status
        return None


def run_for(s: Settings) -> Run:
    """This session's run for ``s``; a new one if what it depends on changed."""
    run = st.session_state.get(RUN)
    if run is None or run.key != s.run_key():
        run = st.session_state[RUN] = Run.seeded(s)
    return run


def on_sweep(key: tuple) -> None:
    st.session_state.setdefault(SWEEPS, set()).add(key)


@st.cache_data(max_entries=512, show_spinner=False)
def sweep_point(target, width, activation, steps, lr, seed, noise):
    """One width of the sweep (cached: every session asking for the same point shares it)."""
    return ua.fit_width(target, width, activation, steps, lr, seed, noise)


@functools.lru_cache(maxsize=64)
def curves(target: str, noise: float, seed: int) -> dict:
    """What the browser needs besides the network: the training targets, and the target on the
    drawing grid and on the dense error grid (every grid is ``ua.grid(n)``, which the browser remakes)."""
    _, y = ua.make_data(target, ua.N_SAMPLES, noise, seed)
    return {"y": y.tolist(), "yDraw": ua.target_values(target, ua.grid(DRAW_POINTS)).tolist(),
            "yGrid": ua.target_values(target, ua.grid(ua.GRID_POINTS)).tolist()}


def font_size() -> int:
    return round(FONT_SIZE * PRESENTER_SCALE) if layout.presenter() else FONT_SIZE


# -- sections ------------------------------------------------------------------------------------
def header() -> None:
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


def controls(P) -> None:
    target = select(P.target, "Target function y(x)")
    st.latex(ua.TARGETS[target].latex)
    slider(P.noise, "Noise on the samples, σ", step=0.05)
    slider(P.width, "Hidden units (width)")
    select(P.act, "Activation f of the hidden layer")
    select(P.lr, "Learning rate (Adam)")
    slider(P.spt, "Adam steps per frame", step=1)
    st.caption("While playing, the browser takes up to this many full-batch Adam steps between two pictures "
               "(fewer if your computer needs longer, so that the picture keeps its pace); **Step** takes "
               "exactly this many.")
    number(P.seed, "Seed (weights and noise)", step=1)


def sum_check(run: Run) -> None:
    """The units plus b^[2] are the network's output, checked on the drawn grid."""
    x_draw = ua.grid(DRAW_POINTS)
    C, b2 = ua.contributions(run.net, x_draw)
    gap = float(np.max(np.abs(C.sum(axis=0) + b2 - ua.predict(run.net, x_draw))))
    st.markdown(f":material/check_circle: **The thin lines plus b^[2] add up to the orange curve**: for the "
                f"weights at step {run.steps:,}, Σ c_j(x) + b^[2] and the network's forward pass ŷ(x) "
                f"differ by at most **{gap:.0e}** (rounding) at every drawn x.")


def save_section(s: Settings, run: Run) -> None:
    st.subheader("Save this network")
    x, y = ua.make_data(s.target, ua.N_SAMPLES, s.noise, s.seed)
    diff = ua.predict(run.net, x) - y
    m1, m2, m3 = st.columns(3)
    st.caption("The network as your browser last sent it (on pause, step and reset, and once a second while "
               "playing): the files below hold exactly these weights.")
    m1.metric("Adam steps", f"{run.steps:,}")
    m2.metric("MSE vs target", f"{ua.grid_mse(run.net, s.target):.1e}",
              help=f"Mean of (ŷ(x) − y(x))² over {ua.GRID_POINTS:,} evenly spaced x in [−3, 3], "
                   "against the noise-free target, for the weights the browser sent.")
    m3.metric("Training loss", f"{float(np.mean(diff * diff)):.1e}",
              help=f"Mean squared error on the {ua.N_SAMPLES} training samples (with their noise).")
    network_downloads(run.net, {"page": "universal-approximation", "target": s.target, "input_scale": "u = x / 3",
                                "steps": run.steps}, "universal-approximation-network")
    loaded = ua.make_network(s.width, s.act, s.seed)
    if network_upload_into(loaded, "universal-approximation"):
        run.restart(loaded, 0)   # the browser trains on from the loaded weights
        st.rerun(scope="fragment")


@st.fragment
def live_panel(s: Settings) -> None:
    """The browser's live panel, and what Python makes of the weights it sends back (a fragment: the
    browser's reports rerun only this part)."""
    run = run_for(s)
    data = {"id": run.id, "title": f"{ua.TARGETS[s.target].label}; 1 → {s.width} → 1, f = {ACTIVATIONS[s.act].label}",
            "samples": s.noise > 0, "net": run.start, "steps": run.start_steps, "lr": s.lr, "seed": s.seed,
            "spt": s.spt, "fontPx": font_size(), **curves(s.target, s.noise, s.seed)}
    result = live_component()(key=LIVE_KEY, data=data, default={"report": None},
                              on_report_change=lambda: None, height="content")
    refused = run.apply_report(result.get("report") if hasattr(result, "get") else None)
    if refused:
        st.warning(f"The browser sent a network this page cannot use ({refused}); the files keep the last "
                   "good one.", icon=":material/warning:")
    if run.status == "diverged":
        st.error(f"Training diverged at step {run.steps:,}: the loss or the weights became nan/inf. The "
                 f"learning rate ({s.lr:g}) is most likely too large for this network and data; lower it and "
                 "press Reset.", icon=":material/error:")
    sum_check(run)
    save_section(s, run)


def live_section(s: Settings) -> None:
    if s.act == "identity":
        st.info("With the identity f every c_j(x) is a straight line, so their sum is one too: the fit is "
                "the best straight line, whatever the width. Nonlinearity is what lets the units bend "
                "(see [Why nonlinearity](collapse)).", icon=":material/linear_scale:")
    live_panel(s)
    st.latex(rf"\hat{{y}}(x) = \sum_{{j=1}}^{{{s.width}}} \underbrace{{w^{{[2]}}_j\, f\!\left(w^{{[1]}}_j u + "
             rf"b^{{[1]}}_j\right)}}_{{c_j(x)}} \;+\; b^{{[2]}}, \qquad u = x / 3")
    net = run_for(s).net
    (W1, b1), (W2, _) = [(layer.W.shape, layer.b.shape) for layer in net.layers]
    st.caption(f"{net.n_params:,} parameters: W^[1] {W1[0]}×{W1[1]}, b^[1] {b1[0]}×1, W^[2] {W2[0]}×{W2[1]}, "
               "b^[2] 1×1" + (f" (maxout: {net.arch.pieces} pieces per unit)" if s.act == "maxout" else "")
               + f". Trained in your browser on {ua.N_SAMPLES} evenly spaced samples in [−3, 3] with "
               "full-batch Adam on the mean squared error. The hidden units start spread over the range "
               "(each bends at a random point in [−3, 3]); the seed fixes them, so a link reproduces the run.")


def theorem() -> None:
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


def sweep_section(s: Settings) -> None:
    st.subheader("More units, smaller error")
    st.markdown(
        f"Train a fresh network for each width **{', '.join(str(w) for w in ua.WIDTHS)}** with the settings "
        f"above (target, f, noise, learning rate, seed), each for **{ua.SWEEP_STEPS:,} full-batch Adam steps**, "
        f"and plot the final mean squared error against the target on {ua.GRID_POINTS:,} points.")
    st.button(f"Train widths 1 to {ua.MAX_WIDTH}", key="ua_sweep", on_click=on_sweep, args=(s.sweep_key(),),
              icon=":material/stacked_line_chart:", type="primary")
    if s.sweep_key() not in st.session_state.get(SWEEPS, set()):
        return
    bar = st.progress(0.0, text="Training one network per width…")
    errors = []
    for i, w in enumerate(ua.WIDTHS):
        errors.append(sweep_point(s.target, w, s.act, ua.SWEEP_STEPS, float(s.lr), s.seed, s.noise)[0])
        bar.progress((i + 1) / len(ua.WIDTHS), text=f"Trained width {w}")
    bar.empty()
    layout.show_figure(charts.error_vs_width(ua.WIDTHS, errors, ua.SWEEP_STEPS,
                                             current=s.width if s.width in ua.WIDTHS else None,
                                             font_size=font_size()),
                       "universal-approximation-error-vs-width", key="ua_sweep_chart")
    sweep_captions(s, errors)


def sweep_captions(s: Settings, errors: list[float]) -> None:
    first, last = errors[0], errors[-1]
    if not (np.isfinite(first) and np.isfinite(last)):
        st.caption("Some widths diverged (shown as gaps): lower the learning rate.")
    elif last > 0 and first / last >= 2:
        st.caption(f"MSE with 1 unit: {first:.2e}; with {ua.WIDTHS[-1]} units: {last:.2e} "
                   f"({first / last:,.0f}× smaller).")
    else:
        st.caption(f"MSE with 1 unit: {first:.2e}; with {ua.WIDTHS[-1]} units: {last:.2e}: no real gain. "
                   + ("With the identity f more units still add up to one straight line." if s.act == "identity"
                      else "These settings do not let the extra units help within the step budget; "
                           "try another learning rate or activation."))
    up = charts.rises(ua.WIDTHS, errors)
    if up and s.act != "identity":
        steps_up = ", ".join(f"{a} → {b}" for a, b in up)
        st.caption(f"The curve is not monotone: the error went up from width {steps_up} (ringed). Each width is "
                   f"a fresh network from its own seeded start, trained for the same {ua.SWEEP_STEPS:,} steps at "
                   "the same learning rate; a wider one can need more steps, land in a worse spot, or spend "
                   "units on the same bend. The theorem only promises that a network with small error exists, "
                   "not that this budget finds it: another seed moves the bumps.")


def exercises(s: Settings) -> list[Exercise]:
    return [
        Exercise("Switch f to the identity. What shape does the fit take, whatever the width?",
                 "A straight line: a sum of linear units plus a bias is linear (see *Why nonlinearity*). "
                 "The theorem needs a nonlinear f.",
                 check=lambda: s.act == "identity"),
        Exercise("Fit the step with tanh and with ReLU (width 16). Which gets the jump sharper, and why not exact?",
                 "tanh units can steepen into near-steps; ReLU builds the jump from two kinks. Neither is exact: "
                 "a continuous network only approaches a discontinuous target (in mean square, as Hornik's "
                 "L^p result says).",
                 check=lambda: s.target == "step"),
        Exercise("Press the width sweep: from which width on is the sine fitted to MSE below 1e-3?",
                 "Typically 4 to 8 tanh units already follow two periods of sin(2x); the exact width depends on "
                 "the seed and the step budget, which the theorem says nothing about."),

    ]


# ---------------------------------------------------------------------------------------
def body() -> None:
    """The page below its title, one fragment (a control's change reruns this, not the sidebar and the
    navigation); the live panel is a fragment inside it, which the browser's reports rerun alone."""
    left, main = st.columns([1.1, 2.6], gap="medium")
    with left, st.container(border=True):
        controls(P)
    s = read(Settings)
    with main:
        live_section(s)
    theorem()
    sweep_section(s)
    layout.show_exercises(PAGE, exercises(s))


P = open_settings(Settings)
header()
layout.live_body(body)
layout.sidebar_tools(PAGE, P.values())
