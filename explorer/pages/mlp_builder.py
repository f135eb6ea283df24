"""MLP builder: choose the layers, see every shape, the parameter formula and a real forward pass."""
import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts import forward as forward_charts
from explorer.charts import network as network_charts
from explorer.core.activations import LABELS, PARAM_RANGES
from explorer.core.architecture import Architecture
from explorer.core.diagnostics import histogram, layer_stats
from explorer.core import mri
from explorer.core.mlp import HEADS, MLP
from explorer.ui import layout, shapes
from explorer.ui.shapes import shape
from explorer.ui.controls import input_size
from explorer.ui.exercises import Exercise
from explorer.ui.export import csv_download, table_downloads
from explorer.ui.url_state import Param, current, number, radio, sanitize, select, show_notes, slider, toggle

PAGE = "mlp"
MAX_HIDDEN = 6
DEFAULT_WIDTHS = [3, 2, 8, 8, 8, 8]
HEAD_LABELS = {"binary": "binary (1 unit, sigmoid)", "multiclass": "multi-class (K units, softmax)",
               "regression": "regression (1 linear unit)"}

P = {
    "input": Param.choice("input", "number", {"number": "N features", "image": "image H x W"}),
    "N": Param("N", 4, "int", 1, 10**9),
    "H": Param("H", 34, "int", 1, 100_000),
    "W": Param("W", 10, "int", 1, 100_000),
    "L": Param("L", 2, "int", 0, MAX_HIDDEN),
    "per_layer": Param("per_layer", False, "bool"),
    "act": Param.choice("act", "sigmoid", LABELS),
    "head": Param.choice("head", "binary", HEAD_LABELS),
    "K": Param("K", 5, "int", 2, 20),
    "B": Param("B", 8, "int", 1, 1024),
    "seed": Param("seed", 0, "int", 0, 999_999),
    "slope": Param("slope", PARAM_RANGES["slope"][2], "float", *PARAM_RANGES["slope"][:2]),
    "alpha": Param("alpha", PARAM_RANGES["alpha"][2], "float", *PARAM_RANGES["alpha"][:2]),
    "pieces": Param("pieces", PARAM_RANGES["pieces"][2], "int", *PARAM_RANGES["pieces"][:2]),
    "view": Param("view", 1, "int", 1, MAX_HIDDEN + 1),
}
for _i in range(1, MAX_HIDDEN + 1):
    P[f"w{_i}"] = Param(f"w{_i}", DEFAULT_WIDTHS[_i - 1], "int", 1, 512)
    P[f"f{_i}"] = Param.choice(f"f{_i}", "sigmoid", LABELS)

PRESETS = {
    "lecture": ("The lecture's network: N → 3 → 2 → 1, sigmoid",
                {"input": "number", "L": 2, "w1": 3, "w2": 2, "per_layer": False,
                 "act": "sigmoid", "head": "binary", "B": 8}),
    "views": ("Cardiac views: 34×10 image → 32 → 16 → 5 softmax",
              {"input": "image", "H": 34, "W": 10, "L": 2, "w1": 32, "w2": 16, "per_layer": False,
               "act": "relu", "head": "multiclass", "K": 5, "B": 8}),
}


def apply_preset(name: str) -> None:
    for key, value in PRESETS[name][1].items():
        st.session_state[key] = value


def read_controls() -> dict:
    """All widgets of the page; returns the chosen configuration."""
    cfg = {}
    for name, (label, _) in PRESETS.items():
        st.button(label, on_click=apply_preset, args=(name,), key=f"preset_{name}", width="stretch")
    cfg["n_in"] = input_size(P["input"], P["N"], P["H"], P["W"])
    hidden = int(slider(P["L"], "Hidden layers"))
    per_layer = toggle(P["per_layer"], "A different activation per layer") if hidden else False
    if hidden and not per_layer:
        shared = select(P["act"], "Activation of the hidden layers")
    widths, acts = [], []
    if hidden and per_layer:     # one row per layer: its width and its f side by side
        for i in range(1, hidden + 1):
            c1, c2 = st.columns([1, 1.3])
            with c1:
                widths.append(int(number(P[f"w{i}"], f"width of layer {i}", step=1)))
            with c2:
                acts.append(select(P[f"f{i}"], f"f of layer {i}"))
    elif hidden:
        cols = st.columns(2)
        for i in range(1, hidden + 1):
            with cols[(i - 1) % 2]:
                widths.append(int(number(P[f"w{i}"], f"width of layer {i}", step=1)))
                acts.append(shared)
    head = radio(P["head"], "Output layer")
    K = int(slider(P["K"], "K classes")) if head == "multiclass" else 1
    widths.append(K)
    acts.append(HEADS[head])
    used = set(acts)
    cfg["slope"] = float(slider(P["slope"], "leaky ReLU slope α", step=0.01)) if "leaky_relu" in used else P["slope"].default
    cfg["alpha"] = float(slider(P["alpha"], "ELU α", step=0.01)) if "elu" in used else P["alpha"].default
    cfg["pieces"] = int(slider(P["pieces"], "maxout pieces k")) if "maxout" in used else P["pieces"].default
    cfg["B"] = int(number(P["B"], "Batch size B", step=1))
    cfg["seed"] = int(number(P["seed"], "Random seed (weights and batch)", step=1))
    cfg.update(widths=tuple(widths), activations=tuple(acts), head=head)
    return cfg


