"""MLP builder: choose the layers, see every shape, the parameter formula and a real forward pass."""
import dataclasses

import numpy as np
import pandas as pd
import streamlit as st

from explorer.charts import forward as forward_charts
from explorer.charts import network as network_charts
from explorer.core import mri
from explorer.core.architecture import Architecture
from explorer.core.diagnostics import histogram, layer_stats
from explorer.core.mlp import HEADS, MLP
from explorer.settings.mlp_builder import Network, Settings
from explorer.ui import layout, shapes
from explorer.ui.controls import input_size
from explorer.ui.exercises import Exercise, refresh_on_change
from explorer.ui.export import csv_download, table_downloads
from explorer.ui.shapes import shape
from explorer.ui.url_state import current, number, open_settings, radio, read, select, slider, toggle
from explorer.ui.tables import show_table

PRESETS = {
    "lecture": ("The lecture's network: N → 3 → 2 → 1, sigmoid",
                {"input": "number", "L": 2, "w1": 3, "w2": 2, "per_layer": False,
                 "act": "sigmoid", "head": "binary", "B": 8}),
    "views": ("Cardiac views: 34×10 image → 32 → 16 → 5 softmax",
              {"input": "image", "H": 34, "W": 10, "L": 2, "w1": 32, "w2": 16, "per_layer": False,
               "act": "relu", "head": "multiclass", "K": 5, "B": 8}),
}


def apply_preset(name: str) -> None:
    P = Settings.__params__
    for field, value in PRESETS[name][1].items():
        st.session_state[getattr(P, field).key] = value


# =============================================================================== the controls
def layer_controls(P) -> list[str]:
    """The hidden layers' widths and activations; returns the activations the hidden layers use."""
    hidden = int(slider(P.L, "Hidden layers"))
    if not hidden:
        return []
    per_layer = toggle(P.per_layer, "A different activation per layer")
    if per_layer:     # one row per layer: its width and its f side by side
        acts = []
        for i in range(1, hidden + 1):
            c1, c2 = st.columns([1, 1.3])
            with c1:
                number(getattr(P, f"w{i}"), f"width of layer {i}", step=1)
            with c2:
                acts.append(select(getattr(P, f"f{i}"), f"f of layer {i}"))
        return acts
    shared = select(P.act, "Activation of the hidden layers")
    cols = st.columns(2)
    for i in range(1, hidden + 1):
        with cols[(i - 1) % 2]:
            number(getattr(P, f"w{i}"), f"width of layer {i}", step=1)
    return [shared] * hidden


def draw_controls(P):
    """The widgets that are not the layers' (presets, input, output layer, batch, seed); returns the
    places of the layers' widgets and of the activations' parameters, which :func:`network_live`
    fills (their values are read back with ``read(Settings)``)."""
    for name, (label, _) in PRESETS.items():
        st.button(label, on_click=apply_preset, args=(name,), key=f"mlp_preset_{name}", width="stretch")
    input_size(P.input, P.N, P.H, P.W)
    layers = st.container()
    head = radio(P.head, "Output layer")
    if head == "multiclass":
        slider(P.K, "K classes")
    parameters = st.container()
    number(P.B, "Batch size B", step=1)
    number(P.seed, "Random seed (weights and batch)", step=1)
    return layers, parameters


def parameter_controls(P, used: set[str]) -> None:
    """The parameters of the activations some layer uses."""
    if "leaky_relu" in used:
        slider(P.slope, "leaky ReLU slope α", step=0.01)
    if "elu" in used:
        slider(P.alpha, "ELU α", step=0.01)
    if "maxout" in used:
        slider(P.pieces, "maxout pieces k")


# =============================================================================== the forward pass
@st.cache_data(max_entries=64, show_spinner=False)
def run_forward(net: Network) -> dict:
    """A seeded forward pass, reduced to what the page draws (small, quick to send)."""
    mlp = MLP(net.n_in, list(net.widths), list(net.activations), seed=net.seed, slope=net.slope, alpha=net.alpha,
              pieces=net.pieces)
    X = np.random.default_rng(net.seed + 1).normal(size=(net.n_in, net.B))
    rows = mlp.trace(X)
    shown = [network_charts.shown_units(n) for n in net.sizes]
    weights = [layer.W[:layer.spec.n_out][np.ix_(shown[i + 1], shown[i])] for i, layer in enumerate(mlp.layers)]
    layers = []
    for row in rows:
        a = row["a_values"]
        counts, edges = histogram(a)
        layers.append({"counts": counts, "edges": edges, "stats": layer_stats(a, row["activation"]),
                       "heat": a[:64, :64].copy()})
    return {"y_hat": rows[-1]["a_values"][:, :32].copy(), "layers": layers, "weights": weights}


