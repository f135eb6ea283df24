"""Linear regression: fit y = w x + b by hand, see the loss bowl ℓ(w, b), then let gradient descent do it.

Settings: :mod:`explorer.settings.linear_regression`. The page reads them into one frozen
``Settings`` and hands it to its sections. What depends only on the data (its optimum, the
stable learning-rate limit, the picture of the loss bowl) is made once per data and cached; a move
of w or b redraws the bowl's picture only as three small live traces (point, star, path).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts import regression as charts
from explorer.core.regression import (DescentPath, gradient_descent, hessian, least_squares, loss_surface,
                                     make_line_data, max_stable_lr, sse_loss)
from explorer.settings.declare import params_of
from explorer.settings.linear_regression import SPAN, Settings
from explorer.ui import layout
from explorer.ui.exercises import Exercise, refresh_on_change
from explorer.ui.export import csv_download
from explorer.ui.url_state import number, open_settings, read, slider

PAGE = "regression"
GRID = 241             # the loss picture: GRID x GRID pixels of ℓ(w, b); its level lines use every 3rd
QUICK_RATES = (0.5, 0.95, 1.05)   # buttons: these multiples of the stable limit 2/λ_max


@dataclass(frozen=True)
class Problem:
    """Everything that depends only on the data: the samples, the closed-form optimum, the stable
    learning-rate limit 2/λ_max with the Hessian's eigenvalues, and the picture of the loss bowl."""

    x: np.ndarray
    y: np.ndarray
    w_star: float
    b_star: float
    loss_min: float
    lr_max: float
    lam_min: float
    lam_max: float
    picture: charts.SurfacePicture


# cache_resource: one shared, read-only Problem per data (a class defined in a page cannot be pickled)
@st.cache_resource(max_entries=32, show_spinner=False)
def problem(n: int, true_w: float, true_b: float, noise: float, seed: int) -> Problem:
    """The data made from the true line, and all that follows from it alone."""
    x, y = make_line_data(n, true_w, true_b, noise, seed)
    x.flags.writeable = y.flags.writeable = False     # shared by every session
    w_star, b_star = least_squares(x, y)
    # The picture covers the sliders' range, and the optimum if that lies outside it.
    w_lo, w_hi = min(-SPAN, math.floor(w_star) - 1), max(SPAN, math.ceil(w_star) + 1)
    b_lo, b_hi = min(-SPAN, math.floor(b_star) - 1), max(SPAN, math.ceil(b_star) + 1)
    w_grid, b_grid = np.linspace(w_lo, w_hi, GRID), np.linspace(b_lo, b_hi, GRID)
    lam = np.linalg.eigvalsh(hessian(x))    # for the expander: how much steeper across than along
    return Problem(x, y, w_star, b_star, sse_loss(w_star, b_star, x, y), max_stable_lr(x), float(lam[0]),
                   float(lam[1]), charts.surface_picture(w_grid, b_grid, loss_surface(x, y, w_grid, b_grid)))


def problem_of(s: Settings) -> Problem:
    return problem(s.n, s.true_w, s.true_b, s.noise, s.seed)


@st.cache_data(max_entries=64, show_spinner=False)
def descend(n, true_w, true_b, noise, seed, w0, b0, lr, steps) -> DescentPath:
    x, y = make_line_data(n, true_w, true_b, noise, seed)
    return gradient_descent(x, y, w0, b0, lr, steps)


def descend_from(s: Settings) -> DescentPath:
    return descend(s.n, s.true_w, s.true_b, s.noise, s.seed, s.w, s.b, s.rate, s.steps)


def set_rate(value: float) -> None:
    st.session_state[params_of(Settings).rate.key] = float(f"{value:.3g}")


def move_to(w: float, b: float) -> None:
    P = params_of(Settings)
    st.session_state[P.w.key] = float(np.clip(round(w, 2), -SPAN, SPAN))
    st.session_state[P.b.key] = float(np.clip(round(b, 2), -SPAN, SPAN))


