"""Sigmoid, softmax and logits: from a score z (any real number) to probabilities, and back."""
import math

import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts import probability as charts
from explorer.core import mri
from explorer.core.activations import sigmoid
from explorer.core.probability import (
    cross_entropy_from_logits,
    log_softmax,
    logit,
    one_hot,
    shift_check,
    softmax,
    softmax_naive,
    softmax_with_temperature,
)
from explorer.settings.declare import params_of
from explorer.settings.softmax import CLASS_NAMES, TABS, Settings
from explorer.ui import layout
from explorer.ui.exercises import Exercise, refresh_on_change
from explorer.ui.url_state import open_settings, read, slider
from explorer.ui.tables import show_table

P = params_of(Settings)
PAGE = P.page
VIEWS = list(mri.CLASSES)          # the lecture's cardiac views, K = 5
TRICK_PRESETS = {
    "big": ("Large logits [1000, 999, 998]", (1000.0, 999.0, 998.0)),
    "neg": ("Very negative [−1000, −999, −998]", (-1000.0, -999.0, -998.0)),
    "small": ("Small logits [1, 2, 3]", (1.0, 2.0, 3.0)),
}

SOFTMAX_LATEX = (r"\text{softmax}(\mathbf{z})_i = \frac{\exp(z_i)}{\sum_{j=0}^{K-1} \exp(z_j)},"
                 r"\qquad i = 0, 1, \dots, K-1")


def linear_text(w1: float, w2: float, b: float) -> str:
    """w1 x₁ + w2 x₂ + b written as people write it: 2 x₁ − 1 x₂ + 0.5."""
    out = f"{w1:g} x₁"
    for value, term in ((w2, " x₂"), (b, "")):
        out += f" {'−' if value < 0 else '+'} {abs(value):g}{term}"
    return out


def fmt(x: float, digits: int = 6) -> str:
    """A number as printed in the tables: inf and nan stay visible as words."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "−inf"
    return f"{x:.{digits}g}"


# ------------------------------------------------------------------ pictures
# (built on every run: a plotly figure takes a few ms to build, and st.cache_data would
# have to unpickle, i.e. rebuild, it anyway; only the open tab's figure is built)
Z_GRID = np.linspace(-10.0, 10.0, 201)     # steps of 0.1: as smooth to the eye as finer ones
X_GRID = np.linspace(-4.0, 4.0, 161)


def binary_figure(z: float, threshold: float):
    return charts.sigmoid_and_logit(Z_GRID, sigmoid(Z_GRID), z, sigmoid(z), threshold, logit(threshold))


def neuron_figure(w1: float, w2: float, b: float):
    X1, X2 = np.meshgrid(X_GRID, X_GRID)
    return charts.neuron_map(X_GRID, X_GRID, sigmoid(w1 * X1 + w2 * X2 + b), w1, w2, b)


# ------------------------------------------------------------------ the four sections
def binary_section(show: bool) -> None:
    """One score z through the sigmoid and back. What does not depend on z and the threshold (the
    words, the formulas) is written once, outside the tab's fragment: a move of z redraws the rest."""
    if not show:
        binary_live(show)      # its widgets, so that the address keeps z and the threshold
        return
    c1, c2 = st.columns([1.3, 1], gap="large")
    with c1:
        st.markdown("One output unit and the sigmoid: **a = σ(z) = σ(W X + b)** turns any score "
                    "z ∈ (−∞, +∞) into a probability a ∈ (0, 1), the chance of “Yes”. Its inverse is the "
                    "**logit**: a ∈ (0, 1) and logit(a) ∈ (−∞, +∞), so the raw score z is also called the "
                    "*logit*.")
    with c2:
        st.latex(r"\begin{aligned} a &= \sigma(z) = \frac{1}{1 + \exp(-z)} \\[4pt] "
                 r"\text{logit}(a) &= \log\left(\frac{a}{1-a}\right) \end{aligned}")
    binary_live(show)