def class_names(net: Network) -> list[str] | None:
    """The lecture's five cardiac views name the outputs of a five-class head."""
    return list(mri.CLASSES) if net.head == "multiclass" and net.widths[-1] == len(mri.CLASSES) else None


def build_figures(net: Network, ran: bool) -> dict:
    """The page's figures for one network (the diagram; with a forward pass, its outputs and
    histograms; a layer's values: :func:`build_heat`)."""
    result = run_forward(net) if ran else None
    headers = network_charts.layer_headers(net.n_in, net.widths, net.activations)
    figs = {"diagram": network_charts.diagram(net.sizes, headers, result["weights"] if result else None,
                                              title="The network: blue w > 0, red w < 0, thick = large |w|")}
    if result:
        figs["outputs"] = forward_charts.output_bars(result["y_hat"], net.head, class_names(net))
        figs["hist"] = forward_charts.activation_histograms(
            [{"name": f"a[{i}] ({net.activations[i - 1]})", **layer}
             for i, layer in enumerate(result["layers"], start=1)])
    return figs


def build_heat(net: Network, layer: int):
    """Layer ``layer``'s values as an image (only the layer shown is drawn)."""
    return forward_charts.activation_heatmap(run_forward(net)["layers"][layer - 1]["heat"], f"a[{layer}]")


@st.cache_resource(max_entries=64, show_spinner=False)
def shared_heat(net: Network, layer: int):
    return build_heat(net, layer)


@st.cache_resource(max_entries=32, show_spinner=False)
def shared_figures(net: Network, ran: bool) -> dict:
    """Built once per network, shared read-only by every session (presenter mode enlarges a figure
    in place, so there they are built afresh)."""
    return build_figures(net, ran)


# =============================================================================== the sections
def shapes_section(net: Network, arch: Architecture, figs: dict) -> None:
    """The parameter count, its formula in N, the diagram and the table of shapes."""
    formula_text = shapes.formula_text(arch.formula())
    if layout.presenter() or len(formula_text) > 12:   # big type or a long formula: the formula on its own row
        m1, m3 = st.columns([1.3, 1])
        m2 = st.container()
    else:
        m1, m2, m3 = st.columns([1, 1.5, 0.7])
    m1.metric("Parameters", f"{arch.n_params:,}", help="Exact: the sum of every W and b size.")
    m3.metric("Output ŷ", shape((arch.n_out, net.B)), help="[out, B]: one column per sample.")
    m2.metric("As a formula in N", formula_text)
    layout.show_figure(figs["diagram"], "mlp-diagram")
    table = shapes.layer_table(arch, net.B)
    show_table(table)
    table_downloads(table, "mlp-shapes-and-parameters", csv=shapes.layer_records(arch, net.B))
    st.markdown("**Number of parameters, line by line** (as on the slides; activations add none):")
    shapes.derivation(arch)
    if "maxout" in net.activations:
        st.caption(f"Maxout layers compute k = {net.pieces} pieces per unit: W is [k·out, in], "
                   "so they hold k times the parameters of a plain layer.")


def stats_table(net: Network, layers: list[dict]) -> pd.DataFrame:
    rows = []
    for i, layer in enumerate(layers, start=1):
        s = layer["stats"]
        rows.append({"layer": i, "f": net.activations[i - 1], "mean": f"{s['mean']:.3f}", "std": f"{s['std']:.3f}",
                     "saturated values": "—" if s["saturated"] is None else f"{100 * s['saturated']:.0f}%",
                     "dead units (0 for the whole batch)":
                         "—" if s["dead_units"] is None else f"{100 * s['dead_units']:.0f}%"})
    return pd.DataFrame(rows)


def layer_values(P, net: Network, n_layers: int) -> None:
    """One layer's values as an image, the layer chosen by a slider sized to the network (not a
    fragment of its own: inside :func:`network_live`, which writes into the body's places, a nested
    fragment's elements were written again after the old ones on every run)."""
    if current(P.view) > n_layers:  # fewer layers than before: keep the slider in range
        st.session_state[P.view.key] = n_layers
    view = 1
    if n_layers > 1:
        view = int(slider(dataclasses.replace(P.view, hi=max(n_layers, 2)), "Show the values of layer"))
    layout.show_figure((build_heat if layout.presenter() else shared_heat)(net, min(view, n_layers)),
                       "mlp-layer-values")