@st.cache_data(max_entries=64, show_spinner=False)
def run_forward(n_in, widths, activations, pieces, slope, alpha, B, seed):
    """A seeded forward pass, reduced to what the page draws (small, quick to send)."""
    net = MLP(n_in, list(widths), list(activations), seed=seed, slope=slope, alpha=alpha, pieces=pieces)
    X = np.random.default_rng(seed + 1).normal(size=(n_in, B))
    rows = net.trace(X)
    sizes = [n_in] + list(widths)
    shown = [network_charts.shown_units(n) for n in sizes]
    weights = [layer.W[:layer.spec.n_out][np.ix_(shown[i + 1], shown[i])] for i, layer in enumerate(net.layers)]
    layers = []
    for row in rows:
        a = row["a_values"]
        counts, edges = histogram(a)
        layers.append({"counts": counts, "edges": edges, "stats": layer_stats(a, row["activation"]),
                       "heat": a[:64, :64].copy()})
    return {"y_hat": rows[-1]["a_values"][:, :32].copy(), "layers": layers, "weights": weights}


def build_figures(n_in, widths, activations, pieces, slope, alpha, B, seed, head, ran: bool) -> dict:
    """The page's figures for one configuration (the diagram; with a forward pass, its outputs,
    histograms and every layer's values)."""
    result = run_forward(n_in, widths, activations, pieces, slope, alpha, B, seed) if ran else None
    sizes = [n_in] + list(widths)
    figs = {"diagram": network_charts.diagram(sizes, network_charts.layer_headers(n_in, widths, activations),
                                              result["weights"] if result else None,
                                              title="The network: blue w > 0, red w < 0, thick = large |w|")}
    if result:
        names = list(mri.CLASSES) if head == "multiclass" and widths[-1] == len(mri.CLASSES) else None
        figs["outputs"] = forward_charts.output_bars(result["y_hat"], head, names)
        figs["hist"] = forward_charts.activation_histograms(
            [{"name": f"a[{i}] ({activations[i - 1]})", **layer} for i, layer in enumerate(result["layers"], start=1)])
        figs["heat"] = [forward_charts.activation_heatmap(layer["heat"], f"a[{i}]")
                        for i, layer in enumerate(result["layers"], start=1)]
    return figs


@st.cache_resource(max_entries=32, show_spinner=False)
def shared_figures(*key) -> dict:
    """Built once per configuration, shared read-only by every session (presenter mode enlarges a figure
    in place, so there they are built afresh)."""
    return build_figures(*key)


# ---------------------------------------------------------------------------------------
sanitize(list(P.values()), PAGE)
layout.page_header(
    "MLP builder",
    "A multi-layer perceptron in the lecture's notation: each layer computes **Z = W a + b** and "
    "**a = f(Z)**, with **W** of shape *[out, in]*, **b** of shape *[out, 1]* broadcast over the B "
    "columns of the batch.",
    "press *The lecture's network* and check the count against the slide's **3N + 14**; then "
    "widen a layer, or switch the input to an image.",
    "only the first layer's count depends on N, so a bigger image grows the network by the first "
    "layer's width per pixel; the batch size changes the shapes of Z and a, never the parameters.",
)
show_notes(PAGE)

controls, results = st.columns([1.15, 2.3], gap="large")
with controls:
    with st.container(border=True):
        cfg = read_controls()

arch = Architecture(cfg["n_in"], cfg["widths"], cfg["activations"], cfg["pieces"])
reason = arch.too_large(cfg["B"])
result = None
if reason is None:
    result = run_forward(cfg["n_in"], cfg["widths"], cfg["activations"], cfg["pieces"],
                         cfg["slope"], cfg["alpha"], cfg["B"], cfg["seed"])
fig_key = (cfg["n_in"], cfg["widths"], cfg["activations"], cfg["pieces"], cfg["slope"], cfg["alpha"], cfg["B"],
           cfg["seed"], cfg["head"], reason is None)
