"""Activation functions: curves, derivatives, formulas, and the numbers at a point."""
import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts.activations import curves
from explorer.core.activations import ACTIVATIONS, NAMES, sigmoid
from explorer.settings.activations import Settings
from explorer.ui import layout
from explorer.ui.exercises import Exercise, refresh_on_change
from explorer.ui.export import csv_download
from explorer.ui.url_state import number, open_settings, read, select, slider, toggle
from explorer.ui.tables import show_table

PAGE = Settings.__params__.page
N_SAMPLES = 401     # points along x: smooth to the eye, x = 0 (the kinks) among them
ACTIVE_RANGE = (-5.0, 5.0)   # the sigmoid's active range, shaded when it is drawn


def kwargs_for(s: Settings, name: str) -> dict:
    """The keyword parameters ``name`` takes: the page's, or the registry's defaults."""
    return {k: getattr(s, k) for k in ACTIVATIONS[name].params}


def draw_controls(P) -> None:
    """The functions to draw, the range, the probe point and the parameters of the drawn functions."""
    st.markdown("**Functions to draw**")
    for name in NAMES:
        a = ACTIVATIONS[name]
        toggle(getattr(P, f"show_{name}"), a.label + ("" if a.lecture else " (extra)"))
    toggle(P.deriv, "Show the derivatives f'(x)")
    slider(P.xr, "x range ±", step=0.5)
    number(P.x0, "Probe point x₀", step=0.5)
    shown = read(Settings).shown
    if "leaky_relu" in shown:
        slider(P.slope, "leaky ReLU slope α (slide: 0.1)", step=0.01)
    if "elu" in shown:
        slider(P.alpha, "ELU α", step=0.05)
    if "maxout" in shown:
        slider(P.pieces, "maxout pieces k")


def curve_values(s: Settings) -> tuple[np.ndarray, list[dict]]:
    """x over ±xr and, for each drawn function, f(x), f'(x) and whether its outputs are bounded."""
    x = np.linspace(-s.xr, s.xr, N_SAMPLES)
    series = [{"label": ACTIVATIONS[n].label, "f": ACTIVATIONS[n].f(x, **kwargs_for(s, n)),
               "df": ACTIVATIONS[n].df(x, **kwargs_for(s, n)), "bounded": ACTIVATIONS[n].bounds is not None}
              for n in s.shown]
    return x, series


def curves_section(s: Settings) -> None:
    """The curves (and their CSV), the values at x₀ of every drawn function."""
    x, series = curve_values(s)
    has_sigmoid = "sigmoid" in s.shown
    # the figure draws every other sample (201 points a curve, x = 0 among them): as smooth to the eye,
    # a fifth quicker for plotly.js to draw; the CSV keeps all of them
    shown = [{**srs, "f": srs["f"][::2], "df": srs["df"][::2]} for srs in series]
    fig = curves(x[::2], shown, show_derivative=s.deriv,
                 sigmoid_identity=sigmoid(x[::2]) * (1 - sigmoid(x[::2])) if has_sigmoid else None,
                 active_range=ACTIVE_RANGE if has_sigmoid and s.xr > ACTIVE_RANGE[1] else None,
                 probe=s.x0 if -s.xr <= s.x0 <= s.xr else None)
    layout.show_figure(fig, "activation-functions")
    curve_data = {"x": x}
    for n, srs in zip(s.shown, series):
        curve_data[f"{n}(x)"], curve_data[f"{n}'(x)"] = srs["f"], srs["df"]
    csv_download(pd.DataFrame(curve_data), "activation-curves", "Curves as CSV")
    rows = []
    for n in s.shown:
        a = ACTIVATIONS[n]
        rows.append({"f": a.label, f"f(x₀ = {s.x0:g})": f"{a.f(s.x0, **kwargs_for(s, n)):.6g}",
                     "f'(x₀)": f"{a.df(s.x0, **kwargs_for(s, n)):.6g}", "output range": a.output_range,
                     "in the lecture": "yes" if a.lecture else "extra"})
    show_table(pd.DataFrame(rows))
    if not -s.xr <= s.x0 <= s.xr:
        st.caption(f"x₀ = {s.x0:g} lies outside the drawn range; the table still gives its values.")