def num(v: float) -> str:
    """A loss for the page: 4 significant digits, thousands separated."""
    return f"{v:,.4g}" if abs(v) < 1e6 else f"{v:.3e}"


def growing(s: Settings, pb: Problem, path: DescentPath) -> bool:
    """Above the stable limit and not (yet) converged: each step overshoots more."""
    return s.rate > pb.lr_max and not path.converged


# -- sections ----------------------------------------------------------------------------
def header() -> None:
    layout.page_header(
        "Linear regression: minimise the loss",
        "The lecture's first model: **y = w x + b**, fitted to N measured samples (x⁽ⁱ⁾, y⁽ⁱ⁾) by "
        "making the loss ℓ(w, b), the sum of squared residuals, as small as possible. "
        "*Minimise the empirical risk, computed on the measured data.*",
        "move **w** and **b** until your (orange) line covers the dashed least-squares line and your loss "
        "meets the minimum; then start gradient descent from your point and raise the learning rate past "
        "the stable limit.",
        "ℓ(w, b) is a bowl with a single bottom, (w*, b*), found in closed form; gradient descent rolls "
        "down it, slowly along the long valley, and above lr = 2/λ_max every step overshoots more and the "
        "path diverges.",
    )


def data_controls(P) -> None:
    """The data's widgets."""
    st.markdown("**The data** y = w x + b + noise")
    slider(P.n, "N, number of samples")
    c1, c2 = st.columns(2)
    with c1:
        number(P.true_w, "true w", step=0.1, format="%.2f")
    with c2:
        number(P.true_b, "true b", step=0.1, format="%.2f")
    slider(P.noise, "noise (standard deviation)", step=0.05)
    number(P.seed, "seed", step=1)
    st.divider()


def line_controls(P) -> None:
    """The user's line (w, b)."""
    st.markdown("**Your line** ŷ = w x + b")
    slider(P.w, "w (slope)", step=0.01)
    slider(P.b, "b (intercept)", step=0.01)


def hand_fit(s: Settings, pb: Problem) -> None:
    """The user's loss beside the minimum, the slide's sum written out, and the data with the line."""
    loss = sse_loss(s.w, s.b, pb.x, pb.y)
    m1, m2 = st.columns(2)
    m1.metric("Your loss ℓ(w, b)", num(loss), delta=f"{num(loss - pb.loss_min)} above the minimum",
              delta_color="off", help="The slide's sum of squared residuals at your w and b.")
    m2.metric("Minimum loss ℓ(w*, b*)", num(pb.loss_min), help="The smallest loss any line can reach on this data.")
    sign = "+" if s.b >= 0 else "-"
    loss_tex = f"{loss:,.6g}".replace(",", "{,}")
    st.latex(r"\begin{aligned} \ell(w, b) &= \sum_{i=0}^{N-1} \left[y^{(i)} - (w x^{(i)} + b)\right]^2 \\ "
             rf"&= \sum_{{i=0}}^{{{s.n - 1}}} \left[y^{{(i)}} - ({s.w:.2f}\, x^{{(i)}} {sign} {abs(s.b):.2f})\right]^2 "
             rf"= {loss_tex} \end{{aligned}}")
    st.markdown(f"**Least squares** (closed form, the dashed line and the star below): "
                f"w* = {pb.w_star:.3f}, b* = {pb.b_star:.3f}")
    layout.show_figure(charts.data_fit(pb.x, pb.y, s.w, s.b, pb.w_star, pb.b_star,
                                       f"{s.n} samples, your line and its residuals"), "regression-data",
                       share=0.68)
    y_hat = s.w * pb.x + s.b
    csv_download(pd.DataFrame({"x": pb.x, "y": pb.y, "y_hat": y_hat, "residual": pb.y - y_hat}),
                 "regression-samples", "Samples and residuals as CSV")
    with st.expander("The optimum in closed form"):
        st.latex(r"w^* = \frac{\sum_i (x^{(i)} - \bar x)(y^{(i)} - \bar y)}{\sum_i (x^{(i)} - \bar x)^2} = "
                 rf"{pb.w_star:.4f}, \qquad b^* = \bar y - w^* \bar x = {pb.b_star:.4f}")
        st.caption(f"The data was made with true w = {s.true_w:g}, b = {s.true_b:g} and noise {s.noise:g}: "
                   "the best line for the samples is not the true line unless the noise is 0.")


