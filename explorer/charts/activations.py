"""Activation curves and their derivatives."""
from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explorer.charts.style import DASHES, FONT_SIZE, PALETTE, new_figure, panels, styled, trace

# Colours that read on Streamlit's light and dark themes alike (no black, no white).
IDENTITY_MARKER = "#D55E00"     # Okabe-Ito vermillion: the σ(1 − σ) check circles
GUIDE = "#8C8C8C"               # mid grey: the probe line
# f(x) panel: when bounded functions (σ, tanh) are drawn, the y-axis stops here so that they are
# not squashed flat beside an unbounded ReLU; the unbounded curves leave the top of the panel.
BOUNDED_Y_RANGE = (-1.5, 2.5)


def break_jumps(x: np.ndarray, y: np.ndarray, rel: float = 5.0, tiny: float = 1e-6
                ) -> tuple[np.ndarray, np.ndarray]:
    """``(x, y)`` with a NaN inserted at every jump of ``y``, so that a line plot leaves a gap.

    A jump is a step ``|y[i+1] - y[i]|`` larger than ``rel`` times both neighbouring steps (and
    than ``tiny``): a smooth curve sampled finely has steps of about the same size, a piecewise
    constant derivative (ReLU's 0 then 1) has zero steps around one big one.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if y.size < 3:
        return x, y
    d = np.abs(np.diff(y))
    before = np.concatenate([[0.0], d[:-1]])
    after = np.concatenate([d[1:], [0.0]])
    jumps = np.flatnonzero((d > tiny) & (d > rel * before) & (d > rel * after))
    if jumps.size == 0:
        return x, y
    xm = (x[jumps] + x[jumps + 1]) / 2
    return np.insert(x, jumps + 1, xm), np.insert(y, jumps + 1, np.nan)


def _curve_traces(x: np.ndarray, series: list[dict], show_derivative: bool,
                  sigmoid_identity: np.ndarray | None) -> list[dict]:
    """f (left panel) and, with ``show_derivative``, f' (right panel, jumps as gaps) of each series."""
    traces = []
    for i, s in enumerate(series):
        line = {"color": PALETTE[i % len(PALETTE)], "width": 3, "dash": DASHES[i % len(DASHES)]}
        # float32: as exact as the eye needs, half the bytes sent per click
        traces.append(trace("scatter", x=np.asarray(x, np.float32), y=np.asarray(s["f"], np.float32), name=s["label"],
                                 mode="lines", line=line, legendgroup=s["label"]))
        if show_derivative:
            dx, dy = break_jumps(x, s["df"])
            traces.append(trace("scatter", x=dx.astype(np.float32), y=dy.astype(np.float32), name=s["label"] + "'",
                                     mode="lines", line=line,
                                     legendgroup=s["label"], showlegend=False, xaxis="x2", yaxis="y2",
                                     connectgaps=False))
    if show_derivative and sigmoid_identity is not None:
        step = max(1, len(x) // 25)
        traces.append(trace("scatter", x=x[::step], y=sigmoid_identity[::step], mode="markers",
                                 name="σ(x)·(1 − σ(x))", xaxis="x2", yaxis="y2",
                                 marker={"symbol": "circle-open", "size": 10, "color": IDENTITY_MARKER,
                                         "line": {"width": 2, "color": IDENTITY_MARKER}}))
    return traces


def _guides(cols: int, active_range: tuple[float, float] | None, probe: float | None) -> list[dict]:
    """The shaded active range and the probe line, on every panel."""
    shapes = []
    for col in range(1, cols + 1):
        xref, yref = ("x", "y domain") if col == 1 else (f"x{col}", f"y{col} domain")
        if active_range is not None:
            shapes.append({"type": "rect", "x0": active_range[0], "x1": active_range[1], "y0": 0, "y1": 1,
                           "xref": xref, "yref": yref, "fillcolor": "#56B4E9", "opacity": 0.12,
                           "line": {"width": 0}, "layer": "below"})
        if probe is not None:
            shapes.append({"type": "line", "x0": probe, "x1": probe, "y0": 0, "y1": 1, "xref": xref,
                           "yref": yref, "line": {"color": GUIDE, "dash": "dot", "width": 2}})
    return shapes


def curves(x: np.ndarray, series: list[dict], show_derivative: bool = True,
           sigmoid_identity: np.ndarray | None = None, active_range: tuple[float, float] | None = None,
           probe: float | None = None) -> go.Figure:
    """f(x) (left) and f'(x) (right) for each series ``{"label", "f", "df", "bounded"}``.

    ``sigmoid_identity``: σ(x)(1 - σ(x)) drawn as markers over the derivative panel;
    ``active_range``: shaded band (the sigmoid's -5 to 5); ``probe``: a vertical line at x0.
    A series with ``"bounded": True`` (an output range like (0, 1)) caps the f(x) panel's y-axis
    at :data:`BOUNDED_Y_RANGE`; derivative jumps are drawn as gaps, never as vertical lines.
    The panels are named by their y-axis titles and the margins are fixed: panel-title annotations
    and automargin passes were most of plotly.js's time to draw the figure.
    """
    cols = 2 if show_derivative else 1
    layout = panels(cols, [], gap=0.1)
    layout["shapes"] = _guides(cols, active_range, probe)
    if active_range is not None:
        layout["annotations"].append({"text": "σ active range", "x": active_range[0], "y": 1.0, "xref": "x",
                                      "yref": "y domain", "xanchor": "left", "yanchor": "top",
                                      "showarrow": False})
    for col in range(1, cols + 1):
        suffix = "" if col == 1 else str(col)
        layout[f"xaxis{suffix}"].update(title={"text": "x"}, zeroline=True)
        layout[f"yaxis{suffix}"]["title"] = {"text": "f(x)" if col == 1 else "f'(x) = df/dx"}
    if any(s.get("bounded") for s in series):
        values = np.concatenate([np.asarray(s["f"], dtype=float) for s in series])
        values = values[np.isfinite(values)]
        lo, hi = (float(values.min()), float(values.max())) if values.size else (-1.0, 1.0)
        pad = 0.08 * max(1e-9, min(hi, BOUNDED_Y_RANGE[1]) - max(lo, BOUNDED_Y_RANGE[0]))
        layout["yaxis"]["range"] = [max(lo, BOUNDED_Y_RANGE[0]) - pad, min(hi, BOUNDED_Y_RANGE[1]) + pad]
    fig = new_figure(data=_curve_traces(x, series, show_derivative, sigmoid_identity), layout=layout)
    # short: the axes say f(x) and f'(x); a long title would wrap into them on a projector
    styled(fig, "Activation functions", height=500)
    # the legend under the plot, below the x-axis titles (not beside them)
    fig.layout.legend = {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.0,
                         "xanchor": "left", "x": 0.0, "font": {"size": FONT_SIZE}}
    fig.layout.margin = {"l": 70, "r": 20, "t": 60, "b": 125}
    fig.update_xaxes(automargin=False)
    fig.update_yaxes(automargin=False)
    return fig