figs = (build_figures if layout.presenter() else shared_figures)(*fig_key)
with results:
    formula = arch.formula()
    formula_text = shapes.formula_text(formula)
    if layout.presenter() or len(formula_text) > 12:   # big type or a long formula: the formula on its own row
        m1, m3 = st.columns([1.3, 1])
        m2 = st.container()
    else:
        m1, m2, m3 = st.columns([1, 1.5, 0.7])
    m1.metric("Parameters", f"{arch.n_params:,}", help="Exact: the sum of every W and b size.")
    m3.metric("Output ŷ", shape((arch.n_out, cfg["B"])), help="[out, B]: one column per sample.")
    m2.metric("As a formula in N", formula_text)
    layout.show_figure(figs["diagram"], "mlp-diagram")
    table = shapes.layer_table(arch, cfg["B"])
    st.dataframe(table, hide_index=True, width="stretch")
    table_downloads(table, "mlp-shapes-and-parameters", csv=shapes.layer_records(arch, cfg["B"]))
    st.markdown("**Number of parameters, line by line** (as on the slides; activations add none):")
    shapes.derivation(arch)
    if any(a == "maxout" for a in cfg["activations"]):
        st.caption(f"Maxout layers compute k = {cfg['pieces']} pieces per unit: W is [k·out, in], "
                   "so they hold k times the parameters of a plain layer.")


st.subheader("A forward pass of a random batch")
if reason:
    st.info(reason, icon=":material/memory:")
else:
    st.caption(f"X is a seeded batch of B = {cfg['B']} samples with N(0, 1) entries; weights are seeded "
               "(Xavier for σ/tanh, He for the ReLU family), biases N(0, 0.1²).")
    names = list(mri.CLASSES) if cfg["head"] == "multiclass" and arch.n_out == len(mri.CLASSES) else None
    layout.show_figure(figs["outputs"], "mlp-outputs")
    out_names = names or [f"y{k}" for k in range(result["y_hat"].shape[0])]
    csv_download(pd.DataFrame(result["y_hat"].T, columns=out_names).rename_axis("sample").reset_index(),
                 "mlp-outputs", "Outputs ŷ as CSV")
    layout.show_figure(figs["hist"], "mlp-activation-histograms")
    stats = []
    for i, layer in enumerate(result["layers"], start=1):
        s = layer["stats"]
        stats.append({"layer": i, "f": cfg["activations"][i - 1], "mean": f"{s['mean']:.3f}",
                      "std": f"{s['std']:.3f}",
                      "saturated values": "—" if s["saturated"] is None else f"{100 * s['saturated']:.0f}%",
                      "dead units (0 for the whole batch)": "—" if s["dead_units"] is None else f"{100 * s['dead_units']:.0f}%"})
    st.dataframe(pd.DataFrame(stats), hide_index=True, width="stretch")
    n_layers = len(result["layers"])
    if current(P["view"]) > n_layers:  # fewer layers than before: keep the slider in range
        st.session_state["view"] = n_layers
    view = int(slider(Param("view", 1, "int", 1, max(n_layers, 2)), "Show the values of layer")) if n_layers > 1 else 1
    view = min(view, n_layers)
    layout.show_figure(figs["heat"][view - 1], "mlp-layer-values")

layout.finish_page(PAGE, P.values(), [
    Exercise("Predict the parameter count of N → 5 → 1 before you set it (one hidden layer of 5, binary output).",
             "Layer 1: 5N + 5; layer 2: 1 × 5 + 1 = 6; total **5N + 11**.",
             check=lambda: cfg["widths"] == (5, 1) and cfg["head"] == "binary",
             done="That is N → 5 → 1: the formula above reads 5N + 11."),
    Exercise("How many parameters does the lecture's network have for the slide's 34 × 10 pixel window?",
             "N = 34 × 10 = 340, so 3N + 14 = **1,034**. Set *image H × W* to 34 × 10 and press the lecture's "
             "network to check.",
             check=lambda: cfg["n_in"] == 340 and cfg["widths"] == (3, 2, 1)),
    Exercise("Make the output a 5 × 8 matrix, as for the lecture's five cardiac views in a batch of 8.",
             "Multi-class head with K = 5 and B = 8: ŷ = softmax(Z[L]) is K × B = 5 × 8, each column sums to 1.",
             check=lambda: cfg["head"] == "multiclass" and arch.n_out == 5 and cfg["B"] == 8),
    Exercise("Double the batch size. Which columns of the table change, and does the parameter count?",
             "Only the Z and a shapes (their second dimension, B). W and b, and so the count, do not depend on B: "
             "the same weights serve every sample of the batch.",
             check=lambda: cfg["B"] == 2 * P["B"].default),
])
