"""Why nonlinearity: a deep network of identity activations is one linear map."""
import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts.boundary import probability_map
from explorer.core import datasets
from explorer.core.activations import ACTIVATIONS
from explorer.core.mlp import MLP, collapse_latex
from explorer.core.train import Trainer
from explorer.settings.param import Param
from explorer.settings.linear_collapse import LAYER_CHOICES, Settings
from explorer.ui import layout
from explorer.ui.exercises import Exercise
from explorer.ui.url_state import number, open_settings, read, select, slider
from explorer.ui.tables import show_table

PAGE = "collapse"
SAME_TOLERANCE = 1e-12      # a smaller difference is rounding: the outputs are called equal
FOUR = "{:.4f}"   # the tables' number formats
SIX = "{:.6f}"


@st.cache_data(max_entries=64, show_spinner=False)
def compare(n_in, widths, nonlinear_layer, nonlinear_f, B, seed):
    """Deep identity network vs its collapsed map; and the same weights with one layer nonlinear."""
    acts = ["identity"] * len(widths)
    linear = MLP(n_in, list(widths), acts, seed=seed, init="xavier")
    W_eff, b_eff = linear.collapse()
    X = np.random.default_rng(seed + 1).normal(size=(n_in, B))
    deep = linear.forward(X)
    single = W_eff @ X + b_eff
    out = {"W_eff": W_eff, "b_eff": b_eff, "deep": deep, "single": single,
           "diff": float(np.max(np.abs(deep - single)))}
    if nonlinear_layer:
        acts[nonlinear_layer - 1] = nonlinear_f
        bent = MLP(n_in, list(widths), acts, seed=seed, init="xavier")
        out["same_weights"] = copy_weights(linear, bent)
        out["bent"] = bent.forward(X)
        out["bent_diff"] = float(np.max(np.abs(out["bent"] - single)))
    return out


def copy_weights(source: MLP, target: MLP) -> bool:
    """Give ``target`` exactly ``source``'s W and b, layer by layer; True when every layer matches after.

    A maxout layer holds k pieces, ``W : [k·out, in]`` (rows piece-major): its first piece gets the
    linear layer's W and b, the other k − 1 pieces keep their own seeded values. (Building the bent
    network from the same seed is not enough: a maxout layer draws k times the numbers, which shifts
    every later layer's.)
    """
    for src, dst in zip(source.layers, target.layers):
        rows = src.W.shape[0]
        dst.W[:rows] = src.W
        dst.b[:rows] = src.b
    return all(np.array_equal(s.W, d.W[:s.W.shape[0]]) and np.array_equal(s.b, d.b[:s.b.shape[0]])
               for s, d in zip(source.layers, target.layers))


@st.cache_data(max_entries=16, show_spinner="Training both networks…")
def fit_2d(data, activation, seed, steps=600):
    """Train 2 → 8 → 8 → 1 twice on the same data: identity hidden layers, and ``activation``."""
    X, Y = datasets.GENERATORS[data](n=200, noise=0.1, seed=seed)
    g1, g2, G = datasets.grid(1.5, 70)
    results = {}
    for name in ("identity", activation):
        net = MLP(2, [8, 8, 1], [name, name, "sigmoid"], seed=seed)
        metrics = Trainer(net, X, Y, "binary", optimiser="adam", lr=0.03).step(steps)
        P = net.forward(G).reshape(len(g2), len(g1))
        line = None
        if name == "identity":
            W_eff, b_eff = net.collapse(logits=True)
            line = (float(W_eff[0, 0]), float(W_eff[0, 1]), float(b_eff[0, 0]))
        results[name] = {"P": P, "accuracy": metrics["train_accuracy"], "loss": metrics["train_loss"], "line": line}
    return X, Y, g1, g2, results


def boundary_figures(data: str, f2d: str, seed: int):
    """The two boundary figures and the nonlinear network's training accuracy (for the exercise)."""
    X, Y, g1, g2, fits = fit_2d(data, f2d, seed)
    lin, bent = fits["identity"], fits[f2d]
    return (probability_map(g1, g2, lin["P"], X, Y, f"Identity hidden layers: accuracy {100 * lin['accuracy']:.0f}%",
                            line=lin["line"]),
            probability_map(g1, g2, bent["P"], X, Y,
                            f"{ACTIVATIONS[f2d].label} hidden layers: accuracy {100 * bent['accuracy']:.0f}%"),
            bent["accuracy"])