def forward_section(P, net: Network, figs: dict) -> None:
    """A seeded batch through the network: the outputs, the activations' histograms and statistics."""
    st.caption(f"X is a seeded batch of B = {net.B} samples with N(0, 1) entries; weights are seeded "
               "(Xavier for σ/tanh, He for the ReLU family), biases N(0, 0.1²).")
    result = run_forward(net)
    layout.show_figure(figs["outputs"], "mlp-outputs")
    out_names = class_names(net) or [f"y{k}" for k in range(result["y_hat"].shape[0])]
    csv_download(pd.DataFrame(result["y_hat"].T, columns=out_names).rename_axis("sample").reset_index(),
                 "mlp-outputs", "Outputs ŷ as CSV")
    layout.show_figure(figs["hist"], "mlp-activation-histograms")
    show_table(stats_table(net, result["layers"]))
    layer_values(P, net, len(result["layers"]))


def exercises(net: Network) -> list[Exercise]:
    arch_out = net.widths[-1]
    return [
        Exercise("Predict the parameter count of N → 5 → 1 before you set it (one hidden layer of 5, binary "
                 "output).",
                 "Layer 1: 5N + 5; layer 2: 1 × 5 + 1 = 6; total **5N + 11**.",
                 check=lambda: net.widths == (5, 1) and net.head == "binary",
                 done="That is N → 5 → 1: the formula above reads 5N + 11."),
        Exercise("How many parameters does the lecture's network have for the slide's 34 × 10 pixel window?",
                 "N = 34 × 10 = 340, so 3N + 14 = **1,034**. Press the lecture's network, then set *image H × W* "
                 "to 34 × 10 to check (the preset starts from N features).",
                 check=lambda: net.n_in == 340 and net.widths == (3, 2, 1)),
        Exercise("Make the output a 5 × 8 matrix, as for the lecture's five cardiac views in a batch of 8.",
                 "Multi-class head with K = 5 and B = 8: ŷ = softmax(Z[L]) is K × B = 5 × 8, each column sums to 1.",
                 check=lambda: net.head == "multiclass" and arch_out == 5 and net.B == 8),
        Exercise("Double the batch size. Which columns of the table change, and does the parameter count?",
                 "Only the Z and a shapes (their second dimension, B). W and b, and so the count, do not depend on "
                 "B: the same weights serve every sample of the batch.",
                 check=lambda: net.B == 2 * Settings.__params__.B.default),
    ]


# ---------------------------------------------------------------------------------------
P = open_settings(Settings)
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


def body() -> None:
    """Everything below the header: a change of the input, the output layer, the batch or the seed
    reruns this; the layers' own widgets rerun only :func:`network_live`."""
    controls, results = st.columns([1.15, 2.3], gap="large")
    with controls, st.container(border=True):
        layers, parameters = draw_controls(P)
    with results:
        shapes = st.container()
    st.subheader("A forward pass of a random batch")
    network_live(layers, parameters, shapes, st.container())
    # outside network_live (thirteen elements a click need not redraw); it reruns the page when a check flips
    layout.show_exercises(P.page, exercises(read(Settings).network()))


@st.fragment
def network_live(layers, parameters, shapes, forward) -> None:
    """The layers' widgets and all that depends on the network, written into the places the body
    made for them (a fragment: the hidden-layer slider, a width or an activation reruns this only,
    not the presets, input, output and batch widgets). It writes straight into the body's
    containers (``with place:``), so the browser keeps the elements in them from run to run; a
    fresh container in a place on every run would remount them all, figures drawn from scratch."""
    with layers:
        used = set(layer_controls(P))
    used.add(HEADS[current(P.head)])
    with parameters:
        parameter_controls(P, used)
    s = read(Settings)
    net = s.network()
    arch = Architecture(net.n_in, net.widths, net.activations, net.pieces)
    reason = arch.too_large(net.B)
    figs = (build_figures if layout.presenter() else shared_figures)(net, reason is None)
    with shapes:
        shapes_section(net, arch, figs)
    with forward:
        if reason:
            st.info(reason, icon=":material/memory:")
        else:
            forward_section(P, net, figs)
    refresh_on_change(P.page, "checks", tuple(ex.check() for ex in exercises(net)))


layout.live_body(body)
layout.sidebar_tools(P.page, P.values())
