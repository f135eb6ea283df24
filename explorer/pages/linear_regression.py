"""Linear regression: fit y = w x + b by hand, see the loss bowl ℓ(w, b), then let gradient descent do it."""
import math

import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts import regression as charts
from explorer.core.regression import (gradient_descent, hessian, least_squares, loss_surface, make_line_data,
                                     max_stable_lr, sse_loss)
from explorer.ui import layout
from explorer.ui.exercises import Exercise
from explorer.ui.export import csv_download
from explorer.ui.url_state import Param, number, sanitize, show_notes, slider

PAGE = "regression"
SPAN = 8.0             # the w and b sliders (and the loss picture) cover -SPAN..SPAN
GRID = 121             # contour grid: GRID x GRID values of ℓ(w, b)
QUICK_RATES = (0.5, 0.95, 1.05)   # buttons: these multiples of the stable limit 2/λ_max

P = {
    "lr_n": Param("lr_n", 30, "int", 2, 500),
    "lr_true_w": Param("lr_true_w", 2.0, "float", -5.0, 5.0),
    "lr_true_b": Param("lr_true_b", 1.0, "float", -5.0, 5.0),
    "lr_noise": Param("lr_noise", 0.5, "float", 0.0, 3.0),
    "lr_seed": Param("lr_seed", 0, "int", 0, 999_999),
    "lr_w": Param("lr_w", -3.0, "float", -SPAN, SPAN),
    "lr_b": Param("lr_b", 5.0, "float", -SPAN, SPAN),
    "lr_rate": Param("lr_rate", 0.01, "float", 1e-6, 1.0),
    "lr_steps": Param("lr_steps", 50, "int", 1, 500),
}


@st.cache_data(max_entries=32, show_spinner=False)
def problem(n: int, true_w: float, true_b: float, noise: float, seed: int) -> dict:
    """The data, its least-squares optimum, the stable learning-rate limit and ℓ over a grid."""
    x, y = make_line_data(n, true_w, true_b, noise, seed)
    w_star, b_star = least_squares(x, y)
    # The picture covers the sliders' range, and the optimum if that lies outside it.
    w_lo, w_hi = min(-SPAN, math.floor(w_star) - 1), max(SPAN, math.ceil(w_star) + 1)
    b_lo, b_hi = min(-SPAN, math.floor(b_star) - 1), max(SPAN, math.ceil(b_star) + 1)
    w_grid, b_grid = np.linspace(w_lo, w_hi, GRID), np.linspace(b_lo, b_hi, GRID)
    lam = np.linalg.eigvalsh(hessian(x))    # for the expander: how much steeper across than along
    return {"x": x, "y": y, "w_star": w_star, "b_star": b_star, "loss_min": sse_loss(w_star, b_star, x, y),
            "w_grid": w_grid, "b_grid": b_grid, "L": loss_surface(x, y, w_grid, b_grid),
            "lr_max": max_stable_lr(x), "lam": (float(lam[0]), float(lam[1]))}


@st.cache_data(max_entries=64, show_spinner=False)
def descend(n, true_w, true_b, noise, seed, w0, b0, lr, steps):
    x, y = make_line_data(n, true_w, true_b, noise, seed)
    return gradient_descent(x, y, w0, b0, lr, steps)


def set_rate(value: float) -> None:
    st.session_state["lr_rate"] = float(f"{value:.3g}")


def move_to(w: float, b: float) -> None:
    st.session_state["lr_w"] = float(np.clip(round(w, 2), -SPAN, SPAN))
    st.session_state["lr_b"] = float(np.clip(round(b, 2), -SPAN, SPAN))


def num(v: float) -> str:
    """A loss for the page: 4 significant digits, thousands separated."""
    return f"{v:,.4g}" if abs(v) < 1e6 else f"{v:.3e}"


# ---------------------------------------------------------------------------------------
sanitize(list(P.values()), PAGE)
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
show_notes(PAGE)