def descent_controls(P, pb: Problem) -> None:
    """Learning rate, steps, and the buttons that set lr to a multiple of the stable limit."""
    g1, g2, g3 = st.columns([1.1, 1.3, 1.6])
    with g1:
        number(P.rate, "learning rate lr", step=0.0001, format="%.5f")
    with g2:
        slider(P.steps, "steps")
    with g3:
        st.markdown("Set lr to a multiple of the limit 2/λ_max:")
        for col, factor in zip(st.columns(len(QUICK_RATES)), QUICK_RATES):
            col.button(f"{factor:g} ×", key=f"lr_quick_{factor:g}", on_click=set_rate,
                       args=(factor * pb.lr_max,), width="stretch", help=f"lr = {factor:g} × {pb.lr_max:.3g}")


def descent_summary(s: Settings, pb: Problem, path: DescentPath) -> None:
    """lr against its limit, the loss reached, and why the limit is 2/λ_max."""
    k1, k2, k3 = st.columns(3)
    k1.metric("lr / (2/λ_max)", f"{s.rate / pb.lr_max:.3g}",
              help="Below 1 gradient descent converges from any start; above 1 it diverges.")
    k2.metric("Stable limit 2/λ_max", f"{pb.lr_max:.4g}")
    k3.metric(f"ℓ after {path.steps_run} steps", num(float(path.loss[-1])),
              delta=f"{num(float(path.loss[-1]) - pb.loss_min)} above the minimum", delta_color="off")
    if not layout.presenter():
        st.caption("Because ℓ is a *sum* over the N samples, more samples make the bowl steeper and the stable "
                   "learning rate smaller.")
    with st.expander("Where the limit 2/λ_max comes from (the Hessian)"):
        st.markdown(f"λ_max = {pb.lam_max:,.4g} is the largest eigenvalue of the Hessian H = 2 [[Σx², Σx], [Σx, N]] "
                    "of ℓ, its curvature in the steepest direction. Each step multiplies the distance to the bottom "
                    "along that direction by (1 − lr λ_max), which shrinks only while lr < 2/λ_max. The bowl is "
                    f"{pb.lam_max / pb.lam_min:,.0f} times steeper across the valley than along it, which is why "
                    "descent zigzags or crawls.")


def descent_verdict(s: Settings, pb: Problem, path: DescentPath) -> None:
    """Diverging, converged or still on its way, in words; and the button that continues the path."""
    rising = growing(s, pb, path)
    if path.diverged or rising:
        grown = float(path.loss[-1]) / max(float(path.loss[0]), np.finfo(float).tiny)
        if path.diverged:
            head = path.message
        else:
            head = (f"**Diverging.** The learning rate {s.rate:.3g} is above the stable limit 2/λ_max = "
                    f"{pb.lr_max:.3g}: after {path.steps_run} steps the loss is {grown:,.3g} times where it "
                    "started, and more steps make it blow up.")
        st.warning(head + " Each step overshoots the bottom of the valley by more than it gained, so the "
                   f"zigzag grows. Lower the learning rate below {pb.lr_max:.3g}.", icon=":material/trending_up:")
    elif path.converged:
        st.success(path.message + " Descent reached the closed-form optimum (the star).",
                   icon=":material/check_circle:")
    else:
        st.info(path.message + " Or press *Continue from the end of the path*.", icon=":material/hourglass_top:")
    st.button("Continue from the end of the path (move your point there)", key="lr_continue", on_click=move_to,
              args=(float(path.w[-1]), float(path.b[-1])), disabled=path.diverged or rising or path.steps_run == 0)


