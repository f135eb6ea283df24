"""Activation curves and their derivatives."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explorer.charts.style import DASHES, PALETTE, styled


def curves(x: np.ndarray, series: list[dict], show_derivative: bool = True,
           sigmoid_identity: np.ndarray | None = None, active_range: tuple[float, float] | None = None,
           probe: float | None = None) -> go.Figure:
    """f(x) (left) and f'(x) (right) for each series ``{"label", "f", "df"}``.

    ``sigmoid_identity``: σ(x)(1 - σ(x)) drawn as markers over the derivative panel;
    ``active_range``: shaded band (the sigmoid's -5 to 5); ``probe``: a vertical line at x0.
    """
    cols = 2 if show_derivative else 1
    titles = ("f(x)", "f'(x) = df/dx") if show_derivative else ("f(x)",)
    fig = make_subplots(rows=1, cols=cols, subplot_titles=titles, horizontal_spacing=0.08)
    for i, s in enumerate(series):
        colour, dash = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)]
        fig.add_trace(go.Scatter(x=x, y=s["f"], name=s["label"], mode="lines",
                                 line={"color": colour, "width": 3, "dash": dash},
                                 legendgroup=s["label"]), row=1, col=1)
        if show_derivative:
            fig.add_trace(go.Scatter(x=x, y=s["df"], name=s["label"] + "'", mode="lines",
                                     line={"color": colour, "width": 3, "dash": dash},
                                     legendgroup=s["label"], showlegend=False), row=1, col=2)
    if show_derivative and sigmoid_identity is not None:
        step = max(1, len(x) // 25)
        fig.add_trace(go.Scatter(x=x[::step], y=sigmoid_identity[::step], mode="markers",
                                 name="σ(x)·(1 − σ(x))", marker={"symbol": "circle-open", "size": 9,
                                                                  "color": "#000000"}), row=1, col=2)
    for col in range(1, cols + 1):
        if active_range is not None:
            band = {"annotation_text": "σ active range", "annotation_position": "top left"} if col == 1 else {}
            fig.add_vrect(x0=active_range[0], x1=active_range[1], fillcolor="#56B4E9", opacity=0.12,
                          line_width=0, row=1, col=col, **band)
        if probe is not None:
            fig.add_vline(x=probe, line={"color": "#555555", "dash": "dot", "width": 2}, row=1, col=col)
        fig.update_xaxes(title_text="x", zeroline=True, row=1, col=col)
    fig.update_yaxes(title_text="f(x)", row=1, col=1)
    if show_derivative:
        fig.update_yaxes(title_text="f'(x)", row=1, col=2)
    styled(fig, "Activation functions" + (" and their derivatives" if show_derivative else ""), height=500)
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.18, "xanchor": "left", "x": 0.0},
                      margin={"b": 90})
    return fig