@st.fragment
def binary_live(show: bool) -> None:
    """The sliders z and threshold and all that follows from them (they rerun only this part)."""
    with st.container(border=True):
        c1, c2 = st.columns(2, gap="large")
        with c1:
            slider(P.z, "Score z = W x + b", step=0.1)
        with c2:
            slider(P.thr, "Decision threshold on a", step=0.01)
    s = read(Settings)
    refresh_on_change(PAGE, "binary", abs(sigmoid(s.z) - 0.9) < 0.005)     # the first exercise's check
    if show:
        binary_results(s.z, s.thr)


def binary_results(z: float, threshold: float) -> None:
    """a = σ(z), its logit, the predicted class, the figure and the round trip."""
    a = sigmoid(z)
    back = logit(a)
    z_star = logit(threshold)
    predicted = 1 if a >= threshold else 0
    m1, m2, m3 = st.columns(3)
    m1.metric("a = σ(z)", f"{a:.6f}")
    m2.metric("logit(a)", f"{back:.6f}", help="log(a / (1 − a)): the score z again.")
    m3.metric("Predicted class", f"{predicted} ({'“Yes”' if predicted else '“No”'})",
              help="Class 1 when a ≥ threshold, that is when z ≥ logit(threshold).")
    with layout.wide_box("sm_binary_box", min_width=680):    # on a phone: readable, scrolled inside its box
        layout.show_figure(binary_figure(z, threshold), "sigmoid-and-logit", key="sm_fig_binary", share=1.0)
    c1, c2 = st.columns(2, gap="large", vertical_alignment="center")
    with c1:
        st.markdown("**Round trip** z → a → logit(a)")
        st.latex(rf"\begin{{aligned}} z &= {z:g} \\ a = \sigma(z) &= {a!r} \\ "
                 rf"\text{{logit}}(a) &= {back!r} \end{{aligned}}")
    c2.caption(f"logit(σ(z)) − z = {back - z:.2e}: equal up to rounding in 64-bit floats. "
               f"Threshold {threshold:g} on a is the same as z ≥ logit({threshold:g}) = {z_star:.4f}"
               + (" (for 0.5: z ≥ 0, the sign of the score)." if threshold == 0.5 else "."))

def logit_sliders(K: int) -> None:
    st.markdown("**Logits z_k** (the scores W x + b of the K units)")
    cols = st.columns(2)
    for k in range(K):
        with cols[k % 2]:
            slider(P[f"sm_z{k}"], f"z{k}: {CLASS_NAMES[k]}", step=0.1)


def views_probability(s: Settings, k: int) -> float:
    """The probability of class ``k`` at the settings' temperature (0 if there are fewer classes)."""
    return float(softmax_with_temperature(np.array(s.logits), s.T)[k]) if k < s.K else 0.0


@st.fragment
def multiclass_section(show: bool) -> None:
    """K logits through the softmax: probabilities, one-hot target, cross-entropy (reruns only this tab)."""
    st.markdown("K output units, one score per class, **Z = W X + b** with W : K × N and b : K × 1; "
                "softmax turns the K scores into K probabilities that sum to 1. "
                f"The lecture's K = 5 cardiac views are {', '.join(VIEWS[:-1])} and {VIEWS[-1]}.")
    st.latex(SOFTMAX_LATEX)
    st.caption("The slide writes the sum up to K; with the classes numbered 0 … K−1 it ends at j = K−1.")
    left, right = st.columns([1, 1.8], gap="large")
    with left, st.container(border=True):
        K = int(slider(P.K, "Number of classes K"))
        logit_sliders(K)
        if st.session_state.get(P.true.key, 0) >= K:      # fewer classes than before: keep the choice valid
            st.session_state[P.true.key] = 0
        st.selectbox("True class y of this sample", list(range(K)), key=P.true.key,
                     format_func=P.true.label_of, bind="query-params")
        slider(P.T, "Temperature T (softmax(z / T))", step=0.1,
               help="T = 1 is the plain softmax; larger T flattens, smaller T sharpens.")
    s = read(Settings)
    refresh_on_change(PAGE, "multi", s.T == 1.0 and views_probability(s, 2) > 0.9)   # the second exercise
    if show:
        with right:
            multiclass_results(s)
        onehot_section(s)