controls, main = st.columns([1, 2.4], gap="large")
with controls, st.container(border=True):
    st.markdown("**The data** y = w x + b + noise")
    n = int(slider(P["lr_n"], "N, number of samples"))
    c1, c2 = st.columns(2)
    with c1:
        true_w = float(number(P["lr_true_w"], "true w", step=0.1, format="%.2f"))
    with c2:
        true_b = float(number(P["lr_true_b"], "true b", step=0.1, format="%.2f"))
    noise = float(slider(P["lr_noise"], "noise (standard deviation)", step=0.05))
    seed = int(number(P["lr_seed"], "seed", step=1))
    st.divider()
    st.markdown("**Your line** ŷ = w x + b")
    w = float(slider(P["lr_w"], "w (slope)", step=0.01))
    b = float(slider(P["lr_b"], "b (intercept)", step=0.01))

pb = problem(n, true_w, true_b, noise, seed)
x, y, w_star, b_star, loss_min = pb["x"], pb["y"], pb["w_star"], pb["b_star"], pb["loss_min"]
loss = sse_loss(w, b, x, y)

with main:
    m1, m2 = st.columns(2)
    m1.metric("Your loss ℓ(w, b)", num(loss), delta=f"{num(loss - loss_min)} above the minimum",
              delta_color="off", help="The slide's sum of squared residuals at your w and b.")
    m2.metric("Minimum loss ℓ(w*, b*)", num(loss_min), help="The smallest loss any line can reach on this data.")
    sign = "+" if b >= 0 else "-"
    loss_tex = f"{loss:,.6g}".replace(",", "{,}")
    st.latex(r"\begin{aligned} \ell(w, b) &= \sum_{i=0}^{N-1} \left[y^{(i)} - (w x^{(i)} + b)\right]^2 \\ "
             rf"&= \sum_{{i=0}}^{{{n - 1}}} \left[y^{{(i)}} - ({w:.2f}\, x^{{(i)}} {sign} {abs(b):.2f})\right]^2 "
             rf"= {loss_tex} \end{{aligned}}")
    st.markdown(f"**Least squares** (closed form, the dashed line and the star below): "
                f"w* = {w_star:.3f}, b* = {b_star:.3f}")
    layout.show_figure(charts.data_fit(x, y, w, b, w_star, b_star,
                                       f"{n} samples, your line and its residuals"), "regression-data")
    csv_download(pd.DataFrame({"x": x, "y": y, "y_hat": w * x + b, "residual": y - (w * x + b)}),
                 "regression-samples", "Samples and residuals as CSV")
    with st.expander("The optimum in closed form"):
        st.latex(r"w^* = \frac{\sum_i (x^{(i)} - \bar x)(y^{(i)} - \bar y)}{\sum_i (x^{(i)} - \bar x)^2} = "
                 rf"{w_star:.4f}, \qquad b^* = \bar y - w^* \bar x = {b_star:.4f}")
        st.caption(f"The data was made with true w = {true_w:g}, b = {true_b:g} and noise {noise:g}: "
                   "the best line for the samples is not the true line unless the noise is 0.")

st.subheader("The loss surface and gradient descent")
lr_max = pb["lr_max"]
g1, g2, g3 = st.columns([1.1, 1.3, 1.6])
with g1:
    lr = float(number(P["lr_rate"], "learning rate lr", step=0.0001, format="%.5f"))
with g2:
    steps = int(slider(P["lr_steps"], "steps"))
with g3:
    st.markdown("Set lr to a multiple of the limit 2/λ_max:")
    q = st.columns(len(QUICK_RATES))
    for col, factor in zip(q, QUICK_RATES):
        col.button(f"{factor:g} ×", key=f"lr_quick_{factor:g}", on_click=set_rate, args=(factor * lr_max,),
                   width="stretch", help=f"lr = {factor:g} × {lr_max:.3g}")

path = descend(n, true_w, true_b, noise, seed, w, b, lr, steps)
ratio = lr / lr_max
k1, k2, k3 = st.columns(3)
k1.metric("lr / (2/λ_max)", f"{ratio:.3g}",
          help="Below 1 gradient descent converges from any start; above 1 it diverges.")
