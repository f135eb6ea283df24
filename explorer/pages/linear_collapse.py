"""Why nonlinearity: a deep network of identity activations is one linear map."""
import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts.boundary import probability_map
from explorer.core import datasets
from explorer.core.activations import ACTIVATIONS, LABELS, NAMES
from explorer.core.mlp import MLP, collapse_latex
from explorer.core.train import Trainer
from explorer.ui import layout
from explorer.ui.exercises import Exercise
from explorer.ui.url_state import Param, number, sanitize, select, show_notes, slider

PAGE = "collapse"
SAME_TOLERANCE = 1e-12      # a smaller difference is rounding: the outputs are called equal
MAX_LAYERS = 6
DEFAULT_WIDTHS = [3, 2, 4, 4, 4]
NONLINEAR = tuple(n for n in NAMES if n != "identity")
LAYER_CHOICES = {0: "none", **{i: f"layer {i}" for i in range(1, MAX_LAYERS + 1)}}
P = {
    "cN": Param("cN", 4, "int", 1, 64),
    "cL": Param("cL", 3, "int", 1, MAX_LAYERS),
    "cout": Param("cout", 1, "int", 1, 8),
    "nl": Param.choice("nl", 0, LAYER_CHOICES),
    "nlf": Param.choice("nlf", "tanh", {n: LABELS[n] for n in NONLINEAR}),
    "cB": Param("cB", 8, "int", 1, 64),
    "cseed": Param("cseed", 0, "int", 0, 999_999),
    "data": Param.choice("data", "xor", {"xor": "XOR", "circles": "circles"}),
    "f2d": Param.choice("f2d", "tanh", {n: LABELS[n] for n in NONLINEAR}),
}
for _i in range(1, MAX_LAYERS):
    P[f"cw{_i}"] = Param(f"cw{_i}", DEFAULT_WIDTHS[_i - 1], "int", 1, 64)

sanitize(list(P.values()), PAGE)
layout.page_header(
    "Why nonlinearity: linear layers collapse",
    "With **a = Z** (identity activation) in every layer, the slide's forward pass expands to one "
    "linear map: **ŷ = W_eff X + b_eff**. Depth buys nothing without a nonlinear f.",
    "compare the deep network's outputs with W_eff X + b_eff below; then make one layer nonlinear.",
    "the difference is at the level of rounding (about 1e-16) for any depth and widths; one tanh "
    "breaks it, and on XOR only the nonlinear network can bend its boundary.",
)
show_notes(PAGE)


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


controls, main = st.columns([1, 2.4], gap="large")
with controls, st.container(border=True):
    n_in = int(number(P["cN"], "N, inputs", step=1))
    depth = int(slider(P["cL"], "Layers L (the last is the output)"))
    widths = []
    if depth > 1:
        cols = st.columns(min(depth - 1, 3))
        for i in range(1, depth):
            with cols[(i - 1) % len(cols)]:
                widths.append(int(number(P[f"cw{i}"], f"width {i}", step=1)))
    widths.append(int(number(P["cout"], "output width", step=1)))
    if st.session_state.get("nl", 0) > depth:
        st.session_state["nl"] = 0
    nl_choices = Param.choice("nl", 0, {i: LAYER_CHOICES[i] for i in range(depth + 1)})
    nl = select(nl_choices, "Make one layer nonlinear (none: all identity)")
    nlf = select(P["nlf"], "with activation", disabled=nl == 0)
    B = int(number(P["cB"], "Batch size B", step=1))
    seed = int(number(P["cseed"], "Seed", step=1))

