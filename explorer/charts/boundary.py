"""A classifier over the plane: P(y = 1 | x) as a heatmap, its 0.5 line, and the data points."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.charts.style import DIVERGING, new_figure, styled, trace


def probability_map(g1: np.ndarray, g2: np.ndarray, P: np.ndarray, X: np.ndarray, Y: np.ndarray,
                    title: str, line: tuple[float, float, float] | None = None) -> go.Figure:
    """``P`` is ``[len(g2), len(g1)]``; points ``X : [2, B]`` with labels ``Y : [1, B]``.

    ``line = (w1, w2, b)`` draws w1·x1 + w2·x2 + b = 0 (a linear model's boundary).
    Classes differ in colour *and* marker shape.
    """
    fig = new_figure(trace("heatmap", x=g1, y=g2, z=P, zmin=0, zmax=1, colorscale=DIVERGING,
                               colorbar={"title": {"text": "P(y = 1)", "side": "right"}}, hovertemplate="x1=%{x:.2f}, x2=%{y:.2f}: "
                               "P=%{z:.3f}<extra></extra>"))
    fig.add_trace(trace("contour", x=g1, y=g2, z=P, contours={"start": 0.5, "end": 0.5, "coloring": "none"},
                             line={"color": "#000000", "width": 3}, showscale=False, hoverinfo="skip",
                             name="P = 0.5"))
    for label, symbol, colour in ((1, "circle", "#2166AC"), (0, "x", "#B2182B")):
        m = Y[0] == label
        fig.add_trace(trace("scatter", x=X[0, m], y=X[1, m], mode="markers", name=f"y = {label}",
                                 marker={"symbol": symbol, "size": 7, "color": colour,
                                         "line": {"color": "#ffffff", "width": 1}}))
    if line is not None:
        w1, w2, b = line
        if abs(w2) > 1e-12:
            fig.add_trace(trace("scatter", x=g1, y=-(w1 * g1 + b) / w2, mode="lines", name="W_eff x + b_eff = 0",
                                     line={"color": "#E69F00", "dash": "dash", "width": 3}))
        fig.update_yaxes(range=[g2[0], g2[-1]])
    fig.update_xaxes(range=[g1[0], g1[-1]])
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    styled(fig, title, "x₁", "x₂", height=480)
    # the legend at the figure's bottom edge, in its own strip below the x-axis title
    fig.update_layout(legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.0,
                              "xanchor": "left", "x": 0.0},
                      margin={"b": 125})
    return fig