@st.fragment
def curves_block(P) -> None:
    """The controls and the curves. A fragment: moving a control redraws this block only (the page
    reruns in full when something the formula below or the exercises read has changed)."""
    left, right = st.columns([1, 2.6], gap="large")
    with left, st.container(border=True):
        draw_controls(P)
    s = read(Settings)
    refresh_on_change(PAGE, "curves", (s.shown, s.x0, s.params()))
    with right:
        if s.shown:
            curves_section(s)
        else:
            st.info("Switch on at least one function on the left to draw it.", icon=":material/visibility:")


def formula_section(s: Settings) -> None:
    """The chosen function's formula, derivative and note (and the sigmoid's numbers at x₀)."""
    a = ACTIVATIONS[s.focus]
    c1, c2 = st.columns(2)
    c1.latex(a.latex)
    c2.latex(a.dlatex)
    st.markdown(a.note)
    if s.focus == "sigmoid":
        st.latex(rf"\sigma({s.x0:g}) = {sigmoid(s.x0):.6g},\quad \sigma'({s.x0:g}) = \sigma(1-\sigma) = "
                 rf"{a.df(s.x0):.6g}")
        st.caption("Active range about −5 to 5: outside it σ' < 0.007, so gradients through a saturated "
                   "sigmoid almost vanish. The sigmoid accepts inputs from −∞ to +∞ (the perceptron, 1958).")
    if s.focus == "maxout":
        st.caption(f"Drawn with k = {s.pieces} example pieces (tangents of x²/8). In a network each unit learns "
                   f"its own k pieces, so a maxout layer of width m has W of shape [k·m, in]: k times a plain "
                   "layer's parameters.")


def exercises(s: Settings) -> list[Exercise]:
    return [
        Exercise("Find a probe point x₀ where the sigmoid's slope σ'(x₀) is below 1% of its maximum (0.25).",
                 "σ'(x) = σ(x)(1 − σ(x)) < 0.0025 once |x| > about 6: far outside the active range −5..5 a "
                 "sigmoid unit passes almost no gradient (it is *saturated*).",
                 check=lambda: "sigmoid" in s.shown and ACTIVATIONS["sigmoid"].df(s.x0) < 0.0025),
        Exercise("tanh is a stretched sigmoid: tanh(x) = 2σ(2x) − 1. Check it at x₀ = 1 with both drawn.",
                 "σ(2) = 0.880797, 2 × 0.880797 − 1 = 0.761594 = tanh(1). That is why tanh saturates like σ "
                 "but is centred on 0.",
                 check=lambda: s.x0 == 1 and {"sigmoid", "tanh"} <= set(s.shown)),
        Exercise("Turn leaky ReLU into plain ReLU with one control.",
                 "Set its slope α to 0: max(0·x, x) = max(0, x). With α = 1 it becomes the identity.",
                 check=lambda: "leaky_relu" in s.shown and s.slope == 0),
        Exercise("At x₀ = −2, which of the lecture's activations pass no gradient at all (f'(x₀) = 0)?",
                 "Only ReLU: its derivative is 0 for every x < 0. Leaky ReLU passes α, ELU passes αe^x, "
                 "σ and tanh small but non-zero values.",
                 check=lambda: s.x0 == -2),
    ]


# ---------------------------------------------------------------------------------------
def header() -> None:
    layout.page_header(
        "Activation functions",
        "A neuron is a linear map followed by a nonlinear **activation** f, applied element-wise: "
        "**a = f(Z)**. The lecture's six are sigmoid, tanh, ReLU, leaky ReLU, maxout and ELU; "
        "identity, GELU, SiLU and softplus are here to compare.",
        "overlay sigmoid and tanh, then move x₀ past ±5 and watch σ'(x₀) vanish.",
        "the circles on σ' sit exactly on σ(x)(1 − σ(x)); ReLU's derivative is 0 for every x < 0 "
        "(a unit stuck there stops learning), leaky ReLU's and ELU's are not.",
    )


def body() -> None:
    """Everything below the title: the curves block, the formula of one function, the exercises."""
    curves_block(P)
    st.subheader("Formula and what to know")
    select(P.focus, "Function")
    settings_now = read(Settings)
    formula_section(settings_now)
    layout.show_exercises(PAGE, exercises(settings_now))


P = open_settings(Settings)
header()
layout.live_body(body)
layout.sidebar_tools(PAGE, P.values())
