"""Pictures of a forward pass: the outputs per sample and the activation values per layer."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explorer.charts.style import PALETTE, SEQUENTIAL, styled


def output_bars(Y_hat: np.ndarray, head: str, class_names: list[str] | None = None,
                max_samples: int = 32) -> go.Figure:
    """ŷ per sample: sigmoid probability bars (binary), stacked softmax bars, or values (regression)."""
    K, B = Y_hat.shape
    shown = min(B, max_samples)
    samples = [f"x({i + 1})" for i in range(shown)]
    fig = go.Figure()
    if head == "multiclass":
        names = class_names or [f"class {k}" for k in range(K)]
        for k in range(K):
            fig.add_trace(go.Bar(x=samples, y=Y_hat[k, :shown], name=names[k],
                                 marker={"color": PALETTE[k % len(PALETTE)],
                                         "pattern": {"shape": ["", "/", ".", "x", "-", "|", "+", "\\"][k % 8]}}))
        fig.update_layout(barmode="stack")
        y_title, title = "softmax probability (column sums to 1)", "Output a[L] = softmax(Z[L]) per sample"
    elif head == "binary":
        fig.add_trace(go.Bar(x=samples, y=Y_hat[0, :shown], name="σ(z)", marker={"color": PALETTE[0]}))
        fig.add_hline(y=0.5, line={"dash": "dot", "color": "#555555"}, annotation_text="threshold 0.5")
        fig.update_yaxes(range=[0, 1])
        y_title, title = "P(y = 1 | x) = σ(z)", "Output ŷ = σ(Z[L]) per sample"
    else:
        fig.add_trace(go.Bar(x=samples, y=Y_hat[0, :shown], name="ŷ", marker={"color": PALETTE[2]}))
        y_title, title = "ŷ (linear output)", "Output ŷ = Z[L] per sample"
    if shown < B:
        title += f" (first {shown} of B = {B})"
    return styled(fig, title, "sample (column of X)", y_title, height=360)


def activation_histograms(layers: list[dict]) -> go.Figure:
    """One histogram per layer: ``{"name", "counts", "edges"}`` (from np.histogram)."""
    n = len(layers)
    fig = make_subplots(rows=1, cols=n, subplot_titles=[layer["name"] for layer in layers],
                        horizontal_spacing=0.04)
    for i, layer in enumerate(layers):
        edges = np.asarray(layer["edges"])
        fig.add_trace(go.Bar(x=(edges[:-1] + edges[1:]) / 2, y=layer["counts"], width=np.diff(edges),
                             showlegend=False, marker={"color": PALETTE[i % len(PALETTE)]},
                             hovertemplate="%{x:.3g}: %{y}<extra></extra>"), row=1, col=i + 1)
        fig.update_xaxes(title_text="value", row=1, col=i + 1)
    fig.update_yaxes(title_text="count", row=1, col=1)
    return styled(fig, "Values of each layer's activations a[l] over the batch", height=320)


def activation_heatmap(values: np.ndarray, name: str, max_rows: int = 64, max_cols: int = 64) -> go.Figure:
    """a[l] as an image: units down, samples across (viridis)."""
    v = values[:max_rows, :max_cols]
    fig = go.Figure(go.Heatmap(z=v, colorscale=SEQUENTIAL, colorbar={"title": "value"},
                               x=[f"x({j + 1})" for j in range(v.shape[1])],
                               y=[f"unit {i + 1}" for i in range(v.shape[0])],
                               hovertemplate="%{y}, %{x}: %{z:.4g}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    cut = "" if v.shape == values.shape else f" (first {v.shape[0]} × {v.shape[1]})"
    return styled(fig, f"{name}: units × samples{cut}", "sample (column)", "unit (row)", height=340)