def multiclass_results(s: Settings) -> None:
    """The probabilities (bars and table), the predicted class and the loss."""
    K, true, T = s.K, s.true, s.T
    names = CLASS_NAMES[:K]
    z_arr = np.array(s.logits)
    probs = softmax(z_arr)
    Y = one_hot([true], K)[:, 0]
    loss = cross_entropy_from_logits(z_arr, Y)
    probs_T = softmax_with_temperature(z_arr, T) if T != 1.0 else None
    layout.show_figure(charts.probability_bars(names, probs, true, probs_T, T), "softmax-probabilities",
                       key="sm_fig_bars")
    m1, m2, m3 = st.columns(3)
    best = int(np.argmax(probs))
    m1.metric("Predicted class", names[best], f"a = {probs[best]:.4f}", delta_color="off",
              delta_arrow="off")
    m2.metric("Cross-entropy loss L", f"{loss:.4f}", f"= −log a of {names[true]}", delta_color="off",
              delta_arrow="off",
              help="L = −Σ_k y_k log a_k: only the true class's term is left. 0 when a_true = 1.")
    m3.metric("Σ_k a_k", f"{probs.sum():.6f}")
    table = pd.DataFrame({
        "class k": [f"{k}: {n}" for k, n in enumerate(names)], "z_k": [fmt(v, 4) for v in z_arr],
        "a_k": [f"{p:.6f}" for p in probs],
        "y_k (one-hot)": [int(v) for v in Y],
        "−y_k log a_k": [f"{-lp:.4f}" if v else "0" for v, lp in zip(Y, log_softmax(z_arr))],
    })
    if T != 1.0:
        table.insert(3, f"a_k at T = {T:g}", [f"{p:.6f}" for p in probs_T])
    show_table(table)
    st.caption(temperature_caption(names, probs, probs_T, T))


def onehot_section(s: Settings) -> None:
    """The true class's one-hot column and its loss, and the slide's table of all K codes."""
    K, true = s.K, s.true
    names = CLASS_NAMES[:K]
    z_arr = np.array(s.logits)
    Y = one_hot([true], K)[:, 0]
    loss = cross_entropy_from_logits(z_arr, Y)
    st.latex(r"\mathbf{y}_{\text{" + names[true] + r"}} = \begin{bmatrix}"
             + r" & ".join(str(int(v)) for v in Y) + r"\end{bmatrix}^{\mathsf T}, \qquad "
             r"L = -\sum_{k=0}^{K-1} y_k \log a_k = -\log a_{\text{" + names[true] + rf"}}}} = {loss:.4f}")
    with st.expander(f"The slide's table: the one-hot code of each of the K = {K} classes"):
        codes = one_hot(list(range(K)), K).T.astype(int)
        show_table(pd.DataFrame(codes, index=names, columns=[f"y{k}" for k in range(K)]), index=True, width="content")
        st.caption("One-hot encoding: K numbers per sample, a 1 at the true class and 0 elsewhere "
                   "(in the lecture's layout Y is K × B: one such column per sample).")


def temperature_caption(names: list[str], probs: np.ndarray, probs_T: np.ndarray | None, T: float) -> str:
    """What the temperature changes (how sure) and what it does not (the order, the predicted class)."""
    best = int(np.argmax(probs))
    if probs_T is None:
        return ("**Temperature** T divides every logit, softmax(z / T): T > 1 flattens the probabilities, "
                "T < 1 sharpens them. It never changes their order, so the predicted class stays the same.")
    best_T = int(np.argmax(probs_T))
    same = "still" if best_T == best else "now"      # equal unless two logits tie to rounding
    how = "less" if T > 1 else "more"
    return (f"**At T = {T:g} the predicted class is {same} {names[best_T]}**: dividing every z_k by the same "
            f"T > 0 keeps their order. What changes is how sure the prediction is: a = {probs_T[best_T]:.4f} "
            f"instead of {probs[best]:.4f} ({how} sure), and the loss of a wrong guess with it.")