res = compare(n_in, tuple(widths), nl, nlf, B, seed)
with main:
    st.markdown("**The slide's expansion, for this depth:**")
    st.latex(collapse_latex(depth, per_line=None if depth <= 3 else 2))
    st.latex(r"W_{\mathrm{eff}} = " + "".join(f"W^{{[{l}]}}" for l in range(depth, 0, -1))
             + rf" \;:\; {widths[-1]} \times {n_in}, \qquad b_{{\mathrm{{eff}}}} : {widths[-1]} \times 1")
    c1, c2 = st.columns([3, 1])
    c1.markdown("**W_eff** (rows: outputs, columns: inputs)")
    four = st.column_config.NumberColumn(format="%.4f")     # formats in the browser (a Styler costs a rerun ms)
    c1.dataframe(pd.DataFrame(res["W_eff"], columns=[f"x{j + 1}" for j in range(n_in)],
                              index=[f"out {i + 1}" for i in range(widths[-1])]),
                 column_config={f"x{j + 1}": four for j in range(n_in)})
    c2.markdown("**b_eff**")
    c2.dataframe(pd.DataFrame(res["b_eff"], columns=["b"], index=[f"out {i + 1}" for i in range(widths[-1])]),
                 column_config={"b": four})
    m1, m2 = st.columns(2)
    m1.metric("Max difference, all linear", f"{res['diff']:.1e}",
              help="max |deep network − (W_eff X + b_eff)| over every output of the batch: rounding error only.")
    if nl:
        label = ACTIVATIONS[nlf].label
        m2.metric(f"Max difference, layer {nl} = {label}", f"{res['bent_diff']:.3g}",
                  help="max |network − (W_eff X + b_eff)|, with the same W and b in every layer"
                       + (f"; maxout's first piece is layer {nl}'s W, its other pieces are extra weights."
                          if nlf == "maxout" else "."))
        if res["bent_diff"] < SAME_TOLERANCE:
            st.info(f"Layer {nl} uses {label}, yet on this batch every value it saw lay on its linear part: "
                    f"the outputs still equal W_eff X + b_eff (difference {res['bent_diff']:.1e}). Other inputs "
                    "would not: change the seed or raise B.", icon=":material/info:")
        else:
            st.warning(f"With layer {nl} using {label}, the network is no longer W_eff X + b_eff: no single "
                       "matrix reproduces it. That is what the nonlinearity buys.", icon=":material/call_split:")
    else:
        st.success("Equal up to rounding: this deep network is exactly the single linear map above.",
                   icon=":material/check_circle:")
    shown = min(B, 8)
    table = {"sample": [f"x({j + 1})" for j in range(shown)],
             "deep network ŷ (out 1)": res["deep"][0, :shown],
             "W_eff X + b_eff (out 1)": res["single"][0, :shown]}
    if nl:
        table[f"with layer {nl} nonlinear"] = res["bent"][0, :shown]
    six = st.column_config.NumberColumn(format="%.6f")
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch",
                 column_config={name: six for name in list(table)[1:]})

st.subheader("On a problem that needs a curve")
d1, d2 = st.columns(2)
with d1:
    data = select(P["data"], "Data set")
with d2:
    f2d = select(P["f2d"], "Nonlinear activation to compare")
X, Y, g1, g2, fits = fit_2d(data, f2d, seed)


def boundary_figures(data: str, f2d: str, seed: int):
    lin, bent = fits["identity"], fits[f2d]
    return (probability_map(g1, g2, lin["P"], X, Y, f"Identity hidden layers: accuracy {100 * lin['accuracy']:.0f}%",
                            line=lin["line"]),
            probability_map(g1, g2, bent["P"], X, Y,
                            f"{ACTIVATIONS[f2d].label} hidden layers: accuracy {100 * bent['accuracy']:.0f}%"))


@st.cache_resource(max_entries=16, show_spinner=False)
def shared_boundary_figures(data: str, f2d: str, seed: int):
    """Built once per setting and shared read-only (a change of depth or widths above does not redraw them);
    presenter mode enlarges a figure in place, so there they are built afresh."""
    return boundary_figures(data, f2d, seed)
st.caption("Both networks are 2 → 8 → 8 → 1 with a sigmoid output, trained with Adam for 600 full-batch steps "
           "on the same 200 points. Only the hidden activations differ.")
p1, p2 = st.columns(2)
lin, bent = fits["identity"], fits[f2d]
fig_lin, fig_bent = (boundary_figures if layout.presenter() else shared_boundary_figures)(data, f2d, seed)
with p1:
    layout.show_figure(fig_lin, "collapse-linear-boundary")
    st.caption("The black 0.5 line of the all-linear network lies on the dashed line W_eff x + b_eff = 0: "
               "a straight line, whatever the depth.")
with p2:
    layout.show_figure(fig_bent, "collapse-nonlinear-boundary")

layout.finish_page(PAGE, P.values(), [
    Exercise("Make the network 6 layers deep and every width 64. Does the difference grow with depth?",
             "No: it stays at rounding level (about 1e-15). Six linear layers are still one matrix "
             "W_eff = W[6]⋯W[1]; depth adds parameters but no expressive power.",
             check=lambda: depth == 6 and all(w == 64 for w in widths[:-1])),
    Exercise("Make only the output layer nonlinear with ReLU. Is the network still W_eff X + b_eff?",
             "Only where W_eff X + b_eff > 0: ReLU(W_eff X + b_eff) equals the linear map for positive "
             "outputs and 0 elsewhere. So one nonlinearity already bends the map.",
             check=lambda: nl == depth and nlf == "relu"),
    Exercise("On XOR, find a nonlinear activation that does *not* reach 100% training accuracy.",
             "With 8 + 8 hidden units and 600 Adam steps most activations separate XOR; a saturating "
             "sigmoid learns slowest. The identity never can: its boundary is one straight line, "
             "and no line gets more than about 3 of the 4 XOR quadrants right.",
             check=lambda: data == "xor" and bent["accuracy"] < 1.0),
])
