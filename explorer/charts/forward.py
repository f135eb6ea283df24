"""Pictures of a forward pass: the outputs per sample and the activation values per layer."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.charts.style import PALETTE, SEQUENTIAL, new_figure, styled, trace

# plotly.js lays a figure out again for every axis with automargin (several passes each): on these
# figures that was half their draw time. Their margins are fixed instead, wide enough for the labels.


def fixed_margins(fig: go.Figure, l: int = 70, r: int = 20, t: int = 60, b: int = 60) -> go.Figure:
    """The figure's margins set (``l``, ``r``, ``t``, ``b`` px) and every axis' automargin off
    (property by property: setting the whole layout again validated all of it, half the build)."""
    for key in [k for k in fig.layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
        fig.layout[key].automargin = False
    fig.layout.margin = {"l": l, "r": r, "t": t, "b": b}
    return fig


def output_bars(Y_hat: np.ndarray, head: str, class_names: list[str] | None = None,
                max_samples: int = 32) -> go.Figure:
    """ŷ per sample: sigmoid probability bars (binary), stacked softmax bars, or values (regression)."""
    K, B = Y_hat.shape
    shown = min(B, max_samples)
    samples = [f"x({i + 1})" for i in range(shown)]
    layout: dict = {}
    if head == "multiclass":
        names = class_names or [f"class {k}" for k in range(K)]
        data = [{"type": "bar", "x": samples, "y": Y_hat[k, :shown], "name": names[k],
                 "marker": {"color": PALETTE[k % len(PALETTE)],
                            "pattern": {"shape": ["", "/", ".", "x", "-", "|", "+", "\\"][k % 8]}}}
                for k in range(K)]
        layout["barmode"] = "stack"
        y_title, title = "softmax probability (column sums to 1)", "Output a[L] = softmax(Z[L]) per sample"
    elif head == "binary":
        data = [{"type": "bar", "x": samples, "y": Y_hat[0, :shown], "name": "σ(z)", "marker": {"color": PALETTE[0]}},
                {"type": "scatter", "x": [samples[0], samples[-1]], "y": [0.5, 0.5], "mode": "lines",
                 "name": "threshold 0.5", "line": {"dash": "dot", "color": "#555555"}}]
        layout["yaxis"] = {"range": [0, 1]}
        y_title, title = "P(y = 1 | x) = σ(z)", "Output ŷ = σ(Z[L]) per sample"
    else:
        data = [{"type": "bar", "x": samples, "y": Y_hat[0, :shown], "name": "ŷ", "marker": {"color": PALETTE[2]}}]
        y_title, title = "ŷ (linear output)", "Output ŷ = Z[L] per sample"
    if shown < B:
        title += f" (first {shown} of B = {B})"
    # plain dicts: plotly's add_trace / update_* validate path by path (several times slower)
    fig = new_figure({"data": data, "layout": layout})
    return fixed_margins(styled(fig, title, "sample (column of X)", y_title, height=360), l=80, b=70)


HIST_PER_ROW = 4     # panels side by side; a deeper network's histograms wrap onto more rows


def activation_histograms(layers: list[dict], per_row: int = HIST_PER_ROW) -> go.Figure:
    """One histogram per layer: ``{"name", "counts", "edges"}`` (from np.histogram), at most
    ``per_row`` panels a row, so that a 6-layer network's titles and ticks do not run together.
    Each panel is named by its x-axis title (an annotation per panel doubled the draw time)."""
    n = len(layers)
    cols = min(n, per_row)
    rows = -(-n // cols)
    gap_x, gap_y = 0.05, (0.22 if rows > 1 else 0.0)
    width = (1.0 - gap_x * (cols - 1)) / cols
    height = (1.0 - gap_y * (rows - 1)) / rows
    layout: dict = {}
    traces = []
    for i, layer in enumerate(layers):
        r, c = divmod(i, cols)
        suffix = "" if i == 0 else str(i + 1)
        x0 = c * (width + gap_x)
        y1 = 1.0 - r * (height + gap_y)
        layout[f"xaxis{suffix}"] = {"domain": [x0, x0 + width], "anchor": f"y{suffix}", "nticks": 4,
                                    "ticklabelstandoff": 8, "title": {"text": layer["name"], "standoff": 4}}
        # both axes' labels stand off (in big type a panel's lowest count met its first x label)
        layout[f"yaxis{suffix}"] = {"domain": [y1 - height, y1], "anchor": f"x{suffix}", "nticks": 4,
                                    "ticklabelstandoff": 10, "title": {"text": "count" if c == 0 else ""}}
        edges = np.asarray(layer["edges"])
        traces.append({"type": "bar", "x": (edges[:-1] + edges[1:]) / 2, "y": layer["counts"], "width": np.diff(edges),
                       "showlegend": False, "marker": {"color": PALETTE[i % len(PALETTE)]},
                       "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
                       "hovertemplate": "%{x:.3g}: %{y}<extra></extra>"})
    fig = styled(new_figure({"data": traces, "layout": layout}), "Activations a[l] over the batch",
                 height=320 + 260 * (rows - 1))
    return fixed_margins(fig, l=80, t=50, b=75)


def activation_heatmap(values: np.ndarray, name: str, max_rows: int = 64, max_cols: int = 64) -> go.Figure:
    """a[l] as an image: units down, samples across (viridis)."""
    v = values[:max_rows, :max_cols]
    fig = new_figure({"data": [{"type": "heatmap", "z": v, "colorscale": SEQUENTIAL, "colorbar": {"title": {"text": "value"}},
                               "x": [f"x({j + 1})" for j in range(v.shape[1])],
                               "y": [f"unit {i + 1}" for i in range(v.shape[0])],
                               "hovertemplate": "%{y}, %{x}: %{z:.4g}<extra></extra>"}],
                     "layout": {"yaxis": {"autorange": "reversed"}}})
    cut = "" if v.shape == values.shape else f" (first {v.shape[0]} × {v.shape[1]})"
    return fixed_margins(styled(fig, f"{name}: units × samples{cut}", "sample (column)", "unit (row)", height=340),
                         l=110, b=80)