def shift_caption(z: np.ndarray, c: float) -> str:
    """Whether naive softmax(z − c) equals softmax(z) to rounding, and if not, why (underflow):
    the verdict of :func:`explorer.core.probability.shift_check`, in the page's words."""
    check = shift_check(z, c)
    if check.verdict == "underflow":
        which = ", ".join(f"exp({fmt(check.shifted[i])})" for i in check.underflowed)
        return (f"**Not equal here: underflow.** {which} is below the smallest normal 64-bit float "
                f"(about 2.2e-308), so it comes out as 0 or with most of its digits lost, and "
                f"{'that probability is' if len(check.underflowed) == 1 else 'those probabilities are'} wrong. "
                "Subtracting c = max z never does this: the largest shifted logit is 0 and exp(0) = 1. "
                "The core's softmax always uses c = max z.")
    return check.reason + " The core's softmax always uses c = max z."


def set_trick(name: str) -> None:
    for k, v in enumerate(TRICK_PRESETS[name][1]):
        st.session_state[P[f"sm_t{k}"].key] = v


def set_c_to_max() -> None:
    st.session_state[P.c.key] = max(read(Settings).trick_logits)


@st.fragment
def trick_section(show: bool) -> None:
    """Naive softmax against softmax(z − max z) for three logits, and any other c (reruns only this tab)."""
    st.markdown("In 64-bit floats **exp(z) overflows to inf for z above about 709.8** and underflows to 0 "
                "below about −745. The slide's trick: subtracting a constant c from every logit changes "
                "nothing, so compute softmax(z) as **softmax(z − max z)**, where every exp(·) is ≤ 1.")
    st.latex(r"\text{softmax}(\mathbf{z} - c)_i = \frac{e^{z_i - c}}{\sum_{j=0}^{K-1} e^{z_j - c}}"
             r" = \frac{e^{-c}\, e^{z_i}}{e^{-c} \sum_{j=0}^{K-1} e^{z_j}} = \text{softmax}(\mathbf{z})_i")
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown("**Presets:**", width="content")
        for name, (label, _) in TRICK_PRESETS.items():
            st.button(label, key=f"sm_preset_{name}", on_click=set_trick, args=(name,), width="content")
    cols = st.columns(3)
    for k in range(3):
        with cols[k]:
            slider(P[f"sm_t{k}"], f"z{k}", step=1.0)
    results = st.container()
    st.markdown("**Any c gives the same softmax, mathematically** — numerically, only some c are safe.")
    cc1, cc2 = st.columns([2, 1], vertical_alignment="bottom")
    with cc1:
        slider(P.c, "Constant c subtracted from every logit", step=1.0)
    with cc2:
        st.button("Set c = max z", key="sm_c_max", on_click=set_c_to_max, width="stretch")
    s = read(Settings)
    refresh_on_change(PAGE, "trick", 709.0 < max(s.trick_logits) < 712.0)     # the third exercise's check
    if show:
        with results:
            trick_table(np.array(s.trick_logits))
        shift_result(np.array(s.trick_logits), s.c)


