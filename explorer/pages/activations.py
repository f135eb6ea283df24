"""Activation functions: curves, derivatives, formulas, and the numbers at a point."""
import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts.activations import curves
from explorer.core.activations import ACTIVATIONS, LABELS, NAMES, PARAM_RANGES, sigmoid
from explorer.ui import layout
from explorer.ui.exercises import Exercise
from explorer.ui.export import csv_download
from explorer.ui.url_state import Param, number, sanitize, select, show_notes, slider, toggle

PAGE = "activations"
DEFAULT_SHOWN = ("sigmoid", "tanh", "relu")
P = {
    "focus": Param.choice("focus", "sigmoid", LABELS),
    "deriv": Param("deriv", True, "bool"),
    "xr": Param("xr", 8.0, "float", 1.0, 50.0),
    "x0": Param("x0", 0.0, "float", -50.0, 50.0),
    "slope": Param("slope", PARAM_RANGES["slope"][2], "float", *PARAM_RANGES["slope"][:2]),
    "alpha": Param("alpha", PARAM_RANGES["alpha"][2], "float", *PARAM_RANGES["alpha"][:2]),
    "pieces": Param("pieces", PARAM_RANGES["pieces"][2], "int", *PARAM_RANGES["pieces"][:2]),
}
# one on/off toggle per function, so the set shown lives in the URL as plain booleans
SHOW = {name: Param(f"show_{name}", name in DEFAULT_SHOWN, "bool") for name in NAMES}


def label(name: str) -> str:
    return ACTIVATIONS[name].label


sanitize(list(P.values()) + list(SHOW.values()), PAGE)
layout.page_header(
    "Activation functions",
    "A neuron is a linear map followed by a nonlinear **activation** f, applied element-wise: "
    "**a = f(Z)**. The lecture's six are sigmoid, tanh, ReLU, leaky ReLU, maxout and ELU; "
    "identity, GELU, SiLU and softplus are here to compare.",
    "overlay sigmoid and tanh, then move x₀ past ±5 and watch σ'(x₀) vanish.",
    "the circles on σ' sit exactly on σ(x)(1 − σ(x)); ReLU's derivative is 0 for every x < 0 "
    "(a unit stuck there stops learning), leaky ReLU's and ELU's are not.",
)
show_notes(PAGE)

left, right = st.columns([1, 2.6], gap="large")
with left, st.container(border=True):
    st.markdown("**Functions to draw**")
    shown = [name for name in NAMES if toggle(SHOW[name], label(name) + ("" if ACTIVATIONS[name].lecture else " (extra)"))]
    deriv = toggle(P["deriv"], "Show the derivatives f'(x)")
    xr = float(slider(P["xr"], "x range ±", step=0.5))
    x0 = float(number(P["x0"], "Probe point x₀", step=0.5))
    params = {}
    if "leaky_relu" in shown:
        params["slope"] = float(slider(P["slope"], "leaky ReLU slope α (slide: 0.1)", step=0.01))
    if "elu" in shown:
        params["alpha"] = float(slider(P["alpha"], "ELU α", step=0.05))
    if "maxout" in shown:
        params["pieces"] = int(slider(P["pieces"], "maxout pieces k"))