k2.metric("Stable limit 2/λ_max", f"{lr_max:.4g}")
k3.metric(f"ℓ after {path.steps_run} steps", num(float(path.loss[-1])),
          delta=f"{num(float(path.loss[-1]) - loss_min)} above the minimum", delta_color="off")
lam_min, lam_max = pb["lam"]
if not layout.presenter():
    st.caption("Because ℓ is a *sum* over the N samples, more samples make the bowl steeper and the stable "
               "learning rate smaller.")
with st.expander("Where the limit 2/λ_max comes from (the Hessian)"):
    st.markdown(f"λ_max = {lam_max:,.4g} is the largest eigenvalue of the Hessian H = 2 [[Σx², Σx], [Σx, N]] of ℓ, "
                "its curvature in the steepest direction. Each step multiplies the distance to the bottom along "
                "that direction by (1 − lr λ_max), which shrinks only while lr < 2/λ_max. The bowl is "
                f"{lam_max / lam_min:,.0f} times steeper across the valley than along it, which is why descent "
                "zigzags or crawls.")

growing = lr > lr_max and not path.converged
if path.diverged or growing:
    grown = float(path.loss[-1]) / max(float(path.loss[0]), np.finfo(float).tiny)
    if path.diverged:
        head = path.message
    else:
        head = (f"**Diverging.** The learning rate {lr:.3g} is above the stable limit 2/λ_max = {lr_max:.3g}: "
                f"after {path.steps_run} steps the loss is {grown:,.3g} times where it started, and more "
                "steps make it blow up.")
    st.warning(head + " Each step overshoots the bottom of the valley by more than it gained, so the "
               f"zigzag grows. Lower the learning rate below {lr_max:.3g}.", icon=":material/trending_up:")
elif path.converged:
    st.success(path.message + " Descent reached the closed-form optimum (the star).",
               icon=":material/check_circle:")
else:
    st.info(path.message + " Or press *Continue from the end of the path*.", icon=":material/hourglass_top:")
end_w, end_b = float(path.w[-1]), float(path.b[-1])
st.button("Continue from the end of the path (move your point there)", key="lr_continue", on_click=move_to,
          args=(end_w, end_b), disabled=path.diverged or growing or path.steps_run == 0)

p1, p2 = st.columns([1.6, 1], gap="medium")
with p1:
    layout.show_figure(charts.loss_contour(pb["w_grid"], pb["b_grid"], pb["L"], (w, b), (w_star, b_star),
                                           (path.w, path.b),
                                           f"Loss surface ℓ(w, b) and the descent path (lr = {lr:.3g})"),
                       "regression-loss-surface")
with p2:
    layout.show_figure(charts.loss_per_step(path.loss, loss_min, f"Loss per step (lr = {ratio:.3g} × 2/λ_max)"),
                       "regression-loss-per-step")
    csv_download(pd.DataFrame({"step": np.arange(len(path.loss)), "w": path.w, "b": path.b, "loss": path.loss}),
                 "regression-descent-path", "Descent path as CSV")

layout.finish_page(PAGE, P.values(), [
    Exercise("Move w and b by hand until your loss is within 1% of the minimum.",
             "The bottom of the bowl is (w*, b*) from the closed form (the star); near it the loss rises "
             "quadratically, so the last 1% needs fine moves along the valley.",
             check=lambda: loss <= 1.01 * loss_min),
    Exercise("Find a learning rate that diverges.",
             "Anything above the stable limit 2/λ_max (shown above) makes each step overshoot the valley "
             "by more than it gains: the 1.05× button does it.",
             check=lambda: bool(path.diverged or growing)),
    Exercise("Double N, the number of samples. What happens to the stable learning rate, and why?",
             "It roughly halves: ℓ is a *sum* over the samples, so its curvature λ_max grows with N and "
             "2/λ_max shrinks. (With a mean instead of a sum it would not.)",
             check=lambda: n == 2 * P["lr_n"].default),
])