def trick_table(z_arr: np.ndarray) -> None:
    """exp, naive and stable softmax of the three logits, and whether the naive one breaks."""
    with np.errstate(over="ignore"):
        e_naive = np.exp(z_arr)
    naive = softmax_naive(z_arr)
    stable = softmax(z_arr)
    shifted = z_arr - z_arr.max()
    e_shift = np.exp(shifted)
    table = pd.DataFrame({
        "i": ["0", "1", "2", "sum"],
        "z_i": [fmt(v) for v in z_arr] + [""],
        "exp(z_i)": [fmt(v) for v in e_naive] + [fmt(e_naive.sum())],
        "naive exp(z_i) / Σ exp(z_j)": [fmt(v) for v in naive] + [fmt(naive.sum())],
        "z_i − max z": [fmt(v) for v in shifted] + [""],
        "exp(z_i − max z)": [fmt(v) for v in e_shift] + [fmt(e_shift.sum())],
        "stable softmax(z − max z)": [fmt(v) for v in stable] + [fmt(stable.sum())],
    })
    show_table(table)
    broken = not np.all(np.isfinite(naive))
    if broken:
        st.error("The naive formula breaks: " + (
            "exp(z) overflows to inf, and inf / inf = nan." if np.any(np.isinf(e_naive))
            else "every exp(z) underflows to 0, and 0 / 0 = nan.")
            + f" The stable column is exact and sums to {fmt(stable.sum())}.", icon=":material/warning:")
    else:
        st.success("Both columns agree here: with small logits the naive formula works too "
                   f"(largest difference {np.max(np.abs(naive - stable)):.1e}).", icon=":material/check:")


def shift_result(z_arr: np.ndarray, c: float) -> None:
    """naive softmax(z − c) for the chosen c, compared with softmax(z)."""
    stable = softmax(z_arr)
    naive_c = softmax_naive(z_arr - c)
    diff = float(np.max(np.abs(naive_c - stable)))
    st.markdown(f"naive softmax(z − c) with c = {c:g}: **[{', '.join(fmt(v) for v in naive_c)}]**  \n"
                f"max |naive softmax(z − c) − softmax(z)| = **{fmt(diff, 3)}**")
    if math.isnan(diff):
        st.caption(f"With c = {c:g} the largest z − c is {fmt((z_arr - c).max())}: exp still overflows "
                   "(above 709.8) or every exp underflows (below −745). c = max z always works: the largest "
                   "shifted logit is 0, so one exp is exactly 1 and the sum is at least 1.")
    else:
        st.caption(shift_caption(z_arr, c))


@st.fragment
def neuron_section(show: bool) -> None:
    """a = σ(w1 x1 + w2 x2 + b) over the plane (its sliders rerun only this tab)."""
    st.markdown("A **neuron** = a linear map + a nonlinear activation. With two inputs and the sigmoid it is "
                "**logistic regression**: a = σ(w₁x₁ + w₂x₂ + b) is a probability at every point of the plane.")
    left, right = st.columns([1, 2.2], gap="large")
    with left, st.container(border=True):
        slider(P.w1, "w₁", step=0.1)
        slider(P.w2, "w₂", step=0.1)
        slider(P.b, "b", step=0.1)
    s = read(Settings)
    refresh_on_change(PAGE, "neuron", sharper_same_line(s))     # the fourth exercise's check
    if show:
        neuron_results(s.w1, s.w2, s.b, left, right)


def sharper_same_line(s: Settings) -> bool:
    """w scaled up from the default (2, 1, −1) by one factor > 1: the same 0.5 line, a narrower band."""
    return abs(s.w1 - 2 * s.w2) < 1e-9 and abs(s.b + 0.5 * s.w1) < 1e-9 and s.w1 > 2.0