EXERCISES = [
    Exercise("Find a probe point x₀ where the sigmoid's slope σ'(x₀) is below 1% of its maximum (0.25).",
             "σ'(x) = σ(x)(1 − σ(x)) < 0.0025 once |x| > about 6: far outside the active range −5..5 a "
             "sigmoid unit passes almost no gradient (it is *saturated*).",
             check=lambda: "sigmoid" in shown and ACTIVATIONS["sigmoid"].df(x0) < 0.0025),
    Exercise("tanh is a stretched sigmoid: tanh(x) = 2σ(2x) − 1. Check it at x₀ = 1 with both drawn.",
             "σ(2) = 0.880797, 2 × 0.880797 − 1 = 0.761594 = tanh(1). That is why tanh saturates like σ "
             "but is centred on 0.",
             check=lambda: x0 == 1 and {"sigmoid", "tanh"} <= set(shown)),
    Exercise("Turn leaky ReLU into plain ReLU with one control.",
             "Set its slope α to 0: max(0·x, x) = max(0, x). With α = 1 it becomes the identity.",
             check=lambda: "leaky_relu" in shown and params.get("slope") == 0),
    Exercise("At x₀ = −2, which of the lecture's activations pass no gradient at all (f'(x₀) = 0)?",
             "Only ReLU: its derivative is 0 for every x < 0. Leaky ReLU passes α, ELU passes αe^x, "
             "σ and tanh small but non-zero values.",
             check=lambda: x0 == -2),
]

if not shown:
    right.info("Switch on at least one function on the left to draw it.", icon=":material/visibility:")
    layout.finish_page(PAGE, list(P.values()) + list(SHOW.values()), EXERCISES)
    st.stop()


def kwargs_for(name: str) -> dict:
    return {k: params.get(k, PARAM_RANGES[k][2]) for k in ACTIVATIONS[name].params}


x = np.linspace(-xr, xr, 401)   # 401 points: smooth to the eye, x = 0 (the kinks) among them
series = [{"label": label(n), "f": ACTIVATIONS[n].f(x, **kwargs_for(n)), "df": ACTIVATIONS[n].df(x, **kwargs_for(n)),
           "bounded": "∞" not in ACTIVATIONS[n].output_range} for n in shown]
with right:
    has_sigmoid = "sigmoid" in shown
    fig = curves(x, series, show_derivative=deriv,
                 sigmoid_identity=sigmoid(x) * (1 - sigmoid(x)) if has_sigmoid else None,
                 active_range=(-5.0, 5.0) if has_sigmoid and xr > 5 else None,
                 probe=x0 if -xr <= x0 <= xr else None)
    layout.show_figure(fig, "activation-functions")
    curve_data = {"x": x}
    for n, srs in zip(shown, series):
        curve_data[f"{n}(x)"], curve_data[f"{n}'(x)"] = srs["f"], srs["df"]
    csv_download(pd.DataFrame(curve_data), "activation-curves", "Curves as CSV")
    rows = []
    for n in shown:
        a = ACTIVATIONS[n]
        rows.append({"f": a.label, f"f(x₀ = {x0:g})": f"{a.f(x0, **kwargs_for(n)):.6g}",
                     "f'(x₀)": f"{a.df(x0, **kwargs_for(n)):.6g}", "output range": a.output_range,
                     "in the lecture": "yes" if a.lecture else "extra"})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if not -xr <= x0 <= xr:
        st.caption(f"x₀ = {x0:g} lies outside the drawn range; the table still gives its values.")

st.subheader("Formula and what to know")
focus = select(P["focus"], "Function")
a = ACTIVATIONS[focus]
c1, c2 = st.columns(2)
c1.latex(a.latex)
c2.latex(a.dlatex)
st.markdown(a.note)
if focus == "sigmoid":
    s0 = sigmoid(x0)
    st.latex(rf"\sigma({x0:g}) = {s0:.6g},\quad \sigma'({x0:g}) = \sigma(1-\sigma) = {a.df(x0):.6g}")
    st.caption("Active range about −5 to 5: outside it σ' < 0.007, so gradients through a saturated "
               "sigmoid almost vanish. The sigmoid accepts inputs from −∞ to +∞ (the perceptron, 1958).")
if focus == "maxout":
    k = params.get("pieces", PARAM_RANGES["pieces"][2])
    st.caption(f"Drawn with k = {k} example pieces (tangents of x²/8). In a network each unit learns its own "
               f"k pieces, so a maxout layer of width m has W of shape [k·m, in]: k times a plain layer's parameters.")

layout.finish_page(PAGE, list(P.values()) + list(SHOW.values()), EXERCISES)