def descent_figures(s: Settings, pb: Problem, path: DescentPath) -> None:
    """The bowl with the user's point, the optimum and the path; the loss per step."""
    p1, p2 = st.columns([1.6, 1], gap="medium")
    with p1:
        layout.show_figure(charts.loss_contour(pb.picture, (s.w, s.b), (pb.w_star, pb.b_star), (path.w, path.b),
                                               f"Loss surface ℓ(w, b) and the descent path (lr = {s.rate:.3g})"),
                           "regression-loss-surface", share=0.6)
    with p2:
        layout.show_figure(charts.loss_per_step(path.loss, pb.loss_min,
                                                f"Loss per step (lr = {s.rate / pb.lr_max:.3g} × 2/λ_max)"),
                           "regression-loss-per-step", share=0.36)
        csv_download(pd.DataFrame({"step": np.arange(len(path.loss)), "w": path.w, "b": path.b, "loss": path.loss}),
                     "regression-descent-path", "Descent path as CSV")


def exercises(s: Settings, pb: Problem, path: DescentPath) -> list[Exercise]:
    return [
        Exercise("Move w and b by hand until your loss is within 1% of the minimum.",
                 "The bottom of the bowl is (w*, b*) from the closed form (the star); near it the loss rises "
                 "quadratically, so the last 1% needs fine moves along the valley.",
                 check=lambda: sse_loss(s.w, s.b, pb.x, pb.y) <= 1.01 * pb.loss_min),
        Exercise("Find a learning rate that diverges.",
                 "Anything above the stable limit 2/λ_max (shown above) makes each step overshoot the valley "
                 "by more than it gains: the 1.05× button does it.",
                 check=lambda: bool(path.diverged or growing(s, pb, path))),
        Exercise("Double N, the number of samples. What happens to the stable learning rate, and why?",
                 "It roughly halves: ℓ is a *sum* over the samples, so its curvature λ_max grows with N and "
                 "2/λ_max shrinks. (With a mean instead of a sum it would not.)",
                 check=lambda: s.n == 2 * params_of(Settings).n.default),
    ]


# ---------------------------------------------------------------------------------------
def body() -> None:
    """The page below its title. A change of the data or of the descent's settings reruns this; a
    move of w or b reruns only :func:`line_live`."""
    controls, main = st.columns([1, 2.4], gap="large")
    with controls, st.container(border=True):
        data_controls(P)
        line_place = st.container()
    pb = problem_of(read(Settings))
    with main:
        fit_place = st.container()

    st.subheader("The loss surface and gradient descent")
    descent_controls(P, pb)
    descent_place = st.container()
    line_live(pb, line_place, fit_place, descent_place)
    s = read(Settings)
    # outside line_live (a move of w or b need not redraw them); it reruns the page when a check flips
    layout.show_exercises(PAGE, exercises(s, pb, descend_from(s)))


@st.fragment
def line_live(pb: Problem, line_place, fit_place, descent_place) -> None:
    """The w and b sliders and all that depends on the line: the hand fit, and the descent from the
    user's point (a fragment). It writes straight into the body's containers (``with place:``), so
    the browser keeps the elements in them from run to run (figures are updated, not redrawn)."""
    with line_place:
        line_controls(P)
    s = read(Settings)
    with fit_place:
        hand_fit(s, pb)
    path = descend_from(s)
    with descent_place:
        descent_summary(s, pb, path)
        descent_verdict(s, pb, path)
        descent_figures(s, pb, path)
    refresh_on_change(PAGE, "checks", tuple(ex.check() for ex in exercises(s, pb, path)))


P = open_settings(Settings)
header()
layout.live_body(body)
layout.sidebar_tools(PAGE, P.values())