def neuron_results(w1: float, w2: float, b: float, left, right) -> None:
    """The formula, ‖w‖ and the band's width on the left; the probability map on the right; the line."""
    norm = math.hypot(w1, w2)
    with left:
        st.latex(r"a = \sigma(" + linear_text(w1, w2, b).replace("x₁", r"\,x_1").replace("x₂", r"\,x_2")
                 .replace("−", "-") + ")")
        if norm > 0:
            width = (logit(0.9) - logit(0.1)) / norm
            st.metric("‖w‖ = √(w₁² + w₂²)", f"{norm:.3f}")
            st.metric("Width of the band 0.1 < a < 0.9", f"{width:.3f}",
                      help="Across the line, z grows by ‖w‖ per unit of distance; a goes from 0.1 to 0.9 "
                           "while z goes from logit(0.1) to logit(0.9), i.e. 2 log 9 ≈ 4.39.")
    with right:
        layout.show_figure(neuron_figure(w1, w2, b), "neuron-probability-map", key="sm_fig_neuron")
    if norm > 0:
        st.markdown(f"The black line is where a = 0.5, i.e. z = 0: **{linear_text(w1, w2, b)} = 0** — "
                    "a straight line, so logistic regression can only separate classes by a line. The arrow "
                    "**w** is perpendicular to it and points to a → 1. The **size** of w sets how sharp the "
                    f"transition is: the band 0.1 < a < 0.9 is 2 log 9 / ‖w‖ = {width:.3f} wide, so doubling "
                    "w₁, w₂ and b keeps the line but halves the band.")
    else:
        st.info(f"With w₁ = w₂ = 0 the neuron ignores its input: a = σ(b) = {sigmoid(b):.4f} everywhere, "
                "and there is no 0.5 line (unless b = 0, where a = 0.5 everywhere).", icon=":material/info:")


# ---------------------------------------------------------------------------------------
def header() -> None:
    layout.page_header(
        "Sigmoid, softmax and logits",
        "A score **z = W X + b** is any real number, not a probability. The **sigmoid** turns one score into "
        "a probability (binary: “Yes” or “No”); the **softmax** turns K scores, the *logits*, into K "
        "probabilities that sum to 1 (multi-class, with one-hot targets and the cross-entropy loss).",
        "move z and watch a = σ(z) and logit(a) undo each other; raise one class's logit; press "
        "*Large logits* in the softmax trick; tilt a neuron's line.",
        "σ(0) = 0.5 and logit(0.5) = 0; adding the same number to every logit changes no probability; "
        "the naive softmax gives nan for logits near 1000 while softmax(z − max z) is exact.",
    )


def exercises(s: Settings) -> list[Exercise]:
    return [
        Exercise("Set z so that σ(z) = 0.9, then check it with the logit.",
                 "z = logit(0.9) = log(0.9 / 0.1) = log 9 ≈ **2.197**; σ(2.197) = 0.9.",
                 check=lambda: abs(sigmoid(s.z) - 0.9) < 0.005),
        Exercise("With the temperature at 1, give CH4 a probability above 0.9.",
                 "Raise CH4's logit about 2.5 above the largest other one: a gap of Δ gives roughly "
                 "1 / (1 + (K − 1)e^{−Δ}).",
                 check=lambda: s.T == 1.0 and views_probability(s, 2) > 0.9),
        Exercise("Find (about) the smallest largest logit at which the naive softmax breaks.",
                 "exp(z) overflows a 64-bit float above z ≈ **709.78**: exp(709) = 8.2e307 still works, "
                 "exp(710) is inf, and inf / inf = nan.",
                 check=lambda: 709.0 < max(s.trick_logits) < 712.0),
        Exercise("Make the neuron's transition sharper without moving its 0.5 line.",
                 "Multiply w₁, w₂ and b by the same factor > 1: the line w₁x₁ + w₂x₂ + b = 0 stays, and the "
                 "band from 0.1 to 0.9 (width 2 log 9 / ‖w‖) narrows.",
                 check=lambda: sharper_same_line(s)),
    ]


def body() -> None:
    """The four tabs and the exercises below them."""
    # The open tab is in the URL (sm_tab). Every tab's widgets run on every full rerun, so the address always
    # holds all settings; only the open tab computes and draws. Each tab is a fragment: its own sliders
    # rerun that tab alone.
    tabs = st.tabs(list(TABS.values()), key=P.tab.key, bind="query-params")
    for tab, section in zip(tabs, (binary_section, multiclass_section, trick_section, neuron_section)):
        with tab:
            section(bool(tab.open))
    layout.show_exercises(PAGE, exercises(read(Settings)))


open_settings(Settings)
header()
layout.live_body(body)
layout.sidebar_tools(PAGE, P.values())