@st.cache_resource(max_entries=16, show_spinner=False)
def shared_boundary_figures(data: str, f2d: str, seed: int):
    """Built once per setting and shared read-only (a change of depth or widths above does not redraw them);
    presenter mode enlarges a figure in place, so there they are built afresh."""
    return boundary_figures(data, f2d, seed)


# -- sections ------------------------------------------------------------------------------------
def header() -> None:
    layout.page_header(
        "Why nonlinearity: linear layers collapse",
        "With **a = Z** (identity activation) in every layer, the slide's forward pass expands to one "
        "linear map: **ŷ = W_eff X + b_eff**. Depth buys nothing without a nonlinear f.",
        "compare the deep network's outputs with W_eff X + b_eff below; then make one layer nonlinear.",
        "the difference is at the level of rounding (about 1e-16) for any depth and widths; one tanh "
        "breaks it, and on XOR only the nonlinear network can bend its boundary.",
    )


def network_controls(P) -> None:
    number(P.N, "N, inputs", step=1)
    n_layers = int(slider(P.L, "Layers L (the last is the output)"))
    if n_layers > 1:
        cols = st.columns(min(n_layers - 1, 3))
        for i in range(1, n_layers):
            with cols[(i - 1) % len(cols)]:
                number(getattr(P, f"w{i}"), f"width {i}", step=1)
    number(P.out, "output width", step=1)
    if st.session_state.get(P.layer.key, 0) > n_layers:
        st.session_state[P.layer.key] = 0
    shown = Param.choice(P.layer.key, 0, {i: LAYER_CHOICES[i] for i in range(n_layers + 1)})   # the layers there are
    layer = select(shown, "Make one layer nonlinear (none: all identity)")
    select(P.f, "with activation", disabled=layer == 0)
    number(P.B, "Batch size B", step=1)
    number(P.seed, "Seed", step=1)


def expansion(s: Settings) -> None:
    st.markdown("**The slide's expansion, for this depth:**")
    st.latex(collapse_latex(s.L, per_line=None if s.L <= 3 else 2))
    st.latex(r"W_{\mathrm{eff}} = " + "".join(f"W^{{[{l}]}}" for l in range(s.L, 0, -1))
             + rf" \;:\; {s.out} \times {s.N}, \qquad b_{{\mathrm{{eff}}}} : {s.out} \times 1")


def effective_map(s: Settings, res: dict) -> None:
    c1, c2 = st.columns([3, 1])
    c1.markdown("**W_eff** (rows: outputs, columns: inputs)")
    outputs = [f"out {i + 1}" for i in range(s.out)]
    show_table(pd.DataFrame(res["W_eff"], columns=[f"x{j + 1}" for j in range(s.N)], index=outputs), index=True,
               width="content", float_format=FOUR, where=c1)
    c2.markdown("**b_eff**")
    show_table(pd.DataFrame(res["b_eff"], columns=["b"], index=outputs), index=True, width="content",
               float_format=FOUR, where=c2)


def verdict(s: Settings, res: dict) -> None:
    m1, m2 = st.columns(2)
    m1.metric("Max difference, all linear", f"{res['diff']:.1e}",
              help="max |deep network − (W_eff X + b_eff)| over every output of the batch: rounding error only.")
    nl = s.nonlinear
    if not nl:
        st.success("Equal up to rounding: this deep network is exactly the single linear map above.",
                   icon=":material/check_circle:")
        return
    label = ACTIVATIONS[s.f].label
    m2.metric(f"Max difference, layer {nl} = {label}", f"{res['bent_diff']:.3g}",
              help="max |network − (W_eff X + b_eff)|, with the same W and b in every layer"
                   + (f"; maxout's first piece is layer {nl}'s W, its other pieces are extra weights."
                      if s.f == "maxout" else "."))
    if res["bent_diff"] < SAME_TOLERANCE:
        st.info(f"Layer {nl} uses {label}, yet on this batch every value it saw lay on its linear part: "
                f"the outputs still equal W_eff X + b_eff (difference {res['bent_diff']:.1e}). Other inputs "
                "would not: change the seed or raise B.", icon=":material/info:")
    else:
        st.warning(f"With layer {nl} using {label}, the network is no longer W_eff X + b_eff: no single "
                   "matrix reproduces it. That is what the nonlinearity buys.", icon=":material/call_split:")


