"""Activation curves and their derivatives."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.charts.style import DASHES, FONT_SIZE, PALETTE, panels, styled


def curves(x: np.ndarray, series: list[dict], show_derivative: bool = True,
           sigmoid_identity: np.ndarray | None = None, active_range: tuple[float, float] | None = None,
           probe: float | None = None) -> go.Figure:
    """f(x) (left) and f'(x) (right) for each series ``{"label", "f", "df"}``.

    ``sigmoid_identity``: σ(x)(1 - σ(x)) drawn as markers over the derivative panel;
    ``active_range``: shaded band (the sigmoid's -5 to 5); ``probe``: a vertical line at x0.
    """
    cols = 2 if show_derivative else 1
    titles = ["f(x)", "f'(x) = df/dx"][:cols]
    layout = panels(cols, titles, gap=0.08)
    traces = []
    for i, s in enumerate(series):
        line = {"color": PALETTE[i % len(PALETTE)], "width": 3, "dash": DASHES[i % len(DASHES)]}
        traces.append(go.Scatter(x=x, y=s["f"], name=s["label"], mode="lines", line=line,
                                 legendgroup=s["label"]))
        if show_derivative:
            traces.append(go.Scatter(x=x, y=s["df"], name=s["label"] + "'", mode="lines", line=line,
                                     legendgroup=s["label"], showlegend=False, xaxis="x2", yaxis="y2"))
    if show_derivative and sigmoid_identity is not None:
        step = max(1, len(x) // 25)
        traces.append(go.Scatter(x=x[::step], y=sigmoid_identity[::step], mode="markers",
                                 name="σ(x)·(1 − σ(x))", xaxis="x2", yaxis="y2",
                                 marker={"symbol": "circle-open", "size": 9, "color": "#000000"}))
    shapes = []
    for col in range(1, cols + 1):
        xref, yref = ("x", "y domain") if col == 1 else (f"x{col}", f"y{col} domain")
        if active_range is not None:
            shapes.append({"type": "rect", "x0": active_range[0], "x1": active_range[1], "y0": 0, "y1": 1,
                           "xref": xref, "yref": yref, "fillcolor": "#56B4E9", "opacity": 0.12,
                           "line": {"width": 0}, "layer": "below"})
        if probe is not None:
            shapes.append({"type": "line", "x0": probe, "x1": probe, "y0": 0, "y1": 1, "xref": xref,
                           "yref": yref, "line": {"color": "#555555", "dash": "dot", "width": 2}})
    if active_range is not None:
        layout["annotations"].append({"text": "σ active range", "x": active_range[0], "y": 1.0, "xref": "x",
                                      "yref": "y domain", "xanchor": "left", "yanchor": "top",
                                      "showarrow": False})
    layout["shapes"] = shapes
    for col in range(1, cols + 1):
        suffix = "" if col == 1 else str(col)
        layout[f"xaxis{suffix}"].update(title={"text": "x"}, zeroline=True)
        layout[f"yaxis{suffix}"]["title"] = {"text": "f(x)" if col == 1 else "f'(x)"}
    fig = go.Figure(data=traces, layout=layout)
    styled(fig, "Activation functions" + (" and their derivatives" if show_derivative else ""), height=500)
    fig.layout.legend = {"orientation": "h", "yanchor": "top", "y": -0.18, "xanchor": "left", "x": 0.0,
                         "font": {"size": FONT_SIZE}}
    fig.layout.margin.b = 90
    return fig