def outputs_table(s: Settings, res: dict) -> None:
    shown = min(s.B, 8)
    table = {"sample": [f"x({j + 1})" for j in range(shown)],
             "deep network ŷ (out 1)": res["deep"][0, :shown],
             "W_eff X + b_eff (out 1)": res["single"][0, :shown]}
    if s.nonlinear:
        table[f"with layer {s.nonlinear} nonlinear"] = res["bent"][0, :shown]
    show_table(pd.DataFrame(table), float_format=SIX)


def boundary_section(P) -> float:
    """The 2-D problem: the identity network's straight boundary beside a nonlinear one's; returns the
    nonlinear network's training accuracy (for the exercise)."""
    st.subheader("On a problem that needs a curve")
    d1, d2 = st.columns(2)
    with d1:
        select(P.data, "Data set")
    with d2:
        select(P.f2d, "Nonlinear activation to compare")
    s = read(Settings)
    st.caption("Both networks are 2 → 8 → 8 → 1 with a sigmoid output, trained with Adam for 600 full-batch steps "
               "on the same 200 points. Only the hidden activations differ.")
    # the shared figures carry the accuracy too: fit_2d's cached arrays are not copied out again at every rerun
    fig_lin, fig_bent, bent_accuracy = (boundary_figures if layout.presenter() else shared_boundary_figures)(
        s.data, s.f2d, s.seed)
    p1, p2 = st.columns(2)
    with p1:
        layout.show_figure(fig_lin, "collapse-linear-boundary")
        st.caption("The black 0.5 line of the all-linear network lies on the dashed line W_eff x + b_eff = 0: "
                   "a straight line, whatever the depth.")
    with p2:
        layout.show_figure(fig_bent, "collapse-nonlinear-boundary")
    return bent_accuracy


def exercises(s: Settings, bent_accuracy: float) -> list[Exercise]:
    return [
        Exercise("Make the network 6 layers deep and every width 64. Does the difference grow with depth?",
                 "No: it stays at rounding level (about 1e-15). Six linear layers are still one matrix "
                 "W_eff = W[6]⋯W[1]; depth adds parameters but no expressive power.",
                 check=lambda: s.L == 6 and all(w == 64 for w in s.widths[:-1])),
        Exercise("Make only the output layer nonlinear with ReLU. Is the network still W_eff X + b_eff?",
                 "Only where W_eff X + b_eff > 0: ReLU(W_eff X + b_eff) equals the linear map for positive "
                 "outputs and 0 elsewhere. So one nonlinearity already bends the map.",
                 check=lambda: s.nonlinear == s.L and s.f == "relu"),
        Exercise("On XOR, find a nonlinear activation that does *not* reach 100% training accuracy.",
                 "With 8 + 8 hidden units and 600 Adam steps most activations separate XOR; a saturating "
                 "sigmoid learns slowest. The identity never can: its boundary is one straight line, "
                 "and no line gets more than about 3 of the 4 XOR quadrants right.",
                 check=lambda: s.data == "xor" and bent_accuracy < 1.0),

    ]


# ---------------------------------------------------------------------------------------------------
def body() -> None:
    """The page below its title (one fragment: a control's change reruns this, not the sidebar and
    the navigation)."""
    controls, main = st.columns([1, 2.4], gap="large")
    with controls, st.container(border=True):
        network_controls(P)
    s = read(Settings)
    res = compare(s.N, s.widths, s.nonlinear, s.f, s.B, s.seed)
    with main:
        expansion(s)
        effective_map(s, res)
        verdict(s, res)
        outputs_table(s, res)
    bent_accuracy = boundary_section(P)
    layout.show_exercises(PAGE, exercises(read(Settings), bent_accuracy))


P = open_settings(Settings)
header()
layout.live_body(body)
layout.sidebar_tools(PAGE, P.values())
